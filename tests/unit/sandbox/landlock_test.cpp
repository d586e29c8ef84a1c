#include "sandbox/landlock.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox/no_new_privs.hpp"
#include "unit/sandbox/child.hpp"
#include "unit/sandbox/temp_dir.hpp"

namespace sockeye::sandbox {
namespace {

using testing::Checks;
using testing::open_errno;
using testing::run_in_child;

class Landlock : public ::testing::Test {
protected:
    void SetUp() override {
        abi_ = landlock_abi();
        if (abi_ <= 0) GTEST_SKIP() << "this kernel has no Landlock: " << describe_landlock();
        ASSERT_FALSE(dir_.path().empty());
    }
    int abi_ = 0;
    testing::TempDir dir_;
};

bool can_list(const char* path) {
    DIR* d = ::opendir(path);
    if (d == nullptr) return false;
    ::closedir(d);
    return true;
}

TEST(LandlockPolicy, MonitorPolicyNamesOnlyWhatItReads) {
    const LandlockPolicy p = monitor_policy("/home/u/.config/sockeye/config.toml", {"/tmp/out.jsonl"}, true);
    auto has = [&](const std::string& s) {
        for (const auto& x : p.read_only)
            if (x == s) return true;
        return false;
    };
    EXPECT_TRUE(has("/proc"));
    EXPECT_TRUE(has("/sys"));
    EXPECT_TRUE(has("/etc/resolv.conf"));
    EXPECT_TRUE(has("/home/u/.config/sockeye/config.toml"));
    EXPECT_FALSE(has("/etc"));  // would include /etc/shadow
    EXPECT_EQ(p.read_write, std::vector<std::string>{"/tmp/out.jsonl"});
    EXPECT_EQ(p.tcp_connect_ports, std::vector<std::uint16_t>{53});
    const LandlockPolicy quiet = monitor_policy("", {}, false);
    EXPECT_TRUE(quiet.tcp_connect_ports.empty());
    EXPECT_TRUE(quiet.read_write.empty());
}

TEST_F(Landlock, FilesystemReadOnlyAndExportPaths) {
    const std::string allowed = dir_.make_open_dir("allowed");
    const std::string outside = dir_.make_open_dir("outside");
    const std::string new_file = dir_.path() + "/later.jsonl";  // does not exist yet
    const auto r = run_in_child([&] {
        Checks c;
        c.expect(open_errno("/etc/shadow", O_RDONLY) == 0 || ::geteuid() != 0,
                 "root cannot read /etc/shadow even before Landlock");
        c.expect(set_no_new_privs().ok(), "no_new_privs");
        LandlockPolicy p;
        p.read_only = {"/proc", "/sys", "/etc/passwd", "/does/not/exist"};
        p.read_write = {allowed, new_file};
        const auto applied = apply_landlock(p);
        c.expect(applied.ok(), "apply_landlock: " + (applied ? "" : applied.error().message));
        if (!applied) return c.text();
        c.expect(applied->abi > 0, "no ABI reported");
        c.expect(applied->skipped == std::vector<std::string>{"/does/not/exist"}, "missing path not reported");
        c.expect(open_errno("/etc/shadow", O_RDONLY) == EACCES, "/etc/shadow still readable");
        c.expect(open_errno("/etc/hostname", O_RDONLY) == EACCES, "/etc/hostname still readable");
        c.expect(open_errno("/etc/passwd", O_RDONLY) == 0, "/etc/passwd not readable");
        c.expect(open_errno("/etc/passwd", O_WRONLY) == EACCES, "/etc/passwd writable");
        c.expect(open_errno("/proc/self/status", O_RDONLY) == 0, "/proc/self/status not readable");
        c.expect(can_list("/sys/class/net"), "/sys/class/net not listable");
        c.expect(open_errno("/sys/class/net/lo/statistics/rx_bytes", O_RDONLY) == 0,
                 "/sys/class/net/lo/statistics/rx_bytes not readable");
        c.expect(open_errno(allowed + "/out.jsonl", O_WRONLY | O_CREAT | O_TRUNC) == 0,
                 "cannot write inside the export directory");
        c.expect(open_errno(new_file, O_WRONLY | O_TRUNC) == 0,
                 "cannot write the named export file (created by apply_landlock)");
        c.expect(open_errno(dir_.path() + "/beside.jsonl", O_WRONLY | O_CREAT) == EACCES,
                 "can create a file beside the named export file");
        c.expect(open_errno(outside + "/x", O_WRONLY | O_CREAT | O_TRUNC) == EACCES,
                 "can write outside the export paths");
        c.expect(open_errno("/tmp/sockeye_landlock_escape", O_WRONLY | O_CREAT) == EACCES,
                 "can write to /tmp");
        c.expect(open_errno("/bin/true", O_RDONLY) == EACCES, "/bin/true readable");
        return c.text();
    });
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

// A listening TCP socket on loopback; its port.
std::uint16_t listen_tcp(int& fd) {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 4) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        return 0;
    return ntohs(a.sin_port);
}

int connect_errno(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    const int e = rc == 0 ? 0 : errno;
    ::close(fd);
    return e;
}

// The DNS rule with a test port instead of 53: only that port connects.
TEST_F(Landlock, TcpConnectOnlyToTheAllowedPort) {
    if (abi_ < 4) GTEST_SKIP() << "Landlock ABI " << abi_ << " has no network rules (needs 4)";
    int allowed_fd = -1, other_fd = -1;
    const std::uint16_t allowed = listen_tcp(allowed_fd);
    const std::uint16_t other = listen_tcp(other_fd);
    ASSERT_NE(allowed, 0);
    ASSERT_NE(other, 0);
    const auto r = run_in_child([&] {
        Checks c;
        c.expect(connect_errno(other) == 0, "loopback connect fails before Landlock");
        c.expect(set_no_new_privs().ok(), "no_new_privs");
        LandlockPolicy p;
        p.tcp_connect_ports = {allowed};
        const auto applied = apply_landlock(p);
        c.expect(applied.ok() && applied->network, "apply_landlock: " + (applied ? "no network rules" : applied.error().message));
        c.expect(connect_errno(allowed) == 0, "cannot connect to the allowed port");
        c.expect(connect_errno(other) == EACCES, "can connect to another port");
        // Bind is handled too: no listening socket of our own.
        const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        c.expect(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno == EACCES,
                 "can bind a TCP port");
        ::close(s);
        // UDP (DNS) is outside Landlock's reach: it still works.
        const int u = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        a.sin_port = htons(allowed);
        c.expect(u >= 0 && ::connect(u, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0,
                 "UDP connect refused");
        ::close(u);
        return c.text();
    });
    ::close(allowed_fd);
    ::close(other_fd);
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

// A bind rule opens exactly its port; other binds stay refused.
TEST_F(Landlock, TcpBindOnlyToTheAllowedPort) {
    if (abi_ < 4) GTEST_SKIP() << "Landlock ABI " << abi_ << " has no network rules (needs 4)";
    int probe_fd = -1;
    const std::uint16_t port = listen_tcp(probe_fd);  // a port free a moment ago
    ASSERT_NE(port, 0);
    ::close(probe_fd);
    const auto r = run_in_child([&] {
        Checks c;
        c.expect(set_no_new_privs().ok(), "no_new_privs");
        LandlockPolicy p;
        p.tcp_bind_ports = {port};
        const auto applied = apply_landlock(p);
        c.expect(applied.ok() && applied->network, "apply_landlock: " + (applied ? "no network rules" : applied.error().message));
        auto bind_errno = [](std::uint16_t want) {
            const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons(want);
            const int e = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 ? 0 : errno;
            ::close(s);
            return e;
        };
        c.expect(bind_errno(port) == 0, "cannot bind the allowed port");
        c.expect(bind_errno(0) == EACCES, "can bind an ephemeral port");
        c.expect(connect_errno(port) == EACCES, "a bind rule allowed connect");
        return c.text();
    });
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

// The ruleset is built while still root and enforced after the uid switch:
// export files in a directory the unprivileged user cannot even enter are
// still covered, and one that does not exist yet is created by root.
TEST_F(Landlock, PreparedAsRootEnforcedAfterTheSwitch) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: switches to nobody";
    const std::string closed = dir_.path() + "/closed";
    ASSERT_EQ(::mkdir(closed.c_str(), 0700), 0);
    const std::string later = closed + "/later.jsonl";
    const auto r = run_in_child([&] {
        Checks c;
        LandlockPolicy p;
        p.read_only = {"/proc"};
        p.read_write = {later};
        PreparedLandlock prepared = prepare_landlock(p);
        c.expect(!prepared.error && prepared.ruleset.valid(),
                 "prepare_landlock: " + (prepared.error ? prepared.error->message : "no ruleset"));
        c.expect(open_errno(later, O_RDONLY) == 0, "the export file was not created");
        c.expect(::setresgid(65534, 65534, 65534) == 0 && ::setresuid(65534, 65534, 65534) == 0,
                 "cannot switch to nobody");
        c.expect(open_errno(later, O_RDONLY) == EACCES, "nobody can enter the 0700 directory");
        c.expect(set_no_new_privs().ok(), "no_new_privs");
        const auto restricted = restrict_landlock(prepared);
        c.expect(restricted.ok(), "restrict_landlock: " + (restricted ? "" : restricted.error().message));
        c.expect(!prepared.ruleset.valid(), "ruleset fd left open");
        c.expect(open_errno("/proc/self/status", O_RDONLY) == 0, "/proc unreadable");
        c.expect(open_errno("/etc/passwd", O_RDONLY) == EACCES, "/etc/passwd readable");
        return c.text();
    });
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.failures, "");
}

TEST_F(Landlock, DescribesTheKernel) {
    EXPECT_EQ(describe_landlock().rfind("ABI " + std::to_string(abi_), 0), 0u) << describe_landlock();
}

}  // namespace
}  // namespace sockeye::sandbox
