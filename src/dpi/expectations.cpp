#include "dpi/expectations.hpp"

#include <algorithm>

#include "core/tuple_hash.hpp"

namespace sockeye::dpi {

ExpectationTable::ExpectationTable(std::size_t capacity, std::int64_t ttl_ns)
    : capacity_(std::max<std::size_t>(capacity, 1)), ttl_ns_(ttl_ns) {}

std::size_t ExpectationTable::KeyHash::operator()(const Key& k) const noexcept {
    return static_cast<std::size_t>(core::mix64(core::fold_address(k.port, k.address)));
}

void ExpectationTable::make_room(std::int64_t now_ns) {
    std::erase_if(entries_, [&](const auto& e) { return now_ns - e.second.added_ns > ttl_ns_; });
    if (entries_.size() < capacity_) return;
    const auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
        return a.second.added_ns < b.second.added_ns;
    });
    entries_.erase(oldest);
}

void ExpectationTable::add(const core::IpAddress& address, std::uint16_t port,
                           const Expected& expected, std::int64_t now_ns) {
    const Key key{address, port};
    if (const auto it = entries_.find(key); it != entries_.end()) {
        it->second = Entry{expected, now_ns};
        return;
    }
    if (entries_.size() >= capacity_) make_room(now_ns);
    entries_.emplace(key, Entry{expected, now_ns});
}

std::optional<ExpectationTable::Expected> ExpectationTable::take(const core::IpAddress& address,
                                                       std::uint16_t port, std::int64_t now_ns) {
    if (entries_.empty()) return std::nullopt;
    const auto it = entries_.find(Key{address, port});
    if (it == entries_.end()) return std::nullopt;
    const Entry e = it->second;
    entries_.erase(it);
    if (now_ns - e.added_ns > ttl_ns_) return std::nullopt;
    return e.expected;
}

}  // namespace sockeye::dpi
