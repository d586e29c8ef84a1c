// libFuzzer target for the NTP header (src/dpi/protocols/ntp.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: NTP
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/ntp.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_ntp, 123, data, size);
}
