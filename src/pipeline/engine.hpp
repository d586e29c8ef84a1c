// The offline/live-agnostic engine: decode + flows + counters, driven one
// frame at a time by whoever owns the PacketSource. Time is packet time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pipeline/link_addresses.hpp"
#include "pipeline/recorded_owners.hpp"
#include "core/raw_frame.hpp"
#include "decode/decoded_frame.hpp"
#include "decode/decoder.hpp"
#include "dpi/detector.hpp"
#include "flow/flow_table.hpp"
#include "flow/traffic_series.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::pipeline {

struct EngineOptions {
    flow::FlowTableConfig flows{};
    bool dpi = true;  // --no-dpi turns deep packet inspection off
    // Called on the packet thread when a TCP or UDP flow opens (live process
    // attribution asks for the socket owner then, while the process lives).
    // Must not block.
    std::function<void(const flow::FlowTable::Endpoints&)> on_new_flow;
    // The graph's traffic series: one sample per interval of packet time.
    std::int64_t traffic_interval_ns = 1'000'000'000;
    // Learn which MAC each local-network peer speaks from out of the frames
    // (capture files: no neighbour table to ask); see link_addresses.hpp.
    bool learn_link_addresses = false;
};

// What the engine knows about one active flow, for per-packet exports.
struct FlowAnnotation {
    flow::FlowTable::Endpoints endpoints;  // source = local side live, initiator in files
    std::shared_ptr<const snapshot::AppInfo> app;  // null until DPI learns something
};

class Engine {
public:
    Engine(int link_type, EngineOptions options);

    void process(const core::RawFrame& frame);
    // The same for a batch of frames that are all valid together
    // (PacketSource::next_batch), at most kBatch: prepare() decodes them
    // and asks memory for their flows at once, then process_prepared(i)
    // for each in order does the rest of process(). Frames of another link
    // type than the source's are left to process_prepared() whole, so
    // preparing never changes what the engine knows.
    static constexpr std::size_t kBatch = 16;
    void prepare(std::span<const core::RawFrame> frames);
    void process_prepared(std::size_t i, const core::RawFrame& frame);
    // Idle expiry at a packet-time instant (called by process() each second
    // of packet time; live callers also call it on read timeouts).
    void tick(std::int64_t now_ns);

    // Everything the engine knows now; without `flows`, all but the flow
    // records (counters included), which for_each_flow() then streams.
    // `ended_after` > 0 leaves out the ended flows up to that end_sequence
    // (see FlowTable::snapshot_into); `active` leaves out the active flows it
    // does not name.
    [[nodiscard]] snapshot::Snapshot snapshot(bool flows = true, std::uint64_t ended_after = 0,
                                              flow::ActiveSince active = {}) const;
    // The end_sequence of the flow that ended last (0: none yet).
    [[nodiscard]] std::uint64_t end_sequence() const { return table_.end_sequence(); }
    // Every flow record of snapshot(), in its order, one at a time.
    void for_each_flow(const std::function<void(snapshot::FlowRecord&)>& visit) const;
    [[nodiscard]] const flow::FlowTable& flows() const { return table_; }
    [[nodiscard]] std::int64_t last_packet_ns() const { return last_ts_ns_; }
    // The flow the last process()ed frame was accounted to (empty handle if
    // none); its from_source says the frame's direction.
    [[nodiscard]] const flow::FlowHandle& last_flow() const { return last_flow_; }
    // Endpoints and DPI result of the active flow `handle` names; false when
    // the flow is gone.
    bool flow_annotation(const flow::FlowHandle& handle, FlowAnnotation& out) const;
    // The record of the active flow `handle` names, as snapshot() would list
    // it now (before any Enricher); false when the flow is gone.
    bool flow_record(const flow::FlowHandle& handle, snapshot::FlowRecord& out) const;
    // The MAC `address` speaks from when it is a peer on the capture's own
    // network, learned from the frames (learn_link_addresses; else nullopt).
    [[nodiscard]] std::optional<MacAddress> link_address_of(const core::IpAddress& address) const;
    // Names sniffed from DNS answers for `address` (empty with --no-dpi).
    [[nodiscard]] std::vector<std::string> sniffed_names(const core::IpAddress& address) const;

private:
    // process() after the decode and the flow lookup.
    void account(const core::RawFrame& frame, const decode::DecodedFrame& decoded,
                 const flow::FlowHandle& flow);
    void count_anomalies(std::uint32_t mask);
    void remember_app(const flow::FlowHandle& flow,
                      const std::shared_ptr<const snapshot::AppInfo>& app);
    void finish_frame(const core::RawFrame& frame);  // packet time and periodic ticks
    // The decoder for a frame's own link type (pcapng files mix them).
    // Inline: nearly every frame takes the source's own.
    const decode::Decoder& decoder_for(int link_type) {
        if (link_type == core::RawFrame::kSourceLinkType || link_type == decoder_.link_type())
            [[likely]] {
            return decoder_;
        }
        return other_decoder_for(link_type);
    }
    const decode::Decoder& other_decoder_for(int link_type);

    decode::Decoder decoder_;  // the source's link type
    // Link types other frames came with, in order of first appearance;
    // bounded, past the bound a frame gets a decoder of its own.
    std::vector<decode::Decoder> other_decoders_;
    decode::Decoder spare_decoder_{0};
    flow::FlowTable table_;
    std::unique_ptr<dpi::Detector> detector_;  // null with --no-dpi
    std::function<void(const flow::FlowTable::Endpoints&)> on_new_flow_;
    decode::DecodedFrame frame_{};  // reused: no per-packet allocation
    // The batch prepare() decoded; prepared_[i] false: process it whole.
    std::array<decode::DecodedFrame, kBatch> batch_{};
    std::array<flow::FlowLookahead, kBatch> lookahead_{};
    std::array<bool, kBatch> prepared_{};
    snapshot::EngineCounters counters_{};
    std::array<std::uint64_t, decode::kAnomalyKinds> anomaly_counts_{};
    std::int64_t last_ts_ns_ = 0;
    flow::FlowHandle last_flow_{};
    flow::TrafficSeries traffic_;
    // The latest DPI result per flow slot (serial tells a reused slot), so
    // exports can annotate packets without asking the flow table.
    struct SlotApp {
        std::uint64_t serial = 0;
        std::shared_ptr<const snapshot::AppInfo> app;
    };
    std::vector<SlotApp> slot_apps_;
    std::int64_t next_tick_ns_ = 0;
    RecordedOwners recorded_owners_;  // from a capture file's packet comments
    std::unique_ptr<LinkAddressBook> link_addresses_;  // null unless learn_link_addresses
};

}  // namespace sockeye::pipeline
