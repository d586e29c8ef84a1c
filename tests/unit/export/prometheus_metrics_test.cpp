#include "export/prometheus_metrics.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "export/prometheus_text.hpp"

namespace sockeye::exports {
namespace {

using snapshot::FlowRecord;
using snapshot::Snapshot;

std::shared_ptr<const snapshot::ProcessInfo> process(const std::string& name, int pid = 100) {
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = pid;
    p->name = name;
    p->comm = name.substr(0, 15);
    return p;
}

FlowRecord flow(std::uint16_t source_port, std::int64_t first_seen_ns, std::uint64_t tx_bytes,
                std::uint64_t rx_bytes,
                std::shared_ptr<const snapshot::ProcessInfo> owner = nullptr) {
    FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("10.0.0.2");
    f.source_port = source_port;
    f.destination_port = 443;
    f.state = snapshot::FlowState::established;
    f.first_seen_ns = first_seen_ns;
    f.bytes_sent = tx_bytes;
    f.bytes_received = rx_bytes;
    f.packets_sent = tx_bytes / 100;
    f.packets_received = rx_bytes / 100;
    f.process = std::move(owner);
    if (f.process) f.process_match = snapshot::ProcessMatch::exact;
    return f;
}

FlowRecord ended(FlowRecord f) {
    f.end_reason = snapshot::EndReason::fin;
    f.state = snapshot::FlowState::closed;
    return f;
}

Snapshot snap_of(std::vector<FlowRecord> flows) {
    Snapshot s;
    s.flows = std::move(flows);
    return s;
}

// Sample lines as "name{labels}" -> value; TYPE lines as name -> type.
struct Parsed {
    std::map<std::string, std::string> samples;
    std::map<std::string, std::string> types;
};

Parsed parse(const std::string& text) {
    Parsed p;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("# TYPE ", 0) == 0) {
            const auto rest = line.substr(7);
            const auto space = rest.find(' ');
            p.types[rest.substr(0, space)] = rest.substr(space + 1);
        } else if (!line.empty() && line[0] != '#') {
            const auto space = line.rfind(' ');
            p.samples[line.substr(0, space)] = line.substr(space + 1);
        }
    }
    return p;
}

std::uint64_t value_of(const Parsed& p, const std::string& series) {
    auto it = p.samples.find(series);
    return it == p.samples.end() ? 0 : std::stoull(it->second);
}

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
    std::string out;
    append_label_value(out, "a\\b\"c\nd");
    EXPECT_EQ(out, "a\\\\b\\\"c\\nd");
    out.clear();
    // Control characters and invalid UTF-8 (a lone continuation byte, a
    // truncated sequence, an overlong '/') become '?'; valid UTF-8 stays.
    append_label_value(out, std::string("x\ty\x80z\xC3") + "\xC0\xAF" + "\xC3\xA9");
    EXPECT_EQ(out, "x?y?z???\xC3\xA9");
    out.clear();
    // C1 controls in UTF-8 (CSI U+009B) too: valid UTF-8, but a terminal obeys them.
    append_label_value(out, "a\xC2\x9B" "2Jb\x1b]0;t\x07");
    EXPECT_EQ(out, "a?2Jb?]0;t?");
    out.clear();
    append_family_header(out, "sockeye_x", "line\\one\nline two", MetricType::gauge);
    EXPECT_EQ(out, "# HELP sockeye_x line\\\\one\\nline two\n# TYPE sockeye_x gauge\n");
}

TEST(PrometheusText, CutsLongLabelValuesOnACharacterBoundary) {
    std::string value(kMaxLabelValueBytes - 1, 'a');
    value += "\xC3\xA9tail";  // a two-byte character across the limit
    std::string out;
    append_label_value(out, value);
    EXPECT_EQ(out, std::string(kMaxLabelValueBytes - 1, 'a'));
}

