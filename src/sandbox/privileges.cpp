#include "sandbox/privileges.hpp"

#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sandbox/capabilities.hpp"

namespace sockeye::sandbox {
namespace {

constexpr std::uint32_t kNobody = 65534;
constexpr std::size_t kMaxPasswdBytes = 4 * 1024 * 1024;

std::optional<std::uint32_t> parse_id(std::string_view text) {
    std::uint32_t v = 0;
    const char* end = text.data() + text.size();
    const auto r = std::from_chars(text.data(), end, v);
    if (text.empty() || r.ec != std::errc() || r.ptr != end) return std::nullopt;
    return v;
}

// Field `index` (0-based) of a colon-separated line.
std::string_view field(std::string_view line, int index) {
    for (int i = 0; i < index; ++i) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return {};
        line.remove_prefix(colon + 1);
    }
    return line.substr(0, line.find(':'));
}

std::string read_small_file(const char* path) {
    std::string out;
    std::FILE* f = std::fopen(path, "re");
    if (f == nullptr) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out.size() < kMaxPasswdBytes)
        out.append(buf, n);
    std::fclose(f);
    return out;
}

core::Error errno_error(const char* what) {
    const int e = errno;
    return {core::error_code_for_errno(e), std::string(what) + ": " + std::strerror(e)};
}

}  // namespace

std::optional<Account> find_account(std::string_view passwd_text, std::string_view name) {
    while (!passwd_text.empty()) {
        const auto nl = passwd_text.find('\n');
        const std::string_view line = passwd_text.substr(0, nl);
        passwd_text.remove_prefix(nl == std::string_view::npos ? passwd_text.size() : nl + 1);
        if (field(line, 0) != name) continue;
        const auto uid = parse_id(field(line, 2));
        const auto gid = parse_id(field(line, 3));
        if (uid && gid) return Account{*uid, *gid};
    }
    return std::nullopt;
}

DropTarget choose_target(const char* sudo_uid, const char* sudo_gid, std::string_view passwd_text) {
    if (sudo_uid != nullptr && sudo_gid != nullptr) {
        const auto uid = parse_id(sudo_uid);
        const auto gid = parse_id(sudo_gid);
        if (uid && gid && *uid != 0 && *gid != 0)
            return DropTarget{Account{*uid, *gid}, "SUDO_UID=" + std::to_string(*uid)};
    }
    if (const auto nobody = find_account(passwd_text, "nobody"); nobody && nobody->uid != 0)
        return DropTarget{*nobody, "nobody"};
    return DropTarget{Account{kNobody, kNobody}, "nobody"};
}

DropTarget default_target() {
    return choose_target(std::getenv("SUDO_UID"), std::getenv("SUDO_GID"),
                         read_small_file("/etc/passwd"));
}

core::Result<void> drop_root(const Account& target, std::uint64_t keep) {
    if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return errno_error("PR_SET_KEEPCAPS");
    // Supplementary groups first: afterwards cap_setgid is gone.
    if (::setgroups(0, nullptr) != 0) return errno_error("setgroups");
    if (::setresgid(target.gid, target.gid, target.gid) != 0) return errno_error("setresgid");
    if (::setresuid(target.uid, target.uid, target.uid) != 0) return errno_error("setresuid");
    ::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);

    uid_t r = 0, e = 0, s = 0;
    if (::getresuid(&r, &e, &s) != 0 || r != target.uid || e != target.uid || s != target.uid)
        return core::Error{core::ErrorCode::internal, "uid did not change"};
    // The switch emptied the effective set; raise what is permitted so the
    // bounding-set drop (cap_setpcap) still works, then keep only `keep`.
    auto sets = read_capabilities();
    if (!sets) return errno_error("capget");
    sets->effective = sets->permitted;
    if (!write_capabilities(*sets)) return errno_error("capset");
    bool bounding_dropped = false;
    return restrict_capabilities(keep, bounding_dropped);
}

}  // namespace sockeye::sandbox
