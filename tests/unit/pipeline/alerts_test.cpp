#include "pipeline/alerts.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sockeye::pipeline {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::shared_ptr<const snapshot::ProcessInfo> program(const std::string& name) {
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->name = name;
    p->pid = 42;
    return p;
}

snapshot::FlowRecord flow(const std::string& prog, const std::string& remote, std::uint16_t sport,
                          std::int64_t first_seen = kSecond) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("192.0.2.7");
    f.source_port = sport;
    f.destination_port = 443;
    f.first_seen_ns = first_seen;
    if (!prog.empty()) f.process = program(prog);
    f.remote_name = remote;
    return f;
}

snapshot::Snapshot at(std::int64_t ts, std::vector<snapshot::FlowRecord> flows, bool delta = true) {
    snapshot::Snapshot s;
    s.ts_ns = ts;
    s.delta = delta;
    s.flows = std::move(flows);
    return s;
}

AlertRule rule(AlertCondition c, std::int64_t cooldown_ns = 0) {
    AlertRule r;
    r.name = std::string(alert_condition_name(c));
    r.condition = c;
    r.cooldown_ns = cooldown_ns;
    return r;
}

std::vector<std::string> details(const snapshot::Snapshot& s, std::uint64_t after = 0) {
    std::vector<std::string> out;
    for (const auto& a : s.alerts)
        if (a.sequence > after) out.push_back(a.program + " " + a.detail);
    return out;
}

TEST(AlertEngine, NewDestinationOncePerProgramAndDestination) {
    AlertEngine engine({rule(AlertCondition::new_destination)});
    auto s1 = at(2 * kSecond, {flow("curl", "a.example", 1000), flow("wget", "a.example", 1001)});
    engine.evaluate(s1);
    EXPECT_EQ(details(s1), (std::vector<std::string>{"curl a.example", "wget a.example"}));
    // The same destination again, from a new flow: not new. Another one is.
    auto s2 = at(3 * kSecond, {flow("curl", "a.example", 1002, 3 * kSecond),
                               flow("curl", "b.example", 1003, 3 * kSecond)});
    engine.evaluate(s2);
    EXPECT_EQ(details(s2, 2), (std::vector<std::string>{"curl b.example"}));
    ASSERT_EQ(s2.alerts.size(), 3u);  // the recent list keeps the earlier ones
    EXPECT_EQ(s2.alerts.back().condition, "new_destination");
    EXPECT_EQ(s2.alerts.back().rule, "new_destination");
    EXPECT_EQ(s2.alerts.back().sequence, 3u);
    EXPECT_EQ(s2.alerts.back().flow.source_port, 1003);
}

TEST(AlertEngine, ADestinationWithoutANameIsItsAddressAndAsnNeedsGeo) {
    AlertEngine by_name({rule(AlertCondition::new_destination)});
    auto s = at(kSecond, {flow("curl", "", 1000)});
    by_name.evaluate(s);
    EXPECT_EQ(details(s), (std::vector<std::string>{"curl 192.0.2.7"}));

    auto asn_rule = rule(AlertCondition::new_destination);
    asn_rule.by = DestinationKey::asn;
    AlertEngine by_asn({asn_rule});
    auto geo = std::make_shared<snapshot::GeoInfo>();
    geo->asn = 13335;
    auto with_geo = flow("curl", "x", 1001);
    with_geo.remote_geo = geo;
    auto s2 = at(kSecond, {flow("curl", "y", 1000), with_geo});
    by_asn.evaluate(s2);
    EXPECT_EQ(details(s2), (std::vector<std::string>{"curl AS13335"}));
}

TEST(AlertEngine, CooldownKeepsARuleQuietPerProgram) {
    AlertEngine engine({rule(AlertCondition::new_destination, 60 * kSecond)});
    auto s1 = at(kSecond, {flow("curl", "a", 1000), flow("curl", "b", 1001), flow("wget", "c", 1002)});
    engine.evaluate(s1);
    // curl's second destination falls in its cooldown; wget is another subject.
    EXPECT_EQ(details(s1), (std::vector<std::string>{"curl a", "wget c"}));
    auto s2 = at(30 * kSecond, {flow("curl", "d", 1003, 30 * kSecond)});
    engine.evaluate(s2);
    EXPECT_TRUE(details(s2, 2).empty());
    // After the cooldown: "b" was remembered, not alerted late; "e" is new.
    auto s3 = at(62 * kSecond, {flow("curl", "b", 1004, 62 * kSecond), flow("curl", "e", 1005, 62 * kSecond)});
    engine.evaluate(s3);
    EXPECT_EQ(details(s3, 2), (std::vector<std::string>{"curl e"}));
}

TEST(AlertEngine, TheFilterLimitsTheFlowsARuleLooksAt) {
    auto r = rule(AlertCondition::new_destination);
    r.filter = [](const snapshot::FlowRecord& f, std::int64_t) { return f.process && f.process->name == "curl"; };
    r.filter_reads_process = true;
    AlertEngine engine({r});
    auto s = at(kSecond, {flow("curl", "a", 1000), flow("wget", "b", 1001)});
    engine.evaluate(s);
    EXPECT_EQ(details(s), (std::vector<std::string>{"curl a"}));
}

