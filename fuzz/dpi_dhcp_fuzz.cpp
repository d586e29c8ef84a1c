// libFuzzer target for the BOOTP header and DHCP options (src/dpi/protocols/dhcp.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: DHCP
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/dhcp.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_dhcp, 67, data, size);
}
