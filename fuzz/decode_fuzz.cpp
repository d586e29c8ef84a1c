// Fuzz target for decode: the first byte picks one of the supported link
// types, the rest is the captured frame. Besides the sanitizers, it checks
// the decoder's own promises: the payload span lies inside the input and
// the per-frame fields stay within their ranges.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/raw_frame.hpp"
#include "decode/decoded_frame.hpp"
#include "decode/decoder.hpp"

namespace {

// The order is part of the regression corpus format: append only.
constexpr std::array<int, 9> kLinkTypes = {1, 113, 276, 0, 108, 12, 101, 228, 229};

void check(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const int link_type = kLinkTypes[data[0] % kLinkTypes.size()];
    const std::span<const std::uint8_t> frame_bytes(data + 1, size - 1);

    const sockeye::decode::Decoder decoder(link_type);
    sockeye::core::RawFrame frame;
    frame.bytes = frame_bytes;
    // Half the inputs pretend a snaplen cut them, to reach that path too.
    frame.wire_len = static_cast<std::uint32_t>(frame_bytes.size()) + (data[0] & 0x80u);
    sockeye::decode::DecodedFrame out;
    decoder.decode(frame, out);

    if (!out.payload.empty()) {
        check(out.payload.data() >= frame_bytes.data());
        check(out.payload.data() + out.payload.size() <= frame_bytes.data() + frame_bytes.size());
    }
    check(out.payload.size() <= out.payload_len);
    check(out.cap_len == frame_bytes.size());
    // Fields appear only with the layers that set them, so consumers can
    // trust network/transport as a guard.
    using sockeye::decode::Network;
    using sockeye::decode::Transport;
    const bool has_ip = out.network == Network::ipv4 || out.network == Network::ipv6;
    if (out.transport != Transport::none) check(has_ip);
    if (out.network == Network::ipv4) check(out.src_ip.is_v4() && out.dst_ip.is_v4());
    if (out.network == Network::ipv6) check(out.src_ip.is_v6() && out.dst_ip.is_v6());
    if (!has_ip) check(out.src_ip.family == sockeye::core::IpFamily::none);
    if (out.transport != Transport::tcp && out.transport != Transport::udp) {
        check(out.src_port == 0 && out.dst_port == 0);
    }
    check(out.vlan_depth <= 4);
    check(out.anomalies < (1u << sockeye::decode::kAnomalyKinds));
    for (std::size_t i = 0; i < sockeye::decode::kAnomalyKinds; ++i) {
        const auto kind = static_cast<sockeye::decode::Anomaly>(i);
        if (out.has(kind)) check(!sockeye::decode::anomaly_name(kind).empty());
    }
    // Decoding is a pure function of the frame: a second run agrees.
    sockeye::decode::DecodedFrame again;
    decoder.decode(frame, again);
    check(again.anomalies == out.anomalies && again.payload.data() == out.payload.data() &&
          again.payload_len == out.payload_len && again.src_port == out.src_port);
    return 0;
}
