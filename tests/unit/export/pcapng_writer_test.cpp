#include "export/pcapng_writer.hpp"
#include "unit/support/read_file.hpp"
#include "unit/support/result_value.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace sockeye::exports {
namespace {

std::uint32_t u32_at(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
    return v;
}
std::uint16_t u16_at(const std::string& s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      (static_cast<unsigned char>(s[at + 1]) << 8));
}

struct Block {
    std::uint32_t type = 0;
    std::string body;  // between the leading length and the trailing one
};

// Splits a pcapng byte string into blocks, checking both length fields.
std::vector<Block> split_blocks(const std::string& s) {
    std::vector<Block> blocks;
    std::size_t at = 0;
    while (at < s.size()) {
        EXPECT_LE(at + 12, s.size());
        const std::uint32_t len = u32_at(s, at + 4);
        EXPECT_EQ(len % 4, 0u);
        EXPECT_LE(at + len, s.size());
        if (len < 12 || at + len > s.size()) break;
        EXPECT_EQ(u32_at(s, at + len - 4), len) << "trailing length of block at " << at;
        blocks.push_back({u32_at(s, at), s.substr(at + 8, len - 12)});
        at += len;
    }
    return blocks;
}

// Options after `fixed` bytes of a block body: code -> value.
std::vector<std::pair<std::uint16_t, std::string>> options_of(const std::string& body,
                                                              std::size_t fixed) {
    std::vector<std::pair<std::uint16_t, std::string>> out;
    std::size_t at = fixed;
    while (at + 4 <= body.size()) {
        const std::uint16_t code = u16_at(body, at);
        const std::uint16_t len = u16_at(body, at + 2);
        out.emplace_back(code, body.substr(at + 4, len));
        if (code == 0) break;
        at += 4 + ((len + 3u) & ~3u);
    }
    return out;
}

std::shared_ptr<snapshot::AppInfo> tls(const std::string& sni) {
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "TLS";
    app->domain = sni;
    app->set_text("sni", sni);
    return app;
}

TEST(PcapngComment, ReferenceKeyValueLayout) {
    snapshot::ProcessInfo p;
    p.pid = 1234;
    p.name = "curl";
    auto app = tls("example.com");
    EXPECT_EQ(packet_comment(&p, PacketDirection::out, app.get()),
              "process=curl pid=1234 dir=out app=TLS sni=example.com");
    // HTTP names the server in a host, not an SNI.
    snapshot::AppInfo http;
    http.protocol = "HTTP";
    http.domain = "www.example.org";
    EXPECT_EQ(packet_comment(nullptr, PacketDirection::in, &http),
              "dir=in app=HTTP host=www.example.org");
}

TEST(PcapngComment, RemoteCountryAndAsnWithGeoDatabases) {
    auto app = tls("example.com");
    const snapshot::GeoInfo de{core::AddressScope::public_, "DE", "Berlin", 3320, "Deutsche Telekom AG"};
    EXPECT_EQ(packet_comment(nullptr, PacketDirection::out, app.get(), &de),
              "dir=out app=TLS sni=example.com country=DE asn=3320");
    const snapshot::GeoInfo unknown{core::AddressScope::public_, "", "", 0, ""};
    EXPECT_EQ(packet_comment(nullptr, PacketDirection::in, nullptr, &unknown), "dir=in");
    const snapshot::GeoInfo lan{core::AddressScope::private_, "", "", 0, ""};
    EXPECT_EQ(packet_comment(nullptr, PacketDirection::in, nullptr, &lan), "dir=in");
}

TEST(PcapngComment, UnknownKeysAreLeftOutAndNamesCleaned) {
    EXPECT_EQ(packet_comment(nullptr, PacketDirection::unknown, nullptr), "");
    snapshot::ProcessInfo p;
    p.pid = 7;
    p.name = "Web Content=x\xc3\xa9";
    EXPECT_EQ(packet_comment(&p, PacketDirection::unknown, nullptr),
              "process=Web_Content_x__ pid=7");
    snapshot::AppInfo unknown;  // DPI gave up: no protocol, no app key
    EXPECT_EQ(packet_comment(nullptr, PacketDirection::out, &unknown), "dir=out");
}

