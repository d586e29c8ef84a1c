// uid -> user name from /etc/passwd, parsed by hand: the static release
// binary has no NSS, and the UI must not block on LDAP. Cached; reloaded
// when the file changes, checked at most every few seconds.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sockeye::host {

// Parses passwd(5) text: name:password:uid:gid:gecos:home:shell.
// Malformed lines are skipped; the first entry for a uid wins.
std::unordered_map<std::uint32_t, std::string> parse_passwd(std::string_view text);
// The home directory of `uid` in passwd(5) text (first entry); empty when
// there is none.
std::string passwd_home(std::string_view text, std::uint32_t uid);

class UserTable {
public:
    explicit UserTable(std::string passwd_path = "/etc/passwd");
    // The user's name, or the uid as text when it has none.
    std::string name(std::uint32_t uid);

private:
    void maybe_reload();

    std::string path_;
    std::unordered_map<std::uint32_t, std::string> names_;
    std::timespec mtime_{};
    std::time_t checked_at_ = 0;
    bool loaded_ = false;
};

}  // namespace sockeye::host
