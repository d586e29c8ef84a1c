// Runs a check in a forked child: the sandbox is irreversible, so it is never
// applied to the test process itself. The child sends what failed through a
// pipe and ends with a marker, so a child that was replaced by exec or died
// early can never pass. Each child is bounded by alarm().
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>

namespace sockeye::sandbox::testing {

constexpr const char* kDoneMarker = "\n<child done>";

struct ChildResult {
    std::string failures;  // empty: every check in the child passed
    bool finished = false;  // the body returned (no exec, no crash)
    int exit_code = -1;     // -1 when killed
    int signal = 0;         // the signal that killed it, if any
};

inline void write_all(int fd, const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

// `body` returns "" on success, else one line per failed check.
inline ChildResult run_in_child(const std::function<std::string()>& body) {
    ChildResult result;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        result.failures = std::string("pipe: ") + std::strerror(errno);
        return result;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        result.failures = std::string("fork: ") + std::strerror(errno);
        return result;
    }
    if (pid == 0) {
        ::close(fds[0]);
        ::alarm(20);
        const std::string out = body();
        write_all(fds[1], out + kDoneMarker);
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string text;
    char buf[512];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    const auto marker = text.rfind(kDoneMarker);
    result.finished = marker != std::string::npos;
    result.failures = result.finished ? text.substr(0, marker) : text;
    return result;
}

// Failed checks inside the child, one line each.
class Checks {
public:
    void expect(bool ok, const std::string& what) {
        if (!ok) text_ += what + "\n";
    }
    [[nodiscard]] const std::string& text() const { return text_; }

private:
    std::string text_;
};

// 0 when `path` opens with `flags` (then closed), else errno.
inline int open_errno(const std::string& path, int flags, mode_t mode = 0600) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) return errno;
    ::close(fd);
    return 0;
}

inline std::string errno_name(int e) { return e == 0 ? "success" : std::strerror(e); }

}  // namespace sockeye::sandbox::testing
