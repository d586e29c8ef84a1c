// DNS peers for the reverse-resolver tests, all on 127.0.0.1 and owned by the
// test: a real dnsmasq answering PTR queries from a hosts file, and a silent
// UDP server that reads queries and never answers (timeouts, in-flight limits,
// the resolver's own source ports). Nothing here talks to any other server.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sockeye::enrich::test {

using namespace std::chrono_literals;

// Polls `done` every 5 ms until it holds or `timeout` passes.
template <typename Pred>
bool wait_until(Pred done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

inline sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sin;
}

// A UDP socket bound to 127.0.0.1:`port` (0: any free port); -1 on failure.
inline int bound_udp_socket(std::uint16_t port) {
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in sin = loopback(port);
    if (bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

inline std::uint16_t local_port(int fd) {
    sockaddr_in sin{};
    socklen_t len = sizeof sin;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len) != 0) return 0;
    return ntohs(sin.sin_port);
}

// Reads queries on 127.0.0.1 and never answers.
class SilentServer {
public:
    SilentServer() : fd_(bound_udp_socket(0)), port_(fd_ >= 0 ? local_port(fd_) : 0) {}
    ~SilentServer() {
        if (fd_ >= 0) close(fd_);
    }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] std::string servers() const { return "127.0.0.1:" + std::to_string(port_); }

    // The source port of the next query, or 0 if none comes within `timeout`.
    std::uint16_t receive(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return 0;
        std::uint8_t buf[1500];
        sockaddr_in from{};
        socklen_t len = sizeof from;
        if (recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len) < 0) return 0;
        return ntohs(from.sin_port);
    }

    // How many queries arrive within `window`.
    int count(std::chrono::milliseconds window) {
        const auto deadline = std::chrono::steady_clock::now() + window;
        int n = 0;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left <= 0ms) return n;
            if (receive(left) != 0) ++n;
        }
    }

private:
    int fd_;
    std::uint16_t port_;
};

// dnsmasq on 127.0.0.1:<free port>, authoritative for the reverse zones:
// PTR answers come from `hosts` ("address name" lines), anything else in
// in-addr.arpa / ip6.arpa is NXDOMAIN. Its query log lets tests count what
// actually reached the server.
class Dnsmasq {
public:
    explicit Dnsmasq(const std::string& hosts) {
        char tmpl[] = "/tmp/sockeye-dnsmasq.XXXXXX";
        if (mkdtemp(tmpl) == nullptr) return;
        dir_ = tmpl;
        // dnsmasq drops root for "nobody", which must still read the hosts file.
        chmod(dir_.c_str(), 0755);
        std::ofstream(dir_ + "/hosts") << hosts;
        for (int attempt = 0; attempt < 5 && !ok(); ++attempt) launch();
    }
    ~Dnsmasq() {
        stop();
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }
    Dnsmasq(const Dnsmasq&) = delete;
    Dnsmasq& operator=(const Dnsmasq&) = delete;

    [[nodiscard]] bool ok() const { return pid_ > 0; }
    [[nodiscard]] std::string servers() const { return "127.0.0.1:" + std::to_string(port_); }

    // How many PTR queries for `reverse_name` ("10.2.0.192.in-addr.arpa") it got.
    [[nodiscard]] int ptr_queries(const std::string& reverse_name) const {
        std::ifstream log(dir_ + "/log");
        const std::string needle = "query[PTR] " + reverse_name + " from";
        int n = 0;
        for (std::string line; std::getline(log, line);)
            if (line.find(needle) != std::string::npos) ++n;
        return n;
    }

private:
    static std::string binary() {
        for (const char* p : {"/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"})
            if (access(p, X_OK) == 0) return p;
        return {};
    }

    // A UDP port that is free now (dnsmasq also needs TCP on it: retried).
    static std::uint16_t free_port() {
        const int fd = bound_udp_socket(0);
        if (fd < 0) return 0;
        const std::uint16_t port = local_port(fd);
        close(fd);
        return port;
    }

    void launch() {
        const std::string exe = binary();
        port_ = free_port();
        if (exe.empty() || port_ == 0) return;
        std::vector<std::string> args = {exe,
                                         "--keep-in-foreground",
                                         "--conf-file=/dev/null",
                                         "--pid-file",
                                         "--port=" + std::to_string(port_),
                                         "--listen-address=127.0.0.1",
                                         "--bind-interfaces",
                                         "--no-resolv",
                                         "--no-hosts",
                                         "--no-poll",
                                         "--addn-hosts=" + dir_ + "/hosts",
                                         "--local=/in-addr.arpa/",
                                         "--local=/ip6.arpa/",
                                         "--log-queries",
                                         "--log-facility=" + dir_ + "/log"};
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        pid_t pid = 0;
        if (posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return;
        pid_ = pid;
        // Up once its port is taken; gone if it exited (port clash: retry).
        const bool up = wait_until(
            [&] {
                int status = 0;
                if (waitpid(pid_, &status, WNOHANG) == pid_) {
                    pid_ = 0;
                    return true;
                }
                const int fd = bound_udp_socket(port_);
                if (fd >= 0) close(fd);
                return fd < 0;
            },
            5000ms);
        if (!up) stop();
    }

    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = 0;
    }

    std::string dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = 0;
};

}  // namespace sockeye::enrich::test
