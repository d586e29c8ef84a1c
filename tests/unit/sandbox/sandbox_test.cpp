// The whole sandbox as sockeye applies it, in a forked child: handles opened
// first, then apply(); afterwards the child cannot read /etc/shadow, write
// outside the export path or exec, and still captures and attributes.
#include "sandbox/sandbox.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstring>
#include <fstream>
#include <string_view>
#include <thread>

#include "sandbox/capabilities.hpp"
#include "sandbox/landlock.hpp"
#include "sandbox/seccomp.hpp"
#include "unit/sandbox/child.hpp"
#include "unit/sandbox/temp_dir.hpp"

namespace sockeye::sandbox {
namespace {

using testing::Checks;
using testing::open_errno;
using testing::run_in_child;

constexpr char kMarker[] = "sockeye-sandbox-probe-7f3a";

// A packet socket on lo, opened before the sandbox like libpcap's handle.
int open_packet_socket() {
    const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (fd < 0) return -1;
    sockaddr_ll ll{};
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(ETH_P_ALL);
    ll.sll_ifindex = static_cast<int>(::if_nametoindex("lo"));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ll), sizeof ll) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

int open_udp_receiver(std::uint16_t& port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        return -1;
    port = ntohs(a.sin_port);
    return fd;
}

// Sends the marker over loopback (a new socket: what c-ares does per lookup).
bool send_marker(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool ok = ::sendto(fd, kMarker, sizeof kMarker, 0, reinterpret_cast<sockaddr*>(&a),
                             sizeof a) == static_cast<ssize_t>(sizeof kMarker);
    ::close(fd);
    return ok;
}

// Reads frames from the packet socket until one carries the marker (2 s).
bool captured_marker(int fd) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    std::uint8_t frame[2048];
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        const ssize_t n = ::recv(fd, frame, sizeof frame, 0);
        if (n <= 0) return false;
        const std::string_view seen(reinterpret_cast<const char*>(frame), static_cast<std::size_t>(n));
        if (seen.find(kMarker) != std::string_view::npos) return true;
    }
    return false;
}

// One sock_diag dump of TCP/IPv4 sockets on an already-open netlink socket.
bool sock_diag_answers(int fd) {
    struct {
        nlmsghdr hdr;
        inet_diag_req_v2 req;
    } msg{};
    msg.hdr.nlmsg_len = sizeof msg;
    msg.hdr.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.hdr.nlmsg_seq = 1;
    msg.req.sdiag_family = AF_INET;
    msg.req.sdiag_protocol = IPPROTO_TCP;
    msg.req.idiag_states = ~0U;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, &msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0)
        return false;
    alignas(nlmsghdr) std::uint8_t buf[16384];
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 2000) <= 0) return false;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < static_cast<ssize_t>(sizeof(nlmsghdr))) return false;
    nlmsghdr first{};
    std::memcpy(&first, buf, sizeof first);
    return first.nlmsg_type == SOCK_DIAG_BY_FAMILY || first.nlmsg_type == NLMSG_DONE;
}

bool can_list(const char* path) {
    DIR* d = ::opendir(path);
    if (d == nullptr) return false;
    const bool any = ::readdir(d) != nullptr;
    ::closedir(d);
    return any;
}

// Stands in for host::ProcessAttributor's worker: waits until asked, then
// does what attribution does (sock_diag dump, readlink of another user's fd,
// which needs cap_sys_ptrace + cap_dac_read_search) and reports.
class AttributionThread {
public:
    AttributionThread(int diag, pid_t other, int other_fd)
        : diag_(diag), path_("/proc/" + std::to_string(other) + "/fd/" + std::to_string(other_fd)) {}
    ~AttributionThread() {
        if (thread_.joinable()) {
            go_ = true;
            thread_.join();
        }
    }
    void start() {
        thread_ = std::thread([this] {
            while (!go_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
            Checks c;
            c.expect(sock_diag_answers(diag_), "the open sock_diag socket no longer answers");
            char link[PATH_MAX];
            c.expect(::readlink(path_.c_str(), link, sizeof link) > 0,
                     "cannot readlink another user's " + path_ + ": " + std::strerror(errno));
            const auto caps = read_capabilities();
            c.expect(caps && (caps->effective & cap_bit(cap::kSysPtrace)) != 0,
                     "attribution thread lost cap_sys_ptrace");
            c.expect(::getuid() != 0, "attribution thread is root");
            ifaddrs* ifs = nullptr;  // its periodic local-address refresh
            c.expect(::getifaddrs(&ifs) == 0 && ifs != nullptr, "getifaddrs fails");
            if (ifs != nullptr) ::freeifaddrs(ifs);
            c.expect(open_errno("/proc/net/tcp", O_RDONLY) == 0, "/proc/net/tcp unreadable");
            char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
            char* const envp[] = {nullptr};
            c.expect(::execve("/bin/true", argv, envp) != 0 && errno == EPERM,
                     "attribution thread can exec (seccomp did not reach it)");
            result_ = c.text();
        });
    }
    std::string run_once() {
        go_ = true;
        thread_.join();
        return result_;
    }

private:
    int diag_;
    std::string path_;
    std::thread thread_;
    std::atomic<bool> go_{false};
    std::string result_;
};

std::string join(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += "  " + l + "\n";
    return s;
}

class Sandbox : public ::testing::Test {
protected:
    void SetUp() override {
        const int abi = landlock_abi();
        if (abi <= 0) GTEST_SKIP() << "no Landlock on this kernel (" << describe_landlock() << ")";
        if (!seccomp_supported()) GTEST_SKIP() << "no seccomp on this kernel";
        ASSERT_FALSE(dir_.path().empty());
    }
    testing::TempDir dir_;
};

TEST_F(Sandbox, AfterApplyTheMonitorStillWorksAndNothingElse) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: opens a packet socket and drops root";
    const std::string exports = dir_.make_open_dir("exports");
    const std::string outside = dir_.make_open_dir("outside");
    const std::string config = dir_.path() + "/config.toml";
    std::ofstream(config) << "refresh_ms = 500\n";
    ::chmod(dir_.path().c_str(), 0755);
    ::chmod(config.c_str(), 0644);
    const int parent_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t parent = ::getpid();

