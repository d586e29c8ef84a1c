// The bounded table of bidirectional flows: the engine's memory.
//
// Time comes only from packet timestamps (frame.ts_ns and the `now_ns`
// arguments), never from the wall clock, so files, live capture and
// benchmarks behave the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "core/ip_address.hpp"
#include "decode/decoded_frame.hpp"
#include "flow/flow_key.hpp"
#include "snapshot/app_info.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::flow {

inline constexpr std::int64_t kSecond = 1'000'000'000;

struct IdleTimeouts {
    std::int64_t tcp_handshake_ns = 30 * kSecond;    // SYN_SENT / SYN_RECEIVED
    std::int64_t tcp_established_ns = 300 * kSecond;
    std::int64_t tcp_closing_ns = 10 * kSecond;      // after FIN or RST
    std::int64_t udp_ns = 60 * kSecond;
    std::int64_t icmp_ns = 30 * kSecond;             // ICMP / ICMPv6 echo
    std::int64_t other_ns = 60 * kSecond;            // ARP and other IP protocols
};

struct FlowTableConfig {
    std::size_t max_active_flows = 100'000;  // at the cap the idlest flow is evicted
    std::size_t max_history = 10'000;        // ended flows kept for reporting
    IdleTimeouts timeouts{};
    std::int64_t rate_window_ns = snapshot::kRateWindowNs;  // sliding window for sent/received rates
    // Live capture: the machine's own addresses; a flow's source is the local
    // side. Empty (files): the source is the initiator (SYN sender, else the
    // first packet's sender).
    std::vector<core::IpAddress> local_addresses;
};

struct FlowTableStats {
    std::uint64_t flows_created = 0;
    std::uint64_t evictions = 0;
    std::uint64_t expired = 0;
    std::uint64_t history_dropped = 0;
    std::uint64_t unattributed_frames = 0;
};

// The flow a frame was accounted to. `slot` is reused once the flow ends;
// `serial` is unique per flow, so consumers that keep per-slot state (DPI)
// can tell a new flow in an old slot.
struct FlowHandle {
    static constexpr std::uint32_t kNoSlot = 0xFFFF'FFFF;
    std::uint32_t slot = kNoSlot;
    std::uint64_t serial = 0;
    bool from_source = false;     // the frame travels source -> destination of the record
    bool from_initiator = false;  // the frame travels from the side that opened the flow
    bool created = false;         // this frame opened the flow (a new flow or a new generation)

    explicit operator bool() const { return slot != kNoSlot; }
};

// A frame's flow key and hash, computed ahead of observe(): a batch of
// frames gets its index buckets and entries requested from memory while
// earlier frames are being accounted, instead of waiting on two cache
// misses per frame in turn.
struct FlowLookahead {
    KeyedFrame keyed{};
    std::uint64_t hash = 0;
    bool has_key = false;  // false: the frame belongs to no flow
};

// Which active flows a snapshot or record stream carries: those with a
// packet at or after `seen_since_ns`, and those first seen at or after
// `new_since_ns`. The default carries every active flow; a consumer that
// keeps per-flow state between export snapshots asks for the flows that
// changed since its previous one (export deltas, see Snapshot::delta).
struct ActiveSince {
    static constexpr std::int64_t kAll = std::numeric_limits<std::int64_t>::min();
    std::int64_t seen_since_ns = kAll;
    std::int64_t new_since_ns = kAll;
    [[nodiscard]] bool all() const { return seen_since_ns == kAll || new_since_ns == kAll; }
};

class FlowTable {
public:
    explicit FlowTable(FlowTableConfig config = {});
    ~FlowTable();
    FlowTable(const FlowTable&) = delete;
    FlowTable& operator=(const FlowTable&) = delete;
    FlowTable(FlowTable&&) noexcept;
    FlowTable& operator=(FlowTable&&) noexcept;

    // Accounts one decoded frame. Returns an empty handle when the frame
    // belongs to no flow (non-IP, non-first fragment, ...); those are
    // counted in stats().
    FlowHandle observe(const decode::DecodedFrame& frame);
    // Batches: look_ahead() each frame (its key and hash; its index bucket
    // starts loading), then prefetch() each (the entry its bucket names
    // starts loading), then observe() each with its lookahead, in order.
    // The hints change nothing: observe(frame, ahead) == observe(frame).
    void look_ahead(const decode::DecodedFrame& frame, FlowLookahead& ahead) const;
    void prefetch(const FlowLookahead& ahead) const;
    FlowHandle observe(const decode::DecodedFrame& frame, const FlowLookahead& ahead);

    // Attaches what DPI learnt to the flow `handle` names, if that flow is
    // still active; its records (snapshots, history) carry it from then on.
    void attach_app(const FlowHandle& handle, std::shared_ptr<const snapshot::AppInfo> app);

    // The record's endpoints of the active flow `handle` names (source =
    // local side live, initiator in files); false when the flow is gone.
    struct Endpoints {
        std::uint8_t ip_proto = 0;
        snapshot::FlowProtocol protocol = snapshot::FlowProtocol::other;
        core::IpAddress source_ip{}, destination_ip{};
        std::uint16_t source_port = 0, destination_port = 0;
    };
    bool endpoints(const FlowHandle& handle, Endpoints& out) const;
    // The record of the active flow `handle` names as snapshot_into() would
    // build it at `now_ns` (no process, names or geo: those are the
    // enricher's); false when the flow is gone.
    bool record(const FlowHandle& handle, std::int64_t now_ns, snapshot::FlowRecord& out) const;

    // Moves flows idle past their protocol's timeout at `now_ns` to history.
    void expire(std::int64_t now_ns);

    // Appends every active flow then every ended flow in history (each group
    // ordered by first_seen, ties broken by the 5-tuple) and fills the flow
    // counters of `out.counters`. Rates are computed as of `now_ns`.
    // `ended_after` > 0 leaves out the ended flows whose end_sequence is at
    // most that (a consumer that already had them); the order of the rest
    // is unchanged. `active` leaves out the active flows it does not name
    // (the order of the rest is unchanged too).
    void snapshot_into(snapshot::Snapshot& out, std::int64_t now_ns,
                       std::uint64_t ended_after = 0, ActiveSince active = {}) const;
    // The same records in the same order (active flows, then ended ones,
    // each by first packet), one at a time: output of a million flows
    // without holding a million records. Each record is the visitor's own
    // (built for it or copied), so it may change or move it. Ended flows
    // cost nothing here once they are at or below `ended_after`.
    void for_each_record(std::int64_t now_ns,
                         const std::function<void(snapshot::FlowRecord&)>& visit,
                         std::uint64_t ended_after = 0, ActiveSince active = {}) const;
    void fill_counters(snapshot::EngineCounters& counters) const;
    // The end_sequence of the flow that ended last (0: none yet).
    [[nodiscard]] std::uint64_t end_sequence() const;

    [[nodiscard]] std::size_t active_count() const;
    [[nodiscard]] std::size_t history_count() const;
    [[nodiscard]] const FlowTableStats& stats() const;
    // Heap bytes held per active-flow slot (table + records), for the memory report.
    [[nodiscard]] std::size_t memory_bytes() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sockeye::flow
