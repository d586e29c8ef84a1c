#include "capture/pcap_handle.hpp"

#include <cstring>
#include <limits>

#include "capture/capture_time.hpp"

namespace sockeye::capture {

core::Result<void> apply_filter(pcap_t* handle, const std::string& expression) {
    if (expression.empty()) return {};
    bpf_program program{};
    if (pcap_compile(handle, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        return core::Error{core::ErrorCode::bad_filter,
                           "bad filter expression '" + expression + "': " + pcap_geterr(handle)};
    }
    const int rc = pcap_setfilter(handle, &program);
    pcap_freecode(&program);
    if (rc != 0) {
        return core::Error{core::ErrorCode::io,
                           "cannot install filter '" + expression + "': " + pcap_geterr(handle)};
    }
    return {};
}

core::RawFrame to_raw_frame(const pcap_pkthdr& header, const std::uint8_t* data) {
    core::RawFrame frame;
    // Live timestamps are the kernel's; the clamp (capture_time.hpp) only
    // guards the engine against a clock set absurdly far out.
    frame.ts_ns = capture_time_ns(header.ts.tv_sec, header.ts.tv_usec);
    frame.wire_len = header.len;
    frame.bytes = {data, header.caplen};
    return frame;
}

std::string libpcap_version() {
    // pcap_lib_version(): "libpcap version 1.10.3 (with TPACKET_V3)"
    std::string v = pcap_lib_version();
    const std::string prefix = "libpcap version ";
    if (v.rfind(prefix, 0) == 0) v = "libpcap " + v.substr(prefix.size());
    return v;
}

}  // namespace sockeye::capture
