// libFuzzer target for WireGuard message checks (src/dpi/protocols/wireguard.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: WireGuard
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/wireguard.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_wireguard, 51820, data, size);
}
