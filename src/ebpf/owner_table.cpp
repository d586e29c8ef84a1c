#include "ebpf/owner_table.hpp"

#include <algorithm>
#include <vector>

namespace sockeye::ebpf {
namespace {

std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

std::uint64_t fold(std::uint64_t h, const core::IpAddress& a) {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        lo = (lo << 8) | a.bytes[i];
        hi = (hi << 8) | a.bytes[i + 8];
    }
    return mix(mix(h ^ lo) ^ hi ^ static_cast<std::uint64_t>(a.family));
}

core::IpAddress any_of(core::IpFamily family) {
    core::IpAddress a;
    a.family = family;
    return a;
}

OwnerKey key_of(const OwnerRecord& r) {
    return OwnerKey{r.protocol, r.local_ip, r.local_port, r.remote_ip, r.remote_port};
}

}  // namespace

std::size_t OwnerKeyHash::operator()(const OwnerKey& k) const noexcept {
    std::uint64_t h = mix((std::uint64_t{k.protocol} << 32) | (std::uint64_t{k.local_port} << 16) | k.remote_port);
    h = fold(h, k.local_ip);
    h = fold(h, k.remote_ip);
    return static_cast<std::size_t>(h);
}

OwnerTable::OwnerTable(std::size_t capacity, std::int64_t ttl_s)
    : capacity_(std::max<std::size_t>(capacity, 8)), ttl_s_(ttl_s) {}

void OwnerTable::add(const OwnerRecord& record, std::int64_t now_s) {
    const OwnerKey key = key_of(record);
    if (map_.size() >= capacity_ && map_.find(key) == map_.end()) evict_oldest();
    map_.insert_or_assign(key, Slot{record, now_s});
}

std::optional<OwnerRecord> OwnerTable::find(const OwnerKey& flow) const {
    if (auto it = map_.find(flow); it != map_.end()) return it->second.record;
    if (flow.protocol != 17) return std::nullopt;  // TCP records always have a remote
    // Unconnected sockets: no remote in the record. A dual-stack socket
    // bound to :: carries IPv4 flows too.
    const core::IpAddress any4 = any_of(core::IpFamily::v4);
    const core::IpAddress any6 = any_of(core::IpFamily::v6);
    const OwnerKey candidates[] = {
        {flow.protocol, flow.local_ip, flow.local_port, flow.local_ip.is_v6() ? any6 : any4, 0},
        {flow.protocol, any4, flow.local_port, any4, 0},
        {flow.protocol, any6, flow.local_port, any6, 0},
    };
    for (const OwnerKey& k : candidates) {
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
