// Micro-benchmarks of geo lookups on real databases: uncached (the search
// tree and the record's keys for every address) and cached (the per-address
// cache the enricher will ask first). The databases come from
// $SOCKEYE_GEOIP_DIR (e.g. what `scripts/fetch-geoip --tests DIR` fetched),
// else from the default search path; without any the benchmarks say so.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "geo/geo_databases.hpp"

namespace {

using sockeye::geo::GeoDatabases;

std::unique_ptr<GeoDatabases> open_databases() {
    const char* dir = std::getenv("SOCKEYE_GEOIP_DIR");
    if (dir == nullptr) return GeoDatabases::open_default();
    auto dbs = GeoDatabases::open({dir});
    if (!dbs) return nullptr;
    return std::move(dbs).value();
}

// Public IPv4 addresses from a fixed seed (no private or reserved ranges).
std::vector<sockeye::core::IpAddress> addresses(std::size_t n) {
    std::mt19937 rng(17);
    std::vector<sockeye::core::IpAddress> out;
    while (out.size() < n) {
        const auto a = sockeye::core::IpAddress::v4(static_cast<std::uint32_t>(rng()));
        if (sockeye::core::scope_of(a) == sockeye::core::AddressScope::public_) out.push_back(a);
    }
    return out;
}

void BM_GeoLookupUncached(benchmark::State& state) {
    auto dbs = open_databases();
    if (!dbs || dbs->databases().empty()) {
        state.SkipWithError("no geo database (set SOCKEYE_GEOIP_DIR)");
        return;
    }
    const auto addrs = addresses(1 << 16);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(dbs->lookup_uncached(addrs[i]));
        i = (i + 1) & (addrs.size() - 1);
    }
}
BENCHMARK(BM_GeoLookupUncached);

void BM_GeoLookupCached(benchmark::State& state) {
    auto dbs = open_databases();
    if (!dbs || dbs->databases().empty()) {
        state.SkipWithError("no geo database (set SOCKEYE_GEOIP_DIR)");
        return;
    }
    // Fewer peers than cache slots, as in a busy but ordinary session (the
    // sweep in a fixed order is the worst case for a set that holds three).
    const auto addrs = addresses(static_cast<std::size_t>(state.range(0)));
    for (const auto& a : addrs) (void)dbs->lookup(a);
    const std::uint64_t hits = dbs->cache_hits();
    const std::uint64_t misses = dbs->cache_misses();
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(dbs->lookup(addrs[i]));
        i = (i + 1) & (addrs.size() - 1);
    }
    // Of the timed lookups only: what the number above is made of.
    const auto timed_hits = static_cast<double>(dbs->cache_hits() - hits);
    state.counters["hit_ratio"] = timed_hits / (timed_hits + static_cast<double>(dbs->cache_misses() - misses));
}
BENCHMARK(BM_GeoLookupCached)->Arg(256)->Arg(1024);

}  // namespace