TEST(PrometheusText, SamplesWithLabelsAndSeconds) {
    std::string out;
    append_sample(out, "sockeye_a_total", {{"process", "cu\"rl"}, {"direction", "rx"}}, 42);
    append_sample(out, "sockeye_b", {}, 0);
    append_sample_seconds(out, "sockeye_ts", 1'700'000'000'123'456'789);
    append_sample_seconds(out, "sockeye_neg", -1'500'000'000);
    EXPECT_EQ(out,
              "sockeye_a_total{process=\"cu\\\"rl\",direction=\"rx\"} 42\n"
              "sockeye_b 0\n"
              "sockeye_ts 1700000000.123456789\n"
              "sockeye_neg -1.500000000\n");
}

TEST(PrometheusMetrics, ExactTextForASmallSnapshot) {
    Snapshot s;
    s.ts_ns = 1'500'000'000;
    s.counters.packets = 10;
    s.counters.bytes = 1000;
    s.counters.flows = 2;
    s.counters.unattributed = 1;
    s.capture = {12, 1, 0};
    s.anomalies = {{"tcp_bad_offset", 2}};
    s.attribution.active = true;
    s.attribution.method = "sock_diag + /proc";
    FlowRecord tcp = flow(40000, 1, 300, 500, process("curl"));
    tcp.packets_sent = 4;
    tcp.packets_received = 3;
    FlowRecord dns = ended(flow(53000, 2, 100, 100));
    dns.protocol = snapshot::FlowProtocol::udp;
    dns.ip_proto = 17;
    dns.unattributed = snapshot::UnattributedReason::not_local;
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "DNS";
    dns.app = app;
    s.flows = {tcp, dns};
    snapshot::ExportCounters json_log;
    json_log.name = "json-log";
    json_log.written = 5;
    const std::vector<snapshot::ExportCounters> exports{json_log};

    PrometheusMetrics m;
    m.observe(s, exports);
    EXPECT_EQ(m.render(),
              "# HELP sockeye_packets_total Frames captured and processed.\n"
              "# TYPE sockeye_packets_total counter\n"
              "sockeye_packets_total 10\n"
              "# HELP sockeye_bytes_total Wire bytes of the frames processed.\n"
              "# TYPE sockeye_bytes_total counter\n"
              "sockeye_bytes_total 1000\n"
              "# HELP sockeye_flows_total Flows created (a reused tuple counts again).\n"
              "# TYPE sockeye_flows_total counter\n"
              "sockeye_flows_total 2\n"
              "# HELP sockeye_flow_evictions_total Flows evicted at the flow table's cap.\n"
              "# TYPE sockeye_flow_evictions_total counter\n"
              "sockeye_flow_evictions_total 0\n"
              "# HELP sockeye_flow_history_dropped_total Ended flows that fell off the bounded history.\n"
              "# TYPE sockeye_flow_history_dropped_total counter\n"
              "sockeye_flow_history_dropped_total 0\n"
              "# HELP sockeye_ip_fragments_total IPv4 and IPv6 fragments seen.\n"
              "# TYPE sockeye_ip_fragments_total counter\n"
              "sockeye_ip_fragments_total 0\n"
              "# HELP sockeye_packets_without_flow_total Frames that belong to no flow (non-IP, later fragments, ...).\n"
              "# TYPE sockeye_packets_without_flow_total counter\n"
              "sockeye_packets_without_flow_total 1\n"
              "# HELP sockeye_active_flows Flows in the flow table, by protocol and state.\n"
              "# TYPE sockeye_active_flows gauge\n"
              "sockeye_active_flows{protocol=\"TCP\",state=\"ESTABLISHED\"} 1\n"
              "# HELP sockeye_active_flows_by_attribution Flows in the flow table by process attribution: attributed, or why not.\n"
              "# TYPE sockeye_active_flows_by_attribution gauge\n"
              "sockeye_active_flows_by_attribution{status=\"attributed\"} 1\n"
              "# HELP sockeye_dpi_classified_flows_total Flows whose application protocol DPI identified, each flow once.\n"
              "# TYPE sockeye_dpi_classified_flows_total counter\n"
              "sockeye_dpi_classified_flows_total{application=\"DNS\"} 1\n"
              "# HELP sockeye_process_bytes_total Flow bytes per owning process: the top processes by bytes, the rest as \"other\".\n"
              "# TYPE sockeye_process_bytes_total counter\n"
              "sockeye_process_bytes_total{process=\"curl\",direction=\"rx\"} 500\n"
              "sockeye_process_bytes_total{process=\"curl\",direction=\"tx\"} 300\n"
              "# HELP sockeye_process_packets_total Flow packets per owning process: the top processes by bytes, the rest as \"other\".\n"
              "# TYPE sockeye_process_packets_total counter\n"
              "sockeye_process_packets_total{process=\"curl\",direction=\"rx\"} 3\n"
              "sockeye_process_packets_total{process=\"curl\",direction=\"tx\"} 4\n"
              "# HELP sockeye_unattributed_bytes_total Flow bytes with no owning process (files, forwarded, unknown).\n"
              "# TYPE sockeye_unattributed_bytes_total counter\n"
              "sockeye_unattributed_bytes_total{direction=\"rx\"} 100\n"
              "sockeye_unattributed_bytes_total{direction=\"tx\"} 100\n"
              "# HELP sockeye_unattributed_packets_total Flow packets with no owning process (files, forwarded, unknown).\n"
              "# TYPE sockeye_unattributed_packets_total counter\n"
              "sockeye_unattributed_packets_total{direction=\"rx\"} 1\n"
              "sockeye_unattributed_packets_total{direction=\"tx\"} 1\n"
              "# HELP sockeye_processes Distinct processes that owned traffic so far.\n"
              "# TYPE sockeye_processes gauge\n"
              "sockeye_processes 1\n"
              "# HELP sockeye_capture_received_packets_total Packets the capture received (pcap statistics; live capture only).\n"
              "# TYPE sockeye_capture_received_packets_total counter\n"
              "sockeye_capture_received_packets_total 12\n"
              "# HELP sockeye_capture_dropped_packets_total Packets lost before sockeye saw them: buffer full, or by the interface.\n"
              "# TYPE sockeye_capture_dropped_packets_total counter\n"
              "sockeye_capture_dropped_packets_total{reason=\"buffer\"} 1\n"
              "sockeye_capture_dropped_packets_total{reason=\"interface\"} 0\n"
              "# HELP sockeye_anomalies_total Malformed or unexpected packets, by kind.\n"
              "# TYPE sockeye_anomalies_total counter\n"
              "sockeye_anomalies_total{kind=\"tcp_bad_offset\"} 2\n"
              "# HELP sockeye_export_records_total Records (packets or lines) each export wrote.\n"
              "# TYPE sockeye_export_records_total counter\n"
              "sockeye_export_records_total{export=\"json-log\"} 5\n"
              "# HELP sockeye_export_dropped_records_total Records each export lost: queue full, or after a write error.\n"
              "# TYPE sockeye_export_dropped_records_total counter\n"
              "sockeye_export_dropped_records_total{export=\"json-log\"} 0\n"
              "# HELP sockeye_export_dropped_bytes_total Bytes of the records each export lost.\n"
              "# TYPE sockeye_export_dropped_bytes_total counter\n"
              "sockeye_export_dropped_bytes_total{export=\"json-log\"} 0\n"
              "# HELP sockeye_export_failed 1 once an export stopped on a write error.\n"
              "# TYPE sockeye_export_failed gauge\n"
              "sockeye_export_failed{export=\"json-log\"} 0\n"
              "# HELP sockeye_attribution_active 1 when processes are attributed to flows (live capture), else 0.\n"
              "# TYPE sockeye_attribution_active gauge\n"
              "sockeye_attribution_active 1\n"
              "# HELP sockeye_attribution_limitations Limitations of process attribution here (what it cannot see, and why).\n"
              "# TYPE sockeye_attribution_limitations gauge\n"
              "sockeye_attribution_limitations 0\n"
              "# HELP sockeye_snapshot_timestamp_seconds Packet time of the snapshot these values come from.\n"
              "# TYPE sockeye_snapshot_timestamp_seconds gauge\n"
              "sockeye_snapshot_timestamp_seconds 1.500000000\n");
}

TEST(PrometheusMetrics, ProcessNamesAreEscapedInLabels) {
    PrometheusMetrics m;
    m.observe(snap_of({flow(1, 1, 100, 0, process("we\"ird\\name\nx"))}));
    const std::string text = m.render();
    EXPECT_NE(text.find("sockeye_process_bytes_total{process=\"we\\\"ird\\\\name\\nx\",direction=\"tx\"} 100\n"),
              std::string::npos)
        << text;
}

TEST(PrometheusMetrics, TopProcessesByBytesAndTheRestAsOther) {
    PrometheusOptions options;
    options.top_processes = 2;
    PrometheusMetrics m(options);
    m.observe(snap_of({flow(1, 1, 100, 0, process("small")), flow(2, 1, 300, 0, process("big")),
                       flow(3, 1, 200, 0, process("middle")), flow(4, 1, 50, 0, process("tiny")),
                       flow(5, 1, 0, 70)}));
    const Parsed p = parse(m.render());
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"big\",direction=\"tx\"}"), 300u);
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"middle\",direction=\"tx\"}"), 200u);
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"other\",direction=\"tx\"}"), 150u);
    EXPECT_EQ(p.samples.count("sockeye_process_bytes_total{process=\"small\",direction=\"tx\"}"), 0u);
    EXPECT_EQ(value_of(p, "sockeye_unattributed_bytes_total{direction=\"rx\"}"), 70u);
    EXPECT_EQ(value_of(p, "sockeye_processes"), 4u);
    // Exactly top-2 + other: bounded label sets.
    std::size_t series = 0;
    for (const auto& [name, value] : p.samples)
        if (name.rfind("sockeye_process_bytes_total{", 0) == 0) ++series;
    EXPECT_EQ(series, 3u * 2u);
}

