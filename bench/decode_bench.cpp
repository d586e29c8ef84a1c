// Micro-benchmarks of decode on typical frames.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "decode/decoder.hpp"

namespace {

// Ethernet + IPv4 + TCP (ACK, timestamps option) + 100 bytes of payload.
std::array<std::uint8_t, 166> tcp_frame() {
    std::array<std::uint8_t, 166> f{};
    const std::uint8_t head[] = {
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,  // eth
        0x45, 0x00, 0x00, 0x98, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,              // ipv4
        0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,                                      //
        0x9c, 0x40, 0x01, 0xbb, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00,              // tcp
        0x80, 0x18, 0x01, 0xf5, 0x00, 0x00, 0x00, 0x00,                                      //
        0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02};             // opts
    for (std::size_t i = 0; i < sizeof head; ++i) f[i] = head[i];
    return f;
}

// Ethernet + IPv6 + UDP + 32 bytes of payload.
std::array<std::uint8_t, 94> udp6_frame() {
    std::array<std::uint8_t, 94> f{};
    const std::uint8_t head[] = {
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x86, 0xdd,
        0x60, 0x00, 0x00, 0x00, 0x00, 0x28, 0x11, 0x40,  // ipv6: payload 40, next UDP
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
        0xd4, 0x31, 0x00, 0x35, 0x00, 0x28, 0x00, 0x00};  // udp
    for (std::size_t i = 0; i < sizeof head; ++i) f[i] = head[i];
    return f;
}

template <std::size_t N>
void run_decode(benchmark::State& state, const std::array<std::uint8_t, N>& bytes) {
    const sockeye::decode::Decoder decoder(1);
    sockeye::decode::DecodedFrame out;
    sockeye::core::RawFrame raw;
    raw.bytes = bytes;
    raw.wire_len = static_cast<std::uint32_t>(N);
    for (auto _ : state) {
        decoder.decode(raw, out);
        benchmark::DoNotOptimize(out.src_port);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_DecodeEthernetIpv4Tcp(benchmark::State& state) { run_decode(state, tcp_frame()); }
void BM_DecodeEthernetIpv6Udp(benchmark::State& state) { run_decode(state, udp6_frame()); }

}  // namespace

BENCHMARK(BM_DecodeEthernetIpv4Tcp);
BENCHMARK(BM_DecodeEthernetIpv6Udp);
