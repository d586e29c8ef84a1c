// What the DPI fuzz targets share: a probe called as the detector calls it
// (scratch lent, phase set), and the body of the single-probe targets. The
// first input byte chooses transport, direction, port hint and packet
// index; the rest is the payload. Like the detector, the probe runs on a few
// prefixes a TCP stream could grow through, and after a match, following,
// with the filled AppInfo: again on the same direction and on the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "dpi/probe.hpp"

namespace sockeye::fuzz {

inline dpi::Verdict call_probe(dpi::ProbeFn probe, dpi::ProbeContext ctx,
                               std::span<const std::uint8_t> payload, snapshot::AppInfo& info,
                               dpi::Phase phase = dpi::Phase::detecting) {
    static std::vector<std::uint8_t> scratch(dpi::kProbeScratchBytes);
    static std::vector<dpi::LearnedName> learned;
    static std::vector<dpi::ExpectedFlow> announced;
    learned.clear();
    announced.clear();
    ctx.scratch = scratch;
    ctx.learned_names = &learned;
    ctx.expected_flows = &announced;
    ctx.phase = phase;
    const snapshot::AppInfo before = phase == dpi::Phase::detecting ? info : snapshot::AppInfo{};
    const dpi::Verdict v = probe(ctx, payload, info);
    // The contract: no_match leaves `info` as it was while detecting, and
    // probes never name the protocol (the registry does).
    if (phase == dpi::Phase::detecting && v == dpi::Verdict::no_match &&
        (info.domain != before.domain || info.fields.size() != before.fields.size()))
        std::abort();
    if (!info.protocol.empty() && info.protocol != before.protocol && phase == dpi::Phase::detecting)
        std::abort();
    return v;
}

inline int run_probe(dpi::ProbeFn probe, std::uint16_t port_hint, const std::uint8_t* data,
                     std::size_t size) {
    if (size == 0) return 0;
    const std::span<const std::uint8_t> input(data, size);
    const std::uint8_t mode = input[0];
    const auto payload = input.subspan(1);
    dpi::ProbeContext ctx;
    ctx.transport = (mode & 1) != 0 ? dpi::Transport::tcp : dpi::Transport::udp;
    ctx.from_initiator = (mode & 2) != 0;
    ctx.initiator_port = 40000;
    ctx.responder_port = (mode & 4) != 0 ? port_hint : 40001;
    ctx.packet_index = static_cast<std::uint32_t>((mode >> 3) & 3);
    for (const std::size_t cut : {payload.size() / 3, payload.size() / 2, payload.size()}) {
        snapshot::AppInfo info;
        if (!dpi::is_match(call_probe(probe, ctx, payload.first(cut), info))) continue;
        call_probe(probe, ctx, payload, info, dpi::Phase::following);  // more of this side
        ctx.from_initiator = !ctx.from_initiator;
        call_probe(probe, ctx, payload, info, dpi::Phase::following);  // the other side
        ctx.from_initiator = !ctx.from_initiator;
    }
    return 0;
}

}  // namespace sockeye::fuzz
