// Micro-benchmarks of reading classic pcap records: sockeye's reader (frames
// handed out in place) against libpcap (copied into its buffer) on the same
// bytes in memory, so neither pays for the disk.
#include <benchmark/benchmark.h>
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "capture/pcap_reader.hpp"

namespace {

void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
    for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

// 10,000 Ethernet records of 64 to 1514 bytes (the bench mix's spread), little-endian.
const std::vector<std::uint8_t>& capture() {
    static const std::vector<std::uint8_t> bytes = [] {
        std::vector<std::uint8_t> v;
        put32(v, 0xA1B2C3D4);
        put32(v, 0x0004'0002);  // version 2.4
        put32(v, 0);
        put32(v, 0);
        put32(v, 65535);
        put32(v, 1);
        for (std::uint32_t i = 0; i < 10'000; ++i) {
            const std::uint32_t len = 64 + (i * 7919U) % 1451U;
            put32(v, 1'700'000'000 + i / 1000);
            put32(v, (i % 1000) * 1000);
            put32(v, len);
            put32(v, len);
            v.insert(v.end(), len, static_cast<std::uint8_t>(i));
        }
        return v;
    }();
    return bytes;
}

void BM_PcapReaderRecords(benchmark::State& state) {
    const auto& bytes = capture();
    std::int64_t records = 0;
    for (auto _ : state) {
        sockeye::capture::MemoryInput input(bytes);
        sockeye::capture::PcapReader reader(input);
        if (reader.start() != sockeye::capture::PcapReader::Status::packet) state.SkipWithError("start");
        sockeye::core::RawFrame frame;
        while (reader.next(frame) == sockeye::capture::PcapReader::Status::packet) {
            benchmark::DoNotOptimize(frame.bytes.data());
            ++records;
        }
    }
    state.SetItemsProcessed(records);
}

void BM_LibpcapRecords(benchmark::State& state) {
    auto bytes = capture();  // fmemopen wants a writable buffer
    std::int64_t records = 0;
    for (auto _ : state) {
        std::FILE* f = fmemopen(bytes.data(), bytes.size(), "rb");
        char errbuf[PCAP_ERRBUF_SIZE] = {};
        pcap_t* p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
        if (p == nullptr) {
            state.SkipWithError(errbuf);
            break;
        }
        pcap_pkthdr* h = nullptr;
        const std::uint8_t* data = nullptr;
        while (pcap_next_ex(p, &h, &data) == 1) {
            benchmark::DoNotOptimize(data);
            ++records;
        }
        pcap_close(p);
    }
    state.SetItemsProcessed(records);
}

}  // namespace

BENCHMARK(BM_PcapReaderRecords);
BENCHMARK(BM_LibpcapRecords);
