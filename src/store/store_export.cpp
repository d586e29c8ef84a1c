#include "store/store_export.hpp"

#include <algorithm>
#include <chrono>

namespace sockeye::store {
namespace {

// A snapshot's flows go out in pieces this big: the queue's capacity is
// counted in flows, and one piece never has to fit more than this.
constexpr std::size_t kPieceFlows = 4096;
// Maintenance between two writes stops after this long, or at once when a
// snapshot is waiting.
constexpr auto kMaintenanceSlice = std::chrono::milliseconds(50);
// Flows written in one transaction at most (one commit per batch taken).
constexpr std::size_t kTransactionFlows = 65'536;

}  // namespace

core::Result<std::unique_ptr<StoreExport>> StoreExport::open(const std::string& path,
                                                             StoreExportOptions options) {
    auto recorder = Recorder::open(path, options.retention);
    if (!recorder) return std::move(recorder).error();
    return std::unique_ptr<StoreExport>(new StoreExport(std::move(recorder).value(), std::move(options)));
}

StoreExport::StoreExport(std::unique_ptr<Recorder> recorder, StoreExportOptions options)
    : recorder_(std::move(recorder)),
      options_(std::move(options)),
      path_(recorder_->path()),
      queue_(options_.max_queued_flows) {}

StoreExport::~StoreExport() {
    queue_.close();
    if (thread_.joinable()) thread_.join();
}

void StoreExport::start() {
    std::call_once(started_, [this] { thread_ = std::thread([this] { run(); }); });
}

void StoreExport::on_snapshot(const snapshot::Snapshot& snap, std::span<const exports::FlowEvent> /*events*/) {
    // Once the capture is over, the last snapshot (a capture file's whole
    // history when it was read at once) waits for room rather than drop:
    // nothing is captured any more that waiting could delay.
    push(snap, snap.source.state != snapshot::CaptureState::running);
}

void StoreExport::finish(const snapshot::Snapshot& /*snap*/) {
    // Its flows came with on_snapshot just before: only drain.
    if (finished_) return;
    finished_ = true;
    start();
    queue_.close();
    if (thread_.joinable()) thread_.join();
}

void StoreExport::push(const snapshot::Snapshot& snap, bool wait_for_room) {
    start();
    const bool attributed = snap.attribution.active;
    const bool keyframe = !snap.delta;
    // A keyframe goes out even without flows: its end tells the recorder
    // which open flows are gone.
    const std::size_t total = snap.flows.size();
    // A keyframe with a piece lost (a full queue) ends nothing: the flows
    // of that piece are not gone.
    bool whole = true;
    for (std::size_t at = 0; at < total || (keyframe && at == 0); at += kPieceFlows) {
        const std::size_t n = std::min(kPieceFlows, total - at);
        if (wait_for_room) {
            // Bounded by the writer: it frees room with every transaction,
            // or stops (an error), which ends the wait too.
            while (queue_.queued_weight() + n > options_.max_queued_flows) {
                {
                    std::lock_guard lock(mutex_);
                    if (!error_.empty()) break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        }
        Item item;
        const auto first = snap.flows.begin() + static_cast<std::ptrdiff_t>(at);
        // Constructed rather than assign()ed: g++ 12 at -O3 reads the
        // assignment's destruction of the (empty) old elements as a
        // possible null dereference (-Wnull-dereference).
        item.flows = std::vector<snapshot::FlowRecord>(first, first + static_cast<std::ptrdiff_t>(n));
        item.attributed = attributed;
        item.keyframe = keyframe;
        item.ends_keyframe = keyframe && whole && at + n >= total;
        // Weighed and counted in flows: a dropped piece counts every flow in it.
        if (!queue_.push(std::move(item), n, n)) whole = false;
    }
}

void StoreExport::run() {
    Queue::Batch batch;
    std::vector<snapshot::FlowRecord> flows;
    // Every piece waiting is taken at once, up to kTransactionFlows, and the
    // pieces of one snapshot go into one transaction: each commit rewrites
    // the B-tree pages it touched into the log, so four pieces of a large
    // snapshot in four commits wrote its upper pages four times.
    while (queue_.take(batch, Queue::kNoLimit, kTransactionFlows)) {
        std::size_t weight = 0;
        for (const auto& e : batch) weight += e.weight;
        for (std::size_t at = 0; at < batch.size();) {
            // A run of pieces with the same flags, ending at a keyframe's last.
            const Item& first = batch[at].item;
            std::size_t end = at;
            flows.clear();
            bool ends_keyframe = false;
            while (end < batch.size() && batch[end].item.attributed == first.attributed &&
                   batch[end].item.keyframe == first.keyframe && !ends_keyframe) {
                auto& piece = batch[end].item.flows;
                flows.insert(flows.end(), std::make_move_iterator(piece.begin()),
                             std::make_move_iterator(piece.end()));
                ends_keyframe = batch[end].item.ends_keyframe;
                ++end;
            }
            auto written = recorder_->write(flows, first.attributed, first.keyframe);
            if (!written) {
                {
                    std::lock_guard lock(mutex_);
                    error_ = written.error().message;
                }
                std::size_t lost = flows.size();
                for (std::size_t i = end; i < batch.size(); ++i) lost += batch[i].item.flows.size();
                queue_.count_lost(0, lost);
                queue_.stop();
                break;
            }
            if (ends_keyframe) recorder_->end_keyframe();
            {
                std::lock_guard lock(mutex_);
                written_ += flows.size();
            }
            at = end;
        }
        batch.clear();
        queue_.finish_batch(weight);
        maintain();
    }
    // The last write is done (the queue closed): the log into the file.
    bool failed = false;
    {
        std::lock_guard lock(mutex_);
        failed = !error_.empty();
    }
    if (!failed) (void)recorder_->checkpoint();
}

void StoreExport::maintain() {
    {
        std::lock_guard lock(mutex_);
        if (!error_.empty()) return;
    }
    const auto until = std::chrono::steady_clock::now() + kMaintenanceSlice;
    while (queue_.queued_weight() == 0 && std::chrono::steady_clock::now() < until) {
        auto more = recorder_->maintain();
        if (!more) {
            {
                std::lock_guard lock(mutex_);
                error_ = more.error().message;
            }
            queue_.stop();
            return;
        }
        if (!*more) return;
    }
}

void StoreExport::append_counters(std::vector<snapshot::ExportCounters>& out) const {
    snapshot::ExportCounters c;
    c.name = "history";
    c.path = path_;
    {
        std::lock_guard lock(mutex_);
        c.written = written_;
        c.error = error_;
    }
    c.dropped = queue_.drops().bytes;
    out.push_back(std::move(c));
}

exports::ExportAccess StoreExport::access() const {
    exports::ExportAccess a;
    for (const char* suffix : {"", "-wal", "-shm"}) exports::add_write_path(a, path_ + suffix);
    if (!options_.own_directory.empty()) a.write_paths.push_back(options_.own_directory);
    return a;
}

}  // namespace sockeye::store