TEST(PrometheusMetrics, AProcessReallyNamedOtherIsNotTheBucket) {
    PrometheusOptions options;
    options.top_processes = 1;
    PrometheusMetrics m(options);
    m.observe(snap_of({flow(1, 1, 500, 0, process("other")), flow(2, 1, 100, 0, process("b"))}));
    const Parsed p = parse(m.render());
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"other (process)\",direction=\"tx\"}"),
              500u);
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"other\",direction=\"tx\"}"), 100u);
}

TEST(PrometheusMetrics, ClosedFlowsBytesStayCounted) {
    PrometheusMetrics m;
    const auto curl = process("curl");
    m.observe(snap_of({flow(1, 1, 100, 1000, curl)}));
    m.observe(snap_of({ended(flow(1, 1, 150, 2000, curl))}));  // grew, then ended
    m.observe(snap_of({}));                                     // fell off the history
    Parsed p = parse(m.render());
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"curl\",direction=\"rx\"}"), 2000u);
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"curl\",direction=\"tx\"}"), 150u);
    EXPECT_EQ(value_of(p, "sockeye_process_packets_total{process=\"curl\",direction=\"rx\"}"), 20u);
    // A new flow of the same process adds to the total; a reused tuple with
    // a new first_seen is a new flow, not a counter going backwards.
    m.observe(snap_of({flow(1, 99, 10, 20, curl)}));
    p = parse(m.render());
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"curl\",direction=\"rx\"}"), 2020u);
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"curl\",direction=\"tx\"}"), 160u);
    // Active flows gauge falls to 0 (kept) once no flow is in that state.
    m.observe(snap_of({}));
    p = parse(m.render());
    EXPECT_EQ(p.samples.at("sockeye_active_flows{protocol=\"TCP\",state=\"ESTABLISHED\"}"), "0");
}

