#include "sandbox/seccomp.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace sockeye::sandbox {
namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_X86_64;
constexpr bool kHaveArch = true;
#elif defined(__aarch64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_AARCH64;
constexpr bool kHaveArch = true;
#else
constexpr std::uint32_t kArch = 0;
constexpr bool kHaveArch = false;
#endif

constexpr std::uint32_t kNrOffset = offsetof(seccomp_data, nr);
constexpr std::uint32_t kArchOffset = offsetof(seccomp_data, arch);
// The low 32 bits of args[n] (socket's domain, clone's flags, bind's length).
constexpr std::uint32_t arg_low(std::uint32_t n) {
    return static_cast<std::uint32_t>(offsetof(seccomp_data, args)) + 8 * n +
           (std::endian::native == std::endian::little ? 0 : 4);
}
constexpr std::uint32_t kArg0Low = arg_low(0);
// sizeof(struct sockaddr_nl): no IPv4/IPv6 address fits in it.
constexpr std::uint32_t kNetlinkAddrLen = 12;

sock_filter stmt(std::uint16_t code, std::uint32_t k) { return sock_filter{code, 0, 0, k}; }
sock_filter jump(std::uint16_t code, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) {
    return sock_filter{code, jt, jf, k};
}

std::uint32_t ret_errno(int e) {
    return SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(e) & SECCOMP_RET_DATA);
}

// if (nr == `nr`) { A = arg; for each value: if (A == v) allow; return fallback }
void arg_in(std::vector<sock_filter>& f, int nr, std::uint32_t arg,
            const std::vector<std::uint32_t>& values, std::uint32_t fallback) {
    const auto block = static_cast<std::uint8_t>(values.size() * 2 + 2);
    f.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(nr), 0, block));
    f.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(arg)));
    for (const std::uint32_t v : values) {
        f.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, v, 0, 1));
        f.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    }
    f.push_back(stmt(BPF_RET | BPF_K, fallback));
}

}  // namespace

std::vector<sock_filter> build_seccomp_filter(SeccompDefault fallback, bool allow_kill) {
    std::vector<sock_filter> f;
    if (!kHaveArch) return f;
    const std::uint32_t deny =
        fallback == SeccompDefault::kill_process ? SECCOMP_RET_KILL_PROCESS : ret_errno(EPERM);
    // Another ABI's numbers (i386 via int 0x80) would mean other syscalls.
    f.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, kArchOffset));
    f.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, kArch, 1, 0));
    f.push_back(stmt(BPF_RET | BPF_K, deny));
    f.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, kNrOffset));

    // New sockets: DNS (c-ares opens one per lookup) and sock_diag; never a
    // new packet socket.
    arg_in(f, SYS_socket, 0, {AF_INET, AF_INET6, AF_NETLINK}, deny);
    // glibc's getifaddrs (the attributor's periodic local-address refresh)
    // binds a netlink socket; the address length tells it from an IP bind.
    arg_in(f, SYS_bind, 2, {kNetlinkAddrLen}, deny);
    // Threads only, not processes: A = flags; allow when CLONE_THREAD is set.
    f.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4));
    f.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, kArg0Low));
    f.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 0, 1));
    f.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    f.push_back(stmt(BPF_RET | BPF_K, deny));
#ifdef SYS_clone3
    // clone3's flags live in memory BPF cannot read; ENOSYS makes glibc
    // fall back to clone, which is checked above.
    f.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1));
    f.push_back(stmt(BPF_RET | BPF_K, ret_errno(ENOSYS)));
#endif
    const auto allow = [&f](long nr) {
        f.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(nr), 0, 1));
        f.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    };
    if (allow_kill) {
        for (const long nr : {long{SYS_kill}, long{SYS_tgkill}, long{SYS_pidfd_open},
                              long{SYS_pidfd_send_signal}})
            allow(nr);
    } else {
        // glibc's raise() and pthread_kill(): tgkill(our pid, tid, sig).
        arg_in(f, SYS_tgkill, 0, {static_cast<std::uint32_t>(::getpid())}, deny);
    }
    for (const int nr : seccomp_allowlist()) allow(nr);
    f.push_back(stmt(BPF_RET | BPF_K, deny));
    return f;
}

bool seccomp_supported() {
    // EINVAL: kernel without CONFIG_SECCOMP.
    if (::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0) return false;
    std::uint32_t action = SECCOMP_RET_ERRNO;
    return ::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0 || errno != EINVAL;
}

std::string describe_seccomp() {
    if (!kHaveArch) return "no (filter written for x86_64 and aarch64 only)";
    if (!seccomp_supported()) return "no (kernel without seccomp filters)";
    std::uint32_t kill = SECCOMP_RET_KILL_PROCESS;
    const bool has_kill = ::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &kill) == 0;
    return "yes (" + std::to_string(seccomp_allowlist().size()) + " syscalls allowed" +
           (has_kill ? "" : ", no kill_process: strict mode uses errno") + ")";
}

core::Result<void> apply_seccomp(SeccompDefault fallback, bool allow_kill) {
    std::uint32_t kill = SECCOMP_RET_KILL_PROCESS;
    if (fallback == SeccompDefault::kill_process &&
        ::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &kill) != 0)
        fallback = SeccompDefault::errno_eperm;  // kernel < 4.14
    std::vector<sock_filter> filter = build_seccomp_filter(fallback, allow_kill);
    if (filter.empty())
        return core::Error{core::ErrorCode::unsupported, "seccomp: no filter for this architecture"};
    sock_fprog prog{};
    prog.len = static_cast<unsigned short>(filter.size());
    prog.filter = filter.data();
    const long rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
    if (rc == 0) return {};
    if (rc > 0) {
        return core::Error{core::ErrorCode::internal,
                           "seccomp: thread " + std::to_string(rc) + " cannot take the filter"};
    }
    if (errno == ENOSYS && ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0)
        return {};  // kernel < 3.17: the calling thread only
    const int e = errno;
    return core::Error{core::error_code_for_errno(e), std::string("seccomp: ") + std::strerror(e)};
}

}  // namespace sockeye::sandbox
