// libFuzzer target for MQTT CONNECT, SUBSCRIBE and PUBLISH parsing (src/dpi/protocols/mqtt.hpp).
// Input layout and calls: fuzz/probe_fuzz_driver.hpp.
// DPI registry entries: MQTT
#include <cstddef>
#include <cstdint>

#include "dpi/protocols/mqtt.hpp"
#include "probe_fuzz_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return sockeye::fuzz::run_probe(sockeye::dpi::probe_mqtt, 1883, data, size);
}
