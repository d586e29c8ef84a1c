// --ipfix: flow records to an IPFIX collector (nfcapd, pmacct, ...), off
// the capture path.
//
// The snapshot thread turns flows into records (ipfix_records.hpp) and
// queues them; one sender thread packs them into messages of at most
// `max_message_bytes` and sends them. Templates go first on every new
// transport session (each TCP connection, the first UDP datagram) and, on
// UDP, again every `template_refresh` (RFC 7011 10.3.6), since a collector
// that restarts has no other way to learn them.
//
// Failures never reach capture: a full queue drops records (counted); a
// refused, unreachable or stalled collector is reported once (the counters'
// error), the message in flight is counted lost, and the sender retries
// after a backoff that doubles from `backoff_min` to `backoff_max` (TCP:
// reconnects). Records keep queueing meanwhile, up to the queue's bound.
//
// Usage: open() before the sandbox (name lookup, socket), start() after it
// (the sender thread), add_*() per snapshot, close() at exit.
// Syscalls of the sender thread: socket, connect, poll, getsockopt, sendto
// (send), close, futex, clock_gettime/nanosleep (condition waits).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "export/bounded_queue.hpp"
#include "export/exporter.hpp"
#include "export/ipfix_encoder.hpp"
#include "export/ipfix_records.hpp"
#include "export/ipfix_transport.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

struct IpfixOptions {
    std::uint32_t observation_domain = 1;
    std::size_t max_message_bytes = 1400;  // UDP: below a 1500-byte path MTU
    std::chrono::milliseconds template_refresh{30'000};
    std::int64_t active_timeout_ns = std::int64_t{60} * 1'000'000'000;
    std::size_t max_queued_records = 65'536;
    std::chrono::milliseconds backoff_min{1'000};
    std::chrono::milliseconds backoff_max{60'000};
    std::chrono::milliseconds send_timeout{2'000};   // one TCP message or connect
    std::chrono::milliseconds close_timeout{3'000};  // close(): draining at most this long
    // The geo templates (the remote's country, ASN, organisation, city):
    // set when geo databases are loaded (see ipfix_encoder.hpp).
    bool geo = false;
};

class IpfixExporter final : public Exporter {
public:
    // Fails when `target` is malformed (ErrorCode::usage), its host does not
    // resolve, or no socket can be made. An unreachable collector is not an
    // error here: the sender retries.
    static core::Result<std::unique_ptr<IpfixExporter>> open(const std::string& target,
                                                             IpfixOptions options);
    ~IpfixExporter() override;
    IpfixExporter(const IpfixExporter&) = delete;
    IpfixExporter& operator=(const IpfixExporter&) = delete;

    // Starts the sender thread. Idempotent; the add_*() calls start it too.
    void start() override;

    // Snapshot thread.
    void add_closed(const snapshot::FlowRecord& flow);
    void add_due(const snapshot::Snapshot& snap);  // active-timeout records
    void add_at_exit(const snapshot::FlowRecord& flow);

    // Sends what is queued (at most close_timeout long, the rest counted
    // lost) and stops the thread. Idempotent.
    void close();

    // name "ipfix", path = the endpoint; written/dropped count data records.
    [[nodiscard]] snapshot::ExportCounters counters() const;

    // As an Exporter: a record for each flow that ended, for long flows at
    // every active timeout, and for the flows still open at exit.
    [[nodiscard]] bool wants_events() const override { return true; }
    // Closed flows come as events; open ones owe their active-timeout
    // records from what the tracker remembers; the last snapshot is complete.
    [[nodiscard]] bool accepts_deltas() const override { return true; }
    void on_snapshot(const snapshot::Snapshot& snap, std::span<const FlowEvent> events) override;
    void finish(const snapshot::Snapshot& snap) override;
    void append_counters(std::vector<snapshot::ExportCounters>& out) const override {
        out.push_back(counters());
    }
    // A TCP collector is connected to again after start-up.
    [[nodiscard]] ExportAccess access() const override;

private:
    using Clock = std::chrono::steady_clock;

    using Queue = BoundedQueue<IpfixFlow>;

    IpfixExporter(std::unique_ptr<IpfixTransport> transport, IpfixOptions options);
    void push(IpfixFlow record);
    void run();
    // Sends `batch` (sender thread), each step by `give_up` at the latest
    // (close()'s deadline); returns the records not tried (after a failure).
    Queue::Batch send_batch(Queue::Batch batch, Clock::time_point give_up);
    // A failed connect or send: counted, reported once, backoff doubles.
    void failed(const core::Error& error, std::size_t lost_records, std::uint64_t lost_bytes);

    std::unique_ptr<IpfixTransport> transport_;
    IpfixOptions options_;
    IpfixRecordTracker tracker_;  // snapshot thread only

    // Sender thread only.
    IpfixMessageBuilder builder_;
    std::uint64_t session_ = 0;       // transport session the sequence belongs to
    std::uint32_t sequence_ = 0;      // data records sent in this session
    Clock::time_point templates_sent_{};
    bool templates_due_ = true;
    Backoff backoff_;

    // Records waiting for the sender; one weighs 1, and a batch being sent
    // still counts against max_queued_records.
    Queue queue_;
    mutable std::mutex mutex_;  // counters_, started_, thread_
    snapshot::ExportCounters counters_;
    std::thread thread_;
    bool started_ = false;
    bool closing_ = false;
};

}  // namespace sockeye::exports
