// libFuzzer target for the BitTorrent handshake and DHT bencode walker
// (src/dpi/protocols/bittorrent.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: BitTorrent
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/bittorrent.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_bittorrent, 6881, data, size);
}
