#include "host/user_table.hpp"

#include <sys/stat.h>

#include <utility>

#include "core/line_splitter.hpp"
#include "host/proc_fs.hpp"

namespace sockeye::host {
namespace {

constexpr std::size_t kMaxPasswd = 4 * 1024 * 1024;
constexpr std::time_t kRecheckSeconds = 5;

}  // namespace

std::unordered_map<std::uint32_t, std::string> parse_passwd(std::string_view text) {
    std::unordered_map<std::uint32_t, std::string> out;
    core::LineSplitter lines(text);
    for (std::string_view line; lines.next(line);) {
        if (line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-') continue;
        const auto c1 = line.find(':');
        if (c1 == 0 || c1 == std::string_view::npos) continue;
        const auto c2 = line.find(':', c1 + 1);
        if (c2 == std::string_view::npos) continue;
        const auto c3 = line.find(':', c2 + 1);
        const auto uid_text = line.substr(c2 + 1, c3 == std::string_view::npos ? std::string_view::npos : c3 - c2 - 1);
        const auto uid = parse_u64(uid_text);
        if (!uid || *uid > 0xffffffffULL) continue;
        out.try_emplace(static_cast<std::uint32_t>(*uid), line.substr(0, c1));
    }
    return out;
}

std::string passwd_home(std::string_view text, std::uint32_t uid) {
    core::LineSplitter lines(text);
    for (std::string_view line; lines.next(line);) {
        if (line.empty() || line.front() == '#') continue;
        std::string_view fields[7];
        std::size_t n = 0;
        for (std::size_t pos = 0; n < 7;) {
            const auto colon = line.find(':', pos);
            fields[n++] = line.substr(pos, colon == std::string_view::npos ? std::string_view::npos : colon - pos);
            if (colon == std::string_view::npos) break;
            pos = colon + 1;
        }
        if (n < 6 || fields[0].empty()) continue;
        const auto id = parse_u64(fields[2]);
        if (id && *id == uid) return std::string(fields[5]);
    }
    return {};
}

UserTable::UserTable(std::string passwd_path) : path_(std::move(passwd_path)) {}

void UserTable::maybe_reload() {
    const std::time_t now = std::time(nullptr);
    if (loaded_ && now - checked_at_ < kRecheckSeconds) return;
    checked_at_ = now;
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
        loaded_ = true;
        return;
    }
    if (loaded_ && st.st_mtim.tv_sec == mtime_.tv_sec && st.st_mtim.tv_nsec == mtime_.tv_nsec) return;
    mtime_ = st.st_mtim;
    loaded_ = true;
    if (const auto text = read_file(path_, kMaxPasswd)) names_ = parse_passwd(*text);
}

std::string UserTable::name(std::uint32_t uid) {
    maybe_reload();
    const auto it = names_.find(uid);
    return it != names_.end() ? it->second : std::to_string(uid);
}

}  // namespace sockeye::host
