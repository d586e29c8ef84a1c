#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "export/jsonl.hpp"
#include "store/history.hpp"
#include "store/recorder.hpp"
#include "store/schema.hpp"
#include "store/store_export.hpp"
#include "store/store_file.hpp"

namespace sockeye::store {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "sockeye-store-test.XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    [[nodiscard]] std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }

private:
    std::string path_;
};

snapshot::FlowRecord tcp_flow(std::uint16_t source_port, std::int64_t first_seen_ns) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("2001:db8::34");
    f.source_port = source_port;
    f.destination_port = 443;
    f.state = snapshot::FlowState::established;
    f.first_seen_ns = first_seen_ns;
    f.last_seen_ns = first_seen_ns + 1'500'000;
    f.packets_sent = 3;
    f.packets_received = 2;
    f.bytes_sent = 300;
    f.bytes_received = 2000;
    return f;
}

// Everything the --json line of a flow can carry.
snapshot::FlowRecord rich_flow() {
    auto f = tcp_flow(40000, 1'700'000'000'123'456'789);
    f.srtt_ns = 12'345'678;
    f.handshake_rtt_ns = 1'000;
    f.kernel_srtt_ns = 7'000'001;
    f.retransmits = 4;
    f.out_of_order = 1;
    f.duplicate_acks = 2;
    f.generation = 2;
    f.vlan = 12;
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "TLS";
    app->domain = "example.org";
    app->set_text("sni", "example.org");
    app->set_number("version", 772);
    app->set_list("alpn", {"h2", "http/1.1"});
    f.app = app;
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = 4242;
    p->name = "curl";
    p->exe = "/usr/bin/curl";
    p->user = "alice";
    p->container = "abc123";
    p->container_kind = "podman";
    p->container_name = "web";
    p->container_image = "nginx:1.25";
    p->pod = "web-5d78c9869d-x7k2p";
    p->pod_namespace = "default";
    f.process = p;
    f.process_match = snapshot::ProcessMatch::exact;
    f.remote_name = "example.org";
    auto link = std::make_shared<snapshot::LinkPeer>();
    link->mac = {0x02, 0x42, 0xac, 0x11, 0x00, 0x02};
    link->vendor = "locally administered";
    f.remote_link = link;
    auto geo = std::make_shared<snapshot::GeoInfo>();
    geo->scope = core::AddressScope::documentation;
    geo->country = "NL";
    geo->asn = 64500;
    geo->organisation = "Example BV";
    f.remote_geo = geo;
    return f;
}

snapshot::FlowRecord ended(snapshot::FlowRecord f) {
    f.end_reason = snapshot::EndReason::fin;
    f.state = snapshot::FlowState::closed;
    return f;
}

std::string json_line(const snapshot::FlowRecord& f, bool attributed) {
    std::string out;
    exports::append_flow_json(out, f, exports::FlowJsonOptions{attributed});
    return out;
}

std::vector<StoredFlow> history_of(const std::string& path, HistoryQuery query = {}) {
    auto db = open_for_reading(path);
    EXPECT_TRUE(db) << db.error().message;
    std::vector<StoredFlow> out;
    if (!db) return out;
    auto r = read_history(*db, query, [&out](const StoredFlow& f) {
        out.push_back(f);
        return true;
    });
    EXPECT_TRUE(r) << r.error().message;
    return out;
}

std::int64_t query(const std::string& path, const std::string& sql) {
    auto db = Db::open(path, Db::Mode::read_only);
    EXPECT_TRUE(db);
    auto v = db->query_int(sql);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : -1;
}

TEST(StoreFile, NewFileGetsTheSchemaVersionAndWal) {
    TempDir dir;
    const auto path = dir.file("h.db");
    {
        auto store = open_for_recording(path);
        ASSERT_TRUE(store) << store.error().message;
        EXPECT_EQ(store->db.query_text("PRAGMA journal_mode").value(), "wal");
    }
    EXPECT_EQ(query(path, "PRAGMA user_version"), kSchemaVersion);
    EXPECT_EQ(static_cast<std::int64_t>(migrations().size()), kSchemaVersion);
    // Opening again migrates nothing and keeps the version.
    {
        auto again = open_for_recording(path);
        ASSERT_TRUE(again) << again.error().message;
    }
    EXPECT_EQ(query(path, "PRAGMA user_version"), kSchemaVersion);
}

