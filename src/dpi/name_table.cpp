#include "dpi/name_table.hpp"

namespace sockeye::dpi {

std::size_t NameTable::AddressHash::operator()(const core::IpAddress& a) const {
    // FNV-1a over the fixed-size bytes (unused IPv4 bytes are zero).
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const std::uint8_t b : a.bytes) h = (h ^ b) * 0x100000001b3ULL;
    h = (h ^ static_cast<std::uint8_t>(a.family)) * 0x100000001b3ULL;
    return static_cast<std::size_t>(h);
}

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
