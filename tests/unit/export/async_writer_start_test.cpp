// AsyncWriterOptions::start_later: an export opened before sockeye's sandbox
// has no thread until its first record (or close()), so the writer thread
// is created inside the sandbox and inherits every layer.
#include <dirent.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "export/async_writer.hpp"
#include "unit/support/read_file.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::exports {
namespace {

int tasks_now() {
    DIR* dir = ::opendir("/proc/self/task");
    if (dir == nullptr) return -1;
    int n = 0;
    while (const dirent* e = ::readdir(dir)) n += e->d_name[0] != '.' ? 1 : 0;
    ::closedir(dir);
    return n;
}

// The threads of this process once the count holds still: a thread joined by
// the previous test can linger in /proc/self/task for a moment after join()
// returns (seen under qemu-user), which made `before` one too high.
int thread_count() {
    int last = tasks_now();
    for (int i = 0; i < 200; ++i) {  // at most ~2 s
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const int now = tasks_now();
        if (now == last) return now;
        last = now;
    }
    return last;
}

std::string read_all(const std::string& path) { return test::read_file(path); }

AsyncWriter<std::string>::Render append_line() {
    return [](std::string& item, std::string& out) { out += item + "\n"; };
}

TEST(AsyncWriterStartLater, NoThreadUntilTheFirstRecord) {
    const std::string path = ::testing::TempDir() + "async_writer_start_later.txt";
    auto sink = sockeye::testing::value_or_fail(FileSink::open(path));
    ASSERT_TRUE(sink);
    AsyncWriterOptions options;
    options.start_later = true;
    const int before = thread_count();
    AsyncWriter<std::string> w("test", std::move(sink), append_line(), "HEAD\n", options);
    EXPECT_EQ(thread_count(), before) << "a thread started with the writer";
    EXPECT_EQ(read_all(path), "") << "the preamble was written without a thread";
    EXPECT_TRUE(w.push("first", 5));
    EXPECT_EQ(thread_count(), before + 1);
    w.close();
    EXPECT_EQ(read_all(path), "HEAD\nfirst\n");
    EXPECT_EQ(w.counters().written, 1u);
    std::remove(path.c_str());
}

TEST(AsyncWriterStartLater, CloseWithoutRecordsStillWritesThePreamble) {
    const std::string path = ::testing::TempDir() + "async_writer_start_later_empty.txt";
    auto sink = sockeye::testing::value_or_fail(FileSink::open(path));
    ASSERT_TRUE(sink);
    AsyncWriterOptions options;
    options.start_later = true;
    AsyncWriter<std::string> w("test", std::move(sink), append_line(), "HEAD\n", options);
    w.close();
    w.close();  // idempotent
    EXPECT_EQ(read_all(path), "HEAD\n");
    std::remove(path.c_str());
}

TEST(AsyncWriterStartLater, StartIsIdempotent) {
    const std::string path = ::testing::TempDir() + "async_writer_start_twice.txt";
    auto sink = sockeye::testing::value_or_fail(FileSink::open(path));
    ASSERT_TRUE(sink);
    AsyncWriterOptions options;
    options.start_later = true;
    const int before = thread_count();
    AsyncWriter<std::string> w("test", std::move(sink), append_line(), "", options);
    w.start();
    w.start();
    EXPECT_EQ(thread_count(), before + 1);
    EXPECT_TRUE(w.push("x", 1));
    w.close();
    EXPECT_EQ(read_all(path), "x\n");
    std::remove(path.c_str());
}

}  // namespace
}  // namespace sockeye::exports