FlowRecord located(FlowRecord f, const std::string& country,
                   core::AddressScope scope = core::AddressScope::public_) {
    auto geo = std::make_shared<snapshot::GeoInfo>();
    geo->scope = scope;
    geo->country = country;
    f.remote_geo = geo;
    return f;
}

TEST(PrometheusMetrics, CountryTotalsAreAbsentByDefault) {
    PrometheusMetrics m;
    m.observe(snap_of({located(flow(1, 1, 100, 1000), "DE")}));
    const std::string text = m.render();
    EXPECT_EQ(text.find("sockeye_country_"), std::string::npos) << text;
    // The process totals are there as ever.
    EXPECT_EQ(value_of(parse(text), "sockeye_unattributed_bytes_total{direction=\"rx\"}"), 1000u);
}

TEST(PrometheusMetrics, CountryTotalsByRemoteCountryWhenAskedFor) {
    PrometheusOptions options;
    options.countries = true;
    PrometheusMetrics m(options);
    EXPECT_EQ(m.render().find("sockeye_country_"), std::string::npos);  // nothing counted yet
    const auto curl = process("curl");
    m.observe(snap_of({located(flow(1, 1, 100, 1000, curl), "DE"),
                       located(flow(2, 1, 200, 2000), "DE"),
                       located(flow(3, 1, 300, 3000), "US"),
                       located(flow(4, 1, 400, 4000), "", core::AddressScope::private_),
                       located(flow(5, 1, 500, 5000), ""),  // public, not in the databases
                       flow(6, 1, 600, 6000)}));             // no databases
    // The first grows, then ends and falls off the history: still counted.
    m.observe(snap_of({ended(located(flow(1, 1, 150, 1500, curl), "DE"))}));
    m.observe(snap_of({}));
    const std::string text = m.render();
    const Parsed p = parse(text);
    EXPECT_EQ(p.types.at("sockeye_country_bytes_total"), "counter");
    EXPECT_EQ(p.types.at("sockeye_country_packets_total"), "counter");
    EXPECT_EQ(value_of(p, "sockeye_country_bytes_total{country=\"DE\",direction=\"rx\"}"), 3500u);
    EXPECT_EQ(value_of(p, "sockeye_country_bytes_total{country=\"DE\",direction=\"tx\"}"), 350u);
    EXPECT_EQ(value_of(p, "sockeye_country_packets_total{country=\"DE\",direction=\"rx\"}"), 35u);
    EXPECT_EQ(value_of(p, "sockeye_country_bytes_total{country=\"US\",direction=\"rx\"}"), 3000u);
    EXPECT_EQ(value_of(p, "sockeye_country_bytes_total{country=\"private\",direction=\"rx\"}"), 4000u);
    EXPECT_EQ(value_of(p, "sockeye_country_bytes_total{country=\"unknown\",direction=\"rx\"}"), 11000u);
    EXPECT_EQ(value_of(p, "sockeye_country_packets_total{country=\"unknown\",direction=\"tx\"}"), 11u);
    std::size_t series = 0;
    for (const auto& [name, value] : p.samples) series += name.rfind("sockeye_country_bytes_total", 0) == 0;
    EXPECT_EQ(series, 8u);  // DE, US, private, unknown x rx, tx
}

