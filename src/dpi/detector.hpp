// The DPI entry point the engine calls: per-flow protocol detection and
// field extraction, bounded in memory and cheap once a flow is classified.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/ip_address.hpp"
#include "decode/decoded_frame.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

// Which flow a frame belongs to, as the flow table reports it. `slot` is
// reused after the flow ends; `serial` is unique per flow, so state keyed by
// slot is recognised as stale when the serial differs.
struct FlowRef {
    std::uint32_t slot = 0;
    std::uint64_t serial = 0;
    bool from_initiator = true;  // the frame travels from the side that opened the flow
};

struct DetectorConfig {
    std::size_t max_flows = 100'000;           // slots (the flow table's cap)
    std::size_t stream_prefix_bytes = 16'384;  // TCP bytes kept per direction until classified
    // While a TCP flow is unclassified, probes see at most this much of the
    // prefix: enough for every first message we classify on (probes answer
    // match_more from headers, and see the whole prefix once classified), and
    // it bounds the work spent on bulk data no probe recognises.
    std::size_t detection_window_bytes = 2'048;
    std::uint32_t max_packets_per_direction = 16;  // give up after this many payload packets
    std::size_t max_dns_names = 65'536;        // IP -> name table entries
    // All TCP prefix buffers together; a direction that would go past it
    // stops being inspected, so hostile traffic cannot grow memory further.
    std::size_t max_buffer_bytes = std::size_t{64} << 20;
};

struct DetectorStats {
    std::uint64_t inspected_packets = 0;
    std::uint64_t classified_flows = 0;
    std::uint64_t gave_up_flows = 0;
    std::uint64_t live_states = 0;     // flows holding per-flow DPI state now
    std::uint64_t buffered_bytes = 0;  // TCP prefix buffers held now
};

class Detector {
public:
    explicit Detector(DetectorConfig config = {});
    ~Detector();
    Detector(const Detector&) = delete;
    Detector& operator=(const Detector&) = delete;

    // Inspects one attributed frame (TCP or UDP with payload; others return
    // at once). Returns the flow's AppInfo when it changed with this frame
    // (the engine attaches it to the flow), nullptr otherwise. Cheap for
    // flows already classified or given up on.
    std::shared_ptr<const snapshot::AppInfo> inspect(const FlowRef& flow,
                                                     const decode::DecodedFrame& frame);

    // Names learnt from DNS answers (A/AAAA, CNAME chains resolved to the
    // queried name): address -> names, newest first. Bounded.
    [[nodiscard]] std::vector<std::string> names_for(const core::IpAddress& address) const;

    [[nodiscard]] const DetectorStats& stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sockeye::dpi
