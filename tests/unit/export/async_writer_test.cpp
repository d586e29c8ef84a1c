#include "export/async_writer.hpp"
#include "unit/support/read_file.hpp"
#include "unit/support/result_value.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace sockeye::exports {
namespace {

std::string read_all(const std::string& path) { return test::read_file(path); }

AsyncWriter<std::string>::Render append_line() {
    return [](std::string& item, std::string& out) { out += item + "\n"; };
}

TEST(AsyncWriter, WritesPreambleThenItemsInOrder) {
    const std::string path = ::testing::TempDir() + "async_writer_order.txt";
    auto sink = sockeye::testing::value_or_fail(FileSink::open(path));
    ASSERT_TRUE(sink);
    AsyncWriter<std::string> w("test", std::move(sink), append_line(), "HEAD\n");
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(w.push(std::to_string(i), 4));
    w.close();
    std::string expected = "HEAD\n";
    for (int i = 0; i < 1000; ++i) expected += std::to_string(i) + "\n";
    EXPECT_EQ(read_all(path), expected);
    EXPECT_EQ(w.counters().written, 1000u);
    EXPECT_EQ(w.counters().dropped, 0u);
    EXPECT_EQ(w.counters().path, path);
    std::remove(path.c_str());
}

TEST(AsyncWriter, FullQueueDropsAndCountsWithoutBlocking) {
    const std::string path = ::testing::TempDir() + "async_writer_full.txt";
    auto sink = sockeye::testing::value_or_fail(FileSink::open(path));
    ASSERT_TRUE(sink);
    AsyncWriterOptions options;
    options.max_queued_bytes = 100;
    options.hold = std::chrono::milliseconds(300);  // nothing drains while we push
    AsyncWriter<std::string> w("test", std::move(sink), append_line(), "", options);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(w.push("a", 40));
    EXPECT_TRUE(w.push("b", 40));
    EXPECT_FALSE(w.push("c", 40));  // 120 > 100
    EXPECT_TRUE(w.push("d", 20));   // exactly 100
    EXPECT_FALSE(w.push("e", 1));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
    const auto c = w.counters();
    EXPECT_EQ(c.dropped, 2u);
    EXPECT_EQ(c.dropped_bytes, 41u);
    w.close();  // honours the hold, then writes what was accepted
    EXPECT_EQ(read_all(path), "a\nb\nd\n");
    EXPECT_EQ(w.counters().written, 3u);
    std::remove(path.c_str());
}

TEST(AsyncWriter, HoldDelaysRendering) {
    const std::string path = ::testing::TempDir() + "async_writer_hold.txt";
    auto sink = sockeye::testing::value_or_fail(FileSink::open(path));
    ASSERT_TRUE(sink);
    AsyncWriterOptions options;
    options.hold = std::chrono::milliseconds(200);
    std::chrono::steady_clock::time_point rendered_at{};
    AsyncWriter<std::string> w(
        "test", std::move(sink),
        [&](std::string& item, std::string& out) {
            rendered_at = std::chrono::steady_clock::now();
            out += item;
        },
        "", options);
    const auto pushed_at = std::chrono::steady_clock::now();
    w.push("x", 1);
    w.close();
    EXPECT_GE(rendered_at - pushed_at, std::chrono::milliseconds(200));
    EXPECT_EQ(read_all(path), "x");
    std::remove(path.c_str());
}

// A full disk: the first error is kept, the export stops, pushes are counted
// as dropped and nothing blocks.
TEST(AsyncWriter, WriteErrorIsReportedOnceAndStopsTheExport) {
    auto sink = sockeye::testing::value_or_fail(FileSink::open("/dev/full"));
    ASSERT_TRUE(sink);
    AsyncWriter<std::string> w("test", std::move(sink), append_line(), "HEADER\n");
    // The preamble's write fails on the writer thread; wait for it.
    for (int i = 0; i < 200 && w.counters().error.empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto c = w.counters();
    EXPECT_NE(c.error.find("/dev/full"), std::string::npos) << c.error;
    EXPECT_NE(c.error.find("No space left on device"), std::string::npos) << c.error;
    for (int i = 0; i < 10; ++i) EXPECT_FALSE(w.push("line", 5));
    w.close();
    EXPECT_EQ(w.counters().written, 0u);
    EXPECT_EQ(w.counters().dropped, 10u);
    EXPECT_EQ(w.counters().error, c.error);
}

TEST(FileSink, OpenFailureSaysWhy) {
    const core::Error error = sockeye::testing::error_of(FileSink::open("/nonexistent-dir/x.pcapng"));
    EXPECT_EQ(error.code, core::ErrorCode::not_found);
    EXPECT_NE(error.message.find("/nonexistent-dir/x.pcapng"), std::string::npos);
    EXPECT_NE(error.message.find("No such file"), std::string::npos) << error.message;
}

}  // namespace
}  // namespace sockeye::exports
