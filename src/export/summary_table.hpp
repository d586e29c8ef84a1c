// `--summary`: a readable table of flows, largest first, for people.
#pragma once

#include <string>

#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// "1.5 KiB", "12.0 MiB"; plain bytes below 1 KiB.
std::string human_bytes(std::uint64_t bytes);
// The same amount in bits, decimal prefixes as network rates are given:
// "0 b", "8.0 kb", "272.0 Mb".
std::string human_bits(std::uint64_t bytes);

// Header line with totals, a column-aligned table of all flows ordered by
// total bytes (largest first), then anomaly counts if any.
std::string summary_table(const snapshot::Snapshot& snap, bool bits = false);

}  // namespace sockeye::exports
