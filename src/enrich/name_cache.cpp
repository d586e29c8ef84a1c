#include "enrich/name_cache.hpp"

#include <cstdint>
#include <utility>

namespace sockeye::enrich {

void NameCache::put(const core::IpAddress& address, std::string name, Clock::time_point expires) {
    if (max_entries_ == 0) return;
    auto it = entries_.find(address);
    if (it != entries_.end()) {
        it->second = Entry{std::move(name), expires};
        return;
    }
    while (entries_.size() >= max_entries_ && !order_.empty()) {
        entries_.erase(order_.front());
        order_.pop_front();
    }
    entries_.emplace(address, Entry{std::move(name), expires});
    order_.push_back(address);
}

const NameCache::Entry* NameCache::find(const core::IpAddress& address) const {
    const auto it = entries_.find(address);
    return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace sockeye::enrich
