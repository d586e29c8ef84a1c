// libFuzzer target for DHCPv6 options and relay unwrapping (src/dpi/protocols/dhcpv6.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: DHCPv6
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/dhcpv6.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_dhcpv6, 547, data, size);
}
