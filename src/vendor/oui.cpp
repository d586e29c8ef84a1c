#include "vendor/oui.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "vendor/oui_data.hpp"

namespace sockeye::vendor {
namespace {

constexpr std::size_t kNameBlock = 16;
constexpr std::size_t kEntryBlock = 64;

std::uint32_t byte_at(const char* data, std::size_t i) {
    return static_cast<std::uint8_t>(data[i]);
}

// The name with this index: the block's first name, then each following
// one rebuilt from the bytes it shares with the one before it.
std::string decode_name(std::size_t index) {
    if (index >= data::kNameCount) return "";
    std::size_t at = data::kNameBlockStarts[index / kNameBlock];
    std::string name(data::kNames + at);
    at += name.size() + 1;
    for (std::size_t i = index / kNameBlock * kNameBlock; i < index; ++i) {
        const std::size_t shared = std::min<std::size_t>(byte_at(data::kNames, at), name.size());
        const char* rest = data::kNames + at + 1;
        name.resize(shared);
        name += rest;
        at += 1 + std::strlen(rest) + 1;
    }
    return name;
}

// The name index of a registered 24-bit prefix, or kNameCount.
std::size_t find_prefix(std::uint32_t prefix) {
    const std::size_t blocks = (data::kEntryCount + kEntryBlock - 1) / kEntryBlock;
    const std::uint32_t* first = data::kEntryBlockFirst;
    const std::uint32_t* after = std::upper_bound(first, first + blocks, prefix);
    if (after == first) return data::kNameCount;
    const auto block = static_cast<std::size_t>(std::distance(first, after) - 1);
    std::size_t at = data::kEntryBlockOffset[block];
    std::uint32_t current = first[block];
    const std::size_t count = std::min(kEntryBlock, data::kEntryCount - block * kEntryBlock);
    for (std::size_t i = 0; i < count; ++i) {
        if (i != 0) {
            const std::uint32_t gap = byte_at(data::kEntries, at) | byte_at(data::kEntries, at + 1) << 8;
            at += 2;
            if (gap == 0xFFFF) {
                current = byte_at(data::kEntries, at) | byte_at(data::kEntries, at + 1) << 8 |
                          byte_at(data::kEntries, at + 2) << 16;
                at += 3;
            } else {
                current += gap;
            }
        }
        const std::size_t name = byte_at(data::kEntries, at) | byte_at(data::kEntries, at + 1) << 8;
        at += 2;
        if (current == prefix) return name;
        if (current > prefix) break;
    }
    return data::kNameCount;
}

}  // namespace

std::string vendor_of(const MacAddress& mac) {
    if ((mac[0] & 0x01) != 0) return "multicast";
    if ((mac[0] & 0x02) != 0) return "locally administered";
    const std::uint32_t prefix = static_cast<std::uint32_t>(mac[0]) << 16 |
                                 static_cast<std::uint32_t>(mac[1]) << 8 | mac[2];
    return decode_name(find_prefix(prefix));
}

std::size_t registered_prefixes() { return data::kEntryCount; }

std::string name_at(std::size_t index) { return decode_name(index); }

}  // namespace sockeye::vendor
