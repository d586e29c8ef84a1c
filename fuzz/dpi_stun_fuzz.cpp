// libFuzzer target for STUN headers and attributes (src/dpi/protocols/stun.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: STUN
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/stun.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_stun, 3478, data, size);
}