TEST(PrometheusMetrics, CountryLabelsAreBoundedAndEscaped) {
    PrometheusOptions options;
    options.countries = true;
    PrometheusMetrics m(options);
    std::vector<FlowRecord> flows;
    // A hostile database: a thousand different "countries", one with a quote.
    for (std::uint16_t i = 0; i < 1000; ++i)
        flows.push_back(located(flow(i, 1, 10, 10), "C" + std::to_string(i)));
    flows.push_back(located(flow(1000, 1, 10, 10), "X\"Y"));
    m.observe(snap_of(flows));
    const Parsed p = parse(m.render());
    std::size_t series = 0;
    for (const auto& [name, value] : p.samples) series += name.rfind("sockeye_country_bytes_total", 0) == 0;
    EXPECT_LE(series, 2u * 300u);
    EXPECT_GT(value_of(p, "sockeye_country_bytes_total{country=\"other\",direction=\"rx\"}"), 0u);
    std::uint64_t sum = 0;
    for (const auto& [name, value] : p.samples)
        if (name.rfind("sockeye_country_bytes_total", 0) == 0 && name.find("\"rx\"") != std::string::npos)
            sum += std::stoull(value);
    EXPECT_EQ(sum, 1001u * 10u);  // every byte counted once, in a country or "other"
}

