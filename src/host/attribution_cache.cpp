#include "host/attribution_cache.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace sockeye::host {

AttributionCache::AttributionCache(std::size_t capacity, std::int64_t idle_ttl_s)
    : capacity_(std::max<std::size_t>(capacity, 1)), ttl_s_(idle_ttl_s) {}

std::optional<Attribution> AttributionCache::find(const SocketTuple& key, std::int64_t now_s) const {
    const auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    if (it->second.last_used.load(std::memory_order_relaxed) < now_s) {
        it->second.last_used.store(now_s, std::memory_order_relaxed);
    }
    return it->second.value;
}

bool AttributionCache::has_process(const SocketTuple& key) const {
    const auto it = map_.find(key);
    return it != map_.end() && it->second.value.process != nullptr;
}

void AttributionCache::put(const SocketTuple& key, const Attribution& value, std::int64_t now_s) {
    if (const auto it = map_.find(key); it != map_.end()) {
        it->second.value = value;
        it->second.last_used.store(now_s, std::memory_order_relaxed);
        it->second.closed = false;
        return;
    }
    if (map_.size() >= capacity_) evict_oldest();
    map_.try_emplace(key, value, now_s);
}

std::vector<SocketTuple> AttributionCache::open_tcp_sockets(std::size_t max) const {
    std::vector<SocketTuple> out;
    for (const auto& [key, slot] : map_) {
        if (out.size() >= max) break;
        if (key.ip_proto == kProtoTcp && slot.value.process != nullptr && !slot.closed) {
            out.push_back(key);
        }
    }
    return out;
}

void AttributionCache::mark_closed(const SocketTuple& key) {
    if (const auto it = map_.find(key); it != map_.end()) it->second.closed = true;
}

void AttributionCache::set_kernel_rtt(const SocketTuple& key, std::int64_t srtt_ns) {
    if (const auto it = map_.find(key); it != map_.end()) it->second.value.kernel_srtt_ns = srtt_ns;
}

void AttributionCache::evict_oldest() {
    std::vector<std::pair<std::int64_t, SocketTuple>> by_age;
    by_age.reserve(map_.size());
    for (const auto& [key, slot] : map_) {
        by_age.emplace_back(slot.last_used.load(std::memory_order_relaxed), key);
    }
    // An eighth at a time, so a full cache costs one pass per many inserts.
    const std::size_t n = std::max<std::size_t>(1, by_age.size() / 8);
    std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(n - 1), by_age.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < n; ++i) map_.erase(by_age[i].second);
    evicted_ += n;
}

std::size_t AttributionCache::expire(std::int64_t now_s) {
    std::size_t removed = 0;
    for (auto it = map_.begin(); it != map_.end();) {
        if (now_s - it->second.last_used.load(std::memory_order_relaxed) > ttl_s_) {
            it = map_.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
    return removed;
}

}  // namespace sockeye::host
