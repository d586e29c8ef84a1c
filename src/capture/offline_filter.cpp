#include "capture/offline_filter.hpp"

#include "capture/pcap_handle.hpp"

namespace sockeye::capture {

std::unique_ptr<OfflineFilter> OfflineFilter::compile(const std::string& expression,
                                                      int link_type, std::string& error) {
    std::unique_ptr<OfflineFilter> filter(new OfflineFilter(expression));
    error.clear();
    filter->program_for(link_type, error);
    if (!error.empty()) return nullptr;
    return filter;
}

OfflineFilter::~OfflineFilter() {
    for (auto& p : programs_)
        if (p.compiled) pcap_freecode(&p.code);
}

OfflineFilter::Program& OfflineFilter::program_for(int link_type, std::string& error) {
    for (auto& p : programs_)
        if (p.link_type == link_type) return p;
    Program& p = programs_.emplace_back();
    p.link_type = link_type;
    // The compiler needs a handle only for the link type and snaplen.
    const PcapHandle dead(pcap_open_dead_with_tstamp_precision(link_type, 262'144,
                                                              PCAP_TSTAMP_PRECISION_NANO));
    if (!dead) {
        error = "bad filter expression '" + expression_ + "': no pcap handle for link type " +
                std::to_string(link_type);
        return p;
    }
    if (pcap_compile(dead.get(), &p.code, expression_.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        error = "bad filter expression '" + expression_ + "': " + pcap_geterr(dead.get());
        return p;
    }
    p.compiled = true;
    return p;
}

bool OfflineFilter::matches(const core::RawFrame& frame) {
    std::string error;
    Program& p = program_for(frame.link_type, error);
    if (!p.compiled) return false;
    pcap_pkthdr header{};
    header.caplen = static_cast<bpf_u_int32>(frame.bytes.size());
    header.len = frame.wire_len;
    return pcap_offline_filter(&p.code, &header, frame.bytes.data()) != 0;
}

}  // namespace sockeye::capture