// Thousands of flows coming and going (the per-flow set grows, drops the
// flows that left and is rebuilt): each flow's growth is counted once.
TEST(PrometheusMetrics, ManyFlowsComingAndGoingAreEachCountedOnce) {
    PrometheusMetrics m;
    auto round = [&](std::uint16_t first, std::uint16_t last, std::uint64_t tx_of_old) {
        std::vector<FlowRecord> flows;
        for (std::uint32_t port = first; port <= last; ++port)
            flows.push_back(flow(static_cast<std::uint16_t>(port), 1, port <= 3000 ? tx_of_old : 100, 0));
        m.observe(snap_of(std::move(flows)));
        return value_of(parse(m.render()), "sockeye_unattributed_bytes_total{direction=\"tx\"}");
    };
    EXPECT_EQ(round(1, 3000, 100), 3000u * 100);
    // 1000..3000 grew by 50 each; 3001..5000 are new; 1..999 left.
    EXPECT_EQ(round(1000, 5000, 150), 3000u * 100 + 2001u * 50 + 2000u * 100);
    // Nothing grew.
    EXPECT_EQ(round(4000, 5000, 150), 3000u * 100 + 2001u * 50 + 2000u * 100);
    const Parsed p = parse(m.render());
    EXPECT_EQ(p.samples.at("sockeye_active_flows{protocol=\"TCP\",state=\"ESTABLISHED\"}"), "1001");
}

TEST(PrometheusMetrics, DpiClassificationCountsEachFlowOnce) {
    PrometheusMetrics m;
    auto tls = std::make_shared<snapshot::AppInfo>();
    tls->protocol = "TLS";
    FlowRecord a = flow(1, 1, 10, 10);
    FlowRecord b = flow(2, 1, 10, 10);
    m.observe(snap_of({a, b}));  // not classified yet
    a.app = tls;
    m.observe(snap_of({a, b}));
    b.app = tls;
    m.observe(snap_of({a, b}));
    m.observe(snap_of({a, b}));
    const Parsed p = parse(m.render());
    EXPECT_EQ(value_of(p, "sockeye_dpi_classified_flows_total{application=\"TLS\"}"), 2u);
}

TEST(PrometheusMetrics, ExternalReadingsNeverGoBackwards) {
    PrometheusMetrics m;
    Snapshot s;
    s.counters.packets = 100;
    s.capture.dropped = 7;
    snapshot::InterfaceStats eth;
    eth.name = "eth0";
    eth.rx_bytes = 5000;
    s.interfaces = {eth};
    m.observe(s);
    // The interface was recreated and the pcap counters were reset: the
    // readings fall, the exported counters add the new readings instead.
    s.counters.packets = 130;
    s.capture.dropped = 2;
    s.interfaces[0].rx_bytes = 300;
    m.observe(s);
    const Parsed p = parse(m.render());
    EXPECT_EQ(value_of(p, "sockeye_packets_total"), 130u);
    EXPECT_EQ(value_of(p, "sockeye_capture_dropped_packets_total{reason=\"buffer\"}"), 9u);
    EXPECT_EQ(value_of(p, "sockeye_interface_bytes_total{interface=\"eth0\",direction=\"rx\"}"),
              5300u);
}

