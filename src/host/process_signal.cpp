#include "host/process_signal.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/unique_fd.hpp"

namespace sockeye::host {
namespace {

std::string who(const snapshot::ProcessInfo& p) {
    return (p.name.empty() ? p.comm : p.name) + " (" + std::to_string(p.pid) + ")";
}

core::Error errno_error(const snapshot::ProcessInfo& p, int err) {
    if (err == ESRCH) return {core::ErrorCode::not_found, who(p) + " has already exited"};
    if (err == EPERM || err == EACCES) {
        return {core::ErrorCode::permission_denied,
                "not permitted to signal " + who(p) + " of user " + p.user +
                    " (run sockeye as that user, or as root)"};
    }
    return {core::error_code_for_errno(err), "cannot signal " + who(p) + ": " + std::strerror(err)};
}

std::string_view field(std::string_view status, std::string_view name) {
    const std::size_t at = status.find(name);
    if (at == std::string_view::npos || (at != 0 && status[at - 1] != '\n')) return {};
    std::string_view rest = status.substr(at + name.size());
    rest = rest.substr(0, rest.find('\n'));
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    return rest;
}

}  // namespace

core::Result<ProcessIdentity> read_process_identity(pid_t pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/status";
    core::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        const int err = errno;
        return core::Error{err == ENOENT ? core::ErrorCode::not_found : core::error_code_for_errno(err),
                           path + ": " + std::strerror(err)};
    }
    char buf[4096];
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n <= 0) return core::Error{core::ErrorCode::io, path + ": cannot read"};
    const std::string_view status(buf, static_cast<std::size_t>(n));
    ProcessIdentity id;
    id.comm = std::string(field(status, "Name:"));
    // "Uid:\treal\teffective\tsaved\tfs": the real uid is the owner.
    const std::string_view uids = field(status, "Uid:");
    std::uint64_t uid = 0;
    std::size_t digits = 0;
    for (const char c : uids) {
        if (c < '0' || c > '9') break;
        uid = uid * 10 + static_cast<std::uint64_t>(c - '0');
        if (++digits > 10) break;
    }
    if (id.comm.empty() || digits == 0 || digits > 10)
        return core::Error{core::ErrorCode::bad_format, path + ": no Name or Uid line"};
    id.uid = static_cast<uid_t>(uid);
    return id;
}

core::Result<void> signal_process(const snapshot::ProcessInfo& process, int signal) {
    if (process.pid <= 1) return core::Error{core::ErrorCode::usage, "refusing to signal pid " +
                                                                         std::to_string(process.pid)};
    // Pin it first: from here on the pid cannot be handed to another process
    // without the pidfd noticing (kernels before 5.3: plain kill after the check).
    core::UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, process.pid, 0)));
    if (!pidfd.valid() && errno != ENOSYS) return errno_error(process, errno);
    const auto id = read_process_identity(process.pid);
    if (!id) {
        if (id.error().code == core::ErrorCode::not_found) return errno_error(process, ESRCH);
        return core::Error{id.error().code, "cannot check " + who(process) + ": " + id.error().message};
    }
    // comm is at most 15 bytes, as the kernel cut it.
    if (id->comm != process.comm || id->uid != process.uid) {
        return core::Error{core::ErrorCode::not_found,
                           "pid " + std::to_string(process.pid) + " is now " + id->comm +
                               " (uid " + std::to_string(id->uid) + "), no longer " +
                               who(process) + ": not signalled"};
    }
    const long rc = pidfd.valid() ? ::syscall(SYS_pidfd_send_signal, pidfd.get(), signal, nullptr, 0)
                          : ::kill(process.pid, signal);
    if (rc != 0) return errno_error(process, errno);
    return {};
}

}  // namespace sockeye::host
