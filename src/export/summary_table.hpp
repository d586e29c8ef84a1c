// `--summary`: a readable table of flows, largest first, for people.
#pragma once

#include <string>

#include "snapshot/snapshot.hpp"

namespace sockeye::exports {

// "1.5 KiB", "12.0 MiB"; plain bytes below 1 KiB.
std::string human_bytes(std::uint64_t bytes);

// Header line with totals, a column-aligned table of all flows ordered by
// total bytes (largest first), then anomaly counts if any.
std::string summary_table(const snapshot::Snapshot& snap);

}  // namespace sockeye::exports
