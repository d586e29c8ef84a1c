// The attributor with eBPF on: a client that connected (or sent a UDP
// datagram) and exited before anyone asked is still named, from what the
// kernel recorded, with match kind "ebpf". Skips with the kernel's reason
// where eBPF cannot load (not root, no BTF).
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "host/attributor.hpp"
#include "unit/host/live_socket.hpp"

namespace sockeye::host {
namespace {

using snapshot::ProcessMatch;

constexpr char kChildName[] = "sk-ebpf-child";

Attribution wait_process(ProcessAttributor& a, const SocketTuple& t) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    Attribution answer;
    while (std::chrono::steady_clock::now() < deadline) {
        answer = a.lookup(t);
        if (answer.process) return answer;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return answer;
}

std::unique_ptr<ProcessAttributor> ebpf_attributor(std::string& status) {
    AttributorOptions o;
    o.ebpf = true;
    o.refresh_interval = std::chrono::milliseconds(100);
    auto a = std::make_unique<ProcessAttributor>(o);
    a->prepare();
    status = a->ebpf_status();
    return a;
}

TEST(EbpfAttribution, NamesATcpClientThatAlreadyExited) {
    std::string status;
    auto attributor = ebpf_attributor(status);
    if (status.rfind("eBPF", 0) != 0) GTEST_SKIP() << status;
    EXPECT_NE(attributor->status().method.find("eBPF (tracepoint inet_sock_set_state"), std::string::npos)
        << attributor->status().method;
    attributor->start();

    auto listener = test::bound_socket(AF_INET, SOCK_STREAM, "127.0.0.1");
    ASSERT_TRUE(listener.valid());
    ASSERT_EQ(::listen(listener.get(), 4), 0);
    const std::uint16_t port = test::local_end(listener.get()).port;
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::prctl(PR_SET_NAME, kChildName);
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        ::_exit(fd >= 0 && test::connect_to(fd, AF_INET, "127.0.0.1", port) ? 0 : 1);
    }
    core::UniqueFd conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(conn.valid());
    const auto client = test::remote_end(conn.get());
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);

    // Asked only now: the client is gone, its socket closed.
    const SocketTuple t{kProtoTcp, client.ip, client.port, test::local_end(conn.get()).ip, port};
    attributor->request(t);
    const Attribution a = wait_process(*attributor, t);
    ASSERT_TRUE(a.process) << "reason " << snapshot::unattributed_reason_name(a.reason);
    EXPECT_EQ(a.match, ProcessMatch::ebpf);
    EXPECT_EQ(a.process->pid, child);
    EXPECT_EQ(a.process->comm, kChildName);
    EXPECT_EQ(a.process->uid, ::getuid());
    // Counters are published by the thread's periodic pass.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (attributor->counters().ebpf_matches == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_GE(attributor->counters().ebpf_matches, 1u);
    EXPECT_GE(attributor->counters().ebpf_records, 1u);
}

TEST(EbpfAttribution, NamesAUdpSenderThatAlreadyExited) {
    std::string status;
    auto attributor = ebpf_attributor(status);
    if (status.rfind("eBPF", 0) != 0) GTEST_SKIP() << status;
    attributor->start();

    auto server = test::bound_socket(AF_INET, SOCK_DGRAM, "127.0.0.1");
    ASSERT_TRUE(server.valid());
    const std::uint16_t port = test::local_end(server.get()).port;
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::prctl(PR_SET_NAME, kChildName);
        const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in dst{};
        dst.sin_family = AF_INET;
        dst.sin_port = htons(port);
        dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        // Unconnected: the kernel record has no remote, matched by port.
        ::_exit(::sendto(fd, "q", 1, 0, reinterpret_cast<sockaddr*>(&dst), sizeof dst) == 1 ? 0 : 1);
    }
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    char buf[8];
    ASSERT_EQ(::recvfrom(server.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len), 1);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
    const auto sender = core::endpoint_of(reinterpret_cast<const sockaddr*>(&from));
    ASSERT_TRUE(sender.has_value());
    const SocketTuple t{kProtoUdp, sender->address, sender->port, test::local_end(server.get()).ip, port};
    attributor->request(t);
    const Attribution a = wait_process(*attributor, t);
    ASSERT_TRUE(a.process) << "reason " << snapshot::unattributed_reason_name(a.reason);
    EXPECT_EQ(a.match, ProcessMatch::ebpf);
    EXPECT_EQ(a.process->pid, child);
    EXPECT_EQ(a.process->comm, kChildName);
}

TEST(EbpfAttribution, OffMeansUserspaceOnly) {
    AttributorOptions o;  // ebpf off by default
    ProcessAttributor a(o);
    a.prepare();
    EXPECT_EQ(a.ebpf_status(), "userspace (--no-ebpf)");
    EXPECT_EQ(a.status().method, "sock_diag + /proc");
}

TEST(EbpfAttribution, MissingBtfFallsBackWithAReason) {
    AttributorOptions o;
    o.ebpf = true;
    o.btf_path = "/nonexistent/vmlinux";
    ProcessAttributor a(o);
    a.prepare();
    EXPECT_EQ(a.ebpf_status().rfind("userspace (eBPF unavailable: no kernel BTF", 0), 0u) << a.ebpf_status();
    const auto st = a.status();
    EXPECT_EQ(st.method, "sock_diag + /proc");
    bool noted = false;
    for (const auto& l : st.limitations) noted = noted || l.find("eBPF attribution unavailable") != std::string::npos;
    EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace sockeye::host
