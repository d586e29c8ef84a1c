#include "ebpf/owner_table.hpp"

#include <algorithm>
#include <vector>

#include "core/tuple_hash.hpp"

namespace sockeye::ebpf {
namespace {

core::IpAddress any_of(core::IpFamily family) {
    core::IpAddress a;
    a.family = family;
    return a;
}

core::SocketTuple key_of(const OwnerRecord& r) {
    return core::SocketTuple{r.protocol, r.local_ip, r.local_port, r.remote_ip, r.remote_port};
}

}  // namespace

OwnerTable::OwnerTable(std::size_t capacity, std::int64_t ttl_s)
    : capacity_(std::max<std::size_t>(capacity, 8)), ttl_s_(ttl_s) {}

void OwnerTable::add(const OwnerRecord& record, std::int64_t now_s) {
    const core::SocketTuple key = key_of(record);
    if (map_.size() >= capacity_ && map_.find(key) == map_.end()) evict_oldest();
    map_.insert_or_assign(key, Slot{record, now_s});
}

std::optional<OwnerRecord> OwnerTable::find(const core::SocketTuple& flow) const {
    if (auto it = map_.find(flow); it != map_.end()) return it->second.record;
    // TCP records always have a remote. Unconnected UDP sockets and ICMP
    // ping sockets have none in the record: matched by local address and
    // port (for ICMP the echo identifier, which a flow key carries as both
    // its ports, so either orientation of an echo flow matches). A
    // dual-stack socket bound to :: carries IPv4 flows too.
    if (flow.ip_proto != 17 && flow.ip_proto != 1 && flow.ip_proto != 58) return std::nullopt;
    const core::IpAddress any4 = any_of(core::IpFamily::v4);
    const core::IpAddress any6 = any_of(core::IpFamily::v6);
    const core::SocketTuple candidates[] = {
        {flow.ip_proto, flow.local_ip, flow.local_port, flow.local_ip.is_v6() ? any6 : any4, 0},
        {flow.ip_proto, any4, flow.local_port, any4, 0},
        {flow.ip_proto, any6, flow.local_port, any6, 0},
    };
    for (const core::SocketTuple& k : candidates) {
        if (auto it = map_.find(k); it != map_.end()) return it->second.record;
    }
    return std::nullopt;
}

std::size_t OwnerTable::expire(std::int64_t now_s) {
    return std::erase_if(map_, [&](const auto& kv) { return now_s - kv.second.added_s > ttl_s_; });
}

void OwnerTable::evict_oldest() {
    std::vector<std::int64_t> ages;
    ages.reserve(map_.size());
    for (const auto& kv : map_) ages.push_back(kv.second.added_s);
    const std::size_t n = std::max<std::size_t>(map_.size() / 8, 1);
    std::nth_element(ages.begin(), ages.begin() + static_cast<std::ptrdiff_t>(n - 1), ages.end());
    const std::int64_t cutoff = ages[n - 1];
    std::size_t removed = 0;
    for (auto it = map_.begin(); it != map_.end() && removed < n;) {
        if (it->second.added_s <= cutoff) {
            it = map_.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
}

}  // namespace sockeye::ebpf
