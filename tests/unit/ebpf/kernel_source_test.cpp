// The loader against the running kernel: as root here it loads, attaches
// and records this process's own connect() and sendto() on loopback. Where
// the kernel refuses (not root, no BTF) the tests skip and say why.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/unique_fd.hpp"
#include "ebpf/kernel_source.hpp"
#include "unit/support/private_netns.hpp"

namespace sockeye::ebpf {
namespace {

std::string own_comm() {
    std::ifstream f("/proc/self/comm");
    std::string comm;
    std::getline(f, comm);
    return comm;
}

// Loads, or skips the test with the kernel's reason.
#define LOAD_OR_SKIP(source)                                                       \
    auto loaded_ = KernelSource::load(LoaderOptions{});                            \
    if (!loaded_) GTEST_SKIP() << "eBPF not available here: " << loaded_.error().message; \
    auto source = std::move(loaded_).value();

// Drains until a record matches, for up to a second.
template <typename Pred>
bool wait_record(KernelSource& source, Pred pred, OwnerRecord& found) {
    std::vector<OwnerRecord> records;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (std::chrono::steady_clock::now() < deadline) {
        records.clear();
        source.drain(records, 4096);
        for (const auto& r : records) {
            if (pred(r)) {
                found = r;
                return true;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}


std::uint16_t local_port_of(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    return ss.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
                                   : ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
}

TEST(KernelSource, RecordsAnIpv4ConnectWithThisProcess) {
    LOAD_OR_SKIP(source);
    EXPECT_NE(source->description().find("inet_sock_set_state"), std::string::npos) << source->description();
    const core::UniqueFd listener(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_EQ(::listen(listener.get(), 4), 0);
    const std::uint16_t server_port = local_port_of(listener.get());
    addr.sin_port = htons(server_port);
    const core::UniqueFd client(::socket(AF_INET, SOCK_STREAM, 0));
    ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    const std::uint16_t client_port = local_port_of(client.get());

    OwnerRecord r;
    ASSERT_TRUE(wait_record(*source, [&](const OwnerRecord& x) {
        return x.protocol == 6 && x.local_port == client_port && x.remote_port == server_port;
    }, r)) << "no record for 127.0.0.1:" << client_port << " -> " << server_port;
    EXPECT_EQ(r.tgid, static_cast<std::uint32_t>(::getpid()));
    EXPECT_EQ(r.uid, ::getuid());
    EXPECT_EQ(r.comm, own_comm());
    EXPECT_EQ(r.local_ip.to_string(), "127.0.0.1");
    EXPECT_EQ(r.remote_ip.to_string(), "127.0.0.1");
    EXPECT_GT(r.ktime_ns, 0u);
    struct stat ns {};
    ASSERT_EQ(::stat("/proc/self/ns/net", &ns), 0);
    EXPECT_EQ(r.netns, static_cast<std::uint32_t>(ns.st_ino));
}

// The tracepoints fire for every network namespace; records of sockets in
// another one are dropped (its 127.0.0.1 is not ours).
TEST(KernelSource, RecordsOtherNetworkNamespacesApart) {
    LOAD_OR_SKIP(source);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (!sockeye::testing::enter_private_netns().empty()) ::_exit(2);
        const core::UniqueFd listener(::socket(AF_INET, SOCK_STREAM, 0));
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) ::_exit(4);
        ::listen(listener.get(), 4);
        addr.sin_port = htons(local_port_of(listener.get()));
        const core::UniqueFd client(::socket(AF_INET, SOCK_STREAM, 0));
        ::_exit(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 ? 0 : 5);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child step " << WEXITSTATUS(status);
    // Control: a connect of ours right after is recorded, so the programs
    // were live while the child connected.
    const core::UniqueFd listener(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_EQ(::listen(listener.get(), 4), 0);
    addr.sin_port = htons(local_port_of(listener.get()));
    const core::UniqueFd client(::socket(AF_INET, SOCK_STREAM, 0));
    ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    bool own_seen = false;
    bool child_seen = false;
    bool child_own = false;
    bool own_own = false;
    std::vector<OwnerRecord> records;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!(own_seen && child_seen) && std::chrono::steady_clock::now() < deadline) {
        records.clear();
        source->drain(records, 4096);
        for (const auto& r : records) {
            if (r.tgid == static_cast<std::uint32_t>(::getpid())) {
                own_seen = true;
                own_own = source->in_own_namespace(r);
            }
            if (r.tgid == static_cast<std::uint32_t>(child)) {
                child_seen = true;
                child_own = source->in_own_namespace(r);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // Both recorded (a host's monitor names its containers' sockets too),
    // and told apart: the child's 127.0.0.1 is not ours.
    EXPECT_TRUE(own_seen);
    EXPECT_TRUE(own_own);
    EXPECT_TRUE(child_seen);
    EXPECT_FALSE(child_own) << "a record from another network namespace passed for ours";
}

TEST(KernelSource, RecordsAnIpv6ConnectAndAUdpSend) {
    LOAD_OR_SKIP(source);
    const core::UniqueFd listener(::socket(AF_INET6, SOCK_STREAM, 0));
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_addr = in6addr_loopback;
    if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        GTEST_SKIP() << "no IPv6 loopback here";
    }
    ASSERT_EQ(::listen(listener.get(), 4), 0);
    addr.sin6_port = htons(local_port_of(listener.get()));
    const core::UniqueFd client(::socket(AF_INET6, SOCK_STREAM, 0));
    ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    const std::uint16_t tcp_port = local_port_of(client.get());

    // Unconnected UDP: the port comes from autobind inside sendto().
    const core::UniqueFd udp(::socket(AF_INET, SOCK_DGRAM, 0));
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    dst.sin_port = htons(9);  // discard; nobody needs to listen
    ASSERT_EQ(::sendto(udp.get(), "x", 1, 0, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)), 1);
    const std::uint16_t udp_port = local_port_of(udp.get());

    bool tcp_seen = false;
    bool udp_seen = false;
    std::vector<OwnerRecord> records;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while ((!tcp_seen || !udp_seen) && std::chrono::steady_clock::now() < deadline) {
        records.clear();
        source->drain(records, 4096);
        for (const auto& r : records) {
            if (r.tgid != static_cast<std::uint32_t>(::getpid())) continue;
            if (r.protocol == 6 && r.local_port == tcp_port) {
                tcp_seen = true;
                EXPECT_EQ(r.local_ip.to_string(), "::1");
            }
            if (r.protocol == 17 && r.local_port == udp_port) {
                udp_seen = true;
                EXPECT_EQ(r.remote_port, 0) << "unconnected: no remote in the socket";
                EXPECT_EQ(r.comm, own_comm());
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(tcp_seen);
    EXPECT_TRUE(udp_seen);
}

// Sends one echo request to loopback from `fd`; the kernel fills in the
// identifier (ping socket) or takes `id` as written (raw socket).
bool send_echo(int fd, int family, std::uint16_t id) {
    const auto type = static_cast<std::uint8_t>(family == AF_INET ? 8 : 128);
    std::uint8_t echo[16] = {type, 0, 0, 0, static_cast<std::uint8_t>(id >> 8),
                             static_cast<std::uint8_t>(id), 0, 1};
    sockaddr_storage dst{};
    socklen_t len = 0;
    if (family == AF_INET) {
        auto* in = reinterpret_cast<sockaddr_in*>(&dst);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(sockaddr_in);
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&dst);
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_loopback;
        len = sizeof(sockaddr_in6);
    }
    return ::sendto(fd, echo, sizeof(echo), 0, reinterpret_cast<sockaddr*>(&dst), len) ==
           static_cast<ssize_t>(sizeof(echo));
}

// Ping sockets (SOCK_DGRAM ICMP/ICMPv6) are recorded under their echo
// identifier; a raw ICMP socket (whose local port is the protocol number)
// under the identifier and destination of the echo request it sent, never
// under its port. Runs in a child with its own network namespace: ping sockets need
// net.ipv4.ping_group_range opened, and that sysctl is per namespace (the
// host's stays as it is). The child loads its own programs there, so its
// namespace is the one recorded.
TEST(KernelSource, RecordsPingAndRawIcmpSocketsByEchoIdentifier) {
    {
        LOAD_OR_SKIP(probe);
    }
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (!sockeye::testing::enter_private_netns().empty()) ::_exit(2);
        {
            std::ofstream range("/proc/sys/net/ipv4/ping_group_range");
            range << "0 2147483647\n";
            if (!range.flush()) ::_exit(4);
        }
        auto loaded = KernelSource::load(LoaderOptions{});
        if (!loaded || (*loaded)->description().find("ICMP") == std::string::npos) ::_exit(5);
        const auto source = std::move(loaded).value();
        const core::UniqueFd ping4(::socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
        const core::UniqueFd ping6(::socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6));
        const core::UniqueFd raw(::socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
        if (ping4.get() < 0 || ping6.get() < 0 || raw.get() < 0) ::_exit(6);
        if (!send_echo(ping4.get(), AF_INET, 0) || !send_echo(ping6.get(), AF_INET6, 0) ||
            !send_echo(raw.get(), AF_INET, 0x4321)) {
            ::_exit(7);
        }
        const std::uint16_t id4 = local_port_of(ping4.get());
        const std::uint16_t id6 = local_port_of(ping6.get());
        if (id4 == 0 || id6 == 0) ::_exit(8);
        const auto self = static_cast<std::uint32_t>(::getpid());
        bool seen4 = false;
        bool seen6 = false;
        bool seen_raw = false;
        std::vector<OwnerRecord> records;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        while (std::chrono::steady_clock::now() < deadline) {
            records.clear();
            source->drain(records, 4096);
            for (const auto& r : records) {
                if (r.tgid != self) continue;
                if (r.protocol == 1 && r.local_port == id4 && r.remote_port == 0) seen4 = true;
                if (r.protocol == 58 && r.local_port == id6 && r.remote_port == 0) seen6 = true;
                if (r.protocol == 1 && r.local_port == 0x4321) {
                    // From the packet: source, identifier, destination.
                    seen_raw = r.remote_port == 0x4321 && r.local_ip.to_string() == "127.0.0.1" &&
                               r.remote_ip.to_string() == "127.0.0.1";
                    if (!seen_raw) ::_exit(12);
                } else if (r.protocol == 1 && r.local_port != id4) {
                    ::_exit(9);  // e.g. the raw socket's own port (the protocol number)
                }
            }
            if (seen4 && seen6 && seen_raw) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        ::_exit(!seen4 ? 10 : !seen6 ? 11 : !seen_raw ? 13 : 0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    // 2-4: namespace set-up, 5: load, 6-8: sockets, 9: a record under another
    // ICMP port, 10/11: no ICMP/ICMPv6 ping-socket record, 12: a wrong raw
    // record, 13: none.
    EXPECT_EQ(WEXITSTATUS(status), 0) << "child step " << WEXITSTATUS(status);
}

// In a child without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN the load fails
// with a reason naming the missing capability; it never crashes or exits.
TEST(KernelSource, WithoutCapabilitiesGivesAReason) {
    {
        LOAD_OR_SKIP(probe);  // as root here; the child then drops its rights
    }
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct data[2] = {};
        const bool dropped = ::syscall(SYS_capset, &header, data) == 0;
        std::string reason = dropped ? "" : "capset failed";
        if (dropped) {
            const auto source = KernelSource::load(LoaderOptions{});
            reason = source ? "loaded" : source.error().message;
        }
        (void)!::write(pipe_fds[1], reason.data(), reason.size());
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    std::string reason;
    char buf[512];
    ssize_t n;
    while ((n = ::read(pipe_fds[0], buf, sizeof(buf))) > 0) reason.append(buf, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_NE(reason.find("CAP_BPF"), std::string::npos) << reason;
    EXPECT_NE(reason.find("EPERM"), std::string::npos) << reason;
}

// After loading, the fds keep working with every capability gone: that is
// what lets sockeye drain the map after its sandbox dropped them.
TEST(KernelSource, DrainsAfterCapabilitiesAreDropped) {
    LOAD_OR_SKIP(source);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct data[2] = {};
        if (::syscall(SYS_capset, &header, data) != 0) ::_exit(2);
        const core::UniqueFd udp(::socket(AF_INET, SOCK_DGRAM, 0));
        sockaddr_in dst{};
        dst.sin_family = AF_INET;
        dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        dst.sin_port = htons(9);
        if (::sendto(udp.get(), "x", 1, 0, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)) != 1) ::_exit(3);
        const std::uint16_t port = local_port_of(udp.get());
        OwnerRecord r;
        const bool seen = wait_record(*source, [&](const OwnerRecord& x) {
            return x.protocol == 17 && x.local_port == port;
        }, r);
        ::_exit(seen && r.tgid == static_cast<std::uint32_t>(::getpid()) ? 0 : 4);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "2: capset, 3: sendto, 4: no record read back";
}

TEST(KernelSource, MissingBtfIsAReason) {
    LoaderOptions options;
    options.btf_path = "/nonexistent/vmlinux";
    const auto source = KernelSource::load(options);
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().code, core::ErrorCode::not_found);
    EXPECT_NE(source.error().message.find("no kernel BTF"), std::string::npos) << source.error().message;
}

TEST(KernelSource, StatusLineNamesTheOutcome) {
    const std::string line = probe_status_line();
    EXPECT_TRUE(line.rfind("eBPF (", 0) == 0 || line.rfind("userspace (eBPF unavailable: ", 0) == 0) << line;
    LoaderOptions options;
    options.btf_path = "/nonexistent/vmlinux";
    EXPECT_EQ(probe_status_line(options).rfind("userspace (eBPF unavailable: no kernel BTF", 0), 0u);
}

}  // namespace
}  // namespace sockeye::ebpf