    const auto r = run_in_child([&] {
        Checks c;
        // Start-up: the handles sockeye opens before giving anything up.
        const int packets = open_packet_socket();
        const int diag = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        std::uint16_t port = 0;
        const int receiver = open_udp_receiver(port);
        c.expect(packets >= 0 && diag >= 0 && receiver >= 0, "cannot open the start-up handles");

        SandboxRequest req;
        req.attribution = true;
        req.reverse_dns = true;
        req.write_paths = {exports};
        req.config_path = config;
        // The attribution thread: started by apply() outside Landlock; it
        // answers one request after apply() returned.
        AttributionThread attribution(diag, parent, parent_fd);
        const SandboxReport report = apply(req, [&] { attribution.start(); });
        c.expect(report.fully_enforced(), "not enforced:\n" + join(report.not_enforced));
        c.expect(report.enforced.size() >= 6, "layers enforced:\n" + join(report.enforced));

        c.expect(::getuid() != 0 && ::geteuid() != 0, "still root");
        const auto caps = read_capabilities();
        c.expect(caps && caps->permitted == 0,
                 "main thread capabilities: " + (caps ? capability_names(caps->permitted) : "?"));
        // Cannot: read /etc/shadow (despite cap_dac_read_search), write
        // outside the export path, exec, open a new packet socket.
        c.expect(open_errno("/etc/shadow", O_RDONLY) == EACCES, "/etc/shadow readable");
        c.expect(open_errno(outside + "/x", O_WRONLY | O_CREAT) == EACCES, "wrote outside exports");
        c.expect(open_errno(config, O_WRONLY) == EACCES, "config writable");
        char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
        char* const envp[] = {nullptr};
        c.expect(::execve("/bin/true", argv, envp) != 0, "exec of /bin/true not refused");
        c.expect(::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) < 0, "new packet socket opened");
        // Can: write exports, read the config, /proc and /sys.
        c.expect(open_errno(exports + "/flows.jsonl", O_WRONLY | O_CREAT | O_TRUNC) == 0,
                 "cannot write inside the export path");
        c.expect(open_errno(config, O_RDONLY) == 0, "config unreadable");
        c.expect(open_errno("/proc/self/status", O_RDONLY) == 0, "/proc/self/status unreadable");
        c.expect(open_errno("/proc/net/tcp", O_RDONLY) == 0, "/proc/net/tcp unreadable");
        c.expect(can_list("/sys/class/net"), "/sys/class/net not listable");
        c.expect(open_errno("/etc/resolv.conf", O_RDONLY) == 0 ||
                     open_errno("/etc/resolv.conf", O_RDONLY) == ENOENT,
                 "/etc/resolv.conf unreadable");
        // Still captures and attributes.
        c.expect(send_marker(port), "cannot send over loopback");
        c.expect(captured_marker(packets), "the open packet socket no longer captures");
        // Landlock blinds this thread to other processes' fds...
        char link[PATH_MAX];
        const std::string fd_path = "/proc/" + std::to_string(parent) + "/fd/" + std::to_string(parent_fd);
        c.expect(::readlink(fd_path.c_str(), link, sizeof link) < 0 && errno == EACCES,
                 "the confined thread can readlink " + fd_path);
        // ...while the attribution thread still sees them and uses sock_diag.
        const std::string attributed = attribution.run_once();
        c.expect(attributed.empty(), "attribution thread: " + attributed);
        return c.text();
    });
    ::close(parent_fd);
    EXPECT_TRUE(r.finished) << "exit " << r.exit_code << " signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

