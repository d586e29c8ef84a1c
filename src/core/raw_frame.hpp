// One captured frame as it leaves a PacketSource: bytes plus capture metadata.
// Shared by capture (producer) and decode (consumer) so neither includes the other.
#pragma once

#include <cstdint>
#include <span>

namespace sockeye::core {

struct RawFrame {
    std::int64_t ts_ns = 0;           // capture timestamp, nanoseconds since the Unix epoch
    std::uint32_t wire_len = 0;       // length on the wire (pcap "len")
    std::span<const std::uint8_t> bytes;  // what was captured (pcap "caplen" bytes)
    std::uint16_t interface_id = 0;   // pcapng interface index; 0 for pcap and live
};

}  // namespace sockeye::core
