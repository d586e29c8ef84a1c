#include "export/json.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "export/jsonl.hpp"
#include "export/summary_table.hpp"

namespace sockeye::exports {
namespace {

TEST(Json, EscapesControlQuotesAndInvalidUtf8) {
    std::string out;
    append_json_string(out, std::string_view("a\"b\\c\n\x01\x7f", 8));
    EXPECT_EQ(out, R"("a\"b\\c\n\u0001\u007f")");
    out.clear();
    append_json_string(out, "caf\xc3\xa9 \xff");  // valid é, invalid 0xff
    EXPECT_EQ(out, "\"caf\xc3\xa9 \xEF\xBF\xBD\"");
    out.clear();
    append_json_string(out, "\xed\xa0\x80");  // UTF-16 surrogate encoded: invalid
    EXPECT_EQ(out, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    out.clear();
    // C1 controls (CSI U+009B, NEL U+0085) are escaped like C0: a terminal
    // showing the line would obey them raw. U+00A0 is printable.
    append_json_string(out, "a\xc2\x9b" "2J\xc2\x85\xc2\xa0");
    EXPECT_EQ(out, "\"a\\u009b2J\\u0085\xc2\xa0\"");
}

TEST(Json, Rfc3339Microseconds) {
    EXPECT_EQ(rfc3339_utc_micros(0), "1970-01-01T00:00:00.000000Z");
    EXPECT_EQ(rfc3339_utc_micros(1'704'067'200'123'456'789), "2024-01-01T00:00:00.123456Z");
    EXPECT_EQ(rfc3339_utc_micros(-1'000), "1969-12-31T23:59:59.999999Z");
}

TEST(Json, ObjectFieldsInOrderWithNesting) {
    std::string out;
    JsonObject obj(out);
    obj.field("a", std::uint64_t{1}).field_null("b").open_nested("c");
    obj.field("d", true).close_nested().field_fixed3("e", 1.23456);
    obj.close();
    EXPECT_EQ(out, R"({"a":1,"b":null,"c":{"d":true},"e":1.235})");
}

snapshot::FlowRecord sample_flow() {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("2001:db8::1");
    f.source_port = 40000;
    f.destination_port = 443;
    f.state = snapshot::FlowState::established;
    f.packets_sent = 3;
    f.packets_received = 2;
    f.bytes_sent = 180;
    f.bytes_received = 2000;
    f.first_seen_ns = 1'704'067'200'000'000'000;
    f.last_seen_ns = 1'704'067'201'500'000'000;
    f.handshake_rtt_ns = 12'345'678;
    return f;
}

TEST(Jsonl, FlowLineUsesReferenceFieldNames) {
    std::string out;
    append_flow_json(out, sample_flow());
    EXPECT_EQ(out,
              R"({"type":"flow","protocol":"TCP","source_ip":"10.0.0.1","source_port":40000,)"
              R"("destination_ip":"2001:db8::1","destination_port":443,"vlan":0,"ip_proto":6,)"
              R"("state":"ESTABLISHED","end_reason":"active","generation":0,"packets_sent":3,)"
              R"("packets_received":2,"bytes_sent":180,"bytes_received":2000,)"
              R"("first_seen":"2024-01-01T00:00:00.000000Z","last_seen":"2024-01-01T00:00:01.500000Z",)"
              R"("rtt_ms":null,"handshake_rtt_ms":12.346,"retransmits":0,"out_of_order":0,)"
              R"("duplicate_acks":0,"dpi_protocol":null,"dpi_domain":null,"dpi":null})"
              "\n");
}

TEST(Jsonl, DpiFieldsAsTypedValues) {
    auto f = sample_flow();
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "TLS";
    app->domain = "example.com";
    app->set_text("sni", "example.com");
    app->set_list("alpn", {"h2", "http/1.1"});
    app->set_number("status", 200);
    f.app = app;
    std::string out;
    append_flow_json(out, f);
    EXPECT_NE(out.find(R"("dpi_protocol":"TLS","dpi_domain":"example.com",)"
                       R"("dpi":{"sni":"example.com","alpn":["h2","http/1.1"],"status":200}})"),
              std::string::npos)
        << out;
    snapshot::Snapshot snap;
    snap.flows = {f};
    EXPECT_NE(summary_table(snap).find("TLS example.com"), std::string::npos);
}

TEST(Jsonl, ContainerNameImageAndPod) {
    snapshot::FlowRecord f;
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = 7;
    p->name = "nginx";
    p->container_kind = "kubernetes";
    p->container = "0a1b2c3d-0000-1111-2222-333344445555";
    p->container_name = "web\x1b[2J\"x";  // control bytes and a quote: escaped, the line still parses
    p->container_image = "nginx:1.25";
    p->pod = "web-7d4b9c-xk2p9";
    p->pod_namespace = "shop";
    f.process = p;
    std::string out;
    append_flow_json(out, f, FlowJsonOptions{true});
    EXPECT_NE(out.find(R"("container":"0a1b2c3d-0000-1111-2222-333344445555","container_name":"web\u001b[2J\"x",)"
                       R"("container_image":"nginx:1.25","pod":"web-7d4b9c-xk2p9","pod_namespace":"shop",)"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
}

TEST(Jsonl, ProcessKeysOnlyWhenAttributionRan) {
    snapshot::FlowRecord f;
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = 4242;
    p->name = "curl";
    p->exe = "/usr/bin/curl";
    p->user = "alice";
    f.process = p;
    f.process_match = snapshot::ProcessMatch::exact;
    f.remote_name = "example.com";
    f.kernel_srtt_ns = 73'000;
    std::string out;
    append_flow_json(out, f);
    EXPECT_EQ(out.find("\"pid\""), std::string::npos) << "files carry no process keys";
    EXPECT_EQ(out.find("kernel_rtt_ms"), std::string::npos) << "nor the kernel's RTT";
    out.clear();
    append_flow_json(out, f, FlowJsonOptions{true});
    EXPECT_NE(out.find(R"("pid":4242,"process_name":"curl","process_exe":"/usr/bin/curl",)"
                       R"("process_user":"alice","container":null,"container_name":null,)"
                       R"("container_image":null,"pod":null,"pod_namespace":null,"process_match":"exact",)"
                       R"("unattributed_reason":null,"remote_name":"example.com",)"
                       R"("kernel_rtt_ms":0.073,"remote_mac":null,"remote_vendor":null})"),
              std::string::npos)
        << out;
    f.remote_link = std::make_shared<snapshot::LinkPeer>(
        snapshot::LinkPeer{{0xb8, 0x27, 0xeb, 0x01, 0x02, 0x03}, "Raspberry Pi"});
    out.clear();
    append_flow_json(out, f, FlowJsonOptions{true});
    EXPECT_NE(out.find(R"("remote_mac":"b8:27:eb:01:02:03","remote_vendor":"Raspberry Pi"})"), std::string::npos)
        << out;
    snapshot::FlowRecord unknown;
    unknown.unattributed = snapshot::UnattributedReason::no_socket;
    out.clear();
    append_flow_json(out, unknown, FlowJsonOptions{true});
    EXPECT_NE(out.find(R"("pid":null,"process_name":null,)"), std::string::npos) << out;
    EXPECT_NE(out.find(R"("process_match":"none","unattributed_reason":"no_socket","remote_name":null,)"
                       R"("kernel_rtt_ms":null,"remote_mac":null,"remote_vendor":null})"),
              std::string::npos)
        << out;
}

TEST(Jsonl, RemoteGeoOnlyWithGeoDatabases) {
    auto f = sample_flow();
    std::string out;
    append_flow_json(out, f);
    EXPECT_EQ(out.find("remote_geo"), std::string::npos) << "without databases, no key" << out;
    f.remote_geo = std::make_shared<snapshot::GeoInfo>(
        snapshot::GeoInfo{core::AddressScope::public_, "DE", "", 3320, "Deutsche Telekom AG"});
    out.clear();
    append_flow_json(out, f);
    EXPECT_NE(out.find(R"("dpi":null,"remote_geo":{"scope":"public","country":"DE","city":null,)"
                       R"("asn":3320,"organisation":"Deutsche Telekom AG"}})"),
              std::string::npos)
        << out;
    f.remote_geo = std::make_shared<snapshot::GeoInfo>(
        snapshot::GeoInfo{core::AddressScope::private_, "", "", 0, ""});
    out.clear();
    append_flow_json(out, f);
    EXPECT_NE(out.find(R"("remote_geo":{"scope":"private","country":null,"city":null,"asn":null,)"
                       R"("organisation":null}})"),
              std::string::npos)
        << out;
}

TEST(Jsonl, SummaryCarriesCountersAndAnomalies) {
    snapshot::Snapshot snap;
    snap.counters.packets = 10;
    snap.counters.bytes = 1000;
    snap.anomalies = {{"truncated_tcp", 2}};
    snap.source.link_type = "EN10MB";
    snap.source.complete = false;
    const std::string out = snapshot_to_jsonl(snap);
    EXPECT_EQ(out,
              R"({"type":"summary","packets":10,"bytes":1000,"flows":0,"active_flows":0,)"
              R"("evictions":0,"history_dropped":0,"ip_fragments":0,"unattributed":0,)"
              R"("anomalies":{"truncated_tcp":2},"link_type":"EN10MB","complete":false})"
              "\n");
}

TEST(Jsonl, StreamWritesWhatTheWholeSnapshotWould) {
    snapshot::Snapshot snap;
    snap.counters.packets = 3;
    for (std::uint16_t port = 1000; port < 3000; ++port) {  // more than one chunk
        snapshot::FlowRecord f;
        f.protocol = snapshot::FlowProtocol::udp;
        f.ip_proto = 17;
        f.source_port = port;
        f.destination_port = 53;
        snap.flows.push_back(f);
    }
    std::FILE* file = std::tmpfile();
    ASSERT_NE(file, nullptr);
    JsonlStream stream(file, FlowJsonOptions{});
    for (const auto& f : snap.flows) stream.flow(f);
    const snapshot::Snapshot summary_only = [&] {
        snapshot::Snapshot s = snap;
        s.flows.clear();
        return s;
    }();
    ASSERT_TRUE(stream.finish(summary_only));
    std::string written(static_cast<std::size_t>(std::ftell(file)), '\0');
    std::rewind(file);
    ASSERT_EQ(std::fread(written.data(), 1, written.size(), file), written.size());
    std::fclose(file);
    EXPECT_EQ(written, snapshot_to_jsonl(snap));
}

TEST(Jsonl, StreamReportsAFullDisk) {
    std::FILE* full = std::fopen("/dev/full", "w");
    if (full == nullptr) GTEST_FAIL() << "no /dev/full";
    JsonlStream stream(full, FlowJsonOptions{});
    stream.flow(snapshot::FlowRecord{});
    EXPECT_FALSE(stream.finish(snapshot::Snapshot{}));
    std::fclose(full);
}

TEST(SummaryTable, LargestFlowFirstAndHumanBytes) {
    EXPECT_EQ(human_bytes(1023), "1023 B");
    EXPECT_EQ(human_bytes(1536), "1.5 KiB");
    EXPECT_EQ(human_bytes(5ull << 30), "5.0 GiB");
    snapshot::Snapshot snap;
    auto small = sample_flow();
    small.bytes_received = 10;
    small.source_port = 1111;
    snap.flows = {small, sample_flow()};
    snap.source.name = "x.pcap";
    snap.source.link_type = "EN10MB";
    const std::string table = summary_table(snap);
    const auto big_at = table.find("10.0.0.1:40000");
    const auto small_at = table.find("10.0.0.1:1111");
    ASSERT_NE(big_at, std::string::npos);
    ASSERT_NE(small_at, std::string::npos);
    EXPECT_LT(big_at, small_at);
    EXPECT_NE(table.find("[2001:db8::1]:443"), std::string::npos);
    EXPECT_NE(table.find("12.3 ms"), std::string::npos);
}

TEST(SummaryTable, BitsUseDecimalPrefixes) {
    EXPECT_EQ(human_bits(0), "0 b");
    EXPECT_EQ(human_bits(124), "992 b");
    EXPECT_EQ(human_bits(125), "1.0 kb");
    EXPECT_EQ(human_bits(1'250'000), "10.0 Mb");
    EXPECT_EQ(human_bits(125'000'000'000ull), "1.0 Tb");
    snapshot::Snapshot snap;
    auto f = sample_flow();
    f.bytes_sent = 1000;
    f.bytes_received = 1'000'000;
    snap.flows = {f};
    const std::string table = summary_table(snap, true);
    EXPECT_NE(table.find("BITS >/<"), std::string::npos);
    EXPECT_NE(table.find("8.0 kb/8.0 Mb"), std::string::npos) << table;
    EXPECT_EQ(table.find("BYTES"), std::string::npos);
}

TEST(SummaryTable, ColumnsAlignByCharactersNotBytes) {
    // "café" is five bytes, four characters: the columns after it line up
    // with those of an ASCII name of the same length, and with an escape
    // sequence defused to one '?' per control.
    snapshot::Snapshot snap;
    for (const char* domain : {"caf\xC3\xA9.test", "cafe.test", "caf\x1b.test"}) {
        auto f = sample_flow();
        auto app = std::make_shared<snapshot::AppInfo>();
        app->protocol = "TLS";
        app->domain = domain;
        f.app = app;
        snap.flows.push_back(f);
    }
    const std::string table = summary_table(snap);
    std::vector<std::size_t> columns_before_counts;
    std::size_t at = 0;
    while ((at = table.find("TLS ", at)) != std::string::npos) {
        const std::size_t line_start = table.rfind('\n', at) + 1;
        const std::size_t counts = table.find("3/2", at);
        std::size_t chars = 0;
        for (std::size_t i = line_start; i < counts; ++i)
            if ((static_cast<unsigned char>(table[i]) & 0xC0) != 0x80) ++chars;
        columns_before_counts.push_back(chars);
        at = counts;
    }
    ASSERT_EQ(columns_before_counts.size(), 3u) << table;
    EXPECT_EQ(columns_before_counts[0], columns_before_counts[1]) << table;
    EXPECT_EQ(columns_before_counts[1], columns_before_counts[2]) << table;
    EXPECT_NE(table.find("TLS caf?.test"), std::string::npos) << table;
}

}  // namespace
}  // namespace sockeye::exports
