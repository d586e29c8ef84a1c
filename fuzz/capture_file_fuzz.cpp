// Fuzz target: capture-file reading. The input is a whole pcap/pcapng file;
// libpcap parses it (through FileSource, as sockeye does) and every frame
// goes through the whole engine: decode, flows, the link address book,
// snapshot, JSON.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/engine.hpp"
#include "capture/file_source.hpp"
#include "decode/decoder.hpp"
#include "export/jsonl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // libpcap reads files by name; an anonymous memory file keeps the disk out.
    const int fd = memfd_create("sockeye-fuzz", 0);
    if (fd < 0) return 0;
    std::size_t written = 0;
    while (written < size) {
        const ssize_t n = write(fd, data + written, size - written);
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    auto opened = sockeye::capture::FileSource::open(path, "");
    if (opened && sockeye::decode::Decoder::is_supported_link_type((*opened)->link_type())) {
        const auto source = std::move(opened).value();
        sockeye::pipeline::EngineOptions options;
        options.flows.max_active_flows = 64;  // exercise eviction with small inputs
        options.flows.max_history = 16;
        options.learn_link_addresses = true;  // as sockeye -r does
        sockeye::pipeline::Engine engine(source->link_type(), options);
        sockeye::core::RawFrame frame;
        // Bounded: a fuzz input is at most a few MB, and so is its frame count.
        while (source->next(frame) == sockeye::capture::NextStatus::frame) engine.process(frame);
        auto snap = engine.snapshot();
        // Every flow's remote asked, as the enricher does for files.
        for (const auto& f : snap.flows) (void)engine.link_address_of(f.destination_ip);
        const std::string json = sockeye::exports::snapshot_to_jsonl(snap);
        if (json.empty() || json.back() != '\n') __builtin_trap();
    }
    close(fd);
    return 0;
}
