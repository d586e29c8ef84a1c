// The body every single-probe DPI fuzz target shares. The first input byte
// chooses transport, direction, port hint and packet index; the rest is the
// payload. Like the detector, the probe runs on a few prefixes a TCP stream
// could grow through, and after a match once more on the other direction
// with the filled AppInfo.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dpi/probe.hpp"

namespace sockeye::fuzz {

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
        if (!dpi::is_match(probe(ctx, payload.first(cut), info))) continue;
        ctx.from_initiator = !ctx.from_initiator;
        probe(ctx, payload, info);
        ctx.from_initiator = !ctx.from_initiator;
    }
    return 0;
}

}  // namespace sockeye::fuzz
