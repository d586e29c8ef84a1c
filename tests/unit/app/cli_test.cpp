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
    EXPECT_EQ(r.options->output, OutputMode::live_table);
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

TEST(Cli, HelpMentionsEveryOption) {
    const std::string help = help_text();
    for (const char* opt : {"--interface", "--read", "--filter", "--count", "--duration", "--json",
                            "--summary", "--interval", "--max-flows", "--no-dpi", "--version", "--help"}) {
        EXPECT_NE(help.find(opt), std::string::npos) << opt;
    }
}

}  // namespace
}  // namespace sockeye::app
