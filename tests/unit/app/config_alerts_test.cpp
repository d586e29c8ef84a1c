#include <gtest/gtest.h>

#include "app/config.hpp"

namespace sockeye::app {
namespace {

std::string error_of(std::string_view text) {
    const auto config = parse_config(text, "config.toml");
    if (config) return "ok";
    EXPECT_EQ(config.error().code, core::ErrorCode::bad_format) << config.error().message;
    return config.error().message;
}

TEST(ConfigAlerts, EveryKeyAndTheDefaults) {
    const auto config = parse_config(
        "where = \"not app:dns\"\n"
        "[[alert]]\n"
        "name = \"curl-hosts\"\n"
        "filter = \"process:curl\"\n"
        "condition = \"new_destination\"\n"
        "by = \"asn\"\n"
        "cooldown = \"5m\"\n"
        "[[alert]]\n"
        "rate_above = \"10M\"\n"
        "per = \"program\"\n"
        "[[alert]]\n"
        "condition = \"listening\"\n"
        "cooldown = 0\n"
        "[[alert]]\n"
        "condition = \"new_ja4\"\n",
        "config.toml");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->where, "not app:dns");
    ASSERT_EQ(config->alerts.size(), 4u);
    const auto& a = config->alerts[0];
    EXPECT_EQ(a.name, "curl-hosts");
    EXPECT_EQ(a.filter, "process:curl");
    EXPECT_EQ(a.condition, "new_destination");
    EXPECT_EQ(a.by, "asn");
    EXPECT_EQ(a.cooldown_ns, 300'000'000'000);
    EXPECT_EQ(a.line, 2);
    const auto& b = config->alerts[1];
    EXPECT_EQ(b.name, "alert 2");
    EXPECT_EQ(b.condition, "rate_above");  // implied by rate_above
    EXPECT_DOUBLE_EQ(b.rate_above, 10e6);
    EXPECT_TRUE(b.per_program);
    EXPECT_EQ(b.cooldown_ns, 60'000'000'000);
    EXPECT_EQ(config->alerts[2].cooldown_ns, 0);
    EXPECT_EQ(config->alerts[3].condition, "new_ja4");
}

TEST(ConfigAlerts, RatesAndDurationsInTheirUnits) {
    const auto config = parse_config(
        "[[alert]]\nrate_above = \"2.5kB/s\"\ncooldown = \"1h\"\n"
        "[[alert]]\nrate_above = 2000\ncooldown = \"90\"\n",
        "config.toml");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_DOUBLE_EQ(config->alerts[0].rate_above, 2500);
    EXPECT_EQ(config->alerts[0].cooldown_ns, 3600'000'000'000);
    EXPECT_DOUBLE_EQ(config->alerts[1].rate_above, 2000);
    EXPECT_EQ(config->alerts[1].cooldown_ns, 90'000'000'000);
}

TEST(ConfigAlerts, MistakesNameTheirLine) {
    EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\n"),
              "config.toml:1: [[alert]] needs a condition (new_destination, new_ja4, rate_above, listening)");
    EXPECT_EQ(error_of("[[alert]]\ncondition = \"new_thing\"\n"),
              "config.toml:2: unknown condition 'new_thing' (new_destination, new_ja4, rate_above, listening)");
    EXPECT_EQ(error_of("[[alert]]\ncondition = \"new_ja4\"\nfilter = \"prot:x\"\n"),
              "config.toml:3: filter: unknown keyword 'prot' at 0");
    EXPECT_EQ(error_of("[[alert]]\nrate_above = \"fast\"\n"),
              "config.toml:2: 'rate_above' must be a rate in bytes per second such as \"10M\", \"500k\" or 2000");
    EXPECT_EQ(error_of("[[alert]]\ncondition = \"listening\"\ncooldown = \"soon\"\n"),
              "config.toml:3: 'cooldown' must be a duration such as \"60s\", \"5m\" or \"1h\"");
    EXPECT_EQ(error_of("[[alert]]\ncondition = \"rate_above\"\n"),
              "config.toml:1: [[alert]] with condition rate_above needs rate_above = \"RATE\"");
    EXPECT_EQ(error_of("[[alert]]\ncondition = \"new_ja4\"\nper = \"program\"\n"),
              "config.toml:1: 'rate_above' and 'per' apply to condition rate_above only");
    EXPECT_EQ(error_of("[[alert]]\ncondition = \"new_ja4\"\nby = \"asn\"\n"),
              "config.toml:1: 'by' applies to condition new_destination only");
    EXPECT_EQ(error_of("[[alert]]\ncondition = \"new_ja4\"\ntheme = \"dark\"\n"),
              "config.toml:3: unknown key 'theme' in [[alert]] (name, filter, condition, by, rate_above, "
              "per, cooldown; top-level keys go before the first [[alert]])");
    EXPECT_EQ(error_of("[[alert]]\nname = \"a\"\ncondition = \"new_ja4\"\n"
                       "[[alert]]\nname = \"a\"\ncondition = \"listening\"\n"),
              "config.toml:4: two alerts are named 'a'");
    EXPECT_EQ(error_of("[[rule]]\n"), "config.toml:1: unknown array of tables [[rule]] (sockeye knows [[alert]])");
    EXPECT_EQ(error_of("where = \"port:\"\n"), "config.toml:1: where: missing value after 'port:' at 5");
}

}  // namespace
}  // namespace sockeye::app
