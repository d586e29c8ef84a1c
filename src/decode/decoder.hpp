// Entry point of decode: raw frame in, DecodedFrame out.
//
// The decoder walks the layers through the registry (registry.hpp): each
// layer decoder reads its header and names the next protocol by a key in a
// namespace (DLT, ethertype, IP protocol); it never names the child decoder.
#pragma once

#include <string>
#include <string_view>

#include "core/raw_frame.hpp"
#include "decode/decoded_frame.hpp"

namespace sockeye::decode {

class Decoder {
public:
    // link_type: the DLT value pcap_datalink() reports for the source.
    explicit Decoder(int link_type);

    [[nodiscard]] bool supports_link_type() const { return supported_; }
    [[nodiscard]] int link_type() const { return link_type_; }

    // Resets `out` and fills it from `frame`. Never fails: problems are
    // recorded as anomaly bits in `out.anomalies`.
    void decode(const core::RawFrame& frame, DecodedFrame& out) const;

    static bool is_supported_link_type(int link_type);
    // "EN10MB", "LINUX_SLL2", ... for messages; "DLT <n>" when unknown.
    static std::string link_type_name(int link_type);

private:
    int link_type_;
    bool supported_;
};

}  // namespace sockeye::decode