TEST(PcapngBlocks, SectionInterfaceAndPacketLayout) {
    std::string out;
    append_section_header(out, "sockeye");
    append_interface_block(out, 1, "eth0", 262144);
    const std::string frame = "\x01\x02\x03\x04\x05";  // 5 bytes: needs 3 bytes of padding
    append_packet_block(out, 0, 1'700'000'000'123'456'789, 60, frame, "dir=out");
    const auto blocks = split_blocks(out);
    ASSERT_EQ(blocks.size(), 3u);

    EXPECT_EQ(blocks[0].type, 0x0A0D0D0Au);
    EXPECT_EQ(u32_at(blocks[0].body, 0), 0x1A2B3C4Du);
    EXPECT_EQ(u16_at(blocks[0].body, 4), 1u);
    auto shb_opts = options_of(blocks[0].body, 16);
    ASSERT_GE(shb_opts.size(), 2u);
    EXPECT_EQ(shb_opts[0], (std::pair<std::uint16_t, std::string>{4, "sockeye"}));

    EXPECT_EQ(blocks[1].type, 1u);
    EXPECT_EQ(u16_at(blocks[1].body, 0), 1u);  // link type
    EXPECT_EQ(u32_at(blocks[1].body, 4), 262144u);
    auto idb_opts = options_of(blocks[1].body, 8);
    ASSERT_EQ(idb_opts.size(), 3u);
    EXPECT_EQ(idb_opts[0], (std::pair<std::uint16_t, std::string>{2, "eth0"}));
    EXPECT_EQ(idb_opts[1], (std::pair<std::uint16_t, std::string>{9, std::string(1, '\x09')}));

    EXPECT_EQ(blocks[2].type, 6u);
    const std::string& epb = blocks[2].body;
    const std::uint64_t ts = (std::uint64_t{u32_at(epb, 4)} << 32) | u32_at(epb, 8);
    EXPECT_EQ(ts, 1'700'000'000'123'456'789u);
    EXPECT_EQ(u32_at(epb, 12), 5u);   // captured
    EXPECT_EQ(u32_at(epb, 16), 60u);  // on the wire
    EXPECT_EQ(epb.substr(20, 5), frame);
    auto epb_opts = options_of(epb, 28);
    ASSERT_EQ(epb_opts.size(), 2u);
    EXPECT_EQ(epb_opts[0], (std::pair<std::uint16_t, std::string>{1, "dir=out"}));
    EXPECT_EQ(epb_opts[1].first, 0u);
}

TEST(PcapngExport, WritesOneInterfaceBlockPerInterfaceAndAsksForOwners) {
    const std::string path = ::testing::TempDir() + "pcapng_export_test.pcapng";
    int lookups = 0;
    auto owner = std::make_shared<snapshot::ProcessInfo>();
    owner->pid = 42;
    owner->name = "curl";
    auto exp = sockeye::testing::value_or_fail(PcapngExport::open(
        path, 1, "veth0",
        [&](const PacketAnnotation& a) -> std::shared_ptr<const snapshot::ProcessInfo> {
            ++lookups;
            return a.source_port == 40000 ? owner : nullptr;
        },
        {}));
    ASSERT_TRUE(exp);
    const std::uint8_t bytes[] = {0xde, 0xad, 0xbe, 0xef};
    core::RawFrame frame;
    frame.bytes = bytes;
    frame.wire_len = 4;
    PacketAnnotation a;
    a.has_flow = true;
    a.flow_serial = 9;
    a.source_port = 40000;
    a.direction = PacketDirection::out;
    a.app = tls("example.com");
    for (int i = 0; i < 3; ++i) {
        frame.ts_ns = 1'000'000'000 + i;
        frame.interface_id = static_cast<std::uint16_t>(i == 1 ? 3 : 0);
        exp->add(frame, a);
    }
    exp->add(frame, PacketAnnotation{});  // no flow: no comment
    exp->close();
    EXPECT_EQ(exp->counters().written, 4u);
    EXPECT_EQ(exp->counters().dropped, 0u);
    EXPECT_EQ(lookups, 1);  // the flow's owner is remembered once found

    const std::string file = test::read_file(path);
    const auto blocks = split_blocks(file);
    std::vector<std::uint32_t> types;
    for (const auto& b : blocks) types.push_back(b.type);
    EXPECT_EQ(types, (std::vector<std::uint32_t>{0x0A0D0D0A, 1, 6, 1, 6, 6, 6}));
    EXPECT_EQ(u32_at(blocks[4].body, 0), 1u);  // interface 3 is the second IDB
    EXPECT_EQ(u32_at(blocks[5].body, 0), 0u);
    EXPECT_EQ(options_of(blocks[2].body, 24)[0].second,
              "process=curl pid=42 dir=out app=TLS sni=example.com");
    EXPECT_TRUE(options_of(blocks[6].body, 24).empty());
    std::remove(path.c_str());
}

}  // namespace
}  // namespace sockeye::exports
