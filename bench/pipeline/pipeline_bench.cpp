// End-to-end engine benchmark and memory report.
//
//   sockeye_pipeline_bench --file CAPTURE [--repeat N] [--max-flows N] [--no-dpi]
//                          [--link-addresses]
//       Loads CAPTURE into memory, then runs decode + flows over it N times
//       (a fresh engine each time) and prints the fastest run.
//   sockeye_pipeline_bench --concurrent-flows N [--link-addresses]
//       Feeds N distinct UDP flows (cap N) and reports table memory per flow
//       and the process RSS.
//   --link-addresses: the engine learns peers' MACs from the frames, as it
//   does for `sockeye -r FILE`.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/engine.hpp"
#include "capture/file_source.hpp"
#include "capture/memory_source.hpp"

namespace {

using sockeye::pipeline::Engine;

long rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}

long peak_rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}

int bench_file(const std::string& path, int repeat, std::size_t max_flows, bool dpi, bool link) {
    auto opened = sockeye::capture::FileSource::open(path, "");
    if (!opened) {
        std::fprintf(stderr, "pipeline_bench: %s\n", opened.error().message.c_str());
        return 1;
    }
    const auto file = std::move(opened).value();
    auto mem = sockeye::capture::MemorySource::load(*file);
    if (!mem->error().empty()) std::fprintf(stderr, "pipeline_bench: %s\n", mem->error().c_str());

    double best_s = 1e300;
    std::uint64_t flows = 0;
    std::uint64_t evictions = 0;  // a flood capture pushes the table to its cap
    for (int r = 0; r < repeat; ++r) {
        sockeye::pipeline::EngineOptions options;
        options.flows.max_active_flows = max_flows;
        options.dpi = dpi;
        options.learn_link_addresses = link;
        Engine engine(mem->link_type(), options);
        mem->rewind();
        sockeye::core::RawFrame frame;
        const auto t0 = std::chrono::steady_clock::now();
        while (mem->next(frame) == sockeye::capture::NextStatus::frame) engine.process(frame);
        const auto t1 = std::chrono::steady_clock::now();
        best_s = std::min(best_s, std::chrono::duration<double>(t1 - t0).count());
        flows = engine.flows().stats().flows_created;
        evictions = engine.flows().stats().evictions;
    }
    const auto packets = static_cast<double>(mem->frame_count());
    // peak_rss includes the capture held in memory; `sockeye -r FILE` streams it.
    std::printf("pipeline: file=%s dpi=%s link_addresses=%s packets=%zu flows=%llu max_flows=%zu evictions=%llu runs=%d "
                "best_seconds=%.4f packets_per_second=%.0f ns_per_packet=%.1f peak_rss_kib=%ld\n",
                path.c_str(), dpi ? "on" : "off", link ? "on" : "off", mem->frame_count(), static_cast<unsigned long long>(flows),
                max_flows, static_cast<unsigned long long>(evictions), repeat, best_s, packets / best_s,
                best_s * 1e9 / packets, peak_rss_kib());
    return 0;
}

// Ethernet + IPv4 + UDP header, 42 bytes; addresses and ports vary per flow,
// and so does the source MAC: with --link-addresses every flow comes from a
// peer of its own on the local network, the most the address book can hold.
std::vector<std::uint8_t> udp_frame(std::uint32_t n) {
    std::vector<std::uint8_t> f = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00,
                                   0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0,
                                   10, 0, 0, 0, 192, 0, 2, 1,
                                   0, 0, 0, 53, 0, 8, 0, 0};
    f[8] = static_cast<std::uint8_t>(n >> 24);
    f[9] = static_cast<std::uint8_t>(n >> 16);
    f[10] = static_cast<std::uint8_t>(n >> 8);
    f[11] = static_cast<std::uint8_t>(n);
    f[27] = static_cast<std::uint8_t>(n >> 24 | 0x40);
    f[28] = static_cast<std::uint8_t>(n >> 16);
    f[29] = static_cast<std::uint8_t>(n >> 8);
    f[34] = static_cast<std::uint8_t>(n);
    f[35] = static_cast<std::uint8_t>(n >> 3);
    return f;
}

int bench_memory(std::size_t flows, bool link) {
    const long rss_before = rss_kib();
    sockeye::pipeline::EngineOptions options;
    options.flows.max_active_flows = flows;
    options.learn_link_addresses = link;
    Engine engine(1, options);
    const long rss_table = rss_kib();
    sockeye::core::RawFrame frame;
    const std::int64_t t0 = 1'704'067'200'000'000'000;
    for (std::size_t i = 0; i < flows; ++i) {
        const auto bytes = udp_frame(static_cast<std::uint32_t>(i));
        frame.bytes = bytes;
        frame.wire_len = static_cast<std::uint32_t>(bytes.size());
        frame.ts_ns = t0 + static_cast<std::int64_t>(i) * 1000;  // 1 ms for 1000 flows: no expiry
        engine.process(frame);
    }
    const auto& table = engine.flows();
    const long rss_after = rss_kib();
    std::printf("memory: link_addresses=%s concurrent_flows=%zu active=%zu evictions=%llu table_bytes=%zu "
                "bytes_per_flow=%.1f rss_before_kib=%ld rss_empty_table_kib=%ld "
                "rss_full_kib=%ld peak_rss_kib=%ld rss_per_flow_bytes=%.1f\n",
                link ? "on" : "off", flows, table.active_count(),
                static_cast<unsigned long long>(table.stats().evictions), table.memory_bytes(),
                static_cast<double>(table.memory_bytes()) / static_cast<double>(flows),
                rss_before, rss_table, rss_after, peak_rss_kib(),
                static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(flows));
    return table.active_count() == flows ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::string file;
    int repeat = 5;
    std::size_t max_flows = 100'000;
    std::size_t concurrent = 0;
    bool dpi = true;
    bool link = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--file" && has_value) {
            file = argv[++i];
        } else if (a == "--repeat" && has_value) {
            repeat = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--max-flows" && has_value) {
            max_flows = std::strtoull(argv[++i], nullptr, 10);
        } else if (a == "--no-dpi") {
            dpi = false;
        } else if (a == "--link-addresses") {
            link = true;
        } else if (a == "--concurrent-flows" && has_value) {
            concurrent = std::strtoull(argv[++i], nullptr, 10);
        } else {
            std::fprintf(stderr,
                         "usage: sockeye_pipeline_bench --file CAPTURE [--repeat N] "
                         "[--max-flows N] [--no-dpi] [--link-addresses] | --concurrent-flows N "
                         "[--link-addresses]\n");
            return 2;
        }
    }
    if (concurrent > 0) return bench_memory(concurrent, link);
    if (file.empty()) {
        std::fprintf(stderr, "sockeye_pipeline_bench: --file or --concurrent-flows needed\n");
        return 2;
    }
    return bench_file(file, repeat, max_flows, dpi, link);
}
