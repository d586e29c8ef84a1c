#include "host/proc_sockets.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit/host/fixture_dir.hpp"

namespace sockeye::host {
namespace {

void add_fd(const test::FixtureDir& dir, int pid, int fd, const std::string& target) {
    dir.symlink(std::to_string(pid) + "/fd/" + std::to_string(fd), target);
}

TEST(ProcSockets, SocketLinkParsing) {
    EXPECT_EQ(socket_inode_of_link("socket:[12345]"), 12345u);
    EXPECT_FALSE(socket_inode_of_link("socket:[]").has_value());
    EXPECT_FALSE(socket_inode_of_link("socket:[12a]").has_value());
    EXPECT_FALSE(socket_inode_of_link("pipe:[12345]").has_value());
    EXPECT_FALSE(socket_inode_of_link("/dev/null").has_value());
    EXPECT_FALSE(socket_inode_of_link("socket:[123").has_value());
}

TEST(ProcSockets, FindsOwnersAndFollowsChanges) {
    test::FixtureDir dir;
    add_fd(dir, 10, 0, "/dev/null");
    add_fd(dir, 10, 3, "socket:[1000]");
    add_fd(dir, 20, 5, "socket:[2000]");
    add_fd(dir, 20, 6, "pipe:[3000]");
    ProcSockets procs(dir.root());
    procs.refresh();
    EXPECT_EQ(procs.known_pids(), 2u);
    EXPECT_EQ(procs.known_sockets(), 2u);
    auto owner = procs.cached(2000);
    ASSERT_TRUE(owner.has_value());
    EXPECT_EQ(owner->pid, 20);
    EXPECT_EQ(owner->fd, 5);
    EXPECT_FALSE(procs.cached(3000).has_value());

    // A new process appears: found by scanning new pids only.
    add_fd(dir, 30, 4, "socket:[4000]");
    const auto scans_before = procs.scans();
    owner = procs.find(4000, 0, ScanDepth::new_pids);
    ASSERT_TRUE(owner.has_value());
    EXPECT_EQ(owner->pid, 30);
    EXPECT_EQ(procs.scans() - scans_before, 1u);  // only the new pid was read

    // A known process opens a new socket: new_pids cannot see it, full can.
    add_fd(dir, 10, 7, "socket:[5000]");
    EXPECT_FALSE(procs.find(5000, 0, ScanDepth::new_pids).has_value());
    owner = procs.find(5000, 0, ScanDepth::full);
    ASSERT_TRUE(owner.has_value());
    EXPECT_EQ(owner->pid, 10);
    EXPECT_EQ(owner->fd, 7);

    // The fd is closed and reused for something else: the cache notices.
    add_fd(dir, 10, 7, "/dev/null");
    EXPECT_FALSE(procs.cached(5000).has_value());

    // A process exits: its sockets are forgotten.
    dir.remove("20");
    procs.refresh();
    EXPECT_EQ(procs.known_pids(), 2u);
    EXPECT_FALSE(procs.cached(2000).has_value());
    EXPECT_FALSE(procs.find(2000, 0, ScanDepth::full).has_value());
}

TEST(ProcSockets, SharedSocketBelongsToTheLowestPid) {
    test::FixtureDir dir;
    add_fd(dir, 50, 3, "socket:[777]");  // a pre-forked worker
    add_fd(dir, 40, 3, "socket:[777]");  // its parent
    ProcSockets procs(dir.root());
    procs.refresh();
    EXPECT_EQ(procs.cached(777)->pid, 40);
    dir.remove("40");
    procs.refresh();
    // The parent's entry is gone; a lookup finds the worker again.
    const auto owner = procs.find(777, 0, ScanDepth::full);
    ASSERT_TRUE(owner.has_value());
    EXPECT_EQ(owner->pid, 50);
}

TEST(ProcSockets, UnreadableFdDirectoryIsCounted) {
    test::FixtureDir dir;
    add_fd(dir, 10, 3, "socket:[1]");
    // Not a directory: opening it as one fails like a permission error would.
    dir.write("60/fd", "");
    ProcSockets procs(dir.root());
    procs.refresh();
    EXPECT_EQ(procs.unreadable_pids(), 1u);
    EXPECT_TRUE(procs.uid_has_unreadable(::geteuid()));
    EXPECT_FALSE(procs.uid_has_unreadable(::geteuid() + 12345));
    dir.remove("60");
    procs.refresh();
    EXPECT_EQ(procs.unreadable_pids(), 0u);
}

TEST(ProcSockets, FindsARealSocketOfThisProcess) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0);
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    char buf[64] = {};
    const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    ASSERT_GT(n, 0);
    const auto inode = socket_inode_of_link(std::string_view(buf, static_cast<std::size_t>(n)));
    ASSERT_TRUE(inode.has_value());
    ProcSockets procs;
    const auto owner = procs.find(*inode, ::geteuid(), ScanDepth::full);
    ::close(fd);
    ASSERT_TRUE(owner.has_value());
    EXPECT_EQ(owner->pid, static_cast<int>(::getpid()));
    EXPECT_EQ(owner->fd, fd);
}

}  // namespace
}  // namespace sockeye::host
