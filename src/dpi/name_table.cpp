#include "dpi/name_table.hpp"

namespace sockeye::dpi {

void NameTable::add(const core::IpAddress& address, std::string_view name) {
    if (max_entries_ == 0 || name.empty() || address.family == core::IpFamily::none) return;
    auto it = names_.find(address);
    if (it == names_.end()) {
        while (names_.size() >= max_entries_ && !order_.empty()) {
            names_.erase(order_.front());
            order_.pop_front();
        }
        it = names_.emplace(address, std::vector<std::string>{}).first;
        order_.push_back(address);
    }
    // Newest first, each name once, at most kMaxNamesPerAddress.
    std::vector<std::string> updated;
    updated.reserve(kMaxNamesPerAddress);
    updated.emplace_back(name);
    for (auto& existing : it->second)
        if (existing != name && updated.size() < kMaxNamesPerAddress)
            updated.push_back(std::move(existing));
    it->second = std::move(updated);
}

std::vector<std::string> NameTable::names_for(const core::IpAddress& address) const {
    const auto it = names_.find(address);
    return it == names_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace sockeye::dpi
