#include "app/cli.hpp"

#include <gtest/gtest.h>

namespace sockeye::app {
namespace {

ParseResult parse(std::initializer_list<const char*> args) {
    return parse_args(std::vector<std::string>(args.begin(), args.end()));
}

TEST(Cli, DefaultsAreLiveTableOnDefaultInterface) {
    auto r = parse({});
    ASSERT_TRUE(r.options);
    EXPECT_TRUE(r.options->interface.empty());
    EXPECT_EQ(r.options->output, OutputMode::interactive);
    EXPECT_EQ(r.options->max_flows, 100'000u);
}

TEST(Cli, ReadsFileJsonFilterAndInlineValues) {
    auto r = parse({"-r", "x.pcap", "--json", "--filter=tcp port 80", "--max-flows", "5000"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(r.options->read_file, "x.pcap");
    EXPECT_EQ(r.options->output, OutputMode::json);
    EXPECT_EQ(r.options->filter, "tcp port 80");
    EXPECT_EQ(r.options->max_flows, 5000u);
    EXPECT_TRUE(r.options->dpi);
    EXPECT_FALSE(parse({"--no-dpi"}).options->dpi);
}

TEST(Cli, RejectsBadInputWithOneLine) {
    EXPECT_EQ(parse({"--bogus"}).error, "unknown option '--bogus' (see sockeye --help)");
    EXPECT_EQ(parse({"-r"}).error, "option -r needs a value");
    EXPECT_FALSE(parse({"--max-flows", "12abc"}).options);
    EXPECT_FALSE(parse({"--max-flows", "3"}).options);
    EXPECT_FALSE(parse({"-c", "0"}).options);
    EXPECT_FALSE(parse({"-d", "-1"}).options);
    EXPECT_FALSE(parse({"-r", "a.pcap", "-i", "eth0"}).options);
    EXPECT_FALSE(parse({"-r", "a.pcap", "-d", "5"}).options);
}

TEST(Cli, ParsesUiOptions) {
    auto r = parse({"-r", "a.pcap", "--speed", "max", "--refresh", "250", "--no-resolve",
                    "--theme", "mono", "--no-processes"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(r.options->speed, 0);
    EXPECT_EQ(r.options->refresh_ms, 250);
    EXPECT_FALSE(r.options->resolve);
    EXPECT_FALSE(r.options->processes);
    EXPECT_EQ(r.options->theme, "mono");
    EXPECT_EQ(parse({"-r", "a.pcap", "--speed", "4"}).options->speed, 4);
    EXPECT_FALSE(parse({"--speed", "2"}).options);  // live capture has no pace
    EXPECT_FALSE(parse({"-r", "a.pcap", "--speed", "fast"}).options);
    EXPECT_FALSE(parse({"--refresh", "10"}).options);
    EXPECT_EQ(parse({"--theme", "neon"}).error,
              "invalid value 'neon' for --theme: expected a theme: default, dark, light, mono");
}

TEST(Cli, HelpMentionsEveryOption) {
    const std::string help = help_text();
    for (const char* opt : {"--interface", "--read", "--filter", "--count", "--duration", "--json",
                            "--summary", "--interval", "--max-flows", "--no-dpi", "--version", "--help",
                            "--speed", "--refresh", "--theme", "--config", "--no-resolve",
                            "--dns-server", "--no-processes"}) {
        EXPECT_NE(help.find(opt), std::string::npos) << opt;
    }
}

}  // namespace
}  // namespace sockeye::app
