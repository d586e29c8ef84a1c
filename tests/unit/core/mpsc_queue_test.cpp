#include "core/mpsc_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace sockeye::core {
namespace {

TEST(MpscQueue, FifoBoundedAndDropsWhenFull) {
    MpscQueue<int> q(5);  // rounded to 8
    EXPECT_EQ(q.capacity(), 8u);
    EXPECT_TRUE(q.empty());
    for (int i = 0; i < 8; ++i) EXPECT_TRUE(q.try_push(i));
    EXPECT_FALSE(q.try_push(99));
    int v = -1;
    for (int i = 0; i < 8; ++i) {
        ASSERT_TRUE(q.try_pop(v));
        EXPECT_EQ(v, i);
    }
    EXPECT_FALSE(q.try_pop(v));
    EXPECT_TRUE(q.empty());
    // Wraps around.
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 8; ++i) EXPECT_TRUE(q.try_push(round * 10 + i));
        for (int i = 0; i < 8; ++i) {
            ASSERT_TRUE(q.try_pop(v));
            EXPECT_EQ(v, round * 10 + i);
        }
    }
}


TEST(MpscQueue, ManyProducersOneConsumerLoseNothingAccepted) {
    MpscQueue<int> q(64);
    constexpr int kProducers = 4;
    constexpr int kEach = 20000;
    std::atomic<int> accepted{0};
    std::atomic<bool> done{false};
    long long popped_sum = 0;
    int popped = 0;
    std::thread consumer([&] {
        int v = 0;
        while (!done.load() || !q.empty()) {
            if (q.try_pop(v)) {
                popped_sum += v;
                ++popped;
            }
        }
    });
    std::vector<std::thread> producers;
    std::atomic<long long> pushed_sum{0};
    for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&, p] {
            for (int i = 0; i < kEach; ++i) {
                const int v = p * kEach + i;
                if (q.try_push(v)) {
                    accepted.fetch_add(1);
                    pushed_sum.fetch_add(v);
                }
            }
        });
    }
    for (auto& t : producers) t.join();
    done.store(true);
    consumer.join();
    EXPECT_EQ(popped, accepted.load());
    EXPECT_EQ(popped_sum, pushed_sum.load());
    EXPECT_GT(accepted.load(), 0);
}

}  // namespace
}  // namespace sockeye::core