// Processes come and go and overtake each other; every counter series must
// only ever grow, and the per-process series plus "other" plus unattributed
// must add up to all the flow bytes seen.
TEST(PrometheusMetrics, CountersAreMonotonicWhileTheTopChanges) {
    PrometheusOptions options;
    options.top_processes = 3;
    PrometheusMetrics m(options);
    std::vector<std::shared_ptr<const snapshot::ProcessInfo>> procs;
    for (int i = 0; i < 8; ++i) procs.push_back(process("p" + std::to_string(i), 100 + i));

    std::map<std::string, std::uint64_t> last;
    std::uint64_t expected_total = 0;
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state >> 33;
    };
    std::vector<FlowRecord> open;
    for (int round = 0; round < 60; ++round) {
        std::vector<FlowRecord> flows;
        // Open flows grow; some end (shown once as ended, then gone).
        std::vector<FlowRecord> still_open;
        for (auto f : open) {
            const std::uint64_t grow = next() % 5000;
            f.bytes_sent += grow;
            expected_total += grow;
            if (next() % 4 == 0) {
                flows.push_back(ended(f));
            } else {
                flows.push_back(f);
                still_open.push_back(f);
            }
        }
        // New flows, owned by a process that changes over time so the
        // top-N is reshuffled.
        for (int k = 0; k < 3; ++k) {
            const auto owner = procs[(static_cast<std::size_t>(round / 7) + next() % 3) % procs.size()];
            const std::uint64_t bytes = next() % 20000;
            expected_total += bytes;
            FlowRecord f = flow(static_cast<std::uint16_t>(round * 10 + k), round, bytes, 0,
                                next() % 5 == 0 ? nullptr : owner);
            flows.push_back(f);
            still_open.push_back(f);
        }
        open = still_open;
        m.observe(snap_of(flows));
        const Parsed p = parse(m.render());
        std::size_t process_series = 0;
        for (const auto& [series, text] : p.samples) {
            const std::string name = series.substr(0, series.find('{'));
            if (p.types.at(name) != "counter") continue;
            const std::uint64_t v = std::stoull(text);
            auto it = last.find(series);
            if (it != last.end()) {
                EXPECT_GE(v, it->second) << series << " went backwards in round " << round;
            }
            last[series] = v;
            if (name == "sockeye_process_bytes_total") ++process_series;
        }
        EXPECT_LE(process_series, 2u * (options.top_processes + 1));
        // A process that leaves the top-N stops showing (its series goes
        // stale at its last value): over every series ever shown, the last
        // values add up to all flow bytes, nothing lost or counted twice.
        std::uint64_t sum = 0;
        for (const auto& [series, v] : last) {
            if (series.rfind("sockeye_process_bytes_total{", 0) == 0 ||
                series.rfind("sockeye_unattributed_bytes_total{", 0) == 0)
                sum += v;
        }
        EXPECT_EQ(sum, expected_total) << "round " << round;
    }
    // The owners changed often enough that the top-N really changed.
    std::size_t ever = 0;
    for (const auto& [series, v] : last)
        if (series.rfind("sockeye_process_bytes_total{", 0) == 0) ++ever;
    EXPECT_GT(ever, 2u * (options.top_processes + 1));
}

Snapshot delta_of(std::vector<FlowRecord> flows) {
    Snapshot s = snap_of(std::move(flows));
    s.delta = true;
    return s;
}

// A delta carries only the flows that changed: the others stay counted in
// the gauges where they were, and a keyframe (complete) drops the flows it
// lacks although no ended record came for them.
TEST(PrometheusMetrics, DeltasKeepIdleFlowsAndKeyframesDropVanishedOnes) {
    PrometheusMetrics m;
    const auto curl = process("curl");
    const std::string established = "sockeye_active_flows{protocol=\"TCP\",state=\"ESTABLISHED\"}";
    const std::string attributed = "sockeye_active_flows_by_attribution{status=\"attributed\"}";
    const std::string pending = "sockeye_active_flows_by_attribution{status=\"pending\"}";
    FlowRecord a = flow(1, 1, 100, 100, curl);
    FlowRecord b = flow(2, 1, 100, 100, curl);
    FlowRecord c = flow(3, 1, 100, 100);
    c.unattributed = snapshot::UnattributedReason::pending;
    m.observe(snap_of({a, b, c}));
    EXPECT_EQ(parse(m.render()).samples.at(established), "3");

    a.bytes_sent = 300;
    m.observe(delta_of({a}));  // b and c idle
    m.observe(delta_of({}));
    Parsed p = parse(m.render());
    EXPECT_EQ(p.samples.at(established), "3");
    EXPECT_EQ(p.samples.at(attributed), "2");
    EXPECT_EQ(p.samples.at(pending), "1");
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"curl\",direction=\"tx\"}"), 400u);

    // c's process is found without a packet: the delta carries it.
    c.process = curl;
    c.unattributed = snapshot::UnattributedReason::none;
    m.observe(delta_of({c}));
    p = parse(m.render());
    EXPECT_EQ(p.samples.at(attributed), "3");
    EXPECT_EQ(p.samples.at(pending), "0");

    // a ends (its ended record, once); b leaves without one.
    FlowRecord a_end = ended(a);
    a_end.bytes_sent = 350;
    m.observe(delta_of({a_end}));
    m.observe(delta_of({}));
    p = parse(m.render());
    EXPECT_EQ(p.samples.at(established), "2");
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"curl\",direction=\"tx\"}"), 450u);
    m.observe(snap_of({c}));  // the keyframe: b is gone
    p = parse(m.render());
    EXPECT_EQ(p.samples.at(established), "1");
    EXPECT_EQ(p.samples.at(attributed), "1");
    // b is forgotten: seen again (a keyframe never brings it back, but a
    // flow under its key would be new) it counts from zero.
    m.observe(delta_of({b}));
    p = parse(m.render());
    EXPECT_EQ(p.samples.at(established), "2");
    EXPECT_EQ(value_of(p, "sockeye_process_bytes_total{process=\"curl\",direction=\"tx\"}"), 550u);
}

