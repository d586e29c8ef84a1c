#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/history.hpp"
#include "store/recorder.hpp"
#include "store/schema.hpp"
#include "store/store_file.hpp"
#include "store/usage_report.hpp"

namespace sockeye::store {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMinuteNs = 60'000'000'000;

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "sockeye-report-test.XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    [[nodiscard]] std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }

private:
    std::string path_;
};

snapshot::FlowRecord flow(const std::string& process, const std::string& app, std::uint16_t port,
                          std::int64_t last_seen_ns, std::uint64_t sent, std::uint64_t received) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("192.0.2.7");
    f.source_port = port;
    f.destination_port = app == "DNS" ? 53 : 443;
    f.state = snapshot::FlowState::closed;
    f.end_reason = snapshot::EndReason::fin;
    f.first_seen_ns = last_seen_ns - 1'000'000;
    f.last_seen_ns = last_seen_ns;
    f.packets_sent = 1 + sent / 1000;
    f.packets_received = 1 + received / 1000;
    f.bytes_sent = sent;
    f.bytes_received = received;
    if (!process.empty()) {
        auto p = std::make_shared<snapshot::ProcessInfo>();
        p->name = process;
        f.process = p;
    }
    if (!app.empty()) {
        auto a = std::make_shared<snapshot::AppInfo>();
        a->protocol = app;
        f.app = a;
    }
    f.remote_name = app == "DNS" ? "resolver.example" : "www.example";
    return f;
}

std::string text_of(const std::string& path, const std::string& sql);

std::int64_t query_int(const std::string& path, const std::string& sql) {
    auto db = Db::open(path, Db::Mode::read_only);
    EXPECT_TRUE(db);
    auto v = db->query_int(sql);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : -1;
}

UsageReport report_of(const std::string& path, UsageReportQuery q) {
    auto db = open_for_reading(path);
    EXPECT_TRUE(db) << db.error().message;
    if (!db) return {};
    auto r = usage_report(*db, q);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : UsageReport{};
}

