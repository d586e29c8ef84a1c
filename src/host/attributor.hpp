// Process attribution for live flows: which process owns the local socket of
// each TCP/UDP flow (and, with eBPF, ICMP echo flow). Runs
// on its own thread; the packet path only enqueues (lock-free, bounded) and
// the UI only reads a hash table.
//
// On a request the thread asks the kernel for that one socket right away
// (sock_diag exact lookup, or a listener/UDP dump) and looks its inode up in
// /proc, newest pids first, so a client that exits within milliseconds (a
// curl run) is still named. Answers are sticky for as long as they are used.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/mpsc_queue.hpp"
#include "host/attribution_cache.hpp"
#include "host/local_addresses.hpp"
#include "host/socket_tuple.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::ebpf {
class KernelSource;
}  // namespace sockeye::ebpf

namespace sockeye::host {

struct AttributorOptions {
    std::string proc_root = "/proc";
    std::string passwd_path = "/etc/passwd";
    std::chrono::milliseconds refresh_interval{1000};
    std::size_t cache_capacity = 65536;
    std::chrono::seconds idle_ttl{300};         // answers unused this long are forgotten
    std::size_t queue_capacity = 4096;
    std::chrono::seconds retry_window{10};      // unanswered tuples are retried this long
    // Kernel-side attribution (ebpf/): tried first when it loads. Off by
    // default (tests of the userspace path); the app turns it on unless
    // --no-ebpf. Loaded by prepare(), i.e. before capabilities are dropped.
    bool ebpf = false;
    std::string btf_path = "/sys/kernel/btf/vmlinux";
    // The machine's addresses, read by prepare() and again at each refresh
    // (empty: getifaddrs). Tests put their own addresses here.
    std::function<InterfaceAddresses()> address_source;
    // Also read the host's listening sockets (TCP listeners, unconnected
    // UDP sockets) and their owners at each refresh: listening().
    bool list_listening = false;
};

struct AttributorCounters {
    std::uint64_t requests = 0;       // accepted by request()/lookup()
    std::uint64_t not_local = 0;      // requests answered "not local" without asking anyone
    std::uint64_t dropped = 0;        // queue full
    std::uint64_t attributed = 0;     // answers with a process
    std::uint64_t unattributed = 0;   // answers without one
    std::uint64_t cached = 0;         // answers held now
    std::uint64_t netlink_queries = 0;
    std::uint64_t pid_scans = 0;
    std::uint64_t ebpf_records = 0;   // owner records read from the kernel
    std::uint64_t ebpf_matches = 0;   // answers that came from them
};

class ProcessAttributor {
public:
    explicit ProcessAttributor(AttributorOptions options = {});
    ~ProcessAttributor();
    ProcessAttributor(const ProcessAttributor&) = delete;
    ProcessAttributor& operator=(const ProcessAttributor&) = delete;

    // Opens what the thread will use (the sock_diag socket) without starting
    // it, so a sandbox can be applied in between. Idempotent; start() calls
    // it when the caller did not.
    void prepare();
    void start();
    void stop();  // joins the thread

    // Packet thread, on each new TCP/UDP/ICMP-echo flow: never blocks (drops and counts
    // when the queue is full). A flow neither of whose addresses can be this
    // machine's (forwarded, bridged, mirrored traffic) is not queued at all:
    // no socket of ours can own it, so neither the kernel nor /proc is asked
    // (with eBPF it waits a second in a bounded side queue, in case the
    // kernel's records name one of its addresses as a container's).
    void request(const SocketTuple& tuple);
    // Any thread, any rate: a hash lookup. A tuple never requested (or whose
    // request was dropped) is queued now and reported pending. A flow that
    // is not local is reported so at once, from the current address set, and
    // not cached: once an address it uses becomes local it is asked about.
    Attribution lookup(const SocketTuple& tuple) const;
    // The same for a connection known only by its two ends (the one that
    // announced a flow), whichever end is this machine's: the other
    // orientation is answered "not local" at once, without a query.
    Attribution lookup_connection(std::uint8_t ip_proto, const snapshot::Announcer& connection) const;
    snapshot::AttributionStatus status() const;
    // The listening sockets as of the last refresh (list_listening); nullopt
    // before the first one or without list_listening.
    std::optional<std::vector<snapshot::ListeningSocket>> listening() const;
    AttributorCounters counters() const;
    // "eBPF (tracepoint ...)" or "userspace (eBPF unavailable: <reason>)";
    // empty before prepare().
    std::string ebpf_status() const;

    // Waits until every request accepted so far has been handled (tests and
    // the dump tool). False on timeout.
    bool wait_idle(std::chrono::milliseconds timeout) const;

private:
    struct Worker;  // the thread's own state (sockets, /proc caches)
    struct Queued {
        SocketTuple tuple;
        bool from_lookup = false;  // asked by lookup(): skip if any answer exists by now
    };

    bool can_attribute(const SocketTuple& tuple) const;
    bool is_foreign(const SocketTuple& normalized_tuple) const;
    InterfaceAddresses read_addresses() const;
    bool enqueue(const SocketTuple& tuple, bool from_lookup) const;
    void run();
    void publish(const SocketTuple& tuple, const Attribution& answer);
    std::string load_ebpf();  // returns why eBPF is not used (empty: it is, or it is off)

    AttributorOptions options_;
    mutable core::MpscQueue<Queued> queue_;
    // New flows with no local end yet (see request()).
    core::MpscQueue<SocketTuple> unclaimed_{1024};
    mutable std::atomic<std::uint64_t> accepted_{0};
    mutable std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> not_local_{0};
    LocalAddressSet local_set_;
    std::atomic<std::uint64_t> handled_{0};
    std::atomic<std::uint64_t> attributed_{0};
    std::atomic<std::uint64_t> unattributed_{0};
    std::atomic<std::int64_t> now_s_{0};

    mutable std::shared_mutex cache_mutex_;
    AttributionCache cache_;

    mutable std::mutex wake_mutex_;
    mutable std::condition_variable wake_;
    mutable std::atomic<bool> sleeping_{false};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    std::unique_ptr<Worker> worker_;
    std::unique_ptr<ebpf::KernelSource> ebpf_;  // null: userspace only
    std::string ebpf_status_;

    mutable std::mutex status_mutex_;
    snapshot::AttributionStatus status_;
    std::optional<std::vector<snapshot::ListeningSocket>> listening_;
    std::uint64_t netlink_queries_ = 0;
    std::uint64_t pid_scans_ = 0;
    std::uint64_t ebpf_records_ = 0;
    std::uint64_t ebpf_matches_ = 0;
};

// Loads the eBPF attribution programs ahead of the first ProcessAttributor,
// which adopts them (if its btf_path is the same) instead of loading its
// own. For the live capture, opened first: with the programs in place the
// kernel names a socket's owner at connect()/send(), so packets may reach
// attribution a ring block late; without them attribution races
// short-lived sockets from userspace and wants every packet at once.
// Returns whether they loaded; later calls return the first answer.
bool preload_ebpf(const std::string& btf_path = "/sys/kernel/btf/vmlinux");

// Whether a live capture feeding attribution (off: `processes` false)
// must deliver each packet at once (see preload_ebpf; loads the programs
// when `ebpf`).
bool capture_needs_immediate(bool processes, bool ebpf);

}  // namespace sockeye::host
