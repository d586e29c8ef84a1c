#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/maintenance.hpp"
#include "store/recorder.hpp"
#include "store/store_file.hpp"
#include "store/usage_report.hpp"

namespace sockeye::store {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kSecondNs = 1'000'000'000;
constexpr std::int64_t kHourNs = 3600 * kSecondNs;
constexpr std::int64_t kDayNs = 24 * kHourNs;
// A day's start, far from the epoch.
constexpr std::int64_t kDay0 = 20'000 * kDayNs;

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "sockeye-maint-test.XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    [[nodiscard]] std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }

private:
    std::string path_;
};

snapshot::FlowRecord ended_flow(std::uint16_t port, std::int64_t last_seen_ns, const std::string& host) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::udp;
    f.ip_proto = 17;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("192.0.2.1");
    f.source_port = port;
    f.destination_port = 53;
    f.state = snapshot::FlowState::closed;
    f.end_reason = snapshot::EndReason::fin;
    f.first_seen_ns = last_seen_ns - kSecondNs;
    f.last_seen_ns = last_seen_ns;
    f.packets_sent = 1;
    f.packets_received = 1;
    f.bytes_sent = 100;
    f.bytes_received = 300;
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->name = port % 2 == 0 ? "even" : "odd";
    f.process = p;
    f.remote_name = host;
    return f;
}

// `days` days of flows, one every 20 minutes, each with its own port.
std::string filled(const TempDir& dir, int days, std::int64_t* newest = nullptr) {
    const auto path = dir.file("h.db");
    auto rec = Recorder::open(path);
    EXPECT_TRUE(rec);
    std::vector<snapshot::FlowRecord> flows;
    std::uint16_t port = 1;
    for (std::int64_t t = kDay0 + 5 * kSecondNs; t < kDay0 + days * kDayNs; t += 20 * 60 * kSecondNs) {
        flows.push_back(ended_flow(port, t, port % 3 == 0 ? "a.example" : "b.example"));
        ++port;
        if (newest != nullptr) *newest = t;
        if (flows.size() == 50) {
            EXPECT_TRUE((*rec)->write(flows, true));
            flows.clear();
        }
    }
    EXPECT_TRUE((*rec)->write(flows, true));
    return path;
}

std::int64_t query(Db& db, const std::string& sql) {
    auto v = db.query_int(sql);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : -1;
}

// Steps until nothing is due; the count of steps that did something.
int run_all(Maintenance& m, Db& db, std::int64_t newest) {
    int steps = 0;
    for (int i = 0; i < 10'000; ++i) {
        auto more = m.step(db, newest);
        EXPECT_TRUE(more) << more.error().message;
        if (!more || !*more) return steps;
        ++steps;
    }
    ADD_FAILURE() << "maintenance never ends";
    return steps;
}

UsageReport report(Db& db, ReportBy by, std::int64_t since = INT64_MIN) {
    UsageReportQuery q;
    q.by = by;
    q.since_ns = since;
    auto r = usage_report(db, q);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : UsageReport{};
}

TEST(Maintenance, RetentionDropsWhatIsOlderThanTheNewestPacketLessTheSpan) {
    TempDir dir;
    std::int64_t newest = 0;
    const auto path = filled(dir, 40, &newest);
    auto store = open_for_recording(path);
    ASSERT_TRUE(store);
    Db& db = store->db;
    const std::int64_t cut = newest - 30 * kDayNs;
    const auto before = query(db, "SELECT count(*) FROM connections");
    const auto older = query(db, "SELECT count(*) FROM connections WHERE last_seen < " + std::to_string(cut));
    EXPECT_GT(older, 700);
    Retention r;
    r.keep_ns = 30 * kDayNs;
    r.rollup_after_ns = 0;
    Maintenance m(r);
    m.batch_connections = 40;
    const int steps = run_all(m, db, newest);
    // Ten days of 72 connections, 40 a step: in many small transactions.
    EXPECT_GE(steps, 18);
    EXPECT_EQ(query(db, "SELECT count(*) FROM connections WHERE last_seen < " + std::to_string(cut)), 0);
    EXPECT_EQ(query(db, "SELECT count(*) FROM connections"), before - older);
    EXPECT_EQ(query(db, "SELECT count(*) FROM usage_minutes WHERE minute + 60 <= " + std::to_string(cut / kSecondNs)), 0);
    EXPECT_EQ(query(db, "SELECT count(*) FROM usage_hours WHERE hour + 3600 <= " + std::to_string(cut / kSecondNs)), 0);
    // What is left agrees: the minute rows and the connections of the same
    // 30 days (the cut falls on a minute that holds one kept connection).
    const auto rep = report(db, ReportBy::host);
    EXPECT_EQ(rep.total.connections, static_cast<std::uint64_t>(before - older));
    EXPECT_EQ(db.query_text("PRAGMA integrity_check").value(), "ok");
    // Nothing more is due until newer packets come.
    auto again = m.step(db, newest);
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again);
}