// Three processes over three minutes; curl moves the most.
std::string three_processes(const TempDir& dir) {
    const auto path = dir.file("h.db");
    auto rec = Recorder::open(path);
    EXPECT_TRUE(rec);
    std::vector<snapshot::FlowRecord> flows{
        flow("curl", "TLS", 1, 10 * kMinuteNs + 5, 1000, 90'000),
        flow("curl", "TLS", 2, 11 * kMinuteNs + 5, 500, 10'000),
        flow("dig", "DNS", 3, 11 * kMinuteNs + 7, 60, 120),
        flow("", "", 4, 12 * kMinuteNs + 1, 10, 20),
    };
    EXPECT_TRUE((*rec)->write(flows, true));
    return path;
}

TEST(UsageReport, ByProcessMostBytesFirstWithTotals) {
    TempDir dir;
    const auto path = three_processes(dir);
    const auto r = report_of(path, {});
    ASSERT_EQ(r.rows.size(), 3U);
    EXPECT_EQ(r.rows[0].key, "curl");
    EXPECT_EQ(r.rows[0].bytes_sent, 1500U);
    EXPECT_EQ(r.rows[0].bytes_received, 100'000U);
    EXPECT_EQ(r.rows[0].packets(), (2U + 1) + (91 + 11));
    EXPECT_EQ(r.rows[0].connections, 2U);
    EXPECT_EQ(r.rows[1].key, "dig");
    EXPECT_EQ(r.rows[1].connections, 1U);
    EXPECT_EQ(r.rows[2].key, "");
    EXPECT_EQ(r.total.bytes(), 1500U + 100'000 + 180 + 30);
    EXPECT_EQ(r.total.connections, 4U);
    EXPECT_FALSE(r.connections_unknown);
}

TEST(UsageReport, SinceAndUntilCountWholeMinutes) {
    TempDir dir;
    const auto path = three_processes(dir);
    UsageReportQuery q;
    // From inside minute 11 (which counts whole) to the start of minute 12.
    q.since_ns = 11 * kMinuteNs + 30'000'000'000;
    q.until_ns = 12 * kMinuteNs;
    const auto r = report_of(path, q);
    EXPECT_EQ(r.total.connections, 2U);
    EXPECT_EQ(r.total.bytes(), 500U + 10'000 + 60 + 120);
    q.since_ns = 13 * kMinuteNs;
    q.until_ns = INT64_MAX;
    EXPECT_TRUE(report_of(path, q).rows.empty());
}

TEST(UsageReport, ByAppAndHostAndDay) {
    TempDir dir;
    const auto path = three_processes(dir);
    UsageReportQuery q;
    q.by = ReportBy::app;
    auto r = report_of(path, q);
    ASSERT_EQ(r.rows.size(), 3U);
    EXPECT_EQ(r.rows[0].key, "TLS");
    EXPECT_EQ(r.rows[1].key, "DNS");
    q.by = ReportBy::host;
    r = report_of(path, q);
    ASSERT_EQ(r.rows.size(), 2U);
    EXPECT_EQ(r.rows[0].key, "www.example");
    EXPECT_EQ(r.rows[0].connections, 3U);
    q.by = ReportBy::day;
    r = report_of(path, q);
    ASSERT_EQ(r.rows.size(), 1U);  // every minute on the epoch's local day
    EXPECT_EQ(r.rows[0].connections, 4U);
}

TEST(UsageReport, FilterSumsTheConnectionRows) {
    TempDir dir;
    const auto path = three_processes(dir);
    UsageReportQuery q;
    q.keep = [](const snapshot::FlowRecord& f) { return f.destination_port == 443; };
    auto r = report_of(path, q);
    ASSERT_EQ(r.rows.size(), 2U);
    EXPECT_EQ(r.rows[0].key, "curl");
    EXPECT_EQ(r.rows[0].bytes(), 101'500U);
    EXPECT_EQ(r.total.connections, 3U);
    // Each connection in the range of its last packet.
    q.since_ns = 11 * kMinuteNs + 6;
    r = report_of(path, q);
    EXPECT_EQ(r.total.connections, 1U);  // the unattributed one at minute 12
    // The same filter as a history query.
    HistoryQuery h;
    h.keep = [](const snapshot::FlowRecord& f) { return f.destination_port == 53; };
    auto db = open_for_reading(path);
    ASSERT_TRUE(db);
    int n = 0;
    ASSERT_TRUE(read_history(*db, h, [&n](const StoredFlow& s) {
        EXPECT_EQ(s.flow.process->name, "dig");
        ++n;
        return true;
    }));
    EXPECT_EQ(n, 1);
}

TEST(UsageReport, OpenFlowCountsOnceAcrossItsWrites) {
    TempDir dir;
    const auto path = dir.file("h.db");
    {
        auto rec = Recorder::open(path);
        ASSERT_TRUE(rec);
        auto f = flow("curl", "TLS", 1, 10 * kMinuteNs, 100, 200);
        f.end_reason = snapshot::EndReason::active;
        f.state = snapshot::FlowState::established;
        ASSERT_TRUE((*rec)->write(std::vector{f}, true));
        f.last_seen_ns += kMinuteNs;
        f.bytes_sent += 50;
        ASSERT_TRUE((*rec)->write(std::vector{f}, true));
        f.end_reason = snapshot::EndReason::fin;
        f.bytes_received += 10;
        ASSERT_TRUE((*rec)->write(std::vector{f}, true));
    }
    const auto r = report_of(path, {});
    ASSERT_EQ(r.rows.size(), 1U);
    EXPECT_EQ(r.rows[0].connections, 1U);
    EXPECT_EQ(r.rows[0].bytes_sent, 150U);
    EXPECT_EQ(r.rows[0].bytes_received, 210U);
}

// The hour rows and the minute rows at a range's ends add up to what the
// connection rows hold, for ranges that start and end inside hours.
TEST(UsageReport, HourRowsAndMinuteEndsAgreeWithTheConnections) {
    TempDir dir;
    const auto path = dir.file("h.db");
    constexpr std::int64_t kHourNs = 60 * kMinuteNs;
    const std::int64_t base = 480'000 * kHourNs;  // an hour's start
    {
        auto rec = Recorder::open(path);
        ASSERT_TRUE(rec);
        std::vector<snapshot::FlowRecord> flows;
        const char* names[] = {"curl", "dig", "firefox"};
        // One connection every 7 minutes for 10 hours, in batches.
        for (int i = 0; i < 86; ++i) {
            flows.push_back(flow(names[i % 3], i % 2 == 0 ? "TLS" : "DNS", static_cast<std::uint16_t>(1000 + i),
                                 base + i * 7 * kMinuteNs + 5, 100 + static_cast<std::uint64_t>(i),
                                 1000 * static_cast<std::uint64_t>(i % 5)));
            if (flows.size() == 10) {
                ASSERT_TRUE((*rec)->write(flows, true));
                flows.clear();
            }
        }
        ASSERT_TRUE((*rec)->write(flows, true));
    }
    EXPECT_GT(query_int(path, "SELECT count(*) FROM usage_hours"), 10);
    EXPECT_EQ(query_int(path, "SELECT sum(bytes_received) FROM usage_hours"),
              query_int(path, "SELECT sum(bytes_received) FROM usage_minutes"));
    auto all = [](const snapshot::FlowRecord&) { return true; };
    for (const auto by : {ReportBy::process, ReportBy::app, ReportBy::day, ReportBy::host}) {
        for (const auto& [from, to] : std::vector<std::pair<std::int64_t, std::int64_t>>{
                 {0, 600}, {13, 247}, {60, 300}, {59, 61}, {125, 126}, {-60, 1000}}) {
            UsageReportQuery q;
            q.by = by;
            q.since_ns = base + from * kMinuteNs;
            q.until_ns = base + to * kMinuteNs;
            const auto usage = report_of(path, q);
            q.keep = all;
            const auto rows = report_of(path, q);
            ASSERT_EQ(usage.rows.size(), rows.rows.size()) << from << ".." << to;
            for (std::size_t i = 0; i < usage.rows.size(); ++i) {
                EXPECT_EQ(usage.rows[i].key, rows.rows[i].key);
                EXPECT_EQ(usage.rows[i].bytes(), rows.rows[i].bytes());
                EXPECT_EQ(usage.rows[i].packets(), rows.rows[i].packets());
                EXPECT_EQ(usage.rows[i].connections, rows.rows[i].connections);
            }
            EXPECT_EQ(usage.total.bytes(), rows.total.bytes()) << from << ".." << to;
        }
    }
}

// The recorder writes IPv4 text itself; it must be inet_ntop's, byte for
// byte (the text is part of a flow's identity in the table).
TEST(Recorder, AddressTextIsInetNtops) {
    TempDir dir;
    const auto path = dir.file("h.db");
    const char* addresses[] = {"0.0.0.0", "255.255.255.255", "10.0.0.1", "100.64.9.10", "1.20.3.199", "2001:db8::1",
                               "::ffff:192.0.2.1"};
    std::vector<snapshot::FlowRecord> flows;
    std::uint16_t port = 1;
    for (const char* a : addresses) {
        auto f = flow("x", "", port++, kMinuteNs, 1, 1);
        f.source_ip = core::IpAddress::parse(a);
        f.destination_ip = core::IpAddress::parse(a);
        flows.push_back(f);
    }
    {
        auto rec = Recorder::open(path);
        ASSERT_TRUE(rec);
        ASSERT_TRUE((*rec)->write(flows, true));
    }
    for (const auto& f : flows) {
        const std::string want = f.source_ip.to_string();
        EXPECT_EQ(text_of(path, "SELECT source_ip || ',' || destination_ip FROM connections WHERE source_port = " +
                                    std::to_string(f.source_port)),
                  want + "," + want + "\n");
    }
}

TEST(UsageReport, ByNames) {
    for (const char* n : {"process", "app", "host", "country", "container", "day"}) {
        const auto by = report_by_from_name(n);
        ASSERT_TRUE(by) << n;
        EXPECT_EQ(report_by_name(*by), n);
    }
    EXPECT_FALSE(report_by_from_name("Process"));
    EXPECT_FALSE(report_by_from_name(""));
}

// --- Schema version 1 -> 2, on a file the version 1 recorder wrote
// (three captures recorded with -r ... --record, no attribution).

std::string fixture_copy(const TempDir& dir) {
    const auto path = dir.file("v1.db");
    fs::copy_file(fs::path(SOCKEYE_SOURCE_DIR) / "tests/unit/store/fixtures/history-v1.db", path);
    return path;
}

std::string text_of(const std::string& path, const std::string& sql) {
    auto db = Db::open(path, Db::Mode::read_only);
    EXPECT_TRUE(db);
    if (!db) return "";
    auto s = db->prepare(sql);
    EXPECT_TRUE(s) << s.error().message;
    std::string out;
    while (s && s->step("read").value()) {
        out += s->text(0);
        out += '\n';
    }
    return out;
}

std::int64_t int_of(const std::string& path, const std::string& sql) {
    auto db = Db::open(path, Db::Mode::read_only);
    EXPECT_TRUE(db);
    auto v = db->query_int(sql);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : -1;
}

// Every column of every row, as one text per row.
constexpr const char* kConnectionsText =
    "SELECT quote(id) || '|' || json_array(protocol, source_ip, source_port, destination_ip, "
    "destination_port, vlan, ip_proto, state, end_reason, generation, packets_sent, packets_received, "
    "bytes_sent, bytes_received, first_seen, last_seen, rtt_ms, handshake_rtt_ms, retransmits, "
    "out_of_order, duplicate_acks, dpi_protocol, dpi_domain, dpi, attributed, pid, process_name, "
    "process_exe, process_user, container, container_kind, container_name, container_image, pod, "
    "pod_namespace, process_match, unattributed_reason, remote_name, kernel_rtt_ms, remote_mac, "
    "remote_vendor, remote_geo_scope, remote_geo_country, remote_geo_city, remote_geo_asn, "
    "remote_geo_organisation, ended) FROM connections ORDER BY id";
constexpr const char* kUsageText =
    "SELECT json_array(minute, process_name, container, dpi_protocol, remote_name, remote_geo_country, "
    "remote_geo_asn, packets_sent, packets_received, bytes_sent, bytes_received) FROM usage_minutes "
    "WHERE packets_sent + packets_received > 0 ORDER BY 1";

TEST(SchemaMigration, VersionOneFixtureMigratesWithRowsIntact) {
    TempDir dir;
    const auto path = fixture_copy(dir);
    ASSERT_EQ(int_of(path, "PRAGMA user_version"), 1);
    const auto connections = text_of(path, kConnectionsText);
    const auto usage = text_of(path, kUsageText);
    const auto count = int_of(path, "SELECT count(*) FROM connections");
    ASSERT_GT(count, 30);

    // A reader of the version 1 file (read-only: nothing migrates) reports
    // bytes but cannot count connections.
    auto before = report_of(path, {});
    EXPECT_TRUE(before.connections_unknown);
    EXPECT_EQ(before.total.connections, 0U);
    EXPECT_GT(before.total.bytes(), 0U);

    { ASSERT_TRUE(open_for_recording(path)); }  // migrates
    EXPECT_EQ(int_of(path, "PRAGMA user_version"), kSchemaVersion);
    EXPECT_EQ(text_of(path, "PRAGMA integrity_check"), "ok\n");
    EXPECT_EQ(text_of(path, kConnectionsText), connections);
    EXPECT_EQ(text_of(path, kUsageText), usage);
    // Each connection counted once, in a usage row; the hour rows hold
    // what the minute rows hold.
    EXPECT_EQ(int_of(path, "SELECT sum(connections) FROM usage_minutes"), count);
    EXPECT_EQ(int_of(path, "SELECT sum(connections) FROM usage_hours"), count);
    for (const char* column : {"bytes_sent", "bytes_received", "packets_sent", "packets_received"})
        EXPECT_EQ(int_of(path, std::string("SELECT sum(") + column + ") FROM usage_hours"),
                  int_of(path, std::string("SELECT sum(") + column + ") FROM usage_minutes"))
            << column;

    auto after = report_of(path, {});
    EXPECT_FALSE(after.connections_unknown);
    EXPECT_EQ(after.total.connections, static_cast<std::uint64_t>(count));
    EXPECT_EQ(after.total.bytes(), before.total.bytes());
    EXPECT_EQ(after.total.packets(), before.total.packets());
    // History reads every connection of the migrated file.
    auto db = open_for_reading(path);
    ASSERT_TRUE(db);
    std::int64_t n = 0;
    ASSERT_TRUE(read_history(*db, {}, [&n](const StoredFlow&) {
        ++n;
        return true;
    }));
    EXPECT_EQ(n, count);
}

}  // namespace
}  // namespace sockeye::store
