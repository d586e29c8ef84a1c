#include "export/ipfix_encoder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "unit/export/ipfix_test_decoder.hpp"

namespace sockeye::exports {
namespace {

using testing::as_bytes;
using testing::DecodedField;
using testing::TestDecoder;

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

IpfixFlow v4_flow() {
    IpfixFlow f;
    f.source_ip = core::IpAddress::parse("10.1.2.3");
    f.destination_ip = core::IpAddress::parse("192.0.2.80");
    f.source_port = 40000;
    f.destination_port = 443;
    f.ip_proto = 6;
    f.tcp_flags = 0x13;
    f.end_reason = ipfix::EndReason::end_of_flow;
    f.vlan = 7;
    f.start_ms = 1'700'000'000'123;
    f.end_ms = 1'700'000'004'567;
    f.octets = 1234;
    f.packets = 12;
    f.reverse_octets = 56789;
    f.reverse_packets = 40;
    f.pid = 4242;
    f.process_name = "curl";
    f.user = "alice";
    f.server_name = "example.org";
    f.application = "TLS";
    return f;
}

IpfixFlow v6_flow() {
    IpfixFlow f = v4_flow();
    f.source_ip = core::IpAddress::parse("2001:db8::1");
    f.destination_ip = core::IpAddress::parse("2001:db8::2:80");
    f.process_name = "";
    f.pid = 0;
    return f;
}

TEST(IpfixEncoder, MessageHeaderCarriesVersionLengthTimeSequenceAndDomain) {
    IpfixMessageBuilder b(0x01020304, 1400);
    b.begin(0x65000000, 77, false);
    ASSERT_TRUE(b.add(v4_flow()));
    const std::string& m = b.finish();
    const auto bytes = bytes_of(m);
    ASSERT_GE(bytes.size(), 16u);
    EXPECT_EQ(bytes[0], 0x00);
    EXPECT_EQ(bytes[1], 0x0A);  // version 10
    EXPECT_EQ(bytes[2] << 8 | bytes[3], static_cast<int>(bytes.size()));
    EXPECT_EQ((std::vector<std::uint8_t>(bytes.begin() + 4, bytes.begin() + 16)),
              (std::vector<std::uint8_t>{0x65, 0, 0, 0, 0, 0, 0, 77, 1, 2, 3, 4}));
}

TEST(IpfixEncoder, TemplateSetBytesStartAsRfc7011Says) {
    std::string out;
    append_ipfix_template_set(out);
    const auto b = bytes_of(out);
    ASSERT_GE(b.size(), 16u);
    // Set id 2, set length = everything, template 256 with 19 fields, then
    // sourceIPv4Address (8) length 4, destinationIPv4Address (12) length 4.
    EXPECT_EQ(b[0] << 8 | b[1], 2);
    EXPECT_EQ(b[2] << 8 | b[3], static_cast<int>(b.size()));
    EXPECT_EQ((std::vector<std::uint8_t>(b.begin() + 4, b.begin() + 16)),
              (std::vector<std::uint8_t>{0x01, 0x00, 0x00, 19, 0x00, 0x08, 0x00, 0x04, 0x00, 0x0C,
                                         0x00, 0x04}));
    EXPECT_EQ(b.size() % 4, 0u);
    // The RFC 5103 reverse octet counter: E bit | 1, length 8, PEN 29305 = 0x7279.
    const std::vector<std::uint8_t> reverse = {0x80, 0x01, 0x00, 0x08, 0x00, 0x00, 0x72, 0x79};
    EXPECT_NE(std::search(b.begin(), b.end(), reverse.begin(), reverse.end()), b.end());
    // processName: E bit | 1, variable length, PEN 32473 = 0x7ED9.
    const std::vector<std::uint8_t> name = {0x80, 0x01, 0xFF, 0xFF, 0x00, 0x00, 0x7E, 0xD9};
    EXPECT_NE(std::search(b.begin(), b.end(), name.begin(), name.end()), b.end());
}

TEST(IpfixEncoder, TemplatesDeclareEveryFieldWithItsIanaNumberAndLength) {
    IpfixMessageBuilder b(1, 1400);
    b.begin(0, 0, true);
    const std::string m = b.finish();
    TestDecoder d;
    std::string error;
    ASSERT_TRUE(d.decode(as_bytes(m), error)) << error;
    const std::vector<DecodedField> common = {
        {7, 2, 0},     {11, 2, 0},    {4, 1, 0},         {6, 2, 0},         {136, 1, 0},
        {58, 2, 0},    {152, 8, 0},   {153, 8, 0},       {1, 8, 0},         {2, 8, 0},
        {1, 8, 29305}, {2, 8, 29305}, {2, 4, 32473},     {1, 65535, 32473}, {3, 65535, 32473},
        {4, 65535, 32473}, {5, 65535, 32473}};
    std::vector<DecodedField> v4 = {{8, 4, 0}, {12, 4, 0}};
    std::vector<DecodedField> v6 = {{27, 16, 0}, {28, 16, 0}};
    v4.insert(v4.end(), common.begin(), common.end());
    v6.insert(v6.end(), common.begin(), common.end());
    ASSERT_EQ(d.templates.size(), 2u);
    EXPECT_EQ(d.templates[256], v4);
    EXPECT_EQ(d.templates[257], v6);
}

TEST(IpfixEncoder, V4RecordDecodesToItsValuesAndTheSetIsPaddedToFourOctets) {
    IpfixMessageBuilder b(1, 1400);
    b.begin(0, 0, true);
    const IpfixFlow f = v4_flow();
    ASSERT_TRUE(b.add(f));
    const std::string m = b.finish();
    TestDecoder d;
    std::string error;
    const auto msg = d.decode(as_bytes(m), error);
    ASSERT_TRUE(msg) << error;
    ASSERT_EQ(msg->records.size(), 1u);
    const auto& r = msg->records[0];
    EXPECT_EQ(r.template_id, 256);
    EXPECT_EQ(r.bytes(8), (std::vector<std::uint8_t>{10, 1, 2, 3}));
    EXPECT_EQ(r.bytes(12), (std::vector<std::uint8_t>{192, 0, 2, 80}));
    EXPECT_EQ(r.number(7), 40000u);
    EXPECT_EQ(r.number(11), 443u);
    EXPECT_EQ(r.number(4), 6u);
    EXPECT_EQ(r.number(6), 0x13u);
    EXPECT_EQ(r.number(136), 3u);
    EXPECT_EQ(r.number(58), 7u);
    EXPECT_EQ(r.number(152), 1'700'000'000'123u);
    EXPECT_EQ(r.number(153), 1'700'000'004'567u);
    EXPECT_EQ(r.number(1), 1234u);
    EXPECT_EQ(r.number(2), 12u);
    EXPECT_EQ(r.number(1, ipfix::kReversePen), 56789u);
    EXPECT_EQ(r.number(2, ipfix::kReversePen), 40u);
    EXPECT_EQ(r.number(2, ipfix::kSockeyePen), 4242u);
    EXPECT_EQ(r.text(1, ipfix::kSockeyePen), "curl");
    EXPECT_EQ(r.text(3, ipfix::kSockeyePen), "alice");
    EXPECT_EQ(r.text(4, ipfix::kSockeyePen), "example.org");
    EXPECT_EQ(r.text(5, ipfix::kSockeyePen), "TLS");
    // Fixed part 70 bytes + strings (1+4)+(1+5)+(1+11)+(1+3) = 97: 3 octets of padding.
    EXPECT_EQ(ipfix_record_size(f), 97u);
    ASSERT_EQ(msg->sets.size(), 2u);
    EXPECT_EQ(msg->sets[1].id, 256);
    EXPECT_EQ(msg->sets[1].length, 4u + 97u + 3u);
    EXPECT_EQ(msg->sets[1].padding, 3u);
}

TEST(IpfixEncoder, V6RecordsUseTheirOwnTemplateAndFamiliesGetSeparateSets) {
    IpfixMessageBuilder b(1, 1400);
    b.begin(0, 0, true);
    ASSERT_TRUE(b.add(v4_flow()));
    ASSERT_TRUE(b.add(v6_flow()));
    ASSERT_TRUE(b.add(v6_flow()));
    ASSERT_TRUE(b.add(v4_flow()));
    EXPECT_EQ(b.records(), 4u);
    const std::string m = b.finish();
    TestDecoder d;
    std::string error;
    const auto msg = d.decode(as_bytes(m), error);
    ASSERT_TRUE(msg) << error;
    ASSERT_EQ(msg->sets.size(), 4u);  // templates, v4, v6 (2 records), v4
    EXPECT_EQ(msg->sets[1].id, 256);
    EXPECT_EQ(msg->sets[2].id, 257);
    EXPECT_EQ(msg->sets[3].id, 256);
    for (const auto& s : msg->sets) EXPECT_EQ(s.length % 4, 0u);
    ASSERT_EQ(msg->records.size(), 4u);
    const auto& r = msg->records[1];
    EXPECT_EQ(r.template_id, 257);
    EXPECT_EQ(r.bytes(27), (std::vector<std::uint8_t>{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0,
                                                      0, 0, 0, 0, 1}));
    EXPECT_EQ(r.bytes(28).size(), 16u);
    EXPECT_EQ(r.bytes(28)[13], 0x02);
    EXPECT_EQ(r.bytes(28)[15], 0x80);
    EXPECT_EQ(r.text(1, ipfix::kSockeyePen), "");  // unknown process: zero-length string
    EXPECT_EQ(r.number(2, ipfix::kSockeyePen), 0u);
}

TEST(IpfixEncoder, VariableLengthStringsUseOneOrThreeLengthOctets) {
    std::string out;
    append_ipfix_string(out, "");
    EXPECT_EQ(bytes_of(out), (std::vector<std::uint8_t>{0}));

    out.clear();
    append_ipfix_string(out, std::string(254, 'a'));
    ASSERT_EQ(out.size(), 255u);
    EXPECT_EQ(static_cast<std::uint8_t>(out[0]), 254);

    out.clear();
    append_ipfix_string(out, std::string(255, 'b'));  // 255 needs the long form
    ASSERT_EQ(out.size(), 3u + 255u);
    EXPECT_EQ((std::vector<std::uint8_t>(out.begin(), out.begin() + 3)),
              (std::vector<std::uint8_t>{0xFF, 0x00, 0xFF}));

    out.clear();
    append_ipfix_string(out, std::string(1000, 'c'));  // cut to kMaxStringBytes
    ASSERT_EQ(out.size(), 3u + ipfix::kMaxStringBytes);
    EXPECT_EQ((std::vector<std::uint8_t>(out.begin(), out.begin() + 3)),
              (std::vector<std::uint8_t>{0xFF, 0x01, 0x00}));
}

TEST(IpfixEncoder, LongStringsAreCutAtAUtf8Boundary) {
    // 255 ASCII bytes, then "é" (C3 A9) straddling the 256-byte cut.
    const std::string text = std::string(255, 'x') + "\xC3\xA9" + "tail";
    std::string out;
    append_ipfix_string(out, text);
    ASSERT_EQ(out.size(), 3u + 255u);
    EXPECT_EQ(out.substr(3), std::string(255, 'x'));
}

TEST(IpfixEncoder, MessagesNeverExceedTheLimitAndCountTheirRecords) {
    for (const std::size_t limit : {200u, 576u, 1400u}) {
        IpfixMessageBuilder b(1, limit);
        b.begin(0, 0, false);
        std::size_t added = 0;
        IpfixFlow f = v4_flow();
        while (b.add(f)) {
            ++added;
            f = added % 3 == 0 ? v6_flow() : v4_flow();
        }
        EXPECT_GT(added, 0u);
        EXPECT_EQ(b.records(), added);
        const std::string m = b.finish();
        EXPECT_LE(m.size(), limit);
        TestDecoder d;
        std::string error;
        // The templates come in a message of their own here.
        IpfixMessageBuilder t(1, 1400);
        t.begin(0, 0, true);
        ASSERT_TRUE(d.decode(as_bytes(t.finish()), error)) << error;
        const auto msg = d.decode(as_bytes(m), error);
        ASSERT_TRUE(msg) << error;
        EXPECT_EQ(msg->records.size(), added);
    }
}

TEST(IpfixEncoder, ALongestRecordStillFitsAMessageOfItsOwn) {
    IpfixFlow f = v6_flow();
    f.process_name = std::string(400, 'p');
    f.user = std::string(400, 'u');
    f.server_name = std::string(400, 's');
    f.application = std::string(400, 'a');
    // 94 fixed bytes + 4 strings of 3 + 256 bytes.
    EXPECT_EQ(ipfix_record_size(f), 94u + 4u * 259u);
    IpfixMessageBuilder b(1, 1200);
    b.begin(0, 0, true);
    EXPECT_FALSE(b.add(f));  // not together with the templates...
    EXPECT_EQ(b.records(), 0u);
    b.begin(0, 0, false);
    EXPECT_TRUE(b.add(f));   // ...but alone
    EXPECT_LE(b.finish().size(), 1200u);
    // And with the templates at the default limit.
    IpfixMessageBuilder d(1, 1400);
    d.begin(0, 0, true);
    EXPECT_TRUE(d.add(f));
}

TEST(IpfixEncoder, GeoLayoutAddsTheRemotesLocationUnderItsOwnTemplates) {
    IpfixMessageBuilder b(1, 1400, true);
    b.begin(0, 0, true);
    IpfixFlow f = v4_flow();
    f.remote_country = "NL";
    f.remote_asn = 64500;
    f.remote_organisation = "Example Networks";
    f.remote_city = "Amsterdam";
    IpfixFlow g = v6_flow();  // no databases' answer: empty and 0
    ASSERT_TRUE(b.add(f));
    ASSERT_TRUE(b.add(g));
    const std::string m = b.finish();
    TestDecoder d;
    std::string error;
    const auto msg = d.decode(as_bytes(m), error);
    ASSERT_TRUE(msg) << error;
    // Templates 258/259: the plain layout's fields, then the four geo ones.
    ASSERT_EQ(d.templates.size(), 2u);
    const std::vector<DecodedField> geo = {
        {6, 65535, 32473}, {7, 4, 32473}, {8, 65535, 32473}, {9, 65535, 32473}};
    for (const std::uint16_t id : {ipfix::kTemplateIdV4Geo, ipfix::kTemplateIdV6Geo}) {
        const auto& t = d.templates[id];
        ASSERT_EQ(t.size(), 2u + 17u + 4u) << id;
        EXPECT_EQ(std::vector<DecodedField>(t.end() - 4, t.end()), geo) << id;
    }
    ASSERT_EQ(msg->records.size(), 2u);
    const auto& r = msg->records[0];
    EXPECT_EQ(r.template_id, 258);
    EXPECT_EQ(r.text(5, ipfix::kSockeyePen), "TLS");  // the plain fields unchanged
    EXPECT_EQ(r.text(ipfix::sockeye_ie::kRemoteCountry, ipfix::kSockeyePen), "NL");
    EXPECT_EQ(r.number(ipfix::sockeye_ie::kRemoteAsn, ipfix::kSockeyePen), 64500u);
    EXPECT_EQ(r.text(ipfix::sockeye_ie::kRemoteAsOrganisation, ipfix::kSockeyePen), "Example Networks");
    EXPECT_EQ(r.text(ipfix::sockeye_ie::kRemoteCity, ipfix::kSockeyePen), "Amsterdam");
    // 97 bytes of the plain record + (1+2) + 4 + (1+16) + (1+9).
    EXPECT_EQ(ipfix_record_size(f, true), 97u + 34u);
    const auto& r6 = msg->records[1];
    EXPECT_EQ(r6.template_id, 259);
    EXPECT_EQ(r6.text(ipfix::sockeye_ie::kRemoteCountry, ipfix::kSockeyePen), "");
    EXPECT_EQ(r6.number(ipfix::sockeye_ie::kRemoteAsn, ipfix::kSockeyePen), 0u);
    EXPECT_EQ(r6.text(ipfix::sockeye_ie::kRemoteCity, ipfix::kSockeyePen), "");
}

TEST(IpfixEncoder, WithoutGeoNoGeoElementIsDeclaredOrSent) {
    IpfixMessageBuilder b(1, 1400);
    b.begin(0, 0, true);
    IpfixFlow f = v4_flow();
    f.remote_country = "NL";  // ignored: the plain layout has no place for it
    ASSERT_TRUE(b.add(f));
    const std::string m = b.finish();
    TestDecoder d;
    std::string error;
    const auto msg = d.decode(as_bytes(m), error);
    ASSERT_TRUE(msg) << error;
    for (const auto& [id, fields] : d.templates) {
        EXPECT_TRUE(id == 256 || id == 257) << id;
        for (const auto& field : fields)
            EXPECT_FALSE(field.pen == ipfix::kSockeyePen && field.id >= 6) << field.id;
    }
    EXPECT_EQ(ipfix_record_size(f), 97u);
    EXPECT_EQ(msg->records.at(0).text(ipfix::sockeye_ie::kRemoteCountry, ipfix::kSockeyePen), "<absent>");
}

TEST(IpfixEncoder, ALongestGeoRecordStillFitsAMessageOfItsOwn) {
    IpfixFlow f = v6_flow();
    f.process_name = std::string(400, 'p');
    f.user = std::string(400, 'u');
    f.server_name = std::string(400, 's');
    f.application = std::string(400, 'a');
    f.remote_country = std::string(400, 'c');
    f.remote_asn = 4'200'000'000U;
    f.remote_organisation = std::string(63, 'o') + "\xC3\xA9";  // cut before the "é"
    f.remote_city = std::string(400, 'y');
    // The plain longest record + 4 + 3 strings of 1 + 64 bytes at most.
    EXPECT_EQ(ipfix_record_size(f, true), 94u + 4u * 259u + 4u + 65u + 64u + 65u);
    IpfixMessageBuilder b(1, 1400, true);
    b.begin(0, 0, false);
    ASSERT_TRUE(b.add(f));
    const std::string m = b.finish();
    EXPECT_LE(m.size(), 1400u);
    TestDecoder d;
    std::string error;
    IpfixMessageBuilder t(1, 1400, true);
    t.begin(0, 0, true);
    ASSERT_TRUE(d.decode(as_bytes(t.finish()), error)) << error;
    const auto msg = d.decode(as_bytes(m), error);
    ASSERT_TRUE(msg) << error;
    EXPECT_EQ(msg->records.at(0).text(ipfix::sockeye_ie::kRemoteAsOrganisation, ipfix::kSockeyePen),
              std::string(63, 'o'));
    EXPECT_EQ(msg->records.at(0).number(ipfix::sockeye_ie::kRemoteAsn, ipfix::kSockeyePen), 4'200'000'000U);
}

}  // namespace
}  // namespace sockeye::exports
