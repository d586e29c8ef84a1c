#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/history_command.hpp"
#include "app/report_command.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kNow = 1'700'000'000 * kSecond;

core::Result<ReportOptions> parse(std::initializer_list<const char*> args) {
    return parse_report_args(std::vector<std::string>(args.begin(), args.end()), kNow);
}

TEST(ReportArgs, DefaultsToTheLastDayByProcess) {
    auto o = parse({});
    ASSERT_TRUE(o.ok()) << sockeye::testing::error_message(o);
    EXPECT_EQ(o->since_ns, kNow - 24 * 3600 * kSecond);
    EXPECT_EQ(o->until_ns, INT64_MAX);
    EXPECT_EQ(o->by, store::ReportBy::process);
    EXPECT_EQ(o->format, ReportOptions::Format::table);
    EXPECT_TRUE(o->store.empty());
    EXPECT_TRUE(o->filter.empty());
}

TEST(ReportArgs, EveryOption) {
    auto o = parse({"--store", "h.db", "--since=7d", "--until", "2023-11-14T00:00Z", "--by", "host",
                    "--filter", "port:443 and process:curl", "--csv"});
    ASSERT_TRUE(o.ok()) << sockeye::testing::error_message(o);
    EXPECT_EQ(o->store, "h.db");
    EXPECT_EQ(o->since_ns, kNow - 7 * 86'400 * kSecond);
    EXPECT_EQ(o->until_ns, 1'699'920'000 * kSecond);
    EXPECT_EQ(o->by, store::ReportBy::host);
    EXPECT_EQ(o->filter, "port:443 and process:curl");
    EXPECT_EQ(o->format, ReportOptions::Format::csv);
    EXPECT_EQ(parse({"--json"})->format, ReportOptions::Format::json);
    EXPECT_TRUE(parse({"--help"})->show_help);
}

TEST(ReportArgs, MistakesAreUsageErrors) {
    for (auto args : std::vector<std::vector<std::string>>{
             {"--by", "user"}, {"--by"}, {"--since", "yesterday"}, {"--until", "5x"}, {"--json", "--csv"},
             {"--json=1"}, {"--store", ""}, {"--since", "1h", "--until", "2h"}, {"--bogus"}}) {
        auto o = parse_report_args(args, kNow);
        ASSERT_FALSE(o.ok()) << args.front();
        EXPECT_EQ(o.error().code, core::ErrorCode::usage) << args.front();
        EXPECT_EQ(o.error().message.find('\n'), std::string::npos);
    }
    auto bad_filter = parse({"--filter", "prot:tcp"});
    ASSERT_FALSE(bad_filter.ok());
    EXPECT_EQ(bad_filter.error().code, core::ErrorCode::bad_filter);
    EXPECT_NE(bad_filter.error().message.find("--filter"), std::string::npos);
    // The same parser names the option it read.
    EXPECT_NE(parse({"--until", "x"}).error().message.find("--until"), std::string::npos);
}

TEST(HistoryArgs, FilterIsCheckedWhenParsed) {
    auto ok = parse_history_args({"--filter", "dport:53"}, kNow);
    ASSERT_TRUE(ok.ok()) << sockeye::testing::error_message(ok);
    EXPECT_EQ(ok->filter, "dport:53");
    auto bad = parse_history_args({"--filter", "((("}, kNow);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, core::ErrorCode::bad_filter);
}

store::UsageReport sample() {
    store::UsageReport r;
    store::UsageRow a;
    a.key = "curl, the \"client\"";
    a.bytes_received = 2048;
    a.bytes_sent = 100;
    a.packets_received = 3;
    a.packets_sent = 2;
    a.connections = 1;
    r.rows.push_back(a);
    store::UsageRow b;
    b.bytes_sent = 10;
    b.packets_sent = 1;
    b.connections = 1;
    r.rows.push_back(b);
    r.total = a;
    r.total.key.clear();
    r.total.add(b);
    return r;
}

TEST(ReportFormat, CsvQuotesKeysAndEndsWithTheTotal) {
    ReportOptions o;
    o.format = ReportOptions::Format::csv;
    EXPECT_EQ(format_report(sample(), o),
              "rank,key,bytes_received,bytes_sent,bytes,packets_received,packets_sent,packets,connections\n"
              "1,\"curl, the \"\"client\"\"\",2048,100,2148,3,2,5,1\n"
              "2,,0,10,10,0,1,1,1\n"
              "total,,2048,110,2158,3,3,6,2\n");
}

TEST(ReportFormat, JsonHasRowsAndTotal) {
    ReportOptions o;
    o.format = ReportOptions::Format::json;
    o.since_ns = INT64_MIN;
    EXPECT_EQ(format_report(sample(), o),
              "{\"by\":\"process\",\"since\":null,\"until\":null,\"filter\":null,\"connections_known\":true,"
              "\"rows\":[{\"rank\":1,\"key\":\"curl, the \\\"client\\\"\",\"bytes_received\":2048,"
              "\"bytes_sent\":100,\"bytes\":2148,\"packets_received\":3,\"packets_sent\":2,\"packets\":5,"
              "\"connections\":1},{\"rank\":2,\"key\":\"\",\"bytes_received\":0,\"bytes_sent\":10,"
              "\"bytes\":10,\"packets_received\":0,\"packets_sent\":1,\"packets\":1,\"connections\":1}],"
              "\"total\":{\"bytes_received\":2048,\"bytes_sent\":110,\"bytes\":2158,\"packets_received\":3,"
              "\"packets_sent\":3,\"packets\":6,\"connections\":2}}\n");
}

TEST(ReportFormat, TableRanksAndTotals) {
    ReportOptions o;
    o.since_ns = INT64_MIN;
    const auto t = format_report(sample(), o);
    EXPECT_NE(t.find("RANK  PROCESS"), std::string::npos) << t;
    EXPECT_NE(t.find("   1  curl, the \"client\""), std::string::npos) << t;
    EXPECT_NE(t.find("   2  -"), std::string::npos) << t;
    EXPECT_NE(t.find("total"), std::string::npos) << t;
    EXPECT_NE(t.find("2.1 KiB"), std::string::npos) << t;
}

}  // namespace
}  // namespace sockeye::app
