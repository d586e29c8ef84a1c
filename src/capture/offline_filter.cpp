#include "capture/offline_filter.hpp"

#include "capture/pcap_handle.hpp"

namespace sockeye::capture {

core::Result<std::unique_ptr<OfflineFilter>> OfflineFilter::compile(const std::string& expression,
                                                                    int link_type) {
    std::unique_ptr<OfflineFilter> filter(new OfflineFilter(expression));
    auto program = filter->program_for(link_type);
    if (!program) return std::move(program).error();
    return filter;
}

OfflineFilter::~OfflineFilter() {
    for (auto& p : programs_)
        if (p.compiled) pcap_freecode(&p.code);
}

core::Result<OfflineFilter::Program*> OfflineFilter::program_for(int link_type) {
    for (auto& p : programs_)
        if (p.link_type == link_type) return &p;
    Program& p = programs_.emplace_back();
    p.link_type = link_type;
    // The compiler needs a handle only for the link type and snaplen.
    const PcapHandle dead(pcap_open_dead_with_tstamp_precision(link_type, 262'144,
                                                              PCAP_TSTAMP_PRECISION_NANO));
    if (!dead) {
        // The expression cannot be checked for this link type, which is
        // reported as the expression's fault like any other refusal.
        return core::Error{core::ErrorCode::bad_filter, "bad filter expression '" + expression_ +
                                                            "': no pcap handle for link type " +
                                                            std::to_string(link_type)};
    }
    if (pcap_compile(dead.get(), &p.code, expression_.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        return core::Error{core::ErrorCode::bad_filter,
                           "bad filter expression '" + expression_ + "': " + pcap_geterr(dead.get())};
    }
    p.compiled = true;
    return &p;
}

bool OfflineFilter::matches(const core::RawFrame& frame) {
    // A link type the expression does not compile for matches nothing.
    const auto program = program_for(frame.link_type);
    if (!program) return false;
    Program& p = **program;
    if (!p.compiled) return false;
    pcap_pkthdr header{};
    header.caplen = static_cast<bpf_u_int32>(frame.bytes.size());
    header.len = frame.wire_len;
    return pcap_offline_filter(&p.code, &header, frame.bytes.data()) != 0;
}

}  // namespace sockeye::capture
