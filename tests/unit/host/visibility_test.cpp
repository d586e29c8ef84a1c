#include "host/visibility.hpp"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sockeye::host {
namespace {

TEST(Visibility, ParsesPrivileges) {
    const auto p = parse_privileges(
        "Name:\tsockeye\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
        "CapInh:\t0000000000000000\nCapEff:\t0000000000083000\n");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->euid, 1000u);
    EXPECT_TRUE(p->has(kCapNetAdmin));
    EXPECT_TRUE(p->has(kCapNetRaw));
    EXPECT_TRUE(p->has(kCapSysPtrace));
    EXPECT_FALSE(p->has(kCapDacReadSearch));
    // Either capability alone reads no other user's socket links.
    EXPECT_FALSE(p->can_read_other_fds());
    EXPECT_TRUE((Privileges{1000, (1ULL << kCapSysPtrace) | (1ULL << kCapDacReadSearch)}.can_read_other_fds()));
    EXPECT_FALSE((Privileges{1000, 1ULL << kCapDacReadSearch}.can_read_other_fds()));
    EXPECT_FALSE(parse_privileges("Uid:\t0\t0\t0\t0\n").has_value());
    EXPECT_FALSE(parse_privileges("Uid:\t0\t0\t0\t0\nCapEff:\tzz\n").has_value());
    EXPECT_FALSE(parse_privileges("Uid:\nCapEff:\t0\n").has_value());
}

TEST(Visibility, DescribesWhatIsMissing) {
    VisibilityFacts all;
    all.privileges = Privileges{0, ~0ULL};
    all.other_fds_readable = true;
    EXPECT_TRUE(describe_limitations(all).empty());

    VisibilityFacts capped;
    capped.privileges = Privileges{1000, (1ULL << kCapNetRaw) | (1ULL << kCapNetAdmin)};
    auto lines = describe_limitations(capped);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "cannot see other users' processes: needs cap_sys_ptrace and cap_dac_read_search");

    capped.other_fds_readable = false;
    capped.unreadable_pids = 12;
    capped.sock_diag_error = EACCES;
    capped.dropped_requests = 3;
    lines = describe_limitations(capped);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_NE(lines[0].find("sock_diag"), std::string::npos);
    EXPECT_NE(lines[1].find("(12 processes hidden)"), std::string::npos);
    EXPECT_NE(lines[2].find("3 lookups"), std::string::npos);

    // Capabilities would allow it, but something still could not be read.
    VisibilityFacts odd;
    odd.privileges = Privileges{0, ~0ULL};
    odd.unreadable_pids = 2;
    lines = describe_limitations(odd);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "2 processes could not be inspected (permission denied)");
}

TEST(Visibility, ThisProcessAsRootSeesEverything) {
    const auto p = read_privileges("/proc");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->euid, ::geteuid());
    if (::geteuid() != 0) GTEST_SKIP() << "needs root";
    VisibilityFacts f;
    f.privileges = p;
    f.other_fds_readable = probe_other_users_fds("/proc", p->euid);
    EXPECT_TRUE(describe_limitations(f).empty());
}

TEST(Visibility, AnUnprivilegedUserIsToldWhatItCannotSee) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
    // A child becomes nobody without capabilities; root's processes (this
    // one among them) then have unreadable fd directories.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0) ::_exit(10);
        const auto priv = read_privileges("/proc");
        if (!priv || priv->euid != 65534 || priv->can_read_other_fds()) ::_exit(11);
        const auto readable = probe_other_users_fds("/proc", priv->euid);
        if (!readable.has_value() || *readable) ::_exit(12);
        VisibilityFacts f;
        f.privileges = priv;
        f.other_fds_readable = readable;
        const auto lines = describe_limitations(f);
        if (lines.size() != 1 || lines[0].find("cap_sys_ptrace") == std::string::npos) ::_exit(13);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

// In a child that becomes nobody keeping only `caps` (bit numbers): what the
// probe says about other users' (root's) socket links. Exit code 0: true,
// 1: false, 2: no answer, 10+: set-up failed.
int probe_as_nobody_with(std::initializer_list<unsigned> caps) {
    const pid_t child = ::fork();
    if (child < 0) return 10;
    if (child == 0) {
        if (::prctl(PR_SET_KEEPCAPS, 1) != 0) ::_exit(10);
        if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0) ::_exit(11);
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct data[2]{};
        for (const unsigned cap : caps) {
            data[cap / 32].effective |= 1u << (cap % 32);
            data[cap / 32].permitted |= 1u << (cap % 32);
        }
        if (::syscall(SYS_capset, &header, data) != 0) ::_exit(12);
        const auto readable = probe_other_users_fds("/proc", 65534);
        ::_exit(!readable ? 2 : (*readable ? 0 : 1));
    }
    int status = 0;
    if (::waitpid(child, &status, 0) != child || !WIFEXITED(status)) return 13;
    return WEXITSTATUS(status);
}

TEST(Visibility, ReadingOtherUsersSocketsTakesBothCapabilities) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to become nobody with capabilities";
    // Opening another user's fd directory takes cap_dac_read_search; reading
    // the links in it takes cap_sys_ptrace. This test process is root's.
    EXPECT_EQ(probe_as_nobody_with({kCapSysPtrace, kCapDacReadSearch}), 0);
    EXPECT_EQ(probe_as_nobody_with({kCapDacReadSearch}), 1);
    EXPECT_EQ(probe_as_nobody_with({kCapSysPtrace}), 1);
    EXPECT_EQ(probe_as_nobody_with({}), 1);
}

}  // namespace
}  // namespace sockeye::host
