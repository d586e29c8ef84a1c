#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/config.hpp"
#include "app/time_args.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

constexpr std::int64_t kDayNs = 86'400LL * 1'000'000'000;

core::Result<Options> parse(std::initializer_list<const char*> args) {
    return parse_args(std::vector<std::string>(args.begin(), args.end()));
}

TEST(StoreBounds, SpansAndSizes) {
    EXPECT_EQ(parse_span("30d", "--retain").value(), 30 * kDayNs);
    EXPECT_EQ(parse_span("2w", "--retain").value(), 14 * kDayNs);
    EXPECT_EQ(parse_span("0", "--retain").value(), 0);
    for (const char* bad : {"", "d", "30", "-1d", "1y", "99999999999999999w", "1.5d"}) {
        auto r = parse_span(bad, "--retain");
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_NE(r.error().message.find("--retain"), std::string::npos);
    }
    EXPECT_EQ(parse_size("1G", "--max-store").value(), 1ULL << 30);
    EXPECT_EQ(parse_size("500M", "--max-store").value(), 500ULL << 20);
    EXPECT_EQ(parse_size("64k", "--max-store").value(), 64ULL << 10);
    EXPECT_EQ(parse_size("2T", "--max-store").value(), 2ULL << 40);
    EXPECT_EQ(parse_size("4096", "--max-store").value(), 4096U);
    EXPECT_EQ(parse_size("0", "--max-store").value(), 0U);
    for (const char* bad : {"", "G", "1GB", "1g", "-1G", "1.5G", "99999999999999T"}) {
        auto r = parse_size(bad, "--max-store");
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().code, core::ErrorCode::usage);
    }
}

TEST(StoreBounds, Flags) {
    auto o = parse({"--record", "h.db", "--retain", "7d", "--max-store=2G", "--headless"});
    ASSERT_TRUE(o.ok()) << sockeye::testing::error_message(o);
    EXPECT_EQ(o->retain_ns, 7 * kDayNs);
    EXPECT_EQ(o->max_store_bytes, 2ULL << 30);
    auto unset = parse({"--record", "h.db", "--headless"});
    ASSERT_TRUE(unset.ok());
    EXPECT_FALSE(unset->retain_ns);
    EXPECT_FALSE(unset->max_store_bytes);
    EXPECT_FALSE(parse({"--retain", "forever"}).ok());
    EXPECT_FALSE(parse({"--max-store"}).ok());
}

TEST(StoreBounds, ConfigKeys) {
    auto c = parse_config("retain = \"90d\"\nmax_store = \"4G\"\n", "c.toml");
    ASSERT_TRUE(c.ok()) << sockeye::testing::error_message(c);
    EXPECT_EQ(c->retain_ns, 90 * kDayNs);
    EXPECT_EQ(c->max_store_bytes, 4ULL << 30);
    EXPECT_FALSE(parse_config("retain = 30\n", "c.toml").ok());
    EXPECT_FALSE(parse_config("max_store = \"lots\"\n", "c.toml").ok());
}

}  // namespace
}  // namespace sockeye::app
