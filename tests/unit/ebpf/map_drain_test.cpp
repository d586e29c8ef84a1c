// Bulk draining against real kernel maps (root here; skips where bpf() is
// refused): every entry comes back exactly once and is gone from the map,
// with the batch command and with the key-by-key walk older kernels get.
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <sys/utsname.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "ebpf/map_drain.hpp"
#include "ebpf/bpf_syscall.hpp"
#include "ebpf/record_layout.hpp"

namespace sockeye::ebpf {
namespace {

using Key = std::uint64_t;

// The kernel gained BPF_MAP_LOOKUP_AND_DELETE_BATCH for hash maps in 5.6.
bool kernel_has_batch() {
    utsname u{};
    int major = 0;
    int minor = 0;
    if (::uname(&u) != 0 || std::sscanf(u.release, "%d.%d", &major, &minor) != 2) return false;
    return major > 5 || (major == 5 && minor >= 6);
}

RawOwner owner_for(Key k) {
    RawOwner v;
    v.tgid = static_cast<std::uint32_t>(k);
    v.uid = static_cast<std::uint32_t>(k * 7);
    std::snprintf(v.comm, sizeof v.comm, "p%llu", static_cast<unsigned long long>(k));
    return v;
}

std::size_t count_entries(int fd) {
    Key key = 0;
    Key prev = 0;
    std::size_t n = 0;
    while (map_next_key(fd, n == 0 ? nullptr : &prev, &key) == 0 && n < 100000) {
        prev = key;
        ++n;
    }
    return n;
}

class MapDrainTest : public ::testing::TestWithParam<std::uint32_t> {
protected:
    void SetUp() override {
        BpfError error;
        map_ = map_create(MapSpec{GetParam(), sizeof(Key), sizeof(RawOwner), 8192, "sk_drain_test"}, error);
        if (!map_.valid()) GTEST_SKIP() << "bpf() refused here: " << error.text;
    }
    void fill(Key from, Key to) {
        for (Key k = from; k < to; ++k) {
            const RawOwner v = owner_for(k);
            ASSERT_EQ(map_update(map_.get(), &k, &v), 0) << k;
        }
    }
    // Drains into `seen`, failing on a duplicate or a value that does not match its key.
    std::size_t drain_into(MapDrain& d, std::size_t max, std::map<Key, int>& seen) {
        return d.drain(map_.get(), max, [&](const void* k, const void* v) {
            Key key = 0;
            RawOwner value;
            std::memcpy(&key, k, sizeof key);
            std::memcpy(&value, v, sizeof value);
            EXPECT_EQ(++seen[key], 1) << "key " << key << " drained twice";
            EXPECT_EQ(value.tgid, owner_for(key).tgid);
            EXPECT_STREQ(value.comm, owner_for(key).comm);
        });
    }
    core::UniqueFd map_;
};

TEST_P(MapDrainTest, BatchReadsEveryEntryOnceInAFewCalls) {
    fill(1, 1001);
    MapDrain d(sizeof(Key), sizeof(RawOwner));
    std::map<Key, int> seen;
    EXPECT_EQ(drain_into(d, 100000, seen), 1000u);
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_EQ(count_entries(map_.get()), 0u);
    if (kernel_has_batch()) {
        EXPECT_TRUE(d.batched());
        // 1000 entries, 256 per call: a handful of calls, not 3001.
        EXPECT_LE(d.calls(), 10u);
    }
}

TEST_P(MapDrainTest, WalkReadsEveryEntryOnce) {
    fill(1, 1001);
    MapDrain d(sizeof(Key), sizeof(RawOwner));
    d.use_walk();
    std::map<Key, int> seen;
    EXPECT_EQ(drain_into(d, 100000, seen), 1000u);
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_EQ(count_entries(map_.get()), 0u);
    EXPECT_EQ(d.calls(), 3001u);  // next key per entry and one past the end; lookup; delete
}

TEST_P(MapDrainTest, MaxBoundsADrainAndTheRestWaitsForTheNext) {
    fill(1, 1001);
    for (const bool walk : {false, true}) {
        MapDrain d(sizeof(Key), sizeof(RawOwner));
        if (walk) d.use_walk();
        std::map<Key, int> seen;
        const std::size_t first = drain_into(d, 100, seen);
        EXPECT_GE(first, 100u);
        EXPECT_LT(first, 100u + 256u);  // at most one batch call beyond
        EXPECT_EQ(count_entries(map_.get()), 1000u - first);
        const std::size_t rest = drain_into(d, 100000, seen);
        EXPECT_EQ(first + rest, 1000u);
        EXPECT_EQ(seen.size(), 1000u);
        if (!walk) fill(1, 1001);
    }
}

TEST_P(MapDrainTest, ChunksSmallerThanABucketFinishByWalking) {
    // One entry per call: any bucket holding two (1000 keys in 8192
    // buckets: some do) is ENOSPC, and the walk takes the rest.
    fill(1, 1001);
    MapDrain d(sizeof(Key), sizeof(RawOwner), 1);
    std::map<Key, int> seen;
    EXPECT_EQ(drain_into(d, 100000, seen), 1000u);
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_EQ(count_entries(map_.get()), 0u);
}

TEST_P(MapDrainTest, AnEmptyMapIsOneCall) {
    MapDrain d(sizeof(Key), sizeof(RawOwner));
    std::map<Key, int> seen;
    EXPECT_EQ(drain_into(d, 100000, seen), 0u);
    if (kernel_has_batch()) {
        EXPECT_EQ(d.calls(), 1u);
    }
}

INSTANTIATE_TEST_SUITE_P(HashAndLru, MapDrainTest,
                         ::testing::Values(std::uint32_t{BPF_MAP_TYPE_HASH}, std::uint32_t{BPF_MAP_TYPE_LRU_HASH}),
                         [](const auto& p) { return p.param == BPF_MAP_TYPE_HASH ? "hash" : "lru_hash"; });

}  // namespace
}  // namespace sockeye::ebpf
