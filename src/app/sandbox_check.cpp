#include "app/sandbox_check.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/printable_text.hpp"

namespace sockeye::app {
namespace {

// The errnos the probes meet, by name (strerrorname_np is glibc-only).
const char* errno_name(int e) {
    switch (e) {
        case EACCES: return "EACCES";
        case EPERM: return "EPERM";
        case ENOENT: return "ENOENT";
        case EAGAIN: return "EAGAIN";
        case ECONNREFUSED: return "ECONNREFUSED";
        case ENOSYS: return "ENOSYS";
        case EROFS: return "EROFS";
        case EINVAL: return "EINVAL";
        case EEXIST: return "EEXIST";
        case EXDEV: return "EXDEV";
        default: return "errno";
    }
}

sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    return a;
}

// 0 when `path` opens with `flags` (then closed), else errno.
int open_errno(const std::string& path, int flags) {
    const core::UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, 0600));
    return fd.valid() ? 0 : errno;
}

int create_errno(const std::string& path) {
    const int e = open_errno(path, O_WRONLY | O_CREAT | O_EXCL);
    if (e == 0) ::unlink(path.c_str());
    return e;
}

int list_errno(const char* path) {
    DIR* d = ::opendir(path);
    if (d == nullptr) return errno;
    ::closedir(d);
    return 0;
}

// "Seccomp:\t2" in /proc/self/status: a filter is in force.
bool seccomp_filtered() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Seccomp:", 0) == 0) return line.find('2') != std::string::npos;
    }
    return false;
}

// exec of /bin/true in a forked child; the child reports a failed execve
// through a close-on-exec pipe (nothing arrives when exec succeeded).
std::string exec_probe(bool strict) {
    const std::string what = "exec /bin/true";
    if (strict)
        return "sandbox-check: " + what + ": not tried (--sandbox-strict: seccomp kills on it)\n";
    char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
    char* const envp[] = {nullptr};
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return probe_line(what + " (pipe)", errno);
    core::UniqueFd read_end(fds[0]);
    core::UniqueFd write_end(fds[1]);
    const pid_t pid = ::fork();
    if (pid == 0) {
        read_end.reset();
        ::execve("/bin/true", argv, envp);
        const int e = errno;
        const ssize_t n = ::write(write_end.get(), &e, sizeof e);
        ::_exit(n == sizeof e ? 127 : 126);
    }
    write_end.reset();
    if (pid < 0) {
        const int fork_errno = errno;
        read_end.reset();
        std::string out = probe_line("fork", fork_errno);
        // seccomp refuses fork (clone without CLONE_THREAD) and execve alike:
        // with the filter in force, execve in this process returns.
        if (!seccomp_filtered())
            return out + "sandbox-check: " + what + ": not tried (fork failed, no seccomp filter)\n";
        ::execve("/bin/true", argv, envp);
        return out + probe_line(what, errno);
    }
    int child_errno = 0;
    const ssize_t n = ::read(read_end.get(), &child_errno, sizeof child_errno);
    read_end.reset();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return probe_line("fork", 0) + probe_line(what + " (in the child)", n == sizeof child_errno ? child_errno : 0);
}

std::string connect_probe(int port) {
    const core::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return probe_line("new TCP socket", errno);
    const sockaddr_in a = loopback(port);
    const int rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a);
    const int e = rc == 0 ? 0 : errno;
    return probe_line("TCP connect to 127.0.0.1:" + std::to_string(port), e);
}

std::string bind_probe() {
    const core::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return probe_line("new TCP listener (socket)", errno);
    const sockaddr_in a = loopback(0);
    const int rc = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a);
    const int e = rc == 0 ? 0 : errno;
    return probe_line("new TCP listener (bind 127.0.0.1:0)", e);
}

// The listener opened before the sandbox still accepts (--metrics): EAGAIN
// (nobody waiting) counts as allowed, as the call itself went through.
std::string accept_probe(int listener) {
    const core::UniqueFd fd(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    const int e = fd.valid() ? 0 : errno;
    return probe_line("accept on a listener opened before the sandbox",
                      e == EAGAIN || e == EWOULDBLOCK ? 0 : e);
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string probe_line(const std::string& what_raw, int error) {
    // `what` may quote an export path of the user's.
    const std::string what = core::printable_text(what_raw, core::ControlStyle::hex_escape);
    if (error == 0) return "sandbox-check: " + what + ": allowed\n";
    return "sandbox-check: " + what + ": blocked (" + errno_name(error) + ": " +
           std::strerror(error) + ")\n";
}

SandboxProbes::SandboxProbes() {
    listener_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    const int fd = listener_.get();
    if (!listener_.valid() || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(fd, 4) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        listener_.reset();
        return;
    }
    port_ = ntohs(a.sin_port);
}

std::string SandboxProbes::run(const std::vector<std::string>& write_paths, bool strict) const {
    std::string out;
    out += probe_line("read /etc/shadow", open_errno("/etc/shadow", O_RDONLY));
    // Readable by anyone: only Landlock can refuse it.
    out += probe_line("read /etc/os-release", open_errno("/etc/os-release", O_RDONLY));
    out += probe_line("read /proc/self/status", open_errno("/proc/self/status", O_RDONLY));
    out += probe_line("list /sys/class/net", list_errno("/sys/class/net"));
    const std::string pid = std::to_string(::getpid());
    // /tmp is writable by anyone (sticky): only the sandbox can refuse it.
    out += probe_line("write outside the exports /tmp/sockeye-sandbox-check-" + pid,
                      create_errno("/tmp/sockeye-sandbox-check-" + pid));
    for (const auto& path : write_paths) {
        out += probe_line("write export " + path + " (open for append)",
                          open_errno(path, O_WRONLY | O_APPEND));
        const std::string sibling = directory_of(path) + "/sockeye-sandbox-check-" + pid;
        out += probe_line("write beside the export " + sibling, create_errno(sibling));
    }
    out += exec_probe(strict);
    if (strict) {
        out += "sandbox-check: socket probes: not tried (--sandbox-strict: seccomp kills on "
               "bind and AF_PACKET)\n";
    } else {
        out += probe_line("regain root (setuid 0, this thread)",
                          ::syscall(SYS_setuid, 0) == 0 ? 0 : errno);
        const core::UniqueFd packet(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)));
        out += probe_line("new packet socket", packet.valid() ? 0 : errno);
        out += bind_probe();
    }
    if (listener_.valid()) {
        out += connect_probe(port_);
        out += accept_probe(listener_.get());
    }
    return out;
}

}  // namespace sockeye::app
