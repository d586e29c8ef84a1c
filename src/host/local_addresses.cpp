#include "host/local_addresses.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <sys/socket.h>

#include <algorithm>
#include <utility>

#include "core/socket_address.hpp"
#include "host/socket_tuple.hpp"

namespace sockeye::host {
namespace {

// The address of an interface's sockaddr, when it is IPv4 or IPv6.
bool to_address(const sockaddr* sa, core::IpAddress& out) {
    const auto endpoint = core::endpoint_of(sa);
    if (endpoint) out = endpoint->address;
    return endpoint.has_value();
}

void sort_unique(std::vector<core::IpAddress>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

InterfaceAddresses interface_addresses() {
    InterfaceAddresses out;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return out;
    for (ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
        core::IpAddress a;
        if (!to_address(it->ifa_addr, a)) continue;
        out.own.push_back(a);
        if (a.is_v4() && (it->ifa_flags & IFF_BROADCAST) != 0 &&
            to_address(it->ifa_broadaddr, a) && a.is_v4()) {
            out.broadcast.push_back(a);
        }
    }
    freeifaddrs(list);
    sort_unique(out.own);
    sort_unique(out.broadcast);
    return out;
}

std::vector<core::IpAddress> local_addresses() { return interface_addresses().own; }

bool is_group_address(const core::IpAddress& a) {
    if (a.is_v4()) {
        if ((a.bytes[0] & 0xf0) == 0xe0) return true;  // 224.0.0.0/4
        return std::all_of(a.bytes.begin(), a.bytes.begin() + 4, [](std::uint8_t b) { return b == 0xff; });
    }
    return a.is_v6() && a.bytes[0] == 0xff;  // ff00::/8
}

std::shared_ptr<const LocalAddressSet::Entries> LocalAddressSet::entries() const {
    std::lock_guard lock(mutex_);
    return current_;
}

bool LocalAddressSet::own(const Entries& e, const core::IpAddress& a) {
    return is_loopback(a) || std::binary_search(e.addresses.own.begin(), e.addresses.own.end(), a);
}

bool LocalAddressSet::is_own(const core::IpAddress& address) const {
    const auto e = entries();
    return !e || own(*e, unmap_v4(address));
}

bool LocalAddressSet::may_be_local(std::uint8_t ip_proto, const core::IpAddress& source,
                                   const core::IpAddress& destination) const {
    const auto e = entries();
    if (!e) return true;
    const core::IpAddress src = unmap_v4(source);
    const core::IpAddress dst = unmap_v4(destination);
    // An address the flow table could not read: nothing to rule out with.
    if (src.family == core::IpFamily::none || dst.family == core::IpFamily::none) return true;
    for (const auto* listed : {&e->addresses.own, &e->addresses.guests}) {
        if (std::binary_search(listed->begin(), listed->end(), src) ||
            std::binary_search(listed->begin(), listed->end(), dst)) {
            return true;
        }
    }
    if (is_loopback(src) && is_loopback(dst)) return true;
    // An unspecified end: a socket bound to the wildcard, asked about as
    // such, or a DHCP client before it has an address.
    if (is_any_address(src) || is_any_address(dst)) return true;
    if (ip_proto != kProtoUdp) return false;
    const auto& broadcast = e->addresses.broadcast;
    return is_group_address(dst) || std::binary_search(broadcast.begin(), broadcast.end(), dst);
}

bool LocalAddressSet::update(InterfaceAddresses addresses) {
    sort_unique(addresses.own);
    sort_unique(addresses.broadcast);
    sort_unique(addresses.guests);
    std::shared_ptr<const Entries> next;
    if (!addresses.own.empty()) next = std::make_shared<const Entries>(Entries{std::move(addresses)});
    std::lock_guard lock(mutex_);
    const bool same = (!next && !current_) ||
                      (next && current_ && next->addresses.own == current_->addresses.own &&
                       next->addresses.broadcast == current_->addresses.broadcast &&
                       next->addresses.guests == current_->addresses.guests);
    if (same) return false;
    current_ = std::move(next);
    ++changes_;
    return true;
}

bool LocalAddressSet::known() const {
    std::lock_guard lock(mutex_);
    return current_ != nullptr;
}

std::uint64_t LocalAddressSet::changes() const {
    std::lock_guard lock(mutex_);
    return changes_;
}

}  // namespace sockeye::host
