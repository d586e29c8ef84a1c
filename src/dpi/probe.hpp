// The shape of every DPI protocol probe (house style rule 5).
//
// A probe looks at the first bytes a flow carries in one direction and
// answers match / need_more / no_match. For TCP the detector hands it the
// in-order stream prefix of that direction reassembled so far (bounded), so a
// probe never deals with segments: it is called again with the whole (longer)
// prefix after answering need_more. For UDP it sees one datagram at a time.
// Probes are pure functions of their input: any state across calls lives in
// the detector (e.g. QUIC's CRYPTO reassembly), never in globals.
//
// How the detector drives probes (detector.cpp):
//  - Detection: while a flow is unclassified, every candidate probe of the
//    flow's transport (port hints first) is called on each direction that
//    received new bytes. A probe's no_match removes it from that direction's
//    candidates only: a server-first protocol may fail on the client bytes.
//    The first match (or match_more) classifies the flow. Only a match keeps
//    what the probe wrote into `info`; a need_more's partial fields are
//    dropped (several candidates may be undecided at once).
//  - After classification only THAT probe is called, on both directions, each
//    time a direction that is not yet done receives bytes: the matching
//    direction when it answered match_more, and the other direction in any
//    case (HTTP status, DNS answers, SSH server banner, TLS ServerHello and
//    Certificate). There its answers mean: match = done with this direction;
//    match_more / need_more = call again with more bytes; no_match = done and
//    the changes of this call are dropped.
//  - Probes always receive a scratch copy of the flow's AppInfo, so a
//    no_match cannot pollute it; other answers keep what the probe wrote.
//  - Depth limit: a direction stops after DetectorConfig::max_packets_per_
//    direction payload packets or stream_prefix_bytes, classified or not.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "snapshot/app_info.hpp"

namespace sockeye::dpi {

enum class Verdict : std::uint8_t {
    match,       // this protocol; `info` holds what was extracted; this direction is done
    need_more,   // could be this protocol: call again with more bytes / packets
    no_match,    // not this protocol: do not call again for this flow (direction)
    match_more,  // this protocol, and more fields follow in this direction (e.g. the
                 // SSH KEXINIT after the banner): classify now, call again with more
};

enum class Transport : std::uint8_t { tcp, udp };

struct ProbeContext {
    Transport transport = Transport::tcp;
    bool from_initiator = true;      // direction of `payload`: initiator -> responder
    std::uint16_t initiator_port = 0;
    std::uint16_t responder_port = 0;
    std::uint32_t packet_index = 0;  // payload packets already seen in this direction
    std::int64_t ts_ns = 0;          // packet time of the newest byte
    // Packet time of the first payload packet of the other direction, 0 when
    // none yet (a response probe computes query -> response time from it).
    std::int64_t peer_first_ts_ns = 0;
    // The capture cut this packet short (snapshot length below the wire
    // length): the payload is only a prefix of what was sent, so a probe may
    // accept a message whose tail is missing.
    bool truncated = false;
};

// Reads `payload` (never past its end: use core::ByteReader) and, on match or
// need_more, may fill `info` (protocol, domain, fields). On no_match `info`
// must be left as it was.
using ProbeFn = Verdict (*)(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                            snapshot::AppInfo& info);

[[nodiscard]] constexpr bool is_match(Verdict v) {
    return v == Verdict::match || v == Verdict::match_more;
}

}  // namespace sockeye::dpi