// The same flows told as complete snapshots and as deltas with a keyframe
// every few rounds: the text is the same after every keyframe, and after
// every delta as long as no flow vanished without an ended record.
TEST(PrometheusMetrics, DeltasAndKeyframesSayWhatCompleteSnapshotsSay) {
    PrometheusMetrics full;
    PrometheusMetrics deltas;
    std::vector<std::shared_ptr<const snapshot::ProcessInfo>> procs;
    for (int i = 0; i < 5; ++i) procs.push_back(process("p" + std::to_string(i), 100 + i));
    std::uint64_t state = 777;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state >> 33;
    };
    std::vector<FlowRecord> open;
    bool vanished_since_keyframe = false;
    int compared = 0;
    for (int round = 0; round < 200; ++round) {
        const bool keyframe = round % 7 == 0 || round == 199;
        std::vector<FlowRecord> complete;
        std::vector<FlowRecord> changed;
        std::vector<FlowRecord> still_open;
        for (auto f : open) {
            const auto roll = next() % 16;
            if (roll == 0) {  // ends: its ended record, once
                f.bytes_received += next() % 100;
                complete.push_back(ended(f));
                changed.push_back(ended(f));
                continue;
            }
            if (roll == 1 && next() % 8 == 0) {  // falls off the history unseen
                vanished_since_keyframe = true;
                continue;
            }
            if (roll < 6) {  // a packet
                f.bytes_sent += next() % 1000;
                f.packets_sent += 1;
                if (f.state == snapshot::FlowState::syn_sent) f.state = snapshot::FlowState::established;
                changed.push_back(f);
            } else if (roll == 6 && f.unattributed == snapshot::UnattributedReason::pending) {
                f.process = procs[next() % procs.size()];  // found, no packet
                f.unattributed = snapshot::UnattributedReason::none;
                changed.push_back(f);
            }
            complete.push_back(f);
            still_open.push_back(f);
        }
        for (int k = 0; k < 4; ++k) {
            FlowRecord f = flow(static_cast<std::uint16_t>(round * 8 + k), round, next() % 5000,
                                next() % 5000);
            if (next() % 3 == 0) f.state = snapshot::FlowState::syn_sent;
            if (next() % 2 == 0) f.unattributed = snapshot::UnattributedReason::pending;
            else f.process = procs[next() % procs.size()];
            if (f.process) f.process_match = snapshot::ProcessMatch::exact;
            complete.push_back(f);
            changed.push_back(f);
            still_open.push_back(f);
        }
        open = still_open;
        Snapshot s = snap_of(complete);
        s.attribution.active = true;
        full.observe(s);
        Snapshot d = keyframe ? snap_of(complete) : delta_of(changed);
        d.attribution.active = true;
        deltas.observe(d);
        if (keyframe) vanished_since_keyframe = false;
        if (!vanished_since_keyframe) {
            ASSERT_EQ(deltas.render(), full.render()) << "round " << round;
            ++compared;
        }
    }
    EXPECT_GT(compared, 40);
}

}  // namespace
}  // namespace sockeye::exports
