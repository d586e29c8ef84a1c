#include "capture/live_source.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sockeye::capture {
namespace {

constexpr const char* kCapabilityHint =
    "capturing needs root or the cap_net_raw and cap_net_admin capabilities "
    "(sudo setcap cap_net_raw,cap_net_admin=eip /path/to/sockeye)";

core::Error activation_error(pcap_t* handle, int rc, const std::string& interface) {
    switch (rc) {
        case PCAP_ERROR_PERM_DENIED:
            return {core::ErrorCode::permission_denied,
                    "no permission to capture on '" + interface + "': " + kCapabilityHint};
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return {core::ErrorCode::not_found, "no such interface '" + interface + "' (see `ip link`)"};
        case PCAP_ERROR_IFACE_NOT_UP:
            return {core::ErrorCode::unsupported, "interface '" + interface + "' is down"};
        default:
            return {core::ErrorCode::io, "cannot capture on '" + interface + "': " + pcap_geterr(handle)};
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

LiveSource::LiveSource(PcapHandle handle, std::string interface, int timeout_ms, bool immediate,
                       int wake_fd)
    : handle_(std::move(handle)), interface_(std::move(interface)), timeout_ms_(timeout_ms),
      immediate_(immediate), wake_fd_(wake_fd), link_type_(pcap_datalink(handle_.get())) {}

LiveSource::~LiveSource() { ::close(wake_fd_); }

void LiveSource::interrupt() {
    interrupted_.store(true, std::memory_order_release);
    pcap_breakloop(handle_.get());
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof(one));
}

core::Result<std::unique_ptr<LiveSource>> LiveSource::open(const LiveOptions& options) {
    const std::string interface =
        options.interface.empty() ? default_interface() : options.interface;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    PcapHandle handle(pcap_create(interface.c_str(), errbuf));
    if (!handle) {
        return core::Error{core::ErrorCode::io, "cannot capture on '" + interface + "': " + errbuf};
    }
    pcap_set_snaplen(handle.get(), options.snaplen);
    pcap_set_promisc(handle.get(), options.promiscuous ? 1 : 0);
    // Without immediate mode, also the ring's block timeout (TPACKET_V3's
    // tp_retire_blk_tov): how long a frame may wait in a part-filled block.
    pcap_set_timeout(handle.get(), options.timeout_ms);
    // Immediate: each packet as soon as it arrives (libpcap then uses
    // TPACKET_V2), so a SYN reaches userspace process attribution while its
    // short-lived owner still holds the socket. Otherwise TPACKET_V3 blocks:
    // one wake-up per block rather than per packet or two.
    pcap_set_immediate_mode(handle.get(), options.immediate ? 1 : 0);
    pcap_set_buffer_size(handle.get(), options.buffer_bytes);
    pcap_set_tstamp_precision(handle.get(), PCAP_TSTAMP_PRECISION_NANO);
    const int rc = pcap_activate(handle.get());
    if (rc < 0) return activation_error(handle.get(), rc, interface);
    // "any" defaults to SLL; SLL2 also carries the interface index.
    if (interface == "any") pcap_set_datalink(handle.get(), DLT_LINUX_SLL2);
    if (auto filtered = apply_filter(handle.get(), options.filter); !filtered) {
        return std::move(filtered).error();
    }
    // libpcap's read timeout does not end a read on Linux while no packet
    // arrives (pcap(3PCAP) says as much), so a quiet interface would block
    // next() for good: no ticks, no snapshots, an empty screen. Non-blocking
    // reads and our own poll() bound the wait instead.
    if (pcap_setnonblock(handle.get(), 1, errbuf) != 0) {
        return core::Error{core::ErrorCode::io, "cannot capture on '" + interface + "': " + errbuf};
    }
    const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0) {
        const int e = errno;
        return core::Error{core::error_code_for_errno(e),
                           std::string("cannot capture: eventfd: ") + std::strerror(e)};
    }
    return std::unique_ptr<LiveSource>(
        new LiveSource(std::move(handle), interface, options.timeout_ms, options.immediate, wake_fd));
}

NextStatus LiveSource::next(core::RawFrame& out) {
    // A ring with frames waiting answers without a system call; an empty one
    // is waited on once, up to the timeout, then read again.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (interrupted_.load(std::memory_order_acquire)) return NextStatus::end;
        pcap_pkthdr* header = nullptr;
        const std::uint8_t* data = nullptr;
        const int rc = pcap_next_ex(handle_.get(), &header, &data);
        if (rc == 1) {
            out = to_raw_frame(*header, data);
            return NextStatus::frame;
        }
        if (rc == PCAP_ERROR_BREAK) return NextStatus::end;
        if (rc != 0) {
            error_ = "capture on '" + interface_ + "' failed: " + pcap_geterr(handle_.get());
            return NextStatus::error;
        }
        if (attempt == 0 && !wait_readable()) return NextStatus::error;
    }
    return NextStatus::timeout;
}

bool LiveSource::wait_readable() {
    ++waits_;
    pollfd fds[2] = {{pcap_get_selectable_fd(handle_.get()), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(fds, 2, timeout_ms_) >= 0 || errno == EINTR) return true;
    error_ = "capture on '" + interface_ + "' failed: poll: " + std::strerror(errno);
    return false;
}

SourceStats LiveSource::stats() const {
    pcap_stat st{};
    if (pcap_stats(handle_.get(), &st) != 0) return {};
    return {st.ps_recv, st.ps_drop, st.ps_ifdrop};
}

}  // namespace sockeye::capture
