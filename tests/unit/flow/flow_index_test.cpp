#include "flow/flow_index.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace sockeye::flow {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser: well-spread test hashes
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27U)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31U);
}

std::uint32_t find(const FlowIndex& index, std::uint64_t hash, std::uint32_t slot) {
    return index.find(hash, [&](std::uint32_t s) { return s == slot; });
}

TEST(FlowIndex, StartsSmallAndGrowsToTheCapOnly) {
    FlowIndex index(100'000);
    const std::size_t initial = index.bucket_count();
    EXPECT_LT(initial, 262'144U);
    for (std::uint32_t i = 0; i < 100'000; ++i) index.insert(mix(i), i);
    EXPECT_EQ(index.bucket_count(), 262'144U);  // the size the cap needs at load 1/2
}

TEST(FlowIndex, EveryEntryIsFoundAcrossGrowthAndChurn) {
    FlowIndex index(50'000);
    // Insert in waves, erasing part of each wave, so entries are moved by
    // several doublings and backward shifts.
    std::vector<bool> present(50'000, false);
    for (std::uint32_t wave = 0; wave < 5; ++wave) {
        for (std::uint32_t i = wave * 10'000; i < (wave + 1) * 10'000; ++i) {
            index.insert(mix(i), i);
            present[i] = true;
        }
        for (std::uint32_t i = wave * 10'000; i < (wave + 1) * 10'000; i += 3) {
            index.erase(mix(i), i);
            present[i] = false;
        }
    }
    for (std::uint32_t i = 0; i < 50'000; ++i) {
        ASSERT_EQ(find(index, mix(i), i), present[i] ? i : FlowIndex::kNone) << i;
    }
    // Erased entries leave room: refilling to the cap needs no growth past it.
    for (std::uint32_t i = 0; i < 50'000; ++i) {
        if (!present[i]) index.insert(mix(i), i);
    }
    for (std::uint32_t i = 0; i < 50'000; ++i) ASSERT_EQ(find(index, mix(i), i), i) << i;
    EXPECT_EQ(index.bucket_count(), 131'072U);
}

TEST(FlowIndex, TinyCapStillWorks) {
    FlowIndex index(1);
    index.insert(mix(7), 7);
    EXPECT_EQ(find(index, mix(7), 7), 7U);
    index.erase(mix(7), 7);
    EXPECT_EQ(find(index, mix(7), 7), FlowIndex::kNone);
}

}  // namespace
}  // namespace sockeye::flow
