#include "export/ipfix_exporter.hpp"

#include <algorithm>
#include <utility>

namespace sockeye::exports {
namespace {

// Records the sender takes from the queue at a time: a few messages' worth.
constexpr std::size_t kBatchRecords = 256;

std::uint32_t export_time_s() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

std::uint64_t bytes_of(const BoundedQueue<IpfixFlow>::Batch& records, std::size_t n) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < n && i < records.size(); ++i) sum += records[i].bytes;
    return sum;
}

}  // namespace

core::Result<std::unique_ptr<IpfixExporter>> IpfixExporter::open(const std::string& target,
                                                                 IpfixOptions options) {
    const auto endpoint = parse_ipfix_endpoint(target);
    if (!endpoint) {
        return core::Error{endpoint.error().code,
                           "invalid IPFIX collector '" + target + "': " + endpoint.error().message};
    }
    auto transport = IpfixTransport::open(*endpoint);
    if (!transport) return std::move(transport).error();
    return std::unique_ptr<IpfixExporter>(new IpfixExporter(std::move(transport).value(), options));
}

IpfixExporter::IpfixExporter(std::unique_ptr<IpfixTransport> transport, IpfixOptions options)
    : transport_(std::move(transport)),
      options_(options),
      tracker_(options.active_timeout_ns),
      builder_(options.observation_domain, options.max_message_bytes, options.geo),
      backoff_(options.backoff_min, options.backoff_max),
      queue_(options.max_queued_records, true) {
    counters_.name = "ipfix";
    counters_.path = transport_->endpoint().text();
}

IpfixExporter::~IpfixExporter() { close(); }

void IpfixExporter::on_snapshot(const snapshot::Snapshot& snap,
                                std::span<const FlowEvent> events) {
    for (const auto& e : events)
        if (e.kind == FlowEventKind::closed) add_closed(e.flow);
    add_due(snap);
}

void IpfixExporter::finish(const snapshot::Snapshot& snap) {
    for (const auto& f : snap.flows)
        if (f.end_reason == snapshot::EndReason::active) add_at_exit(f);
    close();
}

ExportAccess IpfixExporter::access() const {
    ExportAccess a;
    const IpfixEndpoint& endpoint = transport_->endpoint();
    if (endpoint.protocol == IpfixProtocol::tcp) a.tcp_connect_ports.push_back(endpoint.port);
    return a;
}

void IpfixExporter::start() {
    std::lock_guard lock(mutex_);
    if (started_) return;
    started_ = true;
    thread_ = std::thread([this] { run(); });
}

void IpfixExporter::push(IpfixFlow record) {
    start();
    const std::uint64_t bytes = ipfix_record_size(record, options_.geo);
    queue_.push(std::move(record), 1, bytes);
}

void IpfixExporter::add_closed(const snapshot::FlowRecord& flow) {
    if (auto r = tracker_.closed(flow)) push(std::move(*r));
}

void IpfixExporter::add_due(const snapshot::Snapshot& snap) {
    std::vector<IpfixFlow> due;
    tracker_.due(snap, due);
    for (auto& r : due) push(std::move(r));
}

void IpfixExporter::add_at_exit(const snapshot::FlowRecord& flow) {
    if (auto r = tracker_.at_exit(flow)) push(std::move(*r));
}

void IpfixExporter::close() {
    {
        std::lock_guard lock(mutex_);
        // A second close only waits for the join (below).
        if (!closing_) queue_.close(Clock::now() + options_.close_timeout);
        closing_ = true;
    }
    // Records queued before start() still get their chance.
    start();
    if (thread_.joinable()) thread_.join();
}

snapshot::ExportCounters IpfixExporter::counters() const {
    snapshot::ExportCounters c;
    {
        std::lock_guard lock(mutex_);
        c = counters_;
    }
    return with_drops(c, queue_.drops());
}

void IpfixExporter::run() {
    Queue::Batch batch;
    Clock::time_point give_up;
    while (queue_.take(batch, kBatchRecords, Queue::kNoLimit, &give_up)) {
        const std::size_t taken = batch.size();
        auto rest = send_batch(std::move(batch), give_up);
        batch.clear();
        queue_.finish_batch(taken, std::move(rest));
    }
}

IpfixExporter::Queue::Batch IpfixExporter::send_batch(Queue::Batch batch,
                                                      Clock::time_point give_up) {
    const auto now = Clock::now();
    const auto deadline = std::min(now + options_.send_timeout, give_up);
    if (auto connected = transport_->ensure_connected(deadline); !connected) {
        failed(connected.error(), 0, 0);  // nothing was sent: the records wait for the retry
        return batch;
    }
    if (transport_->sessions() != session_) {
        session_ = transport_->sessions();
        sequence_ = 0;
        templates_due_ = true;
    }
    if (!transport_->stream() && now - templates_sent_ >= options_.template_refresh)
        templates_due_ = true;
    while (!batch.empty()) {
        builder_.begin(export_time_s(), sequence_, templates_due_);
        std::size_t n = 0;
        while (n < batch.size() && builder_.add(batch[n].item)) ++n;
        if (n == 0 && !builder_.has_templates()) {
            // Larger than an empty message (a tiny max_message_bytes): never sendable.
            failed({core::ErrorCode::resource_exhausted, "IPFIX record larger than the message size limit"},
                   1, bytes_of(batch, 1));
            batch.pop_front();
            continue;
        }
        const std::string& message = builder_.finish();
        if (auto sent = transport_->send(message, deadline); !sent) {
            // The message is lost; the rest waits for the retry.
            const std::uint64_t lost_bytes = bytes_of(batch, n);
            batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n));
            failed(sent.error(), n, lost_bytes);
            return batch;
        }
        if (builder_.has_templates()) {
            templates_due_ = false;
            templates_sent_ = now;
        }
        sequence_ += static_cast<std::uint32_t>(n);
        batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n));
        std::lock_guard lock(mutex_);
        counters_.written += n;
    }
    backoff_.reset();
    return batch;
}

void IpfixExporter::failed(const core::Error& error, std::size_t lost_records,
                           std::uint64_t lost_bytes) {
    const auto delay = backoff_.next();
    {
        std::lock_guard lock(mutex_);
        if (counters_.error.empty()) counters_.error = error.message;
        counters_.retrying = true;
    }
    queue_.count_lost(lost_records, lost_bytes);
    queue_.pause_until(Clock::now() + delay);
}

}  // namespace sockeye::exports