TEST(StoreFile, SecondRecorderIsRefused) {
    TempDir dir;
    const auto path = dir.file("h.db");
    auto first = open_for_recording(path);
    ASSERT_TRUE(first) << first.error().message;
    auto second = open_for_recording(path);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().message.find("another sockeye is already recording"), std::string::npos)
        << second.error().message;
    EXPECT_NE(second.error().message.find(path), std::string::npos);
    // Readers are not recorders: they open beside it.
    EXPECT_TRUE(open_for_reading(path));
}

TEST(StoreFile, NewerSchemaIsRefused) {
    TempDir dir;
    const auto path = dir.file("h.db");
    {
        auto db = Db::open(path, Db::Mode::read_write_create);
        ASSERT_TRUE(db);
        ASSERT_TRUE(db->exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1)));
    }
    auto store = open_for_recording(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, core::ErrorCode::unsupported);
    auto reader = open_for_reading(path);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, core::ErrorCode::unsupported);
}

TEST(StoreFile, MissingStoreIsOneClearMessage) {
    TempDir dir;
    const auto path = dir.file("none.db");
    auto db = open_for_reading(path);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().code, core::ErrorCode::not_found);
    EXPECT_EQ(db.error().message, path + ": no history store here (record one with --record)");
    EXPECT_FALSE(fs::exists(path));  // not created by looking
}

TEST(Recorder, FlowReadBackPrintsTheSameJsonLine) {
    TempDir dir;
    const auto path = dir.file("h.db");
    const auto rich = ended(rich_flow());
    auto plain = tcp_flow(40001, 1'700'000'000'000'000'000);
    plain.protocol = snapshot::FlowProtocol::udp;
    plain.ip_proto = 17;
    plain.state = snapshot::FlowState::active;
    plain.srtt_ns = -1;
    plain.unattributed = snapshot::UnattributedReason::offline;
    {
        auto rec = Recorder::open(path);
        ASSERT_TRUE(rec) << rec.error().message;
        ASSERT_TRUE((*rec)->write(std::vector{rich}, true));
        ASSERT_TRUE((*rec)->write(std::vector{plain}, false));
    }
    const auto flows = history_of(path);
    ASSERT_EQ(flows.size(), 2U);
    // Newest first.
    EXPECT_EQ(json_line(flows[0].flow, flows[0].attributed), json_line(rich, true));
    EXPECT_TRUE(flows[0].attributed);
    EXPECT_EQ(json_line(flows[1].flow, flows[1].attributed), json_line(plain, false));
    EXPECT_FALSE(flows[1].attributed);
    EXPECT_EQ(flows[0].flow.process->container_kind, "podman");
}

