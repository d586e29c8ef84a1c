#include "enrich/host_namer.hpp"

#include <optional>

namespace sockeye::enrich {

std::string HostNamer::name_for(const core::IpAddress& address) {
    if (address.family == core::IpFamily::none) return {};
    if (sniffed_) {
        std::vector<std::string> names = sniffed_(address);
        if (!names.empty() && !names.front().empty()) return std::move(names.front());
    }
    if (resolver_ == nullptr) return {};
    if (std::optional<std::string> name = resolver_->name(address)) {
        resolver_->request(address);  // refreshes it once its TTL has run out
        return std::move(*name);
    }
    resolver_->request(address);
    return {};
}

}  // namespace sockeye::enrich
