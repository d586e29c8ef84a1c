#include "flow/flow_table.hpp"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

#include "flow/flow_entry.hpp"
#include "flow/flow_index.hpp"
#include "flow/flow_key.hpp"
#include "flow/history_ring.hpp"
#include "flow/huge_page_allocator.hpp"
#include "flow/lru_lists.hpp"
#include "flow/port_roles.hpp"

namespace sockeye::flow {

using snapshot::EndReason;
using snapshot::FlowRecord;

namespace {

// Slot numbers are 32-bit and 0xFFFFFFFF means "none".
constexpr std::size_t kMaxFlows = std::size_t{1} << 30U;

std::size_t clamp_cap(std::size_t n) { return std::clamp<std::size_t>(n, 1, kMaxFlows); }

bool record_less(const FlowRecord& x, const FlowRecord& y) {
    return std::tie(x.first_seen_ns, x.source_ip, x.source_port, x.destination_ip,
                    x.destination_port, x.ip_proto, x.protocol, x.vlan, x.generation) <
           std::tie(y.first_seen_ns, y.source_ip, y.source_port, y.destination_ip,
                    y.destination_port, y.ip_proto, y.protocol, y.vlan, y.generation);
}

bool syn_without_ack(const decode::DecodedFrame& f) {
    namespace flag = decode::tcp_flag;
    return f.transport == decode::Transport::tcp && (f.tcp.flags & flag::kSyn) != 0 &&
           (f.tcp.flags & flag::kAck) == 0;
}

// The side that opened the flow. A SYN names its sender and a SYN/ACK its
// receiver. Any other first frame (a capture that started mid-connection, a
// UDP answer whose question was missed) may come from either side: the ports
// decide (port_roles.hpp), and only when they cannot the frame's sender.
Side initiator_side(const KeyedFrame& kf, const decode::DecodedFrame& frame) {
    namespace flag = decode::tcp_flag;
    const bool tcp = frame.transport == decode::Transport::tcp;
    if (tcp && (frame.tcp.flags & flag::kSyn) != 0)
        return (frame.tcp.flags & flag::kAck) != 0 ? other_side(kf.sender) : kf.sender;
    if (tcp || frame.transport == decode::Transport::udp) {
        switch (client_by_ports(kf.key.port_a, kf.key.port_b)) {
            case ClientEnd::first: return Side::a;
            case ClientEnd::second: return Side::b;
            case ClientEnd::unknown: break;
        }
    }
    return kf.sender;
}

}  // namespace

struct FlowTable::Impl {
    explicit Impl(FlowTableConfig c);

    FlowHandle observe(const decode::DecodedFrame& frame, const FlowLookahead& ahead);
    void prefetch(const FlowLookahead& ahead) const;
    void attach_app(const FlowHandle& handle, std::shared_ptr<const snapshot::AppInfo> app);
    void expire(std::int64_t now_ns);
    bool endpoints(const FlowHandle& handle, FlowTable::Endpoints& out) const;
    void snapshot_into(snapshot::Snapshot& out, std::int64_t now_ns, std::uint64_t ended_after,
                       ActiveSince active) const;
    void for_each_record(std::int64_t now_ns,
                         const std::function<void(snapshot::FlowRecord&)>& visit,
                         std::uint64_t ended_after, ActiveSince active) const;
    // The active flows `active` names, by first packet (ties: by slot).
    struct ByTime {
        std::int64_t first_seen_ns;
        std::uint32_t slot;
    };
    [[nodiscard]] std::vector<ByTime> active_order(ActiveSince active) const;
    // Their records, then the ended flows above `ended_after`, in order.
    void visit_records(const std::vector<ByTime>& order, std::int64_t now_ns,
                       const std::function<void(snapshot::FlowRecord&)>& visit,
                       std::uint64_t ended_after) const;
    // Ended flows in history whose end_sequence is above `ended_after`.
    [[nodiscard]] std::size_t ended_since(std::uint64_t ended_after) const;
    void fill_counters(snapshot::EngineCounters& counters) const;
    [[nodiscard]] snapshot::FlowRecord active_record(std::uint32_t slot, std::int64_t now_ns) const;
    [[nodiscard]] std::size_t memory_bytes() const;