TEST(Recorder, OpenFlowIsOneRowUpdatedUntilItEnds) {
    TempDir dir;
    const auto path = dir.file("h.db");
    auto f = tcp_flow(40000, 60'000'000'000);  // minute 1
    {
        auto rec = Recorder::open(path);
        ASSERT_TRUE(rec);
        ASSERT_TRUE((*rec)->write(std::vector{f}, false));
        EXPECT_EQ((*rec)->open_flows(), 1U);
        f.packets_sent += 10;
        f.bytes_sent += 1000;
        f.last_seen_ns = 125'000'000'000;  // minute 2
        ASSERT_TRUE((*rec)->write(std::vector{f}, false));
        f = ended(f);
        f.packets_received += 1;
        f.bytes_received += 60;
        ASSERT_TRUE((*rec)->write(std::vector{f}, false));
        EXPECT_EQ((*rec)->open_flows(), 0U);
    }
    EXPECT_EQ(query(path, "SELECT count(*) FROM connections"), 1);
    EXPECT_EQ(query(path, "SELECT ended FROM connections"), 1);
    EXPECT_EQ(query(path, "SELECT bytes_sent FROM connections"), 1300);
    // Usage: what it moved, in the minute of its last packet at each write.
    EXPECT_EQ(query(path, "SELECT sum(bytes_sent) FROM usage_minutes"), 1300);
    EXPECT_EQ(query(path, "SELECT sum(bytes_received) FROM usage_minutes"), 2060);
    EXPECT_EQ(query(path, "SELECT sum(packets_sent) FROM usage_minutes"), 13);
    EXPECT_EQ(query(path, "SELECT bytes_sent FROM usage_minutes WHERE minute = 60"), 300);
    EXPECT_EQ(query(path, "SELECT bytes_sent FROM usage_minutes WHERE minute = 120"), 1000);
    EXPECT_EQ(query(path, "SELECT bytes_received FROM usage_minutes WHERE minute = 120"), 60);
}

TEST(Recorder, UsageRowsByProcessApplicationNameAndCountry) {
    TempDir dir;
    const auto path = dir.file("h.db");
    auto a = ended(rich_flow());
    auto b = ended(rich_flow());
    b.source_port = 40002;
    {
        auto rec = Recorder::open(path);
        ASSERT_TRUE(rec);
        ASSERT_TRUE((*rec)->write(std::vector{a, b}, true));
    }
    EXPECT_EQ(query(path, "SELECT count(*) FROM usage_minutes"), 1);
    EXPECT_EQ(query(path,
                    "SELECT bytes_received FROM usage_minutes WHERE process_name = 'curl' AND "
                    "container = 'abc123' AND dpi_protocol = 'TLS' AND remote_name = 'example.org' "
                    "AND remote_geo_country = 'NL' AND remote_geo_asn = 64500"),
              4000);
}

TEST(Recorder, KeyframeForgetsOpenFlowsItDoesNotList) {
    TempDir dir;
    const auto path = dir.file("h.db");
    auto rec = Recorder::open(path);
    ASSERT_TRUE(rec);
    auto a = tcp_flow(1, 1'000);
    auto b = tcp_flow(2, 2'000);
    ASSERT_TRUE((*rec)->write(std::vector{a, b}, false, true));
    (*rec)->end_keyframe();
    EXPECT_EQ((*rec)->open_flows(), 2U);
    // A delta with a new flow, then a keyframe in two pieces that lists a
    // and the new one: b ended unseen.
    auto c = tcp_flow(3, 3'000);
    ASSERT_TRUE((*rec)->write(std::vector{c}, false, false));
    EXPECT_EQ((*rec)->open_flows(), 3U);
    ASSERT_TRUE((*rec)->write(std::vector{a}, false, true));
    ASSERT_TRUE((*rec)->write(std::vector{c}, false, true));
    EXPECT_EQ((*rec)->open_flows(), 3U);
    (*rec)->end_keyframe();
    EXPECT_EQ((*rec)->open_flows(), 2U);
    // a's growth is still counted from what was written of it.
    a.bytes_sent += 50;
    ASSERT_TRUE((*rec)->write(std::vector{a}, false, false));
    EXPECT_EQ(query(path, "SELECT sum(bytes_sent) FROM usage_minutes"), 3 * 300 + 50);
    // An empty keyframe: no flow is open any more.
    ASSERT_TRUE((*rec)->write(std::vector<snapshot::FlowRecord>{}, false, true));
    (*rec)->end_keyframe();
    EXPECT_EQ((*rec)->open_flows(), 0U);
}

TEST(History, SinceSelectsByLastPacket) {
    TempDir dir;
    const auto path = dir.file("h.db");
    {
        auto rec = Recorder::open(path);
        ASSERT_TRUE(rec);
        std::vector<snapshot::FlowRecord> flows;
        for (std::uint16_t i = 0; i < 5; ++i) flows.push_back(ended(tcp_flow(i + 1, i * 1'000'000'000LL)));
        ASSERT_TRUE((*rec)->write(flows, false));
    }
    HistoryQuery q;
    q.since_ns = 3'000'000'000;
    const auto flows = history_of(path, q);
    ASSERT_EQ(flows.size(), 2U);
    EXPECT_EQ(flows[0].flow.source_port, 5);
    EXPECT_EQ(flows[1].flow.source_port, 4);
}

TEST(StoreExport, WritesSnapshotsAndOpenFlowsAtExit) {
    TempDir dir;
    const auto path = dir.file("h.db");
    {
        auto exp = StoreExport::open(path);
        ASSERT_TRUE(exp) << exp.error().message;
        (*exp)->start();
        snapshot::Snapshot s1;
        s1.delta = true;
        s1.flows = {tcp_flow(1, 1'000), ended(tcp_flow(2, 2'000))};
        (*exp)->on_snapshot(s1, {});
        snapshot::Snapshot last;
        auto grown = tcp_flow(1, 1'000);
        grown.bytes_sent = 5000;
        last.flows = {grown, tcp_flow(3, 3'000)};
        last.source.state = snapshot::CaptureState::end_of_file;
        // As pipeline::ExportSet hands the last snapshot over.
        (*exp)->on_snapshot(last, {});
        (*exp)->finish(last);
        std::vector<snapshot::ExportCounters> counters;
        (*exp)->append_counters(counters);
        ASSERT_EQ(counters.size(), 1U);
        EXPECT_EQ(counters[0].name, "history");
        EXPECT_EQ(counters[0].written, 4U);
        EXPECT_EQ(counters[0].dropped, 0U);
        EXPECT_EQ(counters[0].error, "");
        const auto access = (*exp)->access();
        EXPECT_EQ(access.write_paths, (std::vector<std::string>{path, path + "-wal", path + "-shm"}));
    }
    const auto flows = history_of(path);
    ASSERT_EQ(flows.size(), 3U);
    EXPECT_EQ(flows[2].flow.source_port, 1);
    EXPECT_EQ(flows[2].flow.bytes_sent, 5000U);
    EXPECT_EQ(flows[2].flow.end_reason, snapshot::EndReason::active);
    EXPECT_EQ(flows[1].flow.end_reason, snapshot::EndReason::fin);
    EXPECT_EQ(query(path, "SELECT sum(bytes_sent) FROM usage_minutes"), 5000 + 300 + 300);
}

TEST(StoreExport, LargeFinalSnapshotIsWrittenWhole) {
    TempDir dir;
    const auto path = dir.file("h.db");
    StoreExportOptions options;
    options.max_queued_flows = 5000;  // less than the snapshot: finish() waits for room
    {
        auto exp = StoreExport::open(path, options);
        ASSERT_TRUE(exp);
        snapshot::Snapshot last;
        for (int i = 0; i < 20'000; ++i)
            last.flows.push_back(ended(tcp_flow(static_cast<std::uint16_t>(i % 60000 + 1), i)));
        last.source.state = snapshot::CaptureState::end_of_file;
        (*exp)->on_snapshot(last, {});
        (*exp)->finish(last);
        std::vector<snapshot::ExportCounters> counters;
        (*exp)->append_counters(counters);
        EXPECT_EQ(counters[0].written, 20'000U);
        EXPECT_EQ(counters[0].dropped, 0U);
    }
    EXPECT_EQ(query(path, "SELECT count(*) FROM connections"), 20'000);
}

TEST(StoreExport, FirstWriteErrorStopsRecordingAndCountsTheRest) {
    TempDir dir;
    const auto path = dir.file("h.db");
    auto exp = StoreExport::open(path);
    ASSERT_TRUE(exp) << exp.error().message;
    {
        // Another connection takes the table away: every later write fails.
        auto other = Db::open(path, Db::Mode::read_write_create);
        ASSERT_TRUE(other);
        other->set_busy_timeout(kBusyTimeoutMs);
        ASSERT_TRUE(other->exec("DROP TABLE connections"));
    }
    snapshot::Snapshot s1;
    s1.flows = {ended(tcp_flow(1, 1'000)), ended(tcp_flow(2, 2'000))};
    (*exp)->on_snapshot(s1, {});
    snapshot::Snapshot last;
    last.flows = {tcp_flow(3, 3'000)};
    last.source.state = snapshot::CaptureState::end_of_file;
    (*exp)->on_snapshot(last, {});
    (*exp)->finish(last);
    std::vector<snapshot::ExportCounters> counters;
    (*exp)->append_counters(counters);
    ASSERT_EQ(counters.size(), 1U);
    EXPECT_EQ(counters[0].written, 0U);
    EXPECT_EQ(counters[0].dropped, 3U);
    EXPECT_NE(counters[0].error.find(path), std::string::npos) << counters[0].error;
    EXPECT_NE(counters[0].error.find("connections"), std::string::npos) << counters[0].error;
}

}  // namespace
}  // namespace sockeye::store
