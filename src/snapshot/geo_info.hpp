// What is known of where an address is: its range always, and for a public
// address what the geo databases say. A plain value, carried by flow records
// (shared, one per address) to every view and export.
#pragma once

#include <cstdint>
#include <string>

#include "core/address_scope.hpp"

namespace sockeye::snapshot {

struct GeoInfo {
    core::AddressScope scope = core::AddressScope::public_;
    std::string country;        // ISO 3166-1 alpha-2, "" when unknown
    std::string city;           // English name, "" when unknown or no city database
    std::uint32_t asn = 0;      // 0 when unknown
    std::string organisation;   // the AS's organisation, "" when unknown

    friend bool operator==(const GeoInfo&, const GeoInfo&) = default;
};

}  // namespace sockeye::snapshot
