// --metrics on the command line: the value is checked at parse time.
#include <gtest/gtest.h>

#include <string>

#include "app/cli.hpp"

namespace sockeye::app {
namespace {

TEST(CliMetrics, OptionValidatesAndStores) {
    auto r = parse_args({"-r", "x.pcap", "--headless", "--metrics", "[::1]:9100"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(r.options->metrics, "[::1]:9100");
    r = parse_args({"--metrics=:9100"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(r.options->metrics, ":9100");
    r = parse_args({"--metrics", "localhost"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("invalid value 'localhost' for --metrics"), std::string::npos) << r.error;
    r = parse_args({"--metrics"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("needs a value"), std::string::npos) << r.error;
    EXPECT_NE(help_text().find("--metrics ADDR:PORT"), std::string::npos);
}

}  // namespace
}  // namespace sockeye::app
