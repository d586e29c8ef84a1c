// libFuzzer target for OpenVPN packet layouts over UDP and TCP framing
// (src/dpi/protocols/openvpn.hpp). The first input byte chooses transport, direction, port hint and
// packet index; the rest is the payload. Like the detector, the probe runs on every prefix boundary
// a TCP stream could grow through (a few cut points), and after a match once more on the other
// direction with the filled AppInfo.
#include <cstddef>
#include <cstdint>
#include <span>

#include "dpi/protocols/openvpn.hpp"

namespace {

constexpr std::uint16_t kPortHint = 1194;

void run(std::span<const std::uint8_t> input) {
    const std::uint8_t mode = input[0];
    const auto payload = input.subspan(1);
    sockeye::dpi::ProbeContext ctx;
    ctx.transport = (mode & 1) != 0 ? sockeye::dpi::Transport::tcp : sockeye::dpi::Transport::udp;
    ctx.from_initiator = (mode & 2) != 0;
    ctx.initiator_port = 40000;
    ctx.responder_port = (mode & 4) != 0 ? kPortHint : 40001;
    ctx.packet_index = static_cast<std::uint32_t>((mode >> 3) & 3);
    for (const std::size_t cut : {payload.size() / 3, payload.size() / 2, payload.size()}) {
        sockeye::snapshot::AppInfo info;
        const auto prefix = payload.first(cut);
        if (!sockeye::dpi::is_match(sockeye::dpi::probe_openvpn(ctx, prefix, info))) continue;
        ctx.from_initiator = !ctx.from_initiator;
        sockeye::dpi::probe_openvpn(ctx, payload, info);
        ctx.from_initiator = !ctx.from_initiator;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    run(std::span<const std::uint8_t>(data, size));
    return 0;
}
