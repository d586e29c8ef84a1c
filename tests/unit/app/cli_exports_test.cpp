#include <gtest/gtest.h>

#include "app/cli.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

core::Result<Options> parse(std::initializer_list<const char*> args) {
    return parse_args(std::vector<std::string>(args.begin(), args.end()));
}

TEST(CliExports, HeadlessWithEveryExport) {
    auto r = parse({"-i", "eth0", "--headless", "--pcapng-export", "a.pcapng", "--pcap-export=b.pcap",
                    "--json-log", "-"});
    ASSERT_TRUE(r.ok()) << sockeye::testing::error_message(r);
    EXPECT_EQ(r->output, OutputMode::headless);
    EXPECT_EQ(r->pcapng_export, "a.pcapng");
    EXPECT_EQ(r->pcap_export, "b.pcap");
    EXPECT_EQ(r->json_log, "-");
    // Exports also work beside the other outputs, into files.
    auto json = parse({"-r", "x.pcap", "--json", "--json-log", "events.jsonl"});
    ASSERT_TRUE(json.ok()) << sockeye::testing::error_message(json);
    EXPECT_EQ(json->output, OutputMode::json);
    EXPECT_EQ(json->json_log, "events.jsonl");
}

TEST(CliExports, RejectsConflictsWithOneLineReasons) {
    auto r = parse({"--headless", "--json"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("--headless"), std::string::npos) << sockeye::testing::error_message(r);
    r = parse({"--summary", "--headless"});
    EXPECT_FALSE(r.ok());
    r = parse({"--json-log", "-"});  // stdout is the UI's or the table's
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("--headless"), std::string::npos) << sockeye::testing::error_message(r);
    r = parse({"--headless", "--pcapng-export", "same", "--pcap-export", "same"});
    EXPECT_FALSE(r.ok());
    // "-" and /dev/stdout are stdout: one export at a time, only headless.
    r = parse({"--headless", "--pcapng-export", "-", "--json-log", "/dev/stdout"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("cannot both write to stdout"), std::string::npos) << sockeye::testing::error_message(r);
    r = parse({"--pcap-export", "/dev/stdout", "--json"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("needs --headless"), std::string::npos) << sockeye::testing::error_message(r);
    r = parse({"--pcap-export"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("needs a value"), std::string::npos) << sockeye::testing::error_message(r);
}

TEST(CliExports, StdoutNamesMeanStdout) {
    for (const char* name : {"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}) {
        auto r = parse({"--headless", "--pcap-export", name});
        ASSERT_TRUE(r.ok()) << name << ": " << sockeye::testing::error_message(r);
        EXPECT_EQ(r->pcap_export, "-") << name;
    }
}

TEST(CliExports, OutputModesExcludeEachOther) {
    auto r = parse({"--json", "--summary"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("--json and --summary cannot be combined"), std::string::npos) << sockeye::testing::error_message(r);
    r = parse({"--summary", "--json"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("--summary and --json"), std::string::npos) << sockeye::testing::error_message(r);
    EXPECT_TRUE(parse({"--json", "--json"}).ok());  // said twice is not a contradiction
}

TEST(CliExports, DoubleDashEndsOptions) {
    EXPECT_TRUE(parse({"--json", "--"}).ok());
    auto r = parse({"--", "--json"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("unexpected argument '--json'"), std::string::npos) << sockeye::testing::error_message(r);
    r = parse({"capture.pcap"});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(sockeye::testing::error_message(r).find("-r FILE"), std::string::npos) << sockeye::testing::error_message(r);
}

TEST(CliExports, HelpListsTheExportOptions) {
    const std::string help = help_text();
    for (const char* option : {"--headless", "--pcapng-export", "--pcap-export", "--json-log"})
        EXPECT_NE(help.find(option), std::string::npos) << option;
}

}  // namespace
}  // namespace sockeye::app
