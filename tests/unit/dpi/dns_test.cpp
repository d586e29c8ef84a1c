#include <gtest/gtest.h>

#include "dpi/protocols/dns.hpp"
#include "dpi/protocols/dns_wire.hpp"
#include "unit/dpi/detector_fixture.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using test::Bytes;

Bytes qname(std::initializer_list<std::string_view> labels) {
    Bytes b;
    for (auto l : labels) b.u8(static_cast<unsigned>(l.size())).str(l);
    return b.u8(0);
}

Bytes query(unsigned id = 0x1234) {
    return Bytes{}.u16(id).u16(0x0100).u16(1).u16(0).u16(0).u16(0)
        .raw(qname({"www", "example", "com"})).u16(1).u16(1);
}

// www.example.com CNAME example.com (compressed), example.com A and AAAA.
Bytes response(unsigned id = 0x1234, unsigned rcode = 0) {
    Bytes b = Bytes{}.u16(id).u16(0x8180 | rcode).u16(1).u16(3).u16(0).u16(1);
    b.raw(qname({"www", "example", "com"})).u16(1).u16(1);
    // answer 1: owner -> offset 12, CNAME -> "example" label at 16
    b.u16(0xc00c).u16(5).u16(1).u32(300).u16(2).u16(0xc010);
    b.u16(0xc010).u16(1).u16(1).u32(300).u16(4).u8(93).u8(184).u8(216).u8(34);
    b.u16(0xc010).u16(28).u16(1).u32(300).u16(16).u16(0x2606).u16(0x2800).u16(0x0220).u16(1)
        .u16(0x0248).u16(0x1893).u16(0x25c8).u16(0x1946);
    b.u8(0).u16(41).u16(1232).u32(0).u16(0);  // OPT in the additional section
    return b;
}

TEST(DnsWire, Query) {
    dns::Message m;
    ASSERT_TRUE(dns::parse_message(query().span(), m));
    EXPECT_EQ(m.id, 0x1234);
    EXPECT_FALSE(m.is_response());
    EXPECT_EQ(m.qname, "www.example.com");
    EXPECT_EQ(m.qtype, 1);
    EXPECT_FALSE(m.trailing_bytes);
}

TEST(DnsWire, ResponseWithCompression) {
    dns::Message m;
    ASSERT_TRUE(dns::parse_message(response().span(), m));
    EXPECT_TRUE(m.is_response());
    EXPECT_EQ(m.cname, (std::vector<std::string>{"example.com"}));
    EXPECT_EQ(m.a, (std::vector<core::IpAddress>{core::IpAddress::parse("93.184.216.34")}));
    EXPECT_EQ(m.aaaa, (std::vector<core::IpAddress>{core::IpAddress::parse("2606:2800:220:1:248:1893:25c8:1946")}));
    EXPECT_EQ(m.first_owner, "example.com");
}

TEST(DnsWire, CutByTheSnapshotLength) {
    // The capture kept 50 bytes of the response: header, question, the CNAME
    // answer and part of the A record.
    const Bytes whole = response();
    const auto prefix = whole.span().first(50);
    dns::Message m;
    EXPECT_FALSE(dns::parse_message(prefix, m));  // a whole datagram this short is not DNS
    ASSERT_TRUE(dns::parse_message(prefix, m, true));
    EXPECT_TRUE(m.cut);
    EXPECT_EQ(m.qname, "www.example.com");
    EXPECT_EQ(m.cname, (std::vector<std::string>{"example.com"}));
    EXPECT_TRUE(m.a.empty());
    // The question itself cut: nothing to keep.
    EXPECT_FALSE(dns::parse_message(whole.span().first(20), m, true));
}

TEST(DnsProbe, TruncatedCaptureKeepsTheQueryName) {
    const Bytes whole = response();
    ProbeContext ctx = test::udp_ctx(false);
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dns, ctx, whole.span().first(50), info), Verdict::no_match);
    ctx.truncated = true;
    ASSERT_EQ(test::run_probe(probe_dns, ctx, whole.span().first(50), info), Verdict::match);
    EXPECT_EQ(info.domain, "www.example.com");
    EXPECT_EQ(info.find("rcode")->text, "NOERROR");
}

TEST(DnsWire, PointerLoopsAndBadNames) {
    // A name that points at itself, and two pointers pointing at each other.
    Bytes self = Bytes{}.u16(1).u16(0x0100).u16(1).u16(0).u16(0).u16(0).u16(0xc00c).u16(1).u16(1);
    dns::Message m;
    EXPECT_FALSE(dns::parse_message(self.span(), m));
    Bytes pair = Bytes{}.u8(0xc0).u8(2).u8(0xc0).u8(0);
    std::size_t offset = 2;
    std::string name;
    EXPECT_FALSE(dns::read_name(pair.span(), offset, name));
    Bytes forward = Bytes{}.u8(0xc0).u8(3).u8(0).u8(0);
    offset = 0;
    EXPECT_FALSE(dns::read_name(forward.span(), offset, name));
    // 300 bytes of labels: over the 255-byte limit.
    Bytes longname;
    for (int i = 0; i < 5; ++i) longname.u8(60).fill(60, 'a');
    longname.u8(0);
    offset = 0;
    EXPECT_FALSE(dns::read_name(longname.span(), offset, name));
}

