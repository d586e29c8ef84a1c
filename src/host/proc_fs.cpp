#include "host/proc_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "core/line_splitter.hpp"
#include "core/unique_fd.hpp"

namespace sockeye::host {
namespace {

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

bool all_digits(const char* s) {
    if (*s == '\0') return false;
    for (; *s != '\0'; ++s) {
        if (*s < '0' || *s > '9') return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes, int* error) {
    core::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        if (error != nullptr) *error = errno;
        return std::nullopt;
    }
    std::string out;
    char buf[4096];
    while (out.size() < max_bytes) {
        const std::size_t want = std::min(sizeof buf, max_bytes - out.size());
        const ssize_t n = ::read(fd.get(), buf, want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            if (error != nullptr) *error = errno;
            return std::nullopt;
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::optional<std::string> read_link(const std::string& path, int* error) {
    char buf[4096];
    const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
    if (n < 0 || static_cast<std::size_t>(n) >= sizeof buf) {
        if (error != nullptr) *error = n < 0 ? errno : ENAMETOOLONG;
        return std::nullopt;
    }
    return std::string(buf, static_cast<std::size_t>(n));
}

std::vector<int> list_pids(const std::string& proc_root) {
    std::vector<int> pids;
    std::unique_ptr<DIR, DirCloser> dir(::opendir(proc_root.c_str()));
    if (!dir) return pids;
    while (const dirent* e = ::readdir(dir.get())) {
        if (!all_digits(e->d_name)) continue;
        const auto v = parse_u64(e->d_name);
        if (v && *v > 0 && *v < 0x7fffffff) pids.push_back(static_cast<int>(*v));
    }
    return pids;
}

std::vector<std::string> list_dir(const std::string& path) {
    std::vector<std::string> out;
    std::unique_ptr<DIR, DirCloser> dir(::opendir(path.c_str()));
    if (!dir) return out;
    while (const dirent* e = ::readdir(dir.get())) {
        const std::string_view name = e->d_name;
        if (name == "." || name == "..") continue;
        out.emplace_back(name);
    }
    return out;
}

std::string_view base_name(std::string_view path) {
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

std::optional<std::string_view> status_field(std::string_view status, std::string_view key) {
    core::LineSplitter lines(status);
    for (std::string_view line; lines.next(line);) {
        if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':') {
            return trim(line.substr(key.size() + 1));
        }
    }
    return std::nullopt;
}

}  // namespace sockeye::host
