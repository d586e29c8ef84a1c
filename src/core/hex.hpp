// Bytes as lower-case hex, two digits each: connection ids, hashes, DUIDs
// in the outputs.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace sockeye::core {

std::string hex(std::span<const std::uint8_t> bytes);
// The same with a colon between bytes, as link-layer addresses are written:
// "b8:27:eb:12:34:56".
std::string colon_hex(std::span<const std::uint8_t> bytes);

}  // namespace sockeye::core
