#include "sandbox/seccomp.hpp"

#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/seccomp.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>

#include "sandbox/no_new_privs.hpp"
#include "unit/sandbox/child.hpp"

namespace sockeye::sandbox {
namespace {

using testing::Checks;
using testing::run_in_child;

class Seccomp : public ::testing::Test {
protected:
    void SetUp() override {
        if (!seccomp_supported()) GTEST_SKIP() << "no seccomp filters here: " << describe_seccomp();
        if (build_seccomp_filter(SeccompDefault::errno_eperm).empty())
            GTEST_SKIP() << "no filter for this architecture";
    }
};

TEST(SeccompFilter, AllowlistHasNoExecAndNoDuplicates) {
    const auto& list = seccomp_allowlist();
    const std::set<int> unique(list.begin(), list.end());
    EXPECT_EQ(unique.size(), list.size());
    for (const int forbidden : {SYS_execve, SYS_execveat, SYS_ptrace, SYS_clone,
                                SYS_socket, SYS_bind, SYS_listen, SYS_capset,
                                SYS_setuid, SYS_mount, SYS_unshare, SYS_process_vm_readv})
        EXPECT_EQ(unique.count(forbidden), 0u) << "syscall " << forbidden << " is allowed outright";
}

TEST(SeccompFilter, FitsClassicBpfLimits) {
    const auto f = build_seccomp_filter(SeccompDefault::kill_process);
    if (f.empty()) GTEST_SKIP() << "no filter for this architecture";
    EXPECT_LT(f.size(), 4096u);  // BPF_MAXINSNS
    // Every conditional jump lands inside the program.
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (BPF_CLASS(f[i].code) != BPF_JMP) continue;
        EXPECT_LT(i + 1 + f[i].jt, f.size());
        EXPECT_LT(i + 1 + f[i].jf, f.size());
    }
    EXPECT_EQ(f.back().code, BPF_RET | BPF_K);
    EXPECT_EQ(f.back().k, SECCOMP_RET_KILL_PROCESS);
}

TEST_F(Seccomp, AllowsTheMonitorAndRefusesExec) {
    const auto r = run_in_child([] {
        Checks c;
        // A listener bound before the filter (--metrics) keeps accepting.
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_in any{};
        any.sin_family = AF_INET;
        any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        c.expect(listener >= 0 &&
                     ::bind(listener, reinterpret_cast<sockaddr*>(&any), sizeof any) == 0 &&
                     ::listen(listener, 4) == 0,
                 "cannot open a listener before the filter");
        c.expect(set_no_new_privs().ok(), "no_new_privs");
        const auto filtered = apply_seccomp(SeccompDefault::errno_eperm);
        c.expect(filtered.ok(), "apply_seccomp: " + (filtered ? "" : filtered.error().message));
        char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
        char* const envp[] = {nullptr};
        c.expect(::execve("/bin/true", argv, envp) != 0 && errno == EPERM, "exec of /bin/true not refused");
        c.expect(::fork() < 0 && errno == EPERM, "fork not refused");
        const int pkt = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
        c.expect(pkt < 0 && errno == EPERM, "new packet socket not refused");
        const int unix_sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
        c.expect(unix_sock < 0 && errno == EPERM, "unix socket not refused");
        const int udp = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        c.expect(udp >= 0, "DNS socket refused");
        if (udp >= 0) ::close(udp);
        // Netlink bind (glibc getifaddrs) yes, IP bind no.
        ifaddrs* ifs = nullptr;
        c.expect(::getifaddrs(&ifs) == 0 && ifs != nullptr, "getifaddrs refused");
        if (ifs != nullptr) ::freeifaddrs(ifs);
        const int ip = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        c.expect(ip >= 0 && ::bind(ip, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno == EPERM,
                 "IPv4 bind not refused");
        if (ip >= 0) ::close(ip);
        c.expect(::getpid() > 0 && testing::open_errno("/proc/self/status", O_RDONLY) == 0,
                 "ordinary calls refused");
        // accept4 allowed (nobody connects: EAGAIN), listen on a new socket not.
        c.expect(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC) < 0 && errno == EAGAIN,
                 std::string("accept4 on the early listener: ") + std::strerror(errno));
        ::close(listener);
        const int late = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        c.expect(late >= 0 && ::listen(late, 4) != 0 && errno == EPERM, "listen not refused");
        if (late >= 0) ::close(late);
        // Threads still start (glibc: clone3 -> ENOSYS -> clone with CLONE_THREAD).
        std::atomic<bool> ran{false};
        std::thread t([&] { ran = true; });
        t.join();
        c.expect(ran.load(), "thread did not run");
        return c.text();
    });
    EXPECT_TRUE(r.finished) << "child exited " << r.exit_code << " signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

// A process to aim signals at: sleeps until signalled, at most 5 s.
pid_t start_victim() {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::alarm(5);
        ::pause();
        ::_exit(0);
    }
    return pid;
}

TEST_F(Seccomp, NoSignalToAnotherProcessWithoutAllowKill) {
    const auto r = run_in_child([] {
        Checks c;
        const pid_t victim = start_victim();
        c.expect(victim > 0, "fork of the victim");
        c.expect(set_no_new_privs().ok(), "no_new_privs");
        c.expect(apply_seccomp(SeccompDefault::errno_eperm).ok(), "apply_seccomp");
        c.expect(::kill(victim, SIGTERM) != 0 && errno == EPERM, "kill() of another process not refused");
        c.expect(::syscall(SYS_tgkill, victim, victim, SIGTERM) != 0 && errno == EPERM,
                 "tgkill() of another process not refused");
        c.expect(::syscall(SYS_pidfd_open, victim, 0) < 0 && errno == EPERM, "pidfd_open not refused");
        // Our own process still takes signals (Ctrl+Z is raise(SIGTSTP)).
        c.expect(::raise(SIGURG) == 0, std::string("raise() refused: ") + std::strerror(errno));
        c.expect(::syscall(SYS_tgkill, ::getpid(), ::syscall(SYS_gettid), SIGURG) == 0,
                 "tgkill() of our own thread refused");
        return c.text();
    });
    EXPECT_TRUE(r.finished) << "child exited " << r.exit_code << " signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

TEST_F(Seccomp, AllowKillLetsThePickedProcessBeSignalled) {
    const auto r = run_in_child([] {
        Checks c;
        const pid_t victim = start_victim();
        c.expect(set_no_new_privs().ok(), "no_new_privs");
        c.expect(apply_seccomp(SeccompDefault::kill_process, true).ok(), "apply_seccomp");
        const long fd = ::syscall(SYS_pidfd_open, victim, 0);
        c.expect(fd >= 0, std::string("pidfd_open: ") + std::strerror(errno));
        c.expect(fd >= 0 && ::syscall(SYS_pidfd_send_signal, fd, SIGTERM, nullptr, 0) == 0,
                 std::string("pidfd_send_signal: ") + std::strerror(errno));
        // A pidfd turns readable when its process ends (wait4 is not
        // allowed: the monitor has no children).
        pollfd p{static_cast<int>(fd), POLLIN, 0};
        c.expect(fd >= 0 && ::poll(&p, 1, 3000) == 1, "the victim did not end after SIGTERM");
        c.expect(::kill(::getpid(), 0) == 0, "kill() refused");
        return c.text();
    });
    EXPECT_TRUE(r.finished) << "child exited " << r.exit_code << " signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

TEST_F(Seccomp, StrictModeKillsOnAForbiddenCall) {
    const auto r = run_in_child([] {
        if (!set_no_new_privs().ok() || !apply_seccomp(SeccompDefault::kill_process).ok())
            return std::string("could not install the filter");
        char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
        char* const envp[] = {nullptr};
        ::execve("/bin/true", argv, envp);
        return std::string("execve returned instead of killing");
    });
    EXPECT_FALSE(r.finished);
    EXPECT_EQ(r.failures, "");
    EXPECT_EQ(r.signal, SIGSYS);
}

}  // namespace
}  // namespace sockeye::sandbox
