// Micro-benchmarks of the flow table: lookups of existing flows (the common
// case), inserts into a fresh table, and inserts at the cap (insert + evict).
// Frames are built up front so only FlowTable::observe() is timed.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "core/ip_address.hpp"
#include "decode/decoded_frame.hpp"
#include "flow/flow_table.hpp"

namespace {

using sockeye::decode::DecodedFrame;
using sockeye::flow::FlowTable;
using sockeye::flow::FlowTableConfig;

DecodedFrame tcp_frame(std::uint32_t flow, std::int64_t ts, std::uint32_t seq, bool reverse) {
    DecodedFrame f;
    f.ts_ns = ts;
    f.wire_len = 1514;
    f.cap_len = 96;
    f.network = sockeye::decode::Network::ipv4;
    f.transport = sockeye::decode::Transport::tcp;
    f.ip_proto = 6;
    auto client = sockeye::core::IpAddress::v4(0x0A00'0000U | (flow >> 14U));
    auto server = sockeye::core::IpAddress::v4(0xC0A8'0001U);
    auto client_port = static_cast<std::uint16_t>(10'000U + (flow & 0x3FFFU));
    f.src_ip = reverse ? server : client;
    f.dst_ip = reverse ? client : server;
    f.src_port = reverse ? std::uint16_t{443} : client_port;
    f.dst_port = reverse ? client_port : std::uint16_t{443};
    f.tcp.flags = sockeye::decode::tcp_flag::kAck;
    f.tcp.seq = seq;
    f.tcp.ack = 1;
    f.tcp.window = 512;
    f.payload_len = 1460;
    return f;
}

// Deterministic shuffle (xorshift) so lookups do not walk the slab in order.
std::vector<std::uint32_t> shuffled(std::uint32_t n) {
    std::vector<std::uint32_t> v(n);
    for (std::uint32_t i = 0; i < n; ++i) v[i] = i;
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (std::uint32_t i = n - 1; i > 0; --i) {
        x ^= x << 13U;
        x ^= x >> 7U;
        x ^= x << 17U;
        std::swap(v[i], v[static_cast<std::uint32_t>(x % (i + 1U))]);
    }
    return v;
}

void BM_ObserveExistingFlow(benchmark::State& state) {
    const auto flows = static_cast<std::uint32_t>(state.range(0));
    FlowTableConfig cfg;
    cfg.max_active_flows = flows;
    FlowTable table(cfg);
    std::vector<DecodedFrame> frames;
    const auto order = shuffled(flows);
    constexpr std::uint32_t kRounds = 4;
    frames.reserve(static_cast<std::size_t>(flows) * kRounds);
    for (std::uint32_t r = 0; r < kRounds; ++r) {
        for (const std::uint32_t i : order) {
            frames.push_back(tcp_frame(i, 0, 1 + r * 1460U, (r & 1U) != 0));
        }
    }
    for (std::uint32_t i = 0; i < flows; ++i) table.observe(tcp_frame(i, 0, 1, false));
    std::size_t k = 0;
    std::int64_t ts = 0;
    for (auto _ : state) {
        DecodedFrame& f = frames[k];
        f.ts_ns = ++ts;  // monotonic time, as in a capture
        benchmark::DoNotOptimize(table.observe(f));
        if (++k == frames.size()) k = 0;
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["bytes_per_flow"] =
        static_cast<double>(table.memory_bytes()) / static_cast<double>(table.active_count());
}
BENCHMARK(BM_ObserveExistingFlow)->Arg(1'000)->Arg(100'000);

// Real traffic is skewed: a few flows carry most packets. Flow numbers are
// drawn as n * u^4 for uniform u (about half the packets hit the busiest 3%
// of 100k flows), which is closer to a capture than uniform lookups.
void BM_ObserveSkewed(benchmark::State& state) {
    constexpr std::uint32_t kFlows = 100'000;
    constexpr std::size_t kFrames = 1U << 20U;
    FlowTable table;
    for (std::uint32_t i = 0; i < kFlows; ++i) table.observe(tcp_frame(i, 0, 1, false));
    std::vector<DecodedFrame> frames;
    frames.reserve(kFrames);
    std::uint64_t x = 0x2545F4914F6CDD1DULL;
    std::vector<std::uint32_t> next_seq(kFlows, 1);
    for (std::size_t k = 0; k < kFrames; ++k) {
        x ^= x << 13U;
        x ^= x >> 7U;
        x ^= x << 17U;
        const double u = static_cast<double>(x >> 11U) / 9007199254740992.0;  // [0, 1)
        const auto flow = static_cast<std::uint32_t>(kFlows * u * u * u * u);
        frames.push_back(tcp_frame(flow, 0, next_seq[flow], false));
        next_seq[flow] += 1460;
    }
    std::size_t k = 0;
    std::int64_t ts = 0;
    for (auto _ : state) {
        DecodedFrame& f = frames[k];
        f.ts_ns = ++ts;
        benchmark::DoNotOptimize(table.observe(f));
        if (++k == frames.size()) k = 0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ObserveSkewed);

void BM_InsertNewFlow(benchmark::State& state) {
    constexpr std::uint32_t kFlows = 100'000;
    std::vector<DecodedFrame> frames;
    frames.reserve(kFlows);
    for (std::uint32_t i = 0; i < kFlows; ++i) frames.push_back(tcp_frame(i, i, 1, false));
    auto table = std::make_unique<FlowTable>();
    std::uint32_t k = 0;
    for (auto _ : state) {
        if (k == kFlows) {
            state.PauseTiming();
            table = std::make_unique<FlowTable>();
            k = 0;
            state.ResumeTiming();
        }
        benchmark::DoNotOptimize(table->observe(frames[k++]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InsertNewFlow);

void BM_InsertAtCapWithEviction(benchmark::State& state) {
    constexpr std::uint32_t kCap = 100'000;
    FlowTableConfig cfg;
    cfg.max_active_flows = kCap;
    FlowTable table(cfg);
    std::uint32_t i = 0;
    for (; i < kCap; ++i) table.observe(tcp_frame(i, i, 1, false));
    for (auto _ : state) {
        // Flow numbers cycle over 4x the cap: every frame is a new flow.
        const std::uint32_t flow = i % (4 * kCap);
        DecodedFrame f = tcp_frame(flow, static_cast<std::int64_t>(i), 1, false);
        ++i;
        benchmark::DoNotOptimize(table.observe(f));
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["evictions"] = static_cast<double>(table.stats().evictions);
}
BENCHMARK(BM_InsertAtCapWithEviction);

}  // namespace
