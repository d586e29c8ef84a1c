// One captured frame as it leaves a PacketSource: bytes plus capture metadata.
// Shared by capture (producer) and decode (consumer) so neither includes the other.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace sockeye::core {

struct RawFrame {
    // link_type when a source gives every frame the same one (live, classic
    // pcap): consumers use PacketSource::link_type().
    static constexpr int kSourceLinkType = -1;

    std::int64_t ts_ns = 0;           // capture timestamp, nanoseconds since the Unix epoch
    std::uint32_t wire_len = 0;       // length on the wire (pcap "len")
    std::span<const std::uint8_t> bytes;  // what was captured (pcap "caplen" bytes)
    std::uint16_t interface_id = 0;   // pcapng interface index; 0 for pcap and live
    // The frame's DLT: pcapng files mix interfaces of different link types.
    int link_type = kSourceLinkType;
    // The packet's pcapng comment (empty if none), valid as long as `bytes`.
    std::string_view comment;
};

}  // namespace sockeye::core
