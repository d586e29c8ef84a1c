// libFuzzer target for the BER walk over SNMP v1/v2c/v3 messages (src/dpi/protocols/snmp.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: SNMP
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/snmp.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_snmp, 161, data, size);
}
