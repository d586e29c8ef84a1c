// The shape of every DPI protocol probe, and of the per-flow parser a
// protocol that learns across packets adds (docs/ARCHITECTURE.md, "Adding a
// DPI protocol").
//
// A probe looks at the first bytes a flow carries in one direction and
// answers match / need_more / no_match. For TCP the detector hands it the
// in-order stream prefix of that direction reassembled so far (bounded), so a
// probe never deals with segments: it is called again with the whole (longer)
// prefix after answering need_more. For UDP it sees one datagram at a time.
// Probes are pure functions of their input: they keep nothing between calls
// and no memory of their own (a probe that needs room borrows the context's
// scratch). State across packets belongs in a FlowParser (below), which the
// detector keeps per flow.
//
// The registry entry owns the protocol's name: the detector writes it into
// `info.protocol` when the entry classifies the flow; probes never do.
//
// How the detector drives probes (detector.cpp):
//  - Detection (ctx.phase == detecting): while a flow is unclassified,
//    stateful entries' parsers see each packet first (see FlowParser), then
//    every candidate probe of the flow's transport (port hints first) is
//    called on each direction that received new bytes. A probe's no_match
//    removes it from that direction's candidates only: a server-first
//    protocol may fail on the client bytes.
//    The first match (or match_more) classifies the flow. Only a match keeps
//    what the probe wrote into `info`; a need_more's partial fields are
//    dropped (several candidates may be undecided at once).
//  - Following (ctx.phase == following): after classification only THAT
//    probe is called, on both directions, each time a direction that is not
//    yet done receives bytes: the matching direction when it answered
//    match_more, and the other direction in any case (HTTP status, DNS
//    answers, SSH server banner, TLS ServerHello and Certificate). There its answers mean: match = done with this direction;
//    match_more / need_more = call again with more bytes; no_match = done and
//    the changes of this call are dropped.
//  - Probes always receive a copy of the flow's AppInfo, so a no_match
//    cannot pollute it; other answers keep what the probe wrote, and the
//    names it reported through ctx.learned_names.
//  - Depth limit: a direction stops after DetectorConfig::max_packets_per_
//    direction payload packets or stream_prefix_bytes, classified or not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ip_address.hpp"
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

enum class Phase : std::uint8_t {
    detecting,  // the flow is unclassified: `info` starts empty, every candidate is asked
    following,  // this probe classified the flow: `info` holds what it found so far
};

// A name a probe learnt for an address (a DNS answer's A/AAAA records for
// the queried name), handed over typed so nobody re-parses text fields.
struct LearnedName {
    core::IpAddress address;
    std::string name;
};

// A connection a probe saw announced (FTP's PASV/EPSV replies and PORT/EPRT
// commands): its server side, which the client will connect to. No address:
// the announcing flow's own server (EPSV names only a port).
struct ExpectedFlow {
    std::optional<core::IpAddress> address;
    std::uint16_t port = 0;
};

// The scratch memory the detector lends each probe call.
inline constexpr std::size_t kProbeScratchBytes = 16'384;

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
    Phase phase = Phase::detecting;
    // Room for this call only (kProbeScratchBytes from the detector; empty
    // when a caller lends none, and a probe that needs it then reads less).
    // Contents are undefined on entry and dead after return.
    std::span<std::uint8_t> scratch;
    // Where a probe reports names it learnt (null: nobody listens). The
    // detector keeps them only when it keeps the probe's result.
    std::vector<LearnedName>* learned_names = nullptr;
    // Where a probe reports connections it saw announced (null: nobody
    // listens); the detector labels them with its entry's `expects`.
    std::vector<ExpectedFlow>* expected_flows = nullptr;
};

// Reads `payload` (never past its end: use core::ByteReader) and, on match or
// need_more, may fill `info` (protocol, domain, fields). On no_match `info`
// must be left as it was.
using ProbeFn = Verdict (*)(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                            snapshot::AppInfo& info);

[[nodiscard]] constexpr bool is_match(Verdict v) {
    return v == Verdict::match || v == Verdict::match_more;
}

// The per-flow state of a protocol that learns across packets (QUIC:
// CRYPTO frames reassembled over several Initial packets, keys per
// connection). Its registry entry's probe only says whether a flow may be
// this protocol; the detector then makes a parser for that flow and feeds
// it every payload packet, before the stateless probes, until it rejects
// the flow or is finished.
class FlowParser {
public:
    virtual ~FlowParser() = default;
    // One payload packet. Writes into the flow's own `info` in place (no copy
    // per packet), leaves it untouched on no_match, and says in
    // info_changed() whether it changed it. match / match_more classify the
    // flow; need_more keeps the parser; no_match drops it for this flow.
    virtual Verdict parse(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                          snapshot::AppInfo& info) = 0;
    [[nodiscard]] virtual bool info_changed() const = 0;
    // Nothing more to learn: the detector frees the flow's DPI state.
    [[nodiscard]] virtual bool finished() const = 0;
};

using ParserFactory = std::unique_ptr<FlowParser> (*)();

}  // namespace sockeye::dpi
