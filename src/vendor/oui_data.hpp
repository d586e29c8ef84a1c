// The IEEE MA-L registry compiled into the binary by scripts/oui-table at
// build time (from Debian's ieee-data); its layout is described there and
// read by oui.cpp only.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sockeye::vendor::data {

// Vendor names, sorted and front-coded in blocks of 16.
extern const char kNames[];
extern const std::size_t kNamesSize;
extern const std::uint32_t kNameBlockStarts[];
extern const std::size_t kNameCount;

// 24-bit prefixes, sorted and delta-coded in blocks of 64, each with a name index.
extern const char kEntries[];
extern const std::size_t kEntriesSize;
extern const std::uint32_t kEntryBlockFirst[];
extern const std::uint32_t kEntryBlockOffset[];
extern const std::size_t kEntryCount;

}  // namespace sockeye::vendor::data
