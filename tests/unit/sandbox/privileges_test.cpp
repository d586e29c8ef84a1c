#include "sandbox/privileges.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <string>

#include "sandbox/capabilities.hpp"
#include "unit/sandbox/child.hpp"

namespace sockeye::sandbox {
namespace {

using testing::Checks;
using testing::run_in_child;

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "broken line without fields\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "bad:x:12ab:1::/:/bin/false\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

TEST(Passwd, FindsAccountsAndSkipsMalformedLines) {
    const auto nobody = find_account(kPasswd, "nobody");
    ASSERT_TRUE(nobody.has_value());
    EXPECT_EQ(nobody->uid, 65534u);
    EXPECT_EQ(nobody->gid, 65534u);
    EXPECT_EQ(find_account(kPasswd, "daemon")->uid, 1u);
    EXPECT_FALSE(find_account(kPasswd, "bad").has_value());
    EXPECT_FALSE(find_account(kPasswd, "broken line without fields").has_value());
    EXPECT_FALSE(find_account(kPasswd, "nob").has_value());
    EXPECT_FALSE(find_account("", "root").has_value());
}

TEST(Passwd, TargetPrefersTheSudoUser) {
    const DropTarget t = choose_target("1000", "1001", kPasswd);
    EXPECT_EQ(t.account.uid, 1000u);
    EXPECT_EQ(t.account.gid, 1001u);
    EXPECT_EQ(t.why, "SUDO_UID=1000");
}

TEST(Passwd, TargetFallsBackToNobody) {
    // sudo run by root, garbage, or half the pair: never "drop" to uid 0.
    for (const auto& [uid, gid] : {std::pair<const char*, const char*>{"0", "0"},
                                   {"x", "1000"}, {"1000", nullptr}, {nullptr, nullptr}}) {
        const DropTarget t = choose_target(uid, gid, kPasswd);
        EXPECT_EQ(t.account.uid, 65534u);
        EXPECT_EQ(t.why, "nobody");
    }
    const DropTarget no_passwd = choose_target(nullptr, nullptr, "root:x:0:0::/:/bin/sh\n");
    EXPECT_EQ(no_passwd.account.uid, 65534u);
    EXPECT_EQ(no_passwd.account.gid, 65534u);
}

// readlink of an fd of another user's process: what attribution does.
int readlink_errno(pid_t pid, int fd) {
    char buf[PATH_MAX];
    const std::string link = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    return ::readlink(link.c_str(), buf, sizeof buf) >= 0 ? 0 : errno;
}

// Drops to nobody keeping `keep`; returns failures plus the readlink errno.
std::string drop_and_probe(std::uint64_t keep, pid_t other, int other_fd, int expect_errno) {
    Checks c;
    const auto dropped = drop_root(Account{65534, 65534}, keep);
    c.expect(dropped.ok(), "drop_root: " + (dropped ? "" : dropped.error().message));
    uid_t r = 0, e = 0, s = 0;
    ::getresuid(&r, &e, &s);
    c.expect(r == 65534 && e == 65534 && s == 65534, "uid is not 65534 everywhere");
    gid_t gr = 0, ge = 0, gs = 0;
    ::getresgid(&gr, &ge, &gs);
    c.expect(gr == 65534 && ge == 65534 && gs == 65534, "gid is not 65534 everywhere");
    c.expect(::getgroups(0, nullptr) == 0, "supplementary groups left");
    const auto sets = read_capabilities();
    c.expect(sets && sets->permitted == keep && sets->effective == keep,
             "capabilities are not exactly " + capability_names(keep) + " but " +
                 (sets ? capability_names(sets->permitted) : "unreadable"));
    c.expect(::setuid(0) != 0, "could become root again");
    const int rl = readlink_errno(other, other_fd);
    c.expect(rl == expect_errno, "readlink /proc/" + std::to_string(other) + "/fd/" + std::to_string(other_fd) + ": got " +
                                     testing::errno_name(rl) + ", wanted " +
                                     testing::errno_name(expect_errno));
    c.expect(testing::open_errno("/proc/self/status", O_RDONLY) == 0, "cannot read /proc/self/status");
    return c.text();
}

class DropRoot : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root to test dropping root";
        fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        ASSERT_GE(fd_, 0);
    }
    void TearDown() override {
        if (fd_ >= 0) ::close(fd_);
    }
    int fd_ = -1;  // the fd the child, as nobody, tries to see in this (root) process
};

TEST_F(DropRoot, KeepsPtraceAndDacReadSearchForOtherUsersFds) {
    const pid_t parent = ::getpid();  // root: another user once the child is nobody
    const auto r = run_in_child([&] {
        return drop_and_probe(cap_bit(cap::kSysPtrace) | cap_bit(cap::kDacReadSearch), parent, fd_, 0);
    });
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

TEST_F(DropRoot, WithoutCapabilitiesOtherUsersFdsAreHidden) {
    const pid_t parent = ::getpid();
    const auto r = run_in_child([&] { return drop_and_probe(0, parent, fd_, EACCES); });
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

// Both are needed: dac_read_search to walk the root-owned 0500 fd directory,
// sys_ptrace for the ptrace access check readlink makes on the target.
TEST_F(DropRoot, PtraceAloneIsNotEnough) {
    const pid_t parent = ::getpid();
    const auto r =
        run_in_child([&] { return drop_and_probe(cap_bit(cap::kSysPtrace), parent, fd_, EACCES); });
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

TEST_F(DropRoot, DacReadSearchAloneIsNotEnough) {
    const pid_t parent = ::getpid();
    const auto r =
        run_in_child([&] { return drop_and_probe(cap_bit(cap::kDacReadSearch), parent, fd_, EACCES); });
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

}  // namespace
}  // namespace sockeye::sandbox
