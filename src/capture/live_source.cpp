#include "capture/live_source.hpp"

#include <fstream>
#include <sstream>

namespace sockeye::capture {
namespace {

constexpr const char* kCapabilityHint =
    "capturing needs root or the cap_net_raw and cap_net_admin capabilities "
    "(sudo setcap cap_net_raw,cap_net_admin=eip /path/to/sockeye)";

std::string activation_error(pcap_t* handle, int rc, const std::string& interface) {
    switch (rc) {
        case PCAP_ERROR_PERM_DENIED:
            return "no permission to capture on '" + interface + "': " + kCapabilityHint;
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return "no such interface '" + interface + "' (see `ip link`)";
        case PCAP_ERROR_IFACE_NOT_UP:
            return "interface '" + interface + "' is down";
        default:
            return "cannot capture on '" + interface + "': " + pcap_geterr(handle);
    }
}

// /proc/net/route: Iface Destination Gateway Flags ... Metric ...
std::string default_route_interface_v4() {
    std::ifstream in("/proc/net/route");
    std::string line;
    std::getline(in, line);  // header
    std::string best;
    long best_metric = -1;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string iface, destination, gateway, flags, refcnt, use, metric, mask;
        if (!(fields >> iface >> destination >> gateway >> flags >> refcnt >> use >> metric >> mask))
            continue;
        if (destination != "00000000" || mask != "00000000") continue;
        const long m = std::strtol(metric.c_str(), nullptr, 10);
        if (best_metric < 0 || m < best_metric) {
            best = iface;
            best_metric = m;
        }
    }
    return best;
}

// /proc/net/ipv6_route: dest dest_len src src_len next_hop metric refcnt use flags iface
std::string default_route_interface_v6() {
    std::ifstream in("/proc/net/ipv6_route");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string dest, dest_len, src, src_len, hop, metric, refcnt, use, flags, iface;
        if (!(fields >> dest >> dest_len >> src >> src_len >> hop >> metric >> refcnt >> use >>
              flags >> iface))
            continue;
        if (dest_len == "00" && iface != "lo") return iface;
    }
    return {};
}

std::string first_up_interface() {
    pcap_if_t* all = nullptr;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    if (pcap_findalldevs(&all, errbuf) != 0 || all == nullptr) return {};
    std::string found;
    for (pcap_if_t* d = all; d != nullptr; d = d->next) {
        const bool loopback = (d->flags & PCAP_IF_LOOPBACK) != 0;
        const bool up = (d->flags & PCAP_IF_UP) != 0 && (d->flags & PCAP_IF_RUNNING) != 0;
        if (!loopback && up && std::string(d->name) != "any") {
            found = d->name;
            break;
        }
    }
    pcap_freealldevs(all);
    return found;
}

}  // namespace

std::string default_interface() {
    if (auto v4 = default_route_interface_v4(); !v4.empty()) return v4;
    if (auto v6 = default_route_interface_v6(); !v6.empty()) return v6;
    if (auto up = first_up_interface(); !up.empty()) return up;
    return "any";
}

LiveSource::LiveSource(PcapHandle handle, std::string interface)
    : handle_(std::move(handle)), interface_(std::move(interface)),
      link_type_(pcap_datalink(handle_.get())) {}

std::unique_ptr<LiveSource> LiveSource::open(const LiveOptions& options, std::string& error) {
    const std::string interface =
        options.interface.empty() ? default_interface() : options.interface;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    PcapHandle handle(pcap_create(interface.c_str(), errbuf));
    if (!handle) {
        error = "cannot capture on '" + interface + "': " + errbuf;
        return nullptr;
    }
    pcap_set_snaplen(handle.get(), options.snaplen);
    pcap_set_promisc(handle.get(), options.promiscuous ? 1 : 0);
    pcap_set_timeout(handle.get(), options.timeout_ms);
    // Each packet as soon as it arrives, not when a ring block fills: a SYN
    // must reach process attribution while its (possibly short-lived) owner
    // still holds the socket. libpcap then uses TPACKET_V2.
    pcap_set_immediate_mode(handle.get(), options.immediate ? 1 : 0);
    pcap_set_buffer_size(handle.get(), options.buffer_bytes);
    pcap_set_tstamp_precision(handle.get(), PCAP_TSTAMP_PRECISION_NANO);
    const int rc = pcap_activate(handle.get());
    if (rc < 0) {
        error = activation_error(handle.get(), rc, interface);
        return nullptr;
    }
    // "any" defaults to SLL; SLL2 also carries the interface index.
    if (interface == "any") pcap_set_datalink(handle.get(), DLT_LINUX_SLL2);
    error = apply_filter(handle.get(), options.filter);
    if (!error.empty()) return nullptr;
    return std::unique_ptr<LiveSource>(new LiveSource(std::move(handle), interface));
}

NextStatus LiveSource::next(core::RawFrame& out) {
    pcap_pkthdr* header = nullptr;
    const std::uint8_t* data = nullptr;
    const int rc = pcap_next_ex(handle_.get(), &header, &data);
    if (rc == 1) {
        out = to_raw_frame(*header, data);
        return NextStatus::frame;
    }
    if (rc == 0) return NextStatus::timeout;
    if (rc == PCAP_ERROR_BREAK) return NextStatus::end;
    error_ = "capture on '" + interface_ + "' failed: " + pcap_geterr(handle_.get());
    return NextStatus::error;
}

SourceStats LiveSource::stats() const {
    pcap_stat st{};
    if (pcap_stats(handle_.get(), &st) != 0) return {};
    return {st.ps_recv, st.ps_drop, st.ps_ifdrop};
}

}  // namespace sockeye::capture
