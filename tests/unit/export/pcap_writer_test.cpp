#include "export/pcap_writer.hpp"
#include "unit/support/read_file.hpp"
#include "unit/support/result_value.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace sockeye::exports {
namespace {

std::uint32_t u32_at(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
    return v;
}

std::string read_all(const std::string& path) { return test::read_file(path); }

TEST(Pcap, NanosecondHeaderAndRecord) {
    std::string out;
    append_pcap_header(out, 113, 262144);  // LINUX_SLL
    ASSERT_EQ(out.size(), 24u);
    EXPECT_EQ(u32_at(out, 0), 0xA1B23C4Du);
    EXPECT_EQ(out[4], 2);
    EXPECT_EQ(out[6], 4);
    EXPECT_EQ(u32_at(out, 16), 262144u);
    EXPECT_EQ(u32_at(out, 20), 113u);
    out.clear();
    append_pcap_record(out, 1'700'000'000'123'456'789, 1500, "abcdef", 4);  // truncated to 4
    ASSERT_EQ(out.size(), 20u);
    EXPECT_EQ(u32_at(out, 0), 1'700'000'000u);
    EXPECT_EQ(u32_at(out, 4), 123'456'789u);
    EXPECT_EQ(u32_at(out, 8), 4u);
    EXPECT_EQ(u32_at(out, 12), 1500u);
    EXPECT_EQ(out.substr(16), "abcd");
}

TEST(PcapExport, WritesPacketsAndFlowSidecar) {
    const std::string path = ::testing::TempDir() + "pcap_export_test.pcap";
    auto exp = sockeye::testing::value_or_fail(PcapExport::open(path, 1, FlowJsonOptions{}, {}));
    ASSERT_TRUE(exp);
    const std::uint8_t bytes[] = {1, 2, 3};
    core::RawFrame frame;
    frame.bytes = bytes;
    frame.wire_len = 3;
    frame.ts_ns = 5'000'000'001;
    exp->add(frame);
    exp->add(frame);
    snapshot::FlowRecord flow;
    flow.protocol = snapshot::FlowProtocol::udp;
    flow.ip_proto = 17;
    flow.source_ip = core::IpAddress::parse("10.0.0.1");
    flow.destination_ip = core::IpAddress::parse("10.0.0.2");
    flow.source_port = 5353;
    flow.destination_port = 53;
    flow.end_reason = snapshot::EndReason::idle_timeout;
    exp->add_flow(flow);
    exp->close();
    EXPECT_EQ(exp->counters().written, 2u);
    EXPECT_EQ(exp->sidecar_counters().written, 1u);
    EXPECT_EQ(exp->sidecar_counters().path, path + ".connections.jsonl");

    const std::string pcap = read_all(path);
    ASSERT_EQ(pcap.size(), 24u + 2 * (16u + 3u));
    EXPECT_EQ(u32_at(pcap, 24), 5u);
    EXPECT_EQ(u32_at(pcap, 28), 1u);
    std::string expected_line;
    append_flow_json(expected_line, flow, FlowJsonOptions{});
    EXPECT_EQ(read_all(path + ".connections.jsonl"), expected_line);
    EXPECT_NE(expected_line.find("\"end_reason\":\"idle_timeout\""), std::string::npos);
    std::remove(path.c_str());
    std::remove((path + ".connections.jsonl").c_str());
}

}  // namespace
}  // namespace sockeye::exports
