// The syscalls of the running monitor, found with `strace -f -c` on live
// capture (terminal UI and --json, with reverse DNS and attribution), plus
// what musl uses where glibc differs. Each is under #ifdef: aarch64 has no
// open/poll/stat and friends.
#include <sys/syscall.h>

#include "sandbox/seccomp.hpp"

namespace sockeye::sandbox {

const std::vector<int>& seccomp_allowlist() {
    static const std::vector<int> list = {
        // Files: /proc, /sys, /etc, exports, the terminal.
        SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_pread64, SYS_pwrite64, SYS_lseek,
        SYS_close, SYS_openat, SYS_newfstatat, SYS_fstat, SYS_statx, SYS_fstatfs, SYS_statfs,
        SYS_faccessat, SYS_readlinkat, SYS_getdents64, SYS_fcntl, SYS_dup, SYS_dup3,
        SYS_pipe2, SYS_ioctl, SYS_ftruncate, SYS_fsync, SYS_fdatasync, SYS_renameat,
        SYS_unlinkat, SYS_getcwd,
#ifdef SYS_open
        SYS_open, SYS_stat, SYS_lstat, SYS_access, SYS_readlink, SYS_getdents, SYS_dup2,
        SYS_pipe, SYS_rename, SYS_unlink,
#endif
#ifdef SYS_faccessat2
        SYS_faccessat2,
#endif
#ifdef SYS_renameat2
        SYS_renameat2,
#endif
#ifdef SYS_close_range
        SYS_close_range,
#endif
        // Memory.
        SYS_mmap, SYS_munmap, SYS_mremap, SYS_mprotect, SYS_brk, SYS_madvise,
        // Waiting: poll loops, libpcap's ring, c-ares, the UI.
        SYS_ppoll, SYS_pselect6, SYS_epoll_create1, SYS_epoll_ctl, SYS_epoll_pwait,
        SYS_eventfd2,
#ifdef SYS_poll
        SYS_poll, SYS_select, SYS_epoll_wait, SYS_epoll_create, SYS_eventfd,
#endif
#ifdef SYS_epoll_pwait2
        SYS_epoll_pwait2,
#endif
        // Threads and time.
        SYS_futex, SYS_set_robust_list, SYS_get_robust_list, SYS_set_tid_address,
        SYS_sched_yield, SYS_sched_getaffinity, SYS_nanosleep, SYS_clock_nanosleep,
        SYS_clock_gettime, SYS_clock_getres, SYS_gettimeofday, SYS_getpriority,
        SYS_setpriority, SYS_membarrier, SYS_prctl,
#ifdef SYS_rseq
        SYS_rseq,
#endif
#ifdef SYS_futex_waitv
        SYS_futex_waitv,
#endif
#ifdef SYS_time
        SYS_time,
#endif
#ifdef SYS_arch_prctl
        SYS_arch_prctl,
#endif
        // Identity and limits (the UI shows them; libc asks).
        SYS_getpid, SYS_gettid, SYS_getppid, SYS_getuid, SYS_geteuid, SYS_getgid,
        SYS_getegid, SYS_getresuid, SYS_getresgid, SYS_getgroups, SYS_getrlimit,
        SYS_prlimit64, SYS_getrusage, SYS_sysinfo, SYS_uname, SYS_getrandom, SYS_umask,
        SYS_capget,
        // Signals: the stop handlers, Ctrl+Z (raise SIGTSTP), SIGWINCH. raise()
        // is tkill (musl) or tgkill (glibc, checked in the filter to our own
        // process); kill() only with --allow-kill (the filter adds it).
        SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_rt_sigtimedwait,
        SYS_rt_sigsuspend, SYS_sigaltstack, SYS_tkill, SYS_restart_syscall,
        // Sockets already open (packet, netlink) and c-ares' new DNS sockets;
        // an IPFIX sender (re)connects and sends; the --metrics server,
        // bound and listening before the sandbox, accepts. No listen(): a
        // new listening socket would need bind(), which only netlink gets.
        SYS_connect, SYS_getsockname, SYS_getpeername, SYS_setsockopt, SYS_getsockopt,
        SYS_sendto, SYS_recvfrom, SYS_sendmsg, SYS_recvmsg, SYS_sendmmsg, SYS_recvmmsg,
        SYS_shutdown, SYS_accept4,
#ifdef SYS_accept
        SYS_accept,
#endif
        // eBPF attribution: reading and deleting entries of the maps loaded
        // before the sandbox (through fds it already holds).
        SYS_bpf,
        SYS_exit, SYS_exit_group,
    };
    return list;
}

}  // namespace sockeye::sandbox
