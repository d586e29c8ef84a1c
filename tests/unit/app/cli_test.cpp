#include "app/cli.hpp"
#include "unit/support/result_value.hpp"

#include <gtest/gtest.h>

namespace sockeye::app {
namespace {

core::Result<Options> parse(std::initializer_list<const char*> args) {
    return parse_args(std::vector<std::string>(args.begin(), args.end()));
}

TEST(Cli, DefaultsAreLiveTableOnDefaultInterface) {
    auto r = parse({});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->interface.empty());
    EXPECT_EQ(r->output, OutputMode::interactive);
    EXPECT_EQ(r->max_flows, 100'000u);
}

TEST(Cli, ReadsFileJsonFilterAndInlineValues) {
    auto r = parse({"-r", "x.pcap", "--json", "--filter=tcp port 80", "--max-flows", "5000"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->read_file, "x.pcap");
    EXPECT_EQ(r->output, OutputMode::json);
    EXPECT_EQ(r->filter, "tcp port 80");
    EXPECT_EQ(r->max_flows, 5000u);
    EXPECT_TRUE(r->dpi);
    EXPECT_FALSE(parse({"--no-dpi"})->dpi);
}

TEST(Cli, RejectsBadInputWithOneLine) {
    EXPECT_EQ(sockeye::testing::error_message(parse({"--bogus"})), "unknown option '--bogus' (see sockeye --help)");
    EXPECT_EQ(sockeye::testing::error_message(parse({"-r"})), "option -r needs a value");
    EXPECT_EQ(parse({"--bogus"}).error().code, core::ErrorCode::usage);
    EXPECT_FALSE(parse({"--max-flows", "12abc"}).ok());
    EXPECT_FALSE(parse({"--max-flows", "3"}).ok());
    EXPECT_FALSE(parse({"-c", "0"}).ok());
    EXPECT_FALSE(parse({"-d", "-1"}).ok());
    EXPECT_FALSE(parse({"-r", "a.pcap", "-i", "eth0"}).ok());
    EXPECT_FALSE(parse({"-r", "a.pcap", "-d", "5"}).ok());
}

TEST(Cli, ParsesUiOptions) {
    auto r = parse({"-r", "a.pcap", "--speed", "max", "--refresh", "250", "--no-resolve",
                    "--theme", "mono", "--no-processes"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->speed, 0);
    EXPECT_EQ(r->refresh_ms, 250);
    EXPECT_FALSE(r->resolve);
    EXPECT_FALSE(r->processes);
    EXPECT_EQ(r->theme, "mono");
    EXPECT_EQ(parse({"-r", "a.pcap", "--speed", "4"})->speed, 4);
    EXPECT_FALSE(parse({"--speed", "2"}).ok());  // live capture has no pace
    EXPECT_FALSE(parse({"-r", "a.pcap", "--speed", "fast"}).ok());
    EXPECT_FALSE(parse({"--refresh", "10"}).ok());
    EXPECT_EQ(sockeye::testing::error_message(parse({"--theme", "neon"})),
              "invalid value 'neon' for --theme: expected a theme: default, dark, light, mono");
}

TEST(Cli, AllowKillIsForTheLiveTerminalUiOnly) {
    auto r = parse({"--allow-kill", "-i", "eth0"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_TRUE(r->allow_kill);
    EXPECT_FALSE(parse({"-i", "eth0"})->allow_kill);
    EXPECT_EQ(sockeye::testing::error_message(parse({"--allow-kill", "--json"})),
              "--allow-kill is for the terminal UI (K), not --json");
    EXPECT_EQ(sockeye::testing::error_message(parse({"--allow-kill", "-r", "x.pcap"})),
              "--allow-kill applies to live capture only (a file has no processes)");
}

TEST(Cli, GeoDatabasesRepeatOrAreTurnedOff) {
    auto r = parse({"--geoip-dir", "/srv/geo", "--geoip-dir=/tmp/asn.mmdb"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->geoip_paths, (std::vector<std::string>{"/srv/geo", "/tmp/asn.mmdb"}));
    EXPECT_TRUE(r->geoip);
    EXPECT_FALSE(parse({"--no-geoip"})->geoip);
    EXPECT_TRUE(parse({"--no-geoip"})->geoip_set);
    EXPECT_EQ(sockeye::testing::error_message(parse({"--no-geoip", "--geoip-dir", "/srv/geo"})),
              "--no-geoip and --geoip-dir contradict each other");
    EXPECT_EQ(sockeye::testing::error_message(parse({"--geoip-dir="})),
              "invalid value '' for --geoip-dir: expected a directory or an .mmdb file");
}

TEST(Cli, HelpMentionsEveryOption) {
    const std::string help = help_text();
    for (const char* opt : {"--interface", "--read", "--filter", "--count", "--duration", "--json",
                            "--summary", "--interval", "--max-flows", "--no-dpi", "--version", "--help",
                            "--speed", "--refresh", "--theme", "--config", "--no-resolve",
                            "--dns-server", "--no-processes", "--geoip-dir", "--no-geoip"}) {
        EXPECT_NE(help.find(opt), std::string::npos) << opt;
    }
}

}  // namespace
}  // namespace sockeye::app