    std::uint32_t find(const FlowKey& key, std::uint64_t hash) const;
    std::uint32_t create(const KeyedFrame& kf, std::uint64_t hash,
                         const decode::DecodedFrame& frame, std::uint32_t generation);
    std::uint32_t allocate_slot();
    void end_flow(std::uint32_t slot, EndReason fallback);
    void evict_idlest();
    [[nodiscard]] std::uint32_t oldest_head() const;
    void relink(std::uint32_t slot, TimeoutClass cls);
    [[nodiscard]] std::int64_t timeout_of(TimeoutClass c) const;
    [[nodiscard]] bool idle_at(const FlowEntry& e, std::int64_t now_ns) const;
    [[nodiscard]] Side source_side(const KeyedFrame& kf, Side initiator) const;
    // Exactly one end is one of this host's addresses.
    [[nodiscard]] bool one_end_local(const KeyedFrame& kf) const;
    [[nodiscard]] bool is_local(const FlowKey& key, Side side) const;

    FlowTableConfig config_;
    FlowTableStats stats_;
    std::size_t active_ = 0;
    std::uint64_t ended_ = 0;  // flows ended so far: the last end_sequence
    std::int64_t rate_bucket_ns_ = 1;
    std::int64_t relink_ns_ = 1;  // idle-list position granularity
    std::array<std::int64_t, kTimeoutClasses> timeouts_{};
    std::vector<FlowEntry, HugePageAllocator<FlowEntry>> slab_;
    // Per slot, beside the slab so FlowEntry stays six cache lines: the
    // flow's serial and what DPI attached (shared with every record of it).
    struct SlotExtras {
        std::uint64_t serial = 0;
        std::shared_ptr<const snapshot::AppInfo> app;
    };
    std::vector<SlotExtras, HugePageAllocator<SlotExtras>> extras_;
    FlowIndex index_;
    LruLists lru_;
    HistoryRing history_;
};

FlowTable::Impl::Impl(FlowTableConfig c)
    : config_(std::move(c)),
      index_(clamp_cap(config_.max_active_flows)),
      history_(config_.max_history) {
    config_.max_active_flows = clamp_cap(config_.max_active_flows);
    std::sort(config_.local_addresses.begin(), config_.local_addresses.end());
    const std::int64_t window = std::max<std::int64_t>(config_.rate_window_ns, 1);
    rate_bucket_ns_ =
        std::max<std::int64_t>(window / static_cast<std::int64_t>(RateMeter::kWindowBuckets), 1);
    const IdleTimeouts& t = config_.timeouts;
    timeouts_ = {t.tcp_handshake_ns, t.tcp_established_ns, t.tcp_closing_ns,
                t.udp_ns,           t.icmp_ns,            t.other_ns};
    // Fine enough that expiry is never late by more than 1/8 of the
    // shortest timeout (and at most a second).
    const std::int64_t shortest = *std::min_element(timeouts_.begin(), timeouts_.end());
    relink_ns_ = std::clamp<std::int64_t>(shortest / 8, 1, kSecond);
    // Reserved address space only: pages are touched as flows arrive, so a
    // large cap costs nothing until it is used, and never reallocates.
    slab_.reserve(config_.max_active_flows);
    extras_.reserve(config_.max_active_flows);
    lru_.reserve(config_.max_active_flows);
}

std::int64_t FlowTable::Impl::timeout_of(TimeoutClass c) const {
    return timeouts_[class_index(c)];
}

bool FlowTable::Impl::idle_at(const FlowEntry& e, std::int64_t now_ns) const {
    return now_ns - e.last_seen_ns > timeout_of(e.timeout_class);
}

std::uint32_t FlowTable::Impl::find(const FlowKey& key, std::uint64_t hash) const {
    return index_.find(hash, [&](std::uint32_t slot) { return slab_[slot].key == key; });
}

void FlowTable::Impl::prefetch(const FlowLookahead& ahead) const {
    if (!ahead.has_key) return;
    const std::uint32_t slot = index_.likely_slot(ahead.hash);
    if (slot == FlowIndex::kNone) return;
    // The lines observe() reads first (key, times, counters) and the
    // serial; the rest of the entry follows on the hardware's own.
    const auto* entry = reinterpret_cast<const char*>(&slab_[slot]);
    __builtin_prefetch(entry);
    __builtin_prefetch(entry + 64);
    __builtin_prefetch(&extras_[slot]);
}

FlowHandle FlowTable::Impl::observe(const decode::DecodedFrame& frame, const FlowLookahead& ahead) {
    if (!ahead.has_key) {
        ++stats_.unattributed_frames;
        return {};
    }
    const KeyedFrame& kf = ahead.keyed;
    const std::uint64_t hash = ahead.hash;
    std::uint32_t slot = find(kf.key, hash);
    std::uint32_t generation = 0;
    if (slot != FlowIndex::kNone) {
        const FlowEntry& e = slab_[slot];
        // Checked here too so the result does not depend on how often the
        // caller runs expire(): a flow idle past its timeout is over.
        if (idle_at(e, frame.ts_ns)) {
            end_flow(slot, EndReason::idle_timeout);
            slot = FlowIndex::kNone;
        } else if (e.key.protocol == snapshot::FlowProtocol::tcp && e.tcp.reusable() &&
                   syn_without_ack(frame)) {
            generation = e.generation + 1;
            end_flow(slot, EndReason::fin);
            slot = FlowIndex::kNone;
        }
    }
    const bool created = slot == FlowIndex::kNone;
    if (created) slot = create(kf, hash, frame, generation);
    FlowEntry& e = slab_[slot];
    account_frame(e, kf.sender, frame, rate_bucket_ns_);
    const TimeoutClass cls = timeout_class_of(e);
    // Moving to the back of the idle list touches two neighbour nodes, which
    // at 100k flows are cache misses on every packet. A flow seen again
    // within relink_ns_ keeps its place; expire() and eviction re-check the
    // real last_seen_ns of stale heads, so ordering is exact to relink_ns_.
    if (cls != e.timeout_class || e.last_seen_ns - e.listed_ns >= relink_ns_) {
        relink(slot, cls);
    }
    return {slot, extras_[slot].serial, kf.sender == e.source, kf.sender == e.initiator, created};
}

bool FlowTable::Impl::endpoints(const FlowHandle& handle, FlowTable::Endpoints& out) const {
    if (!handle || handle.slot >= slab_.size() || !slab_[handle.slot].in_use ||
        extras_[handle.slot].serial != handle.serial)
        return false;
    const FlowEntry& e = slab_[handle.slot];
    const Side dst = other_side(e.source);
    out.ip_proto = e.key.ip_proto;
    out.protocol = e.key.protocol;
    out.source_ip = key_address(e.key, e.source);
    out.destination_ip = key_address(e.key, dst);
    out.source_port = key_port(e.key, e.source);
    out.destination_port = key_port(e.key, dst);
    return true;
}

void FlowTable::Impl::attach_app(const FlowHandle& handle,
                                 std::shared_ptr<const snapshot::AppInfo> app) {
    if (!handle || handle.slot >= slab_.size() || !slab_[handle.slot].in_use) return;
    SlotExtras& x = extras_[handle.slot];
    if (x.serial == handle.serial) x.app = std::move(app);
}

void FlowTable::Impl::relink(std::uint32_t slot, TimeoutClass cls) {
    FlowEntry& e = slab_[slot];
    lru_.touch(e.timeout_class, cls, slot);
    e.timeout_class = cls;
    e.listed_ns = e.last_seen_ns;
}

std::uint32_t FlowTable::Impl::create(const KeyedFrame& kf, std::uint64_t hash,
                                      const decode::DecodedFrame& frame,
                                      std::uint32_t generation) {
    if (active_ >= config_.max_active_flows) evict_idlest();
    const std::uint32_t slot = allocate_slot();
    FlowEntry& e = slab_[slot];
    e = FlowEntry{};
    e.key = kf.key;
    e.first_seen_ns = frame.ts_ns;
    e.last_seen_ns = frame.ts_ns;
    e.listed_ns = frame.ts_ns;
    e.generation = generation;
    e.initiator = initiator_side(kf, frame);
    e.source = source_side(kf, e.initiator);
    e.source_is_local = one_end_local(kf);
    e.in_use = true;
    e.timeout_class = timeout_class_of(e);
    index_.insert(hash, slot);
    lru_.push_back(e.timeout_class, slot);
    ++active_;
    ++stats_.flows_created;
    extras_[slot] = {stats_.flows_created, nullptr};
    return slot;
}

std::uint32_t FlowTable::Impl::allocate_slot() {
    const std::uint32_t reused = lru_.pop_free();
    if (reused != LruLists::kNone) return reused;
    slab_.emplace_back();
    extras_.emplace_back();
    lru_.grow_to(slab_.size());
    return static_cast<std::uint32_t>(slab_.size() - 1);
}

bool FlowTable::Impl::is_local(const FlowKey& key, Side side) const {
    return std::binary_search(config_.local_addresses.begin(), config_.local_addresses.end(),
                              key_address(key, side));
}

bool FlowTable::Impl::one_end_local(const KeyedFrame& kf) const {
    return !config_.local_addresses.empty() &&
           is_local(kf.key, Side::a) != is_local(kf.key, Side::b);
}

Side FlowTable::Impl::source_side(const KeyedFrame& kf, Side initiator) const {
    if (one_end_local(kf)) return is_local(kf.key, Side::a) ? Side::a : Side::b;
    return initiator;
}

void FlowTable::Impl::end_flow(std::uint32_t slot, EndReason fallback) {
    FlowEntry& e = slab_[slot];
    const EndReason reason = end_reason_of(e, fallback);
    if (fallback == EndReason::idle_timeout) ++stats_.expired;
    if (fallback == EndReason::evicted) ++stats_.evictions;
    snapshot::FlowRecord record = make_record(e, true, reason, e.last_seen_ns, rate_bucket_ns_);
    record.app = std::move(extras_[slot].app);
    // The history is pushed in end order, so the newest records are the
    // ones above any sequence a consumer already had.
    record.end_sequence = ++ended_;
    if (!history_.push(std::move(record))) ++stats_.history_dropped;
    index_.erase(hash_key(e.key), slot);
    lru_.unlink(e.timeout_class, slot);
    e.in_use = false;
    lru_.push_free(slot);
    --active_;
}

std::uint32_t FlowTable::Impl::oldest_head() const {
    std::uint32_t oldest = LruLists::kNone;
    for (std::size_t c = 0; c < kTimeoutClasses; ++c) {
        const std::uint32_t head = lru_.front(static_cast<TimeoutClass>(c));
        if (head == LruLists::kNone) continue;
        if (oldest == LruLists::kNone || slab_[head].listed_ns < slab_[oldest].listed_ns) {
            oldest = head;
        }
    }
    return oldest;
}

void FlowTable::Impl::evict_idlest() {
    // A head whose flow was seen after it was listed is moved back first;
    // each flow moves at most once, so the loop is bounded by the flow count.
    for (std::size_t n = 0; n <= slab_.size(); ++n) {
        const std::uint32_t head = oldest_head();
        if (head == LruLists::kNone) return;
        const FlowEntry& e = slab_[head];
        if (e.last_seen_ns == e.listed_ns) {
            end_flow(head, EndReason::evicted);
            return;
        }
        relink(head, e.timeout_class);
    }
}

void FlowTable::Impl::expire(std::int64_t now_ns) {
    for (std::size_t c = 0; c < kTimeoutClasses; ++c) {
        const auto cls = static_cast<TimeoutClass>(c);
        const std::int64_t timeout = timeout_of(cls);
        // Every pass removes a flow or relists one with a fresh listed_ns,
        // which then stops the loop when it comes round: bounded by 2x flows.
        for (std::size_t n = 0; n <= 2 * slab_.size(); ++n) {
            const std::uint32_t head = lru_.front(cls);
            if (head == LruLists::kNone || now_ns - slab_[head].listed_ns <= timeout) break;
            if (idle_at(slab_[head], now_ns)) end_flow(head, EndReason::idle_timeout);
            else relink(head, cls);
        }
    }
}

FlowRecord FlowTable::Impl::active_record(std::uint32_t slot, std::int64_t now_ns) const {
    const FlowEntry& e = slab_[slot];
    FlowRecord r = make_record(e, false, EndReason::active, now_ns, rate_bucket_ns_);
    r.app = extras_[slot].app;
    r.idle_timeout_ns = timeout_of(e.timeout_class);
    return r;
}

std::size_t FlowTable::Impl::ended_since(std::uint64_t ended_after) const {
    if (ended_after >= ended_) return 0;
    return static_cast<std::size_t>(
        std::min<std::uint64_t>(ended_ - ended_after, history_.size()));
}

std::vector<FlowTable::Impl::ByTime> FlowTable::Impl::active_order(ActiveSince active) const {
    // Active flows by first packet: 16 bytes per flow to sort, records
    // built one at a time. Flows that share a first packet time (common in
    // crafted captures) are ordered by their whole key, as records.
    std::vector<ByTime> order;
    if (active.all()) {
        order.reserve(active_);
        for (std::uint32_t slot = 0; slot < slab_.size(); ++slot) {
            if (slab_[slot].in_use) order.push_back({slab_[slot].first_seen_ns, slot});
        }
    } else {
        for (std::uint32_t slot = 0; slot < slab_.size(); ++slot) {
            const FlowEntry& e = slab_[slot];
            if (e.in_use && (e.last_seen_ns >= active.seen_since_ns ||
                             e.first_seen_ns >= active.new_since_ns))
                order.push_back({e.first_seen_ns, slot});
        }
    }
    std::sort(order.begin(), order.end(), [](const ByTime& x, const ByTime& y) {
        return std::tie(x.first_seen_ns, x.slot) < std::tie(y.first_seen_ns, y.slot);
    });
    return order;
}

void FlowTable::Impl::for_each_record(std::int64_t now_ns,
                                      const std::function<void(FlowRecord&)>& visit,
                                      std::uint64_t ended_after, ActiveSince active) const {
    visit_records(active_order(active), now_ns, visit, ended_after);
}

void FlowTable::Impl::visit_records(const std::vector<ByTime>& order, std::int64_t now_ns,
                                    const std::function<void(FlowRecord&)>& visit,
                                    std::uint64_t ended_after) const {
    // First packet order is not slot order once slots are reused: each
    // record would wait on its entry's lines from memory in turn (the
    // per-second snapshot grew with the table's age, not its size). The
    // entries a few records ahead are asked for meanwhile.
    constexpr std::size_t kAhead = 8;
    const auto prefetch_entry = [&](std::size_t at) {
        if (at >= order.size()) return;
        const auto* entry = reinterpret_cast<const char*>(&slab_[order[at].slot]);
        for (std::size_t line = 0; line < sizeof(FlowEntry); line += 64)
            __builtin_prefetch(entry + line);
        __builtin_prefetch(&extras_[order[at].slot]);
    };
    std::size_t fetched = 0;  // order[0, fetched) were asked for
    std::vector<FlowRecord> tied;
    for (std::size_t i = 0; i < order.size();) {
        std::size_t end = i + 1;
        while (end < order.size() && order[end].first_seen_ns == order[i].first_seen_ns) ++end;
        for (; fetched < end + kAhead; ++fetched) prefetch_entry(fetched);
        if (end == i + 1) {
            FlowRecord r = active_record(order[i].slot, now_ns);
            visit(r);
        } else {
            tied.clear();
            for (std::size_t k = i; k < end; ++k) tied.push_back(active_record(order[k].slot, now_ns));
            std::sort(tied.begin(), tied.end(), record_less);
            for (auto& r : tied) visit(r);
        }
        i = end;
    }
    // Ended flows: the history is bounded, sort pointers to its records;
    // those a consumer already had are not even looked at.
    const std::size_t wanted = ended_since(ended_after);
    std::vector<const FlowRecord*> ended;
    ended.reserve(wanted);
    history_.for_each_newest(wanted, [&](const FlowRecord& r) { ended.push_back(&r); });
    std::sort(ended.begin(), ended.end(),
              [](const FlowRecord* x, const FlowRecord* y) { return record_less(*x, *y); });
    for (const FlowRecord* r : ended) {
        FlowRecord copy = *r;
        visit(copy);
    }
}

void FlowTable::Impl::fill_counters(snapshot::EngineCounters& counters) const {
    counters.flows = stats_.flows_created;
    counters.active_flows = active_;
    counters.evictions = stats_.evictions;
    counters.history_dropped = stats_.history_dropped;
}

void FlowTable::Impl::snapshot_into(snapshot::Snapshot& out, std::int64_t now_ns,
                                    std::uint64_t ended_after, ActiveSince active) const {
    const std::vector<ByTime> order = active_order(active);
    out.flows.reserve(out.flows.size() + order.size() + ended_since(ended_after));
    visit_records(
        order, now_ns, [&out](FlowRecord& r) { out.flows.push_back(std::move(r)); }, ended_after);
    fill_counters(out.counters);
}

std::size_t FlowTable::Impl::memory_bytes() const {
    return slab_.capacity() * sizeof(FlowEntry) + extras_.capacity() * sizeof(SlotExtras) +
           index_.memory_bytes() + lru_.memory_bytes() +
           history_.memory_bytes() +
           config_.local_addresses.capacity() * sizeof(core::IpAddress);
}

// ---- public face ----

FlowTable::FlowTable(FlowTableConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
FlowTable::~FlowTable() = default;
FlowTable::FlowTable(FlowTable&&) noexcept = default;
FlowTable& FlowTable::operator=(FlowTable&&) noexcept = default;

FlowHandle FlowTable::observe(const decode::DecodedFrame& frame) {
    FlowLookahead ahead;
    ahead.has_key = make_flow_key(frame, ahead.keyed);
    if (ahead.has_key) ahead.hash = hash_key(ahead.keyed.key);
    return impl_->observe(frame, ahead);
}
void FlowTable::look_ahead(const decode::DecodedFrame& frame, FlowLookahead& ahead) const {
    ahead.has_key = make_flow_key(frame, ahead.keyed);
    if (!ahead.has_key) return;
    ahead.hash = hash_key(ahead.keyed.key);
    impl_->index_.prefetch(ahead.hash);
}
void FlowTable::prefetch(const FlowLookahead& ahead) const { impl_->prefetch(ahead); }
FlowHandle FlowTable::observe(const decode::DecodedFrame& frame, const FlowLookahead& ahead) {
    return impl_->observe(frame, ahead);
}
void FlowTable::attach_app(const FlowHandle& handle,
                           std::shared_ptr<const snapshot::AppInfo> app) {
    impl_->attach_app(handle, std::move(app));
}
void FlowTable::expire(std::int64_t now_ns) { impl_->expire(now_ns); }
bool FlowTable::endpoints(const FlowHandle& handle, Endpoints& out) const {
    return impl_->endpoints(handle, out);
}
bool FlowTable::record(const FlowHandle& handle, std::int64_t now_ns, FlowRecord& out) const {
    const Impl& t = *impl_;
    if (!handle || handle.slot >= t.slab_.size() || !t.slab_[handle.slot].in_use ||
        t.extras_[handle.slot].serial != handle.serial)
        return false;
    out = t.active_record(handle.slot, now_ns);
    return true;
}
void FlowTable::snapshot_into(snapshot::Snapshot& out, std::int64_t now_ns,
                              std::uint64_t ended_after, ActiveSince active) const {
    impl_->snapshot_into(out, now_ns, ended_after, active);
}
void FlowTable::for_each_record(std::int64_t now_ns,
                                const std::function<void(FlowRecord&)>& visit,
                                std::uint64_t ended_after, ActiveSince active) const {
    impl_->for_each_record(now_ns, visit, ended_after, active);
}
std::uint64_t FlowTable::end_sequence() const { return impl_->ended_; }
void FlowTable::fill_counters(snapshot::EngineCounters& counters) const {
    impl_->fill_counters(counters);
}
std::size_t FlowTable::active_count() const { return impl_->active_; }
std::size_t FlowTable::history_count() const { return impl_->history_.size(); }
const FlowTableStats& FlowTable::stats() const { return impl_->stats_; }
std::size_t FlowTable::memory_bytes() const { return impl_->memory_bytes(); }

}  // namespace sockeye::flow
