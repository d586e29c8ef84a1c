// The hardware vendor of a MAC address, from IEEE's registry of 24-bit
// prefixes (MA-L), compiled into the binary: no file is read at run time.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace sockeye::vendor {

using MacAddress = std::array<std::uint8_t, 6>;

// What is known of the maker of `mac`: a short vendor name ("Raspberry Pi",
// "Cisco"); "locally administered" for an address set by software (random
// addresses of phones and laptops, virtual machines' and containers' own);
// "multicast" for group addresses; "" when the prefix is not registered.
std::string vendor_of(const MacAddress& mac);

// The registry's entries, for tests and tools: the number of prefixes and
// the name of the i-th name in the table (sorted), or "" past the end.
std::size_t registered_prefixes();
std::string name_at(std::size_t index);

}  // namespace sockeye::vendor
