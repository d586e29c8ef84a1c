#include "host/visibility.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "host/proc_fs.hpp"

namespace sockeye::host {
namespace {

std::optional<std::uint64_t> parse_hex(std::string_view text) {
    if (text.empty() || text.size() > 16) return std::nullopt;
    std::uint64_t v = 0;
    for (const char c : text) {
        std::uint64_t d = 0;
        if (c >= '0' && c <= '9') {
            d = static_cast<std::uint64_t>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            d = static_cast<std::uint64_t>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            d = static_cast<std::uint64_t>(c - 'A' + 10);
        } else {
            return std::nullopt;
        }
        v = (v << 4) | d;
    }
    return v;
}

}  // namespace

std::optional<Privileges> parse_privileges(std::string_view status) {
    const auto uid_line = status_field(status, "Uid");
    const auto cap_line = status_field(status, "CapEff");
    if (!uid_line || !cap_line) return std::nullopt;
    // Uid: real effective saved fs
    std::string_view rest = *uid_line;
    const auto sep = rest.find_first_of(" \t");
    if (sep == std::string_view::npos) return std::nullopt;
    rest = trim(rest.substr(sep));
    const auto euid = parse_u64(rest.substr(0, rest.find_first_of(" \t")));
    const auto caps = parse_hex(*cap_line);
    if (!euid || *euid > 0xffffffffULL || !caps) return std::nullopt;
    return Privileges{static_cast<std::uint32_t>(*euid), *caps};
}

std::optional<Privileges> read_privileges(const std::string& proc_root) {
    const auto text = read_file(proc_root + "/self/status", 16 * 1024);
    if (!text) return std::nullopt;
    return parse_privileges(*text);
}

namespace {

// Whether one process's socket links can be read: nullopt when it has none
// to try or went away meanwhile.
std::optional<bool> can_read_fd_links(const std::string& dir) {
    const int dir_fd = ::open((dir + "/fd").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) {
        if (errno == EACCES || errno == EPERM) return false;
        return std::nullopt;
    }
    DIR* entries = ::fdopendir(dir_fd);
    if (entries == nullptr) {
        ::close(dir_fd);
        return std::nullopt;
    }
    std::optional<bool> answer;
    while (const dirent* e = ::readdir(entries)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char target[256];
        if (::readlinkat(::dirfd(entries), e->d_name, target, sizeof target) >= 0) {
            answer = true;
        } else if (errno == EACCES || errno == EPERM) {
            answer = false;
        } else {
            continue;  // that descriptor was just closed
        }
        break;
    }
    ::closedir(entries);
    return answer;
}

}  // namespace

std::optional<bool> probe_other_users_fds(const std::string& proc_root, std::uint32_t euid) {
    // One refusal is not the answer: some processes (an init outside this
    // user namespace, say) stay unreadable with every capability.
    constexpr int kRefusalsForNo = 8;
    int refusals = 0;
    for (const int pid : list_pids(proc_root)) {
        const std::string dir = proc_root + "/" + std::to_string(pid);
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0 || st.st_uid == euid) continue;
        const auto readable = can_read_fd_links(dir);
        if (!readable) continue;
        if (*readable) return true;
        if (++refusals >= kRefusalsForNo) return false;
    }
    if (refusals > 0) return false;
    return std::nullopt;
}

std::vector<std::string> describe_limitations(const VisibilityFacts& f) {
    std::vector<std::string> out;
    if (f.sock_diag_error != 0) {
        out.push_back(std::string("cannot list sockets: netlink sock_diag is unavailable (") +
                      std::strerror(f.sock_diag_error) + ")");
    }
    const bool caps_say_no = f.privileges && !f.privileges->can_read_other_fds();
    const bool probe_says_no = f.other_fds_readable.has_value() && !*f.other_fds_readable;
    if (probe_says_no || (caps_say_no && !f.other_fds_readable.has_value())) {
        std::string s = "cannot see other users' processes: needs cap_sys_ptrace and cap_dac_read_search";
        if (f.unreadable_pids > 0) s += " (" + std::to_string(f.unreadable_pids) + " processes hidden)";
        out.push_back(std::move(s));
    } else if (f.unreadable_pids > 0) {
        out.push_back(std::to_string(f.unreadable_pids) +
                      " processes could not be inspected (permission denied)");
    }
    if (f.dropped_requests > 0) {
        out.push_back(std::to_string(f.dropped_requests) +
                      " lookups were dropped because the attribution queue was full");
    }
    return out;
}

}  // namespace sockeye::host