TEST(AlertEngine, APendingProcessIsAwaitedBeforeAFlowIsJudged) {
    AlertEngine engine({rule(AlertCondition::new_destination)});
    auto pending = flow("", "a", 1000);
    pending.unattributed = snapshot::UnattributedReason::pending;
    for (int i = 0; i < AlertEngine::kProcessWaits; ++i) {
        auto s = at((i + 1) * kSecond, {pending});
        engine.evaluate(s);
        EXPECT_TRUE(s.alerts.empty()) << i;
    }
    // The owner is known now: the alert names it.
    auto s = at(5 * kSecond, {flow("curl", "a", 1000)});
    engine.evaluate(s);
    EXPECT_EQ(details(s), (std::vector<std::string>{"curl a"}));
}

TEST(AlertEngine, NewJa4WaitsForTheClientHello) {
    AlertEngine engine({rule(AlertCondition::new_ja4)});
    auto f = flow("curl", "a", 1000);
    auto s1 = at(kSecond, {f});
    engine.evaluate(s1);
    EXPECT_TRUE(s1.alerts.empty());
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "TLS";
    app->set_text("ja4", "t13d1516h2_8daaf6152771_02713d6af862");
    f.app = app;
    auto s2 = at(2 * kSecond, {f});
    engine.evaluate(s2);
    EXPECT_EQ(details(s2), (std::vector<std::string>{"curl t13d1516h2_8daaf6152771_02713d6af862"}));
    // The same JA4 from another flow of the program: known.
    auto g = flow("curl", "b", 1001, 2 * kSecond);
    g.app = app;
    auto s3 = at(3 * kSecond, {f, g});
    engine.evaluate(s3);
    EXPECT_EQ(s3.alerts.size(), 1u);
}

TEST(AlertEngine, RateAboveByFlowAndByProgram) {
    auto per_flow = rule(AlertCondition::rate_above, 10 * kSecond);
    per_flow.name = "flow";
    per_flow.rate_above = 1e6;
    auto per_program = rule(AlertCondition::rate_above, 10 * kSecond);
    per_program.name = "program";
    per_program.rate_above = 1e6;
    per_program.per_program = true;
    AlertEngine engine({per_flow, per_program});
    auto a = flow("curl", "a", 1000);
    a.received_bytes_per_s = 600'000;
    auto b = flow("curl", "b", 1001);
    b.received_bytes_per_s = 600'000;
    auto s1 = at(kSecond, {a, b});
    engine.evaluate(s1);
    // Neither flow is above 1 MB/s; curl's two together are.
    ASSERT_EQ(s1.alerts.size(), 1u);
    EXPECT_EQ(s1.alerts[0].rule, "program");
    EXPECT_EQ(s1.alerts[0].detail, "1.2 MB/s");
    EXPECT_DOUBLE_EQ(s1.alerts[0].rate, 1.2e6);
    // A delta with only `a`, now fast on its own: `b` still counts for curl
    // (absent from a delta: unchanged), but curl is in its cooldown.
    a.received_bytes_per_s = 2e6;
    auto s2 = at(2 * kSecond, {a});
    engine.evaluate(s2);
    EXPECT_EQ(details(s2, 1), (std::vector<std::string>{"curl 2.0 MB/s"}));
    EXPECT_EQ(s2.alerts.back().rule, "flow");
    // Still fast a second later: the flow's cooldown holds.
    auto s3 = at(3 * kSecond, {a});
    engine.evaluate(s3);
    EXPECT_EQ(s3.alerts.size(), 2u);
    // After both cooldowns: both speak again.
    auto s4 = at(13 * kSecond, {a}, false);
    engine.evaluate(s4);
    EXPECT_EQ(details(s4, 2), (std::vector<std::string>{"curl 2.0 MB/s", "curl 2.0 MB/s"}));
}

TEST(AlertEngine, ListeningPortsThatOpenAfterTheFirstListing) {
    AlertEngine engine({rule(AlertCondition::listening)});
    snapshot::ListeningSocket ssh{6, core::IpAddress::parse("0.0.0.0"), 22, program("sshd")};
    snapshot::ListeningSocket web{6, core::IpAddress::parse("::"), 8080, program("python3")};
    auto s1 = at(kSecond, {});
    s1.listening = {ssh};
    s1.listening_read = true;
    engine.evaluate(s1);
    EXPECT_TRUE(s1.alerts.empty());  // open at start: the baseline
    auto s2 = at(2 * kSecond, {});
    s2.listening = {ssh, web};
    s2.listening_read = true;
    engine.evaluate(s2);
    EXPECT_EQ(details(s2), (std::vector<std::string>{"python3 tcp/[::]:8080"}));
    EXPECT_EQ(s2.alerts[0].flow.source_port, 8080);
    // A snapshot without a listing changes nothing.
    auto s3 = at(3 * kSecond, {});
    engine.evaluate(s3);
    EXPECT_EQ(s3.alerts.size(), 1u);
}

}  // namespace
}  // namespace sockeye::pipeline
