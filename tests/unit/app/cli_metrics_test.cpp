// --metrics on the command line: the value is checked at parse time.
#include <gtest/gtest.h>

#include <string>

#include "app/cli.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

TEST(CliMetrics, OptionValidatesAndStores) {
    auto r = parse_args({"-r", "x.pcap", "--headless", "--metrics", "[::1]:9100"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->metrics, "[::1]:9100");
    r = parse_args({"--metrics=:9100"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->metrics, ":9100");
    r = parse_args({"--metrics", "localhost"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("invalid value 'localhost' for --metrics"), std::string::npos) << sockeye::testing::error_message(r);
    r = parse_args({"--metrics"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("needs a value"), std::string::npos) << sockeye::testing::error_message(r);
    EXPECT_NE(help_text().find("--metrics ADDR:PORT"), std::string::npos);
}

TEST(CliMetrics, CountriesAreOptInAndNeedMetrics) {
    auto r = parse_args({"-r", "x.pcap", "--headless", "--metrics", ":9100"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_FALSE(r->metrics_countries);
    r = parse_args({"-r", "x.pcap", "--headless", "--metrics", ":9100", "--metrics-countries"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_TRUE(r->metrics_countries);
    r = parse_args({"-r", "x.pcap", "--json", "--metrics-countries"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("--metrics-countries needs --metrics"), std::string::npos)
        << sockeye::testing::error_message(r);
    EXPECT_NE(help_text().find("--metrics-countries"), std::string::npos);
}

}  // namespace
}  // namespace sockeye::app
