// Fuzz target: the pcapng block reader alone, from memory: every block,
// option and length field of a hostile file. (capture_file drives the same
// reader through FileSource and the whole engine, at a lower rate.)
#include <cstddef>
#include <cstdint>

#include "capture/pcapng_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    sockeye::capture::MemoryInput input({data, size});
    sockeye::capture::PcapngReader reader(input);
    if (reader.start() != sockeye::capture::PcapngReader::Status::packet) return 0;
    sockeye::capture::PcapngPacket packet;
    std::uint64_t sum = 0;
    // Bounded: every packet consumes at least one 12-byte block.
    while (reader.next(packet) == sockeye::capture::PcapngReader::Status::packet) {
        // Touch what the reader hands out, so ASan sees any bad span.
        for (const std::uint8_t b : packet.bytes) sum += b;
        for (const char c : packet.comment) sum += static_cast<unsigned char>(c);
        if (packet.interface_id >= reader.interfaces().size()) __builtin_trap();
        if (packet.ts_ns < 0) __builtin_trap();
    }
    // Keeps the reads above from being optimised away.
    asm volatile("" : : "r"(sum));
    return 0;
}