TEST(DnsProbe, QueryThenResponseWithTime) {
    snapshot::AppInfo info;
    ASSERT_EQ(test::run_probe(probe_dns, test::udp_ctx(true), query().span(), info), Verdict::match);
    EXPECT_EQ(info.protocol, "DNS");
    EXPECT_EQ(info.domain, "www.example.com");
    EXPECT_EQ(info.find("query_type")->text, "A");
    EXPECT_EQ(info.find("id")->number, 0x1234);

    ProbeContext ctx = test::udp_ctx(false);
    ctx.peer_first_ts_ns = 1'000'000'000;
    ctx.ts_ns = 1'012'500'000;
    ASSERT_EQ(test::run_probe(probe_dns, ctx, response().span(), info), Verdict::match);
    EXPECT_EQ(info.find("rcode")->text, "NOERROR");
    EXPECT_EQ(info.find("a")->list, (std::vector<std::string>{"93.184.216.34"}));
    EXPECT_EQ(info.find("cname")->list, (std::vector<std::string>{"example.com"}));
    EXPECT_EQ(info.find("response_time_us")->number, 12'500);
    EXPECT_EQ(info.domain, "www.example.com");
}

TEST(DnsProbe, ResponseTimeBelowOneMillisecond) {
    // A resolver on the LAN answers in a fraction of a millisecond: the
    // time keeps microseconds (250.4 us -> 250), it does not round to 0 ms.
    snapshot::AppInfo info;
    ASSERT_EQ(test::run_probe(probe_dns, test::udp_ctx(true), query().span(), info), Verdict::match);
    ProbeContext ctx = test::udp_ctx(false);
    ctx.peer_first_ts_ns = 1'000'000'000;
    ctx.ts_ns = 1'000'250'400;
    ASSERT_EQ(test::run_probe(probe_dns, ctx, response().span(), info), Verdict::match);
    ASSERT_NE(info.find("response_time_us"), nullptr);
    EXPECT_EQ(info.find("response_time_us")->number, 250);
    EXPECT_EQ(info.find("response_time_ms"), nullptr);
}

TEST(DnsProbe, NxdomainAndStrictnessOffPort53) {
    snapshot::AppInfo info;
    ASSERT_EQ(test::run_probe(probe_dns, test::udp_ctx(false), response(7, 3).span(), info), Verdict::match);
    EXPECT_EQ(info.find("rcode")->text, "NXDOMAIN");
    Bytes trailing = query();
    trailing.u8(0xff);
    snapshot::AppInfo other;
    EXPECT_EQ(test::run_probe(probe_dns, test::udp_ctx(true, 53), trailing.span(), other), Verdict::match);
    EXPECT_EQ(test::run_probe(probe_dns, test::udp_ctx(true, 9999), trailing.span(), other), Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_dns, test::udp_ctx(true, 9999), query().span(), other), Verdict::match);
}

TEST(DnsProbe, TcpLengthPrefix) {
    const Bytes q = query();
    const Bytes stream = Bytes{}.u16(static_cast<unsigned>(q.size())).raw(q);
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 53), stream.span().first(1), info), Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 53), stream.span().first(20), info), Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 53), stream.span(), info), Verdict::match);
    EXPECT_EQ(info.domain, "www.example.com");
}

TEST(DnsProbe, TcpOnAnyPortByContent) {
    // DNS over TCP on another port (a resolver on 5300) is found by its
    // content, both ways, as on 53.
    const Bytes q = query();
    const Bytes r = response();
    const Bytes question = Bytes{}.u16(static_cast<unsigned>(q.size())).raw(q);
    const Bytes answer = Bytes{}.u16(static_cast<unsigned>(r.size())).raw(r);
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 5300), question.span().first(20), info),
              Verdict::need_more);
    ASSERT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 5300), question.span(), info), Verdict::match);
    EXPECT_EQ(info.protocol, "DNS");
    EXPECT_EQ(info.domain, "www.example.com");
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(false, 5300), answer.span(), info), Verdict::match);
    ASSERT_NE(info.find("a"), nullptr);

    // Off port 53 the first bytes must already look like DNS: other
    // streams are turned away at once, not waited on.
    snapshot::AppInfo other;
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 5300), test::as_bytes("GET / HTTP/1.1\r\n"), other),
              Verdict::no_match);
    const Bytes huge = Bytes{}.u16(9000).raw(q);  // a 9000-byte "message"
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 5300), huge.span(), other), Verdict::no_match);
    Bytes two_questions = Bytes{}.u16(static_cast<unsigned>(q.size())).raw(q);
    two_questions.v[7] = 2;  // qdcount
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 5300), two_questions.span(), other),
              Verdict::no_match);
    // On 53 the same length waits for the rest of the message.
    EXPECT_EQ(test::run_probe(probe_dns, test::tcp_ctx(true, 53), huge.span(), other), Verdict::need_more);
}