TEST_F(Sandbox, WithoutAttributionNoCapabilityIsKept) {
    const auto r = run_in_child([] {
        Checks c;
        const SandboxReport report = apply(SandboxRequest{});
        c.expect(report.fully_enforced(), "not enforced:\n" + join(report.not_enforced));
        c.expect(report.layers.size() == kLayerCount && report.layers_enforced() == kLayerCount,
                 "layers: " + report.summary());
        c.expect(report.summary().rfind("5/5 layers (capabilities, uid ", 0) == 0 &&
                     report.summary().find("seccomp)") != std::string::npos,
                 "summary: " + report.summary());
        const auto caps = read_capabilities();
        c.expect(caps && caps->permitted == 0 && caps->effective == 0,
                 "capabilities left: " + (caps ? capability_names(caps->permitted) : "?"));
        c.expect(open_errno("/etc/passwd", O_RDONLY) == 0, "/etc/passwd unreadable");
        c.expect(open_errno("/etc/hosts", O_RDONLY) == EACCES, "/etc/hosts readable without DNS");
        return c.text();
    });
    EXPECT_TRUE(r.finished) << "exit " << r.exit_code << " signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

// Attribution without an unconfined thread: Landlock would blind it, so it
// is skipped and said so, while the other layers hold.
TEST_F(Sandbox, AttributionWithoutUnconfinedThreadSkipsLandlock) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: drops root";
    const auto r = run_in_child([] {
        Checks c;
        SandboxRequest req;
        req.attribution = true;
        const SandboxReport report = apply(req);
        c.expect(report.not_enforced.size() == 1 &&
                     report.not_enforced[0].find("landlock: skipped") == 0,
                 "not enforced:\n" + join(report.not_enforced));
        c.expect(::getuid() != 0, "still root");
        const auto caps = read_capabilities();
        c.expect(caps && caps->permitted == needed_capabilities(req), "capabilities wrong");
        c.expect(open_errno("/proc/self/status", O_RDONLY) == 0, "/proc/self/status unreadable");
        return c.text();
    });
    EXPECT_TRUE(r.finished) << "exit " << r.exit_code << " signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

// Threads started before apply() escape the per-thread layers: apply() says so.
TEST_F(Sandbox, ReportsThreadsStartedTooEarly) {
    const auto r = run_in_child([] {
        Checks c;
        std::atomic<bool> stop{false};
        std::thread early([&] {
            while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        });
        const SandboxReport report = apply(SandboxRequest{});
        stop = true;
        early.join();
        c.expect(!report.fully_enforced(), "an early thread went unreported");
        c.expect(!report.not_enforced.empty() &&
                     report.not_enforced.front().find("thread") != std::string::npos,
                 "no thread line:\n" + join(report.not_enforced));
        return c.text();
    });
    EXPECT_TRUE(r.finished) << "exit " << r.exit_code << " signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

TEST(SandboxReportText, SummaryCountsWholeLayersAndNamesGaps) {
    SandboxReport report;
    EXPECT_EQ(report.summary(), "0/5 layers");
    report.layers = {{"capabilities", "capabilities", true}, {"root", "uid 1000", true},
                     {"no_new_privs", "no_new_privs", true},
                     {"landlock", "landlock ABI 3 (files only)", false},
                     {"seccomp", "seccomp", true}};
    report.not_enforced = {"landlock network rules: need ABI 4 (kernel 6.7+)",
                           "1 other thread(s) already running"};
    EXPECT_FALSE(report.fully_enforced());
    EXPECT_EQ(report.layers_enforced(), 4);
    EXPECT_EQ(report.layers_text(), "4/5 layers (capabilities, uid 1000, no_new_privs, seccomp)");
    EXPECT_EQ(report.summary(),
              "4/5 layers (capabilities, uid 1000, no_new_privs, seccomp); not enforced: "
              "landlock network rules: need ABI 4 (kernel 6.7+); 1 other thread(s) already running");
}

// The TCP ports a run asks for (DNS on a --dns-server port, an IPFIX
// collector) are the only ones it connects to; the report names them.
TEST_F(Sandbox, RequestedTcpPortsAreTheOnlyOnes) {
    if (landlock_abi() < 4) GTEST_SKIP() << "no Landlock network rules here";
    const auto r = run_in_child([] {
        Checks c;
        SandboxRequest req;
        req.reverse_dns = true;
        req.tcp_connect_ports = {5353, 4739};
        const SandboxReport report = apply(req);
        c.expect(report.fully_enforced(), "not enforced:\n" + join(report.not_enforced));
        bool named = false;
        for (const auto& line : report.enforced)
            named = named || line.find("TCP connect only to port 53,5353,4739, no TCP bind") !=
                                 std::string::npos;
        c.expect(named, "ports not in the report:\n" + join(report.enforced));
        return c.text();
    });
    EXPECT_TRUE(r.finished) << "exit " << r.exit_code << " signal " << r.signal;
    EXPECT_EQ(r.failures, "");
}

TEST(SandboxSupport, DescribesThisKernel) {
    const std::string s = describe_support();
    EXPECT_NE(s.find("landlock " + describe_landlock()), std::string::npos) << s;
    EXPECT_NE(s.find("seccomp " + describe_seccomp()), std::string::npos) << s;
    std::printf("%s\n", s.c_str());  // shows in the test log: what this machine supports
}

}  // namespace
}  // namespace sockeye::sandbox