TEST(Maintenance, MinuteRowsOlderThanAWeekRollUpIntoHours) {
    TempDir dir;
    std::int64_t newest = 0;
    const auto path = filled(dir, 10, &newest);
    auto store = open_for_recording(path);
    ASSERT_TRUE(store);
    Db& db = store->db;
    const auto by_host = report(db, ReportBy::host);
    const auto by_process = report(db, ReportBy::process);
    const auto minutes = query(db, "SELECT count(DISTINCT minute) FROM usage_minutes");
    Retention r;
    r.keep_ns = 0;
    Maintenance m(r);
    const int steps = run_all(m, db, newest);
    EXPECT_GE(steps, 24);  // an hour a step
    const std::int64_t cut_s = (newest - 7 * kDayNs) / kSecondNs / 3600 * 3600;
    EXPECT_EQ(query(db, "SELECT count(*) FROM usage_minutes WHERE minute < " + std::to_string(cut_s) +
                            " AND minute % 3600 != 0"),
              0);
    EXPECT_GT(query(db, "SELECT count(*) FROM usage_minutes WHERE minute >= " + std::to_string(cut_s) +
                            " AND minute % 3600 != 0"),
              0);
    EXPECT_LT(query(db, "SELECT count(DISTINCT minute) FROM usage_minutes"), minutes);
    // The reports read the hour rows as they read minutes: same sums.
    for (const auto& [before, by] : {std::pair{by_host, ReportBy::host}, std::pair{by_process, ReportBy::process}}) {
        const auto after = report(db, by);
        ASSERT_EQ(after.rows.size(), before.rows.size());
        for (std::size_t i = 0; i < after.rows.size(); ++i) {
            EXPECT_EQ(after.rows[i].key, before.rows[i].key);
            EXPECT_EQ(after.rows[i].bytes(), before.rows[i].bytes());
            EXPECT_EQ(after.rows[i].connections, before.rows[i].connections);
        }
    }
    // A range starting on an hour counts the rolled hour whole.
    const std::int64_t hour = kDay0 + 30 * kHourNs;
    EXPECT_EQ(report(db, ReportBy::host, hour).total.connections,
              static_cast<std::uint64_t>(query(db, "SELECT count(*) FROM connections WHERE last_seen >= " +
                                                       std::to_string(hour))));
    EXPECT_EQ(db.query_text("PRAGMA integrity_check").value(), "ok");
}

TEST(Maintenance, SizeCapDropsTheOldestUntilThePagesInUseFit) {
    TempDir dir;
    std::int64_t newest = 0;
    const auto path = filled(dir, 20, &newest);
    auto store = open_for_recording(path);
    ASSERT_TRUE(store);
    Db& db = store->db;
    const auto used = [&db] {
        return (query(db, "PRAGMA page_count") - query(db, "PRAGMA freelist_count")) * query(db, "PRAGMA page_size");
    };
    const auto full = used();
    const auto count = query(db, "SELECT count(*) FROM connections");
    Retention r;
    r.keep_ns = 0;
    r.rollup_after_ns = 0;
    r.max_bytes = static_cast<std::uint64_t>(full / 2);
    Maintenance m(r);
    m.batch_connections = 50;
    const int steps = run_all(m, db, newest);
    EXPECT_GT(steps, 1);
    EXPECT_LE(used(), full / 2);
    const auto left = query(db, "SELECT count(*) FROM connections");
    EXPECT_LT(left, count);
    EXPECT_GT(left, count / 5);
    // The newest are what is kept, usage of the same span with them.
    EXPECT_EQ(query(db, "SELECT max(last_seen) FROM connections"), newest);
    const auto oldest_kept = query(db, "SELECT min(last_seen) FROM connections");
    EXPECT_EQ(query(db, "SELECT count(*) FROM usage_minutes WHERE minute + 60 <= " +
                            std::to_string(oldest_kept / kSecondNs - 60)),
              0);
    EXPECT_EQ(db.query_text("PRAGMA integrity_check").value(), "ok");
}

TEST(Maintenance, RecorderTimesItByTheNewestPacketWritten) {
    TempDir dir;
    const auto path = dir.file("h.db");
    Retention r;
    r.keep_ns = kDayNs;
    auto rec = Recorder::open(path, r);
    ASSERT_TRUE(rec);
    // Nothing written yet: nothing is due.
    auto idle = (*rec)->maintain();
    ASSERT_TRUE(idle);
    EXPECT_FALSE(*idle);
    ASSERT_TRUE((*rec)->write(std::vector{ended_flow(1, kDay0, "a"), ended_flow(2, kDay0 + 2 * kHourNs, "a")}, true));
    while (true) {
        auto more = (*rec)->maintain();
        ASSERT_TRUE(more);
        if (!*more) break;
    }
    // Both within a day of the newest: kept.
    {
        auto db = open_for_reading(path);
        ASSERT_TRUE(db);
        EXPECT_EQ(query(*db, "SELECT count(*) FROM connections"), 2);
    }
    ASSERT_TRUE((*rec)->write(std::vector{ended_flow(3, kDay0 + 25 * kHourNs, "a")}, true));
    for (int i = 0; i < 100; ++i) {
        auto more = (*rec)->maintain();
        ASSERT_TRUE(more);
        if (!*more) break;
    }
    auto db = open_for_reading(path);
    ASSERT_TRUE(db);
    EXPECT_EQ(query(*db, "SELECT count(*) FROM connections"), 2);
    EXPECT_EQ(query(*db, "SELECT min(source_port) FROM connections"), 2);
}

}  // namespace
}  // namespace sockeye::store