TEST(DnsProbe, MdnsLlmnrByPort) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_dns, test::udp_ctx(true, 5353), query().span(), info), Verdict::no_match);
    ASSERT_EQ(test::run_probe(probe_mdns, test::udp_ctx(true, 5353), query().span(), info), Verdict::match);
    EXPECT_EQ(info.protocol, "mDNS");
    snapshot::AppInfo llmnr;
    EXPECT_EQ(test::run_probe(probe_llmnr, test::udp_ctx(true, 53), query().span(), llmnr), Verdict::no_match);
    ASSERT_EQ(test::run_probe(probe_llmnr, test::udp_ctx(true, 5355), query().span(), llmnr), Verdict::match);
    EXPECT_EQ(llmnr.protocol, "LLMNR");
}

// `initiator_port` -> `responder_port`, the packet going the way `from_initiator` says.
ProbeContext udp_between(std::uint16_t initiator_port, std::uint16_t responder_port, bool from_initiator) {
    ProbeContext c = test::udp_ctx(from_initiator, responder_port);
    c.initiator_port = initiator_port;
    return c;
}

TEST(DnsProbe, TheServerPortNamesTheProtocol) {
    const auto classify = [](const ProbeContext& ctx, const Bytes& message) -> std::string {
        snapshot::AppInfo info;
        const bool dns = test::run_probe(probe_dns, ctx, message.span(), info) == Verdict::match;
        snapshot::AppInfo other;
        const bool mdns = test::run_probe(probe_mdns, ctx, message.span(), other) == Verdict::match;
        const bool llmnr = test::run_probe(probe_llmnr, ctx, message.span(), other) == Verdict::match;
        if (dns + mdns + llmnr != 1) return "ambiguous";
        return dns ? info.protocol : other.protocol;
    };
    // A query from 5353 (or 5355) to a resolver on 53, and its answer.
    EXPECT_EQ(classify(udp_between(5353, 53, true), query()), "DNS");
    EXPECT_EQ(classify(udp_between(5353, 53, false), response()), "DNS");
    EXPECT_EQ(classify(udp_between(5355, 53, true), query()), "DNS");
    // The capture starts with the answer: the resolver is the initiator.
    EXPECT_EQ(classify(udp_between(53, 5353, true), response()), "DNS");
    // mDNS: multicast 5353 <-> 5353, a one-shot query from an ephemeral port
    // and its answer (seen first or not), an unsolicited announcement.
    EXPECT_EQ(classify(udp_between(5353, 5353, true), query()), "mDNS");
    EXPECT_EQ(classify(udp_between(40000, 5353, true), query()), "mDNS");
    EXPECT_EQ(classify(udp_between(40000, 5353, false), response()), "mDNS");
    EXPECT_EQ(classify(udp_between(5353, 40000, true), response()), "mDNS");
    EXPECT_EQ(classify(udp_between(5353, 5353, true), response()), "mDNS");
    // LLMNR to its own port, even from 53.
    EXPECT_EQ(classify(udp_between(53, 5355, true), query()), "LLMNR");
    // NetBIOS-NS only when the server is on 137.
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_netbios_ns, udp_between(137, 53, true), query().span(), info), Verdict::no_match);
}

TEST(NetbiosNs, FirstLevelEncodedName) {
    // RFC 1001 14.1 example: "FRED" padded with spaces, suffix 0x00.
    std::string name;
    std::uint8_t suffix = 0xff;
    ASSERT_TRUE(decode_netbios_name("EGFCEFEECACACACACACACACACACACAAA", name, suffix));
    EXPECT_EQ(name, "FRED");
    EXPECT_EQ(suffix, 0);
    EXPECT_FALSE(decode_netbios_name("EGFCEFEECACACACACACACACACACACAA", name, suffix));
    EXPECT_FALSE(decode_netbios_name("ZZFCEFEECACACACACACACACACACACAAA", name, suffix));

    const Bytes q = Bytes{}.u16(0x8001).u16(0x0110).u16(1).u16(0).u16(0).u16(0)
                        .u8(32).str("EGFCEFEECACACACACACACACACACACAAA").u8(0).u16(0x20).u16(1);
    snapshot::AppInfo info;
    ASSERT_EQ(test::run_probe(probe_netbios_ns, test::udp_ctx(true, 137), q.span(), info), Verdict::match);
    EXPECT_EQ(info.protocol, "NetBIOS-NS");
    EXPECT_EQ(info.domain, "FRED");
    EXPECT_EQ(info.find("suffix")->number, 0);
}

TEST(DnsProbe, RandomBytesAreNotDns) {
    snapshot::AppInfo info;
    const Bytes junk = Bytes{}.u16(0x1234).u16(0x0100).u16(0).u16(0).u16(0).u16(0);
    EXPECT_EQ(test::run_probe(probe_dns, test::udp_ctx(true), junk.span(), info), Verdict::no_match);
    const Bytes short_msg = Bytes{}.u16(1).u16(0x0100).u16(1);
    EXPECT_EQ(test::run_probe(probe_dns, test::udp_ctx(true), short_msg.span(), info), Verdict::no_match);
}

}  // namespace
}  // namespace sockeye::dpi
