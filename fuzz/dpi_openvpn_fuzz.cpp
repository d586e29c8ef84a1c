// libFuzzer target for OpenVPN packet layouts over UDP and TCP framing
// (src/dpi/protocols/openvpn.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: OpenVPN
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/openvpn.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_openvpn, 1194, data, size);
}
