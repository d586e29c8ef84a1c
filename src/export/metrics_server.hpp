// The --metrics HTTP endpoint: a deliberately small HTTP/1.1 server that
// answers GET /metrics with the last published Prometheus text.
//
// Start-up is split for the sandbox: open() creates and binds the listening
// socket (before privileges are dropped: ports below 1024, Landlock bind
// rules), start() runs the accept loop on its own thread afterwards.
//
// It never blocks the packet path: the packet thread only swaps a pointer
// to the rendered text under a mutex (publish); the server thread serves
// one connection at a time, with a bounded request size and bounded read
// and write times, so a slow or hostile client costs at most a few seconds
// of its own thread and nothing else. Every response closes the connection.
//
// Syscalls of the server thread (for the seccomp allowlist): poll, accept4,
// recvfrom, sendto, shutdown, close, read/write (the eventfd that wakes it
// to stop), futex, clock_gettime, madvise/munmap (freeing texts). open(): socket, setsockopt, bind, listen,
// getsockname, eventfd2.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "core/unique_fd.hpp"
#include "export/listen_address.hpp"

namespace sockeye::exports {

struct MetricsServerLimits {
    std::size_t max_request_bytes = 8192;            // request line + headers
    std::chrono::milliseconds read_timeout{2000};    // whole request
    std::chrono::milliseconds write_timeout{5000};   // whole response
};

class MetricsServer {
public:
    // Fails ("cannot listen on 127.0.0.1:9100: Address already in use",
    // coded by errno) when the socket cannot be bound.
    static core::Result<std::unique_ptr<MetricsServer>> open(const ListenAddress& address,
                                                             MetricsServerLimits limits = {});
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    // Starts the accept loop (once; later calls do nothing).
    void start();
    // Stops and joins the thread; the socket closes with the object. Idempotent.
    void stop();

    // Any thread: the text GET /metrics answers from now on.
    void publish(std::string text);

    // The bound address (the port the kernel chose if 0 was asked for).
    [[nodiscard]] const ListenAddress& address() const { return bound_; }
    // Responses sent with status 200.
    [[nodiscard]] std::uint64_t scrapes() const { return scrapes_.load(); }

private:
    MetricsServer(core::UniqueFd listener, core::UniqueFd wake, ListenAddress bound,
                  MetricsServerLimits limits);
    enum class ReadResult : std::uint8_t { complete, too_large, timed_out, gone };

    void run();
    void serve(int fd);
    // Reads up to the end of the headers, within the limits. `gone`: the
    // peer closed, an error, or stop() was called.
    ReadResult read_request(int fd, std::string& request);
    bool write_all(int fd, const std::string& bytes);
    void drain_before_close(int fd);
    [[nodiscard]] bool wait_for(int fd, short events,
                                std::chrono::steady_clock::time_point deadline) const;

    core::UniqueFd listener_;
    core::UniqueFd wake_;  // eventfd: written by stop()
    ListenAddress bound_;
    MetricsServerLimits limits_;
    std::mutex mutex_;
    std::shared_ptr<const std::string> text_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> scrapes_{0};
};

// The response to one request (exposed for tests): status line, headers
// and body. `metrics` is the text served for GET /metrics.
std::string metrics_http_response(const std::string& request, const std::string& metrics,
                                  bool& ok);

}  // namespace sockeye::exports
