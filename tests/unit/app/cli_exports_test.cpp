#include <gtest/gtest.h>

#include "app/cli.hpp"

namespace sockeye::app {
namespace {

ParseResult parse(std::initializer_list<const char*> args) {
    return parse_args(std::vector<std::string>(args.begin(), args.end()));
}

TEST(CliExports, HeadlessWithEveryExport) {
    auto r = parse({"-i", "eth0", "--headless", "--pcapng-export", "a.pcapng", "--pcap-export=b.pcap",
                    "--json-log", "-"});
    ASSERT_TRUE(r.options) << r.error;
    EXPECT_EQ(r.options->output, OutputMode::headless);
    EXPECT_EQ(r.options->pcapng_export, "a.pcapng");
    EXPECT_EQ(r.options->pcap_export, "b.pcap");
    EXPECT_EQ(r.options->json_log, "-");
    // Exports also work beside the other outputs, into files.
    auto json = parse({"-r", "x.pcap", "--json", "--json-log", "events.jsonl"});
    ASSERT_TRUE(json.options) << json.error;
    EXPECT_EQ(json.options->output, OutputMode::json);
    EXPECT_EQ(json.options->json_log, "events.jsonl");
}

TEST(CliExports, RejectsConflictsWithOneLineReasons) {
    auto r = parse({"--headless", "--json"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("--headless"), std::string::npos) << r.error;
    r = parse({"--summary", "--headless"});
    EXPECT_FALSE(r.options);
    r = parse({"--json-log", "-"});  // stdout is the UI's or the table's
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("--headless"), std::string::npos) << r.error;
    r = parse({"--headless", "--pcapng-export", "same", "--pcap-export", "same"});
    EXPECT_FALSE(r.options);
    // "-" and /dev/stdout are stdout: one export at a time, only headless.
    r = parse({"--headless", "--pcapng-export", "-", "--json-log", "/dev/stdout"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("cannot both write to stdout"), std::string::npos) << r.error;
    r = parse({"--pcap-export", "/dev/stdout", "--json"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("needs --headless"), std::string::npos) << r.error;
    r = parse({"--pcap-export"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("needs a value"), std::string::npos) << r.error;
}

TEST(CliExports, StdoutNamesMeanStdout) {
    for (const char* name : {"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}) {
        auto r = parse({"--headless", "--pcap-export", name});
        ASSERT_TRUE(r.options) << name << ": " << r.error;
        EXPECT_EQ(r.options->pcap_export, "-") << name;
    }
}

TEST(CliExports, OutputModesExcludeEachOther) {
    auto r = parse({"--json", "--summary"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("--json and --summary cannot be combined"), std::string::npos) << r.error;
    r = parse({"--summary", "--json"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("--summary and --json"), std::string::npos) << r.error;
    EXPECT_TRUE(parse({"--json", "--json"}).options);  // said twice is not a contradiction
}

TEST(CliExports, DoubleDashEndsOptions) {
    EXPECT_TRUE(parse({"--json", "--"}).options);
    auto r = parse({"--", "--json"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("unexpected argument '--json'"), std::string::npos) << r.error;
    r = parse({"capture.pcap"});
    EXPECT_FALSE(r.options);
    EXPECT_NE(r.error.find("-r FILE"), std::string::npos) << r.error;
}

TEST(CliExports, HelpListsTheExportOptions) {
    const std::string help = help_text();
    for (const char* option : {"--headless", "--pcapng-export", "--pcap-export", "--json-log"})
        EXPECT_NE(help.find(option), std::string::npos) << option;
}

}  // namespace
}  // namespace sockeye::app
