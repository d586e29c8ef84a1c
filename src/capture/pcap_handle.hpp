// RAII ownership of a libpcap handle, plus the helpers both pcap-based sources
// share (BPF filters, link-type names).
#pragma once

#include <pcap/pcap.h>

#include <memory>
#include <string>

#include "core/raw_frame.hpp"
#include "core/result.hpp"

namespace sockeye::capture {

struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

// Compiles `expression` (pcap-filter syntax) for `handle` and installs it
// (an empty expression installs nothing). An expression that does not
// compile is ErrorCode::bad_filter: the user's input, not the capture,
// is at fault; an install the kernel refuses is ErrorCode::io.
core::Result<void> apply_filter(pcap_t* handle, const std::string& expression);

// The frame libpcap just returned. Handles are opened with nanosecond
// precision, so tv_usec holds nanoseconds.
core::RawFrame to_raw_frame(const pcap_pkthdr& header, const std::uint8_t* data);

// "libpcap 1.10.3 (with TPACKET_V3)" style version of the linked libpcap.
std::string libpcap_version();

}  // namespace sockeye::capture
