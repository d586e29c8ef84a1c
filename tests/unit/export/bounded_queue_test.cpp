#include "export/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace sockeye::exports {
namespace {

using Queue = BoundedQueue<std::string>;
using Clock = Queue::Clock;
using std::chrono::milliseconds;

TEST(BoundedQueue, RefusesWhatDoesNotFitAndCountsItsBytes) {
    Queue q(10);
    EXPECT_TRUE(q.push("a", 4, 40));
    EXPECT_TRUE(q.push("b", 6, 60));
    EXPECT_FALSE(q.push("c", 1, 7));   // 10 of 10 used
    EXPECT_FALSE(q.push("d", 11, 5));  // heavier than the whole queue
    EXPECT_EQ(q.drops().items, 2u);
    EXPECT_EQ(q.drops().bytes, 12u);
    EXPECT_EQ(q.queued_weight(), 10u);

    Queue::Batch batch;
    ASSERT_TRUE(q.take(batch, 1));
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch.front().item, "a");
    q.finish_batch(batch.front().weight);
    // Taken and finished: its weight is free again.
    EXPECT_TRUE(q.push("e", 4, 1));
    EXPECT_EQ(q.drops().items, 2u);
}

TEST(BoundedQueue, InFlightWeightCountsUntilTheBatchIsFinished) {
    Queue q(2, true);
    EXPECT_TRUE(q.push("a", 1, 1));
    EXPECT_TRUE(q.push("b", 1, 1));
    Queue::Batch batch;
    ASSERT_TRUE(q.take(batch, 1));
    EXPECT_FALSE(q.push("c", 1, 1));  // "a" is in flight
    // "a" could not be handled: back in front, before "b".
    Queue::Batch rest;
    rest.push_back(std::move(batch.front()));
    q.finish_batch(1, std::move(rest));
    batch.clear();
    ASSERT_TRUE(q.take(batch));
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0].item, "a");
    EXPECT_EQ(batch[1].item, "b");
    EXPECT_EQ(q.drops().items, 1u);
}

TEST(BoundedQueue, BatchesStopAtTheirItemAndWeightLimits) {
    Queue q(100);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(q.push(std::to_string(i), 10, 10));
    Queue::Batch batch;
    ASSERT_TRUE(q.take(batch, 2));
    EXPECT_EQ(batch.size(), 2u);
    batch.clear();
    // The weight limit is checked before each item: 10 < 15, 20 >= 15.
    ASSERT_TRUE(q.take(batch, Queue::kNoLimit, 15));
    EXPECT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0].item, "2");
}

TEST(BoundedQueue, ClosedQueueDrainsThenEndsAndRefusesPushes) {
    Queue q(100);
    ASSERT_TRUE(q.push("a", 1, 1));
    q.close();
    EXPECT_FALSE(q.push("b", 1, 3));
    Queue::Batch batch;
    Clock::time_point give_up{};
    ASSERT_TRUE(q.take(batch, Queue::kNoLimit, Queue::kNoLimit, &give_up));
    EXPECT_EQ(batch.size(), 1u);
    EXPECT_EQ(give_up, Clock::time_point::max());  // closed without a deadline
    EXPECT_FALSE(q.take(batch));
    EXPECT_EQ(q.drops().items, 1u);
    EXPECT_EQ(q.drops().bytes, 3u);
}

TEST(BoundedQueue, PastTheCloseDeadlineTheRestIsDroppedAndCounted) {
    Queue q(100);
    ASSERT_TRUE(q.push("a", 1, 5));
    ASSERT_TRUE(q.push("b", 1, 7));
    // A pause longer than the deadline: the consumer never gets them.
    q.pause_until(Clock::now() + std::chrono::hours(1));
    const auto deadline = Clock::now() + milliseconds(50);
    q.close(deadline);
    Queue::Batch batch;
    const auto started = Clock::now();
    EXPECT_FALSE(q.take(batch));
    EXPECT_GE(Clock::now(), deadline);
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
    EXPECT_TRUE(batch.empty());
    EXPECT_EQ(q.drops().items, 2u);
    EXPECT_EQ(q.drops().bytes, 12u);
    EXPECT_EQ(q.size(), 0u);
}

TEST(BoundedQueue, CloseWakesAConsumerWaitingOnAnEmptyQueue) {
    Queue q(100);
    std::atomic<bool> returned{false};
    bool took = true;
    std::thread consumer([&] {
        Queue::Batch batch;
        took = q.take(batch);
        returned = true;
    });
    std::this_thread::sleep_for(milliseconds(50));
    EXPECT_FALSE(returned.load());  // nothing to take: it waits
    const auto closed_at = Clock::now();
    q.close();
    consumer.join();
    EXPECT_TRUE(returned.load());
    EXPECT_FALSE(took);
    EXPECT_LT(Clock::now() - closed_at, std::chrono::seconds(2));
}

TEST(BoundedQueue, PushWakesAWaitingConsumerAndHeldItemsWaitUntilDue) {
    Queue q(100);
    Clock::time_point got_at{};
    std::string got;
    std::thread consumer([&] {
        Queue::Batch batch;
        if (q.take(batch)) {
            got_at = Clock::now();
            got = batch.front().item;
        }
    });
    const auto due = Clock::now() + milliseconds(100);
    ASSERT_TRUE(q.push("held", 1, 1, due));
    consumer.join();
    EXPECT_EQ(got, "held");
    EXPECT_GE(got_at, due);
}

TEST(BoundedQueue, StopDropsWhatIsQueuedAndEveryLaterPush) {
    Queue q(100);
    ASSERT_TRUE(q.push("a", 1, 2));
    ASSERT_TRUE(q.push("b", 1, 2));
    Queue::Batch batch;
    ASSERT_TRUE(q.take(batch, 1));
    q.stop();
    EXPECT_FALSE(q.push("c", 1, 2));
    // What the consumer gives back after the stop is lost too.
    q.finish_batch(1, std::move(batch));
    q.count_lost(1, 0);
    EXPECT_EQ(q.drops().items, 4u);  // b at the stop, c, a given back, 1 counted lost
    EXPECT_EQ(q.drops().bytes, 6u);
    q.close();
    Queue::Batch none;
    EXPECT_FALSE(q.take(none));
}

TEST(Backoff, DoublesFromMinToMaxAndResets) {
    Backoff b(milliseconds(100), milliseconds(350));
    EXPECT_EQ(b.next(), milliseconds(100));
    EXPECT_EQ(b.next(), milliseconds(200));
    EXPECT_EQ(b.next(), milliseconds(350));
    EXPECT_EQ(b.next(), milliseconds(350));
    b.reset();
    EXPECT_EQ(b.next(), milliseconds(100));
}

}  // namespace
}  // namespace sockeye::exports
