#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>

#include "app/cli.hpp"
#include "app/config.hpp"
#include "app/history_command.hpp"
#include "app/store_location.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

core::Result<Options> parse(std::initializer_list<const char*> args) {
    return parse_args(std::vector<std::string>(args.begin(), args.end()));
}

core::Result<HistoryOptions> parse_history(std::initializer_list<const char*> args, std::int64_t now = 0) {
    return parse_history_args(std::vector<std::string>(args.begin(), args.end()), now);
}

TEST(CliRecord, FileIsOptional) {
    auto named = parse({"-r", "x.pcap", "--record", "out.db", "--json"});
    ASSERT_TRUE(named.ok()) << sockeye::testing::error_message(named);
    EXPECT_EQ(named->record, "out.db");
    EXPECT_FALSE(named->record_default);
    EXPECT_EQ(named->output, OutputMode::json);

    auto bare = parse({"--record", "--headless"});
    ASSERT_TRUE(bare.ok()) << sockeye::testing::error_message(bare);
    EXPECT_TRUE(bare->record.empty());
    EXPECT_TRUE(bare->record_default);
    EXPECT_EQ(bare->output, OutputMode::headless);

    auto last = parse({"--headless", "--record"});
    ASSERT_TRUE(last.ok());
    EXPECT_TRUE(last->record_default);

    auto inline_value = parse({"--record=h.db"});
    ASSERT_TRUE(inline_value.ok());
    EXPECT_EQ(inline_value->record, "h.db");
    EXPECT_FALSE(parse({"--record="}).ok());
}

TEST(CliRecord, ConfigKeyTakesTrueOrAFile) {
    auto on = parse_config("record = true\n", "c.toml");
    ASSERT_TRUE(on.ok());
    EXPECT_TRUE(on->record);
    EXPECT_TRUE(on->record_path.empty());
    auto file = parse_config("record = \"/srv/h.db\"\n", "c.toml");
    ASSERT_TRUE(file.ok());
    EXPECT_TRUE(file->record);
    EXPECT_EQ(file->record_path, "/srv/h.db");
    auto off = parse_config("record = false\n", "c.toml");
    ASSERT_TRUE(off.ok());
    EXPECT_FALSE(off->record);
    EXPECT_FALSE(parse_config("record = 3\n", "c.toml").ok());
    EXPECT_FALSE(parse_config("record = \"\"\n", "c.toml").ok());
}

TEST(StoreLocation, DefaultPaths) {
    EXPECT_EQ(store_path_from("/x/state", "/home/a", false).value(), "/x/state/sockeye/history.db");
    EXPECT_EQ(store_path_from(nullptr, "/home/a", false).value(), "/home/a/.local/state/sockeye/history.db");
    // Relative XDG values are ignored, as the spec says.
    EXPECT_EQ(store_path_from("rel", "/home/a", false).value(), "/home/a/.local/state/sockeye/history.db");
    EXPECT_EQ(store_path_from("/x/state", "/home/a", true).value(), "/var/lib/sockeye/history.db");
    auto none = store_path_from(nullptr, nullptr, false);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, core::ErrorCode::usage);
    EXPECT_EQ(store_directory("/a/b/history.db"), "/a/b");
    EXPECT_EQ(store_directory("history.db"), ".");
}

TEST(History, Arguments) {
    auto r = parse_history({"--store", "h.db", "--json", "--since=2h"}, 10'000 * kSecond);
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->store, "h.db");
    EXPECT_TRUE(r->json);
    EXPECT_EQ(r->since_ns, (10'000 - 7'200) * kSecond);
    EXPECT_FALSE(parse_history({"--store"}).ok());
    EXPECT_FALSE(parse_history({"--json=1"}).ok());
    EXPECT_FALSE(parse_history({"--bogus"}).ok());
    EXPECT_FALSE(parse_history({"h.db"}).ok());
    EXPECT_EQ(parse_history({"--since", "x"}).error().code, core::ErrorCode::usage);
}

TEST(History, SinceSpansAndDates) {
    const std::int64_t now = 1'000'000 * kSecond;
    EXPECT_EQ(parse_since("90s", now).value(), now - 90 * kSecond);
    EXPECT_EQ(parse_since("30m", now).value(), now - 1800 * kSecond);
    EXPECT_EQ(parse_since("7d", now).value(), now - 7 * 86'400 * kSecond);
    EXPECT_EQ(parse_since("2w", now).value(), now - 14 * 86'400 * kSecond);
    EXPECT_EQ(parse_since("2024-05-01T13:45:10Z", now).value(), 1'714'571'110 * kSecond);
    EXPECT_EQ(parse_since("2024-05-01T13:45Z", now).value(), 1'714'571'100 * kSecond);
    EXPECT_EQ(parse_since("2024-05-01Z", now).value(), 1'714'521'600 * kSecond);
    // Local time: whatever the zone, a date parses and the next day is 1 day
    // (give or take a DST change) later.
    const auto day = parse_since("2024-05-01", now);
    const auto next = parse_since("2024-05-02 00:00", now);
    ASSERT_TRUE(day.ok() && next.ok());
    EXPECT_NEAR(static_cast<double>(next.value() - day.value()), 86'400.0 * kSecond, 3600.0 * kSecond);
    // Huge spans saturate instead of overflowing.
    EXPECT_FALSE(parse_since("99999999999999999w", now).ok());
    EXPECT_LT(parse_since("100000d", now).value(), 0);
    EXPECT_EQ(parse_since("1s", std::numeric_limits<std::int64_t>::min() + 5).value(),
              std::numeric_limits<std::int64_t>::min());
    for (const char* bad : {"", "h", "5", "5y", "-5h", "2024-13-01", "2024-02-31", "2024-05-01T25:00",
                            "2024-05-01X", "yesterday", "1.5h"})
        EXPECT_FALSE(parse_since(bad, now).ok()) << bad;
}

}  // namespace
}  // namespace sockeye::app
