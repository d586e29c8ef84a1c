// Values in filter terms: quantities with units (1.5M, 10KiB, 100ms),
// addresses and prefixes (10.0.0.0/8, fd00::/8), case folding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ip_address.hpp"

namespace sockeye::filter {

enum class Unit : std::uint8_t {
    integer,      // digits only: ports, pids
    count,        // packets: 10, 1.5k, 2M (powers of 1000)
    bytes,        // 1M = 10^6, 1MiB = 2^20, optional trailing B
    rate,         // bytes per second, as bytes with an optional "/s"
    duration_ms,  // ns out; us/ms/s/m/h, a plain number is milliseconds
    duration_s,   // ns out; as above, a plain number is seconds
};

// The value in base units (count, bytes, bytes/s or nanoseconds); nullopt
// when the text is not a non-negative number with a unit of that kind.
std::optional<double> parse_quantity(std::string_view text, Unit unit);

struct Prefix {
    core::IpAddress network;  // host bits cleared
    unsigned length = 0;      // 0..32 (v4) or 0..128 (v6)
};

enum class PrefixParse : std::uint8_t { ok, not_an_address, bad_length };

// "192.0.2.1", "10.0.0.0/8", "fd00::/8"; a bare address is a full-length prefix.
PrefixParse parse_prefix(std::string_view text, Prefix& out);
bool prefix_contains(const Prefix& prefix, const core::IpAddress& address);

// User text quoted in an error message: one line, control characters and
// malformed UTF-8 as \xNN (core::printable_text), cut to `max_length`
// bytes with "..." after.
std::string printable_excerpt(std::string_view text, std::size_t max_length = 40);

char ascii_lower(char c);
std::string ascii_lower(std::string_view text);

}  // namespace sockeye::filter
