#include "capture/pcap_handle.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace sockeye::capture {

std::string apply_filter(pcap_t* handle, const std::string& expression) {
    if (expression.empty()) return {};
    bpf_program program{};
    if (pcap_compile(handle, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        return "bad filter expression '" + expression + "': " + pcap_geterr(handle);
    }
    const int rc = pcap_setfilter(handle, &program);
    pcap_freecode(&program);
    if (rc != 0) {
        return "cannot install filter '" + expression + "': " + pcap_geterr(handle);
    }
    return {};
}

core::RawFrame to_raw_frame(const pcap_pkthdr& header, const std::uint8_t* data) {
    core::RawFrame frame;
    // pcapng carries 64-bit timestamps: a corrupt or hostile file can name a
    // second past what int64 nanoseconds hold (year 2262), or before 1970.
    // Clamp to [1970, 2096] instead: the engine adds timeouts and tick
    // intervals to timestamps and subtracts them from each other, and this
    // range leaves more than a century of headroom for that arithmetic
    // (found by fuzzing: a clamp at the int64 limit overflowed the next tick).
    // Such a frame sorts at the start or end of time and harms nothing.
    constexpr std::int64_t kMaxSeconds = 4'000'000'000;
    const auto seconds = std::clamp<std::int64_t>(header.ts.tv_sec, 0, kMaxSeconds);
    const auto fraction = std::clamp<std::int64_t>(header.ts.tv_usec, 0, 999'999'999);
    frame.ts_ns = seconds * 1'000'000'000 + fraction;
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
