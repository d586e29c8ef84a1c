// Operators, precedence, bare words and errors (with their positions).
#include "filter/parser.hpp"
#include "flow_fixture.hpp"

namespace sockeye::filter::testing {
namespace {

TEST(FilterSyntax, EmptyMatchesEverything) {
    for (const char* text : {"", "   ", "\t\n"}) {
        const auto r = compile(text);
        ASSERT_TRUE(r) << text;
        EXPECT_TRUE(r->matches_everything());
    }
    EXPECT_EQ(kept(""), "https dns ssh quic icmp");
    const Filter everything;
    EXPECT_TRUE(everything.matches_everything());
    EXPECT_TRUE(everything.matches(fixture_flows().front().flow));
    EXPECT_FALSE(compile("tcp")->matches_everything());
}

TEST(FilterSyntax, KeepsItsText) {
    const auto r = compile("port:443 or curl");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->text(), "port:443 or curl");
}

TEST(FilterSyntax, BareWordsSearchSeveralFields) {
    EXPECT_EQ(kept("curl"), "https");                   // process
    EXPECT_EQ(kept("resolved"), "dns");
    EXPECT_EQ(kept("example"), "https dns quic");       // domains, remote name
    EXPECT_EQ(kept("10.0.0"), "ssh icmp");              // addresses
    EXPECT_EQ(kept("1.1.1.1"), "dns");
    EXPECT_EQ(kept("TLS"), "https");                    // app protocol
    EXPECT_EQ(kept("https"), "https quic");             // service
    EXPECT_EQ(kept("tcp"), "https ssh");                // transport
    EXPECT_EQ(kept("ssh"), "ssh");
    EXPECT_EQ(kept("2001:db8::1"), "quic");
    EXPECT_EQ(kept("fd00::abcd"), "quic");              // lexes like a field; an address wins
    EXPECT_EQ(kept("fd00::/8"), "quic");                // a bare prefix tests addresses
    EXPECT_EQ(kept("10.0.0.0/8"), "ssh icmp");
    EXPECT_EQ(kept("\"example.org\""), "dns");
    EXPECT_EQ(kept("nothing-like-this"), "");
}

TEST(FilterSyntax, ImplicitAndExplicitAnd) {
    EXPECT_EQ(kept("port:443 proto:udp"), "quic");
    EXPECT_EQ(kept("port:443 and proto:udp"), "quic");
    EXPECT_EQ(kept("port:443 AND proto:udp"), "quic");
    EXPECT_EQ(kept("port:443 && proto:udp"), "quic");
    EXPECT_EQ(kept("example tcp"), "https");
}

TEST(FilterSyntax, Or) {
    EXPECT_EQ(kept("proto:icmp or sni:example.org"), "dns icmp");
    EXPECT_EQ(kept("proto:icmp OR sni:example.org"), "dns icmp");
    EXPECT_EQ(kept("proto:icmp || sni:example.org"), "dns icmp");
    EXPECT_EQ(kept("curl or sshd or 8.8.8.8"), "https ssh icmp");
}

TEST(FilterSyntax, Not) {
    EXPECT_EQ(kept("not proto:tcp"), "dns quic icmp");
    EXPECT_EQ(kept("NOT proto:tcp"), "dns quic icmp");
    EXPECT_EQ(kept("!proto:tcp"), "dns quic icmp");
    EXPECT_EQ(kept("! proto:tcp"), "dns quic icmp");
    EXPECT_EQ(kept("not not proto:tcp"), "https ssh");
    EXPECT_EQ(kept("!!proto:tcp"), "https ssh");
}

TEST(FilterSyntax, PrecedenceNotThenAndThenOr) {
    // and binds tighter than or.
    EXPECT_EQ(kept("proto:udp or proto:icmp and port:7"), "dns quic icmp");
    EXPECT_EQ(kept("proto:tcp or proto:udp port:53"), "https dns ssh");
    EXPECT_EQ(kept("proto:udp port:53 or proto:tcp"), "https dns ssh");
    // not binds tighter than and.
    EXPECT_EQ(kept("not proto:tcp and port:443"), "quic");
    EXPECT_EQ(kept("not proto:tcp or port:443"), "https dns quic icmp");
    // Parentheses override.
    EXPECT_EQ(kept("(proto:udp or proto:icmp) and port:443"), "quic");
    EXPECT_EQ(kept("not (proto:tcp and port:443)"), "dns ssh quic icmp");
    EXPECT_EQ(kept("(curl or sshd) (port:22 or port:51000)"), "https ssh");
    EXPECT_EQ(kept("((((tcp))))"), "https ssh");
}

TEST(FilterSyntax, Errors) {
    EXPECT_EQ(error_of("prot:tcp"), "unknown keyword 'prot' at 0");
    EXPECT_EQ(error_of("tcp prot:tcp"), "unknown keyword 'prot' at 4");
    EXPECT_EQ(error_of("(port:443"), "expected ')', found end of filter at 9");
    EXPECT_EQ(error_of("(port:443 or (tcp) udp"), "expected ')', found end of filter at 22");
    EXPECT_EQ(error_of("bytes>1X"), "bad number '1X' at 6");
    EXPECT_EQ(error_of("rtt>5parsecs"), "bad number '5parsecs' at 4");
    EXPECT_EQ(error_of("bytes>-1"), "bad number '-1' at 6");
    EXPECT_EQ(error_of("pid:1.5"), "bad number '1.5' at 4");
    EXPECT_EQ(error_of("port:443 and"), "expected a filter term after 'and', found end of filter at 12");
    EXPECT_EQ(error_of("port:443 or"), "expected a filter term after 'or', found end of filter at 11");
    EXPECT_EQ(error_of("not"), "expected a filter term after 'not', found end of filter at 3");
    EXPECT_EQ(error_of("or port:443"), "expected a filter term before 'or' at 0");
    EXPECT_EQ(error_of("tcp and or udp"), "expected a filter term after 'and', found 'or' at 8");
    EXPECT_EQ(error_of(")"), "unexpected ')' at 0");
    EXPECT_EQ(error_of("port:443)"), "unexpected ')' at 8");
    EXPECT_EQ(error_of("()"), "empty parentheses at 1");
    EXPECT_EQ(error_of("port:"), "missing value after 'port:' at 5");
    EXPECT_EQ(error_of("bytes> "), "missing value after 'bytes>' at 7");
    EXPECT_EQ(error_of("port:70000"), "bad port '70000' at 5");
    EXPECT_EQ(error_of("port:9-1"), "bad port range '9-1' at 5");
    EXPECT_EQ(error_of("port>1-9"), "a port range takes ':' or '=' at 4");
    EXPECT_EQ(error_of("process>5"), "operator '>' needs a number; 'process' takes ':' or '=' at 7");
    EXPECT_EQ(error_of("bytes:/x/"), "'bytes' takes a number, not a regex at 6");
    EXPECT_EQ(error_of("src:host.example"),
              "'src' takes an address or prefix; names are known for the remote side only (dst:NAME) at 4");
    EXPECT_EQ(error_of("dst:10.0.0.0/33"), "bad prefix length in '10.0.0.0/33' at 4");
    EXPECT_EQ(error_of("state:bogus"), "unknown state 'bogus' at 6");
    // Every keyword with a closed set of values or a range flags a value
    // outside it, as state: does.
    EXPECT_EQ(error_of("app:bogus"), "unknown application 'bogus' at 4");
    EXPECT_EQ(error_of("app!=bogus"), "unknown application 'bogus' at 5");
    EXPECT_EQ(error_of("service:bogus"), "unknown service 'bogus' at 8");
    EXPECT_EQ(error_of("country:xyz"), "not a country code or address range 'xyz' at 8");
    EXPECT_EQ(error_of("vlan:5000"), "VLAN id out of range 0-4095 '5000' at 5");
    EXPECT_EQ(error_of("vlan>4096"), "VLAN id out of range 0-4095 '4096' at 5");
    EXPECT_EQ(error_of("asn:4294967296"), "AS number out of range 0-4294967295 '4294967296' at 4");
    EXPECT_EQ(error_of("pid:99999999"), "pid out of range 0-4194304 '99999999' at 4");
    EXPECT_EQ(error_of("proto:xyz"), "unknown protocol 'xyz' at 6");
    EXPECT_EQ(error_of("proto:300"), "bad protocol number '300' at 6");
    EXPECT_EQ(error_of("'unterminated"), "unterminated quote at 0");
    EXPECT_EQ(error_of("tcp /abc"), "unterminated regex at 4");
    EXPECT_EQ(error_of("sni:/abc"), "unterminated regex at 4");
    EXPECT_EQ(error_of("a & b"), "unexpected '&' at 2");
    EXPECT_EQ(error_of("a | b"), "unexpected '|' at 2");
    EXPECT_EQ(error_of("!=x"), "expected a keyword before '!=' at 0");
    EXPECT_EQ(error_of("foo = bar"), "unknown keyword 'foo' at 0");
}

// The edges of the closed sets and ranges are accepted.
TEST(FilterSyntax, ValuesInsideTheSetsAndRangesCompile) {
    for (const char* text : {"vlan:4095", "vlan:0", "asn:4294967295", "pid:4194304", "app:FTP-DATA",
                             "app:bittorrent", "app:none", "app:/tl/", "service:https-alt",
                             "service:DOMAIN", "country:de", "country:loopback", "country:link-local",
                             "country:/^d/", "proto:tcp", "state:estab"}) {
        EXPECT_TRUE(static_cast<bool>(compile(text))) << text;
    }
}

TEST(FilterSyntax, ErrorsAreOneLineWithAPositionInsideTheText) {
    for (const char* text : {"prot:tcp", "(a", "bytes>1X", "a and", "/(/", ")", "port:", "\"x"}) {
        const auto r = compile(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, core::ErrorCode::bad_filter) << text;
        EXPECT_FALSE(r.error().message.empty());
        EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
        EXPECT_LE(error_position(r.error().message), std::string_view(text).size()) << text;
    }
}

TEST(FilterSyntax, ErrorsQuoteUserTextSafely) {
    // Found by the fuzzer: a quoted value with a newline broke the one-line promise.
    EXPECT_EQ(error_of("rtt=\"1\n\x1b[2J\""), "bad number '1\\x0a\\x1b[2J' at 4");
    EXPECT_EQ(error_of("bytes>" + std::string(100, '9') + "x"),
              "bad number '" + std::string(40, '9') + "...' at 6");
    EXPECT_EQ(error_of("tcp and )"), "expected a filter term after 'and', found ')' at 8");
}

TEST(FilterSyntax, NestingIsLimited) {
    const std::string ok = std::string(kMaxDepth - 1, '(') + "tcp" + std::string(kMaxDepth - 1, ')');
    EXPECT_EQ(kept(ok), "https ssh");
    const std::string deep = std::string(kMaxDepth, '(') + "tcp" + std::string(kMaxDepth, ')');
    EXPECT_EQ(error_of(deep), "filter nested too deeply at 64");
    EXPECT_EQ(error_of(std::string(4000, '!') + "tcp"), "filter nested too deeply at 64");
    std::string nots;
    for (int i = 0; i < 100; ++i) nots += "not ";
    EXPECT_EQ(error_of(nots + "tcp"), "filter nested too deeply at 256");
}

TEST(FilterSyntax, LengthIsLimited) {
    std::string text = "tcp";
    while (text.size() + 7 <= kMaxFilterLength) text += " or tcp";
    EXPECT_EQ(kept(text), "https ssh");
    text += std::string(kMaxFilterLength + 1 - text.size(), ' ');
    EXPECT_EQ(error_of(text), "filter longer than 4096 characters at 4096");
}

TEST(FilterSyntax, LongFlatChainsDoNotRecurse) {
    // 1 000 terms joined by `or` and by juxtaposition compile and run.
    std::string ors = "udp";
    std::string ands = "tcp";
    for (int i = 0; i < 500; ++i) {
        ors += " or tcp";
        ands += " tcp";
    }
    EXPECT_EQ(kept(ors), "https dns ssh quic");
    EXPECT_EQ(kept(ands), "https ssh");
}

TEST(FilterSyntax, CopiesShareTheCompiledFilter) {
    const auto r = compile("port:443");
    ASSERT_TRUE(r);
    const Filter copy = *r;  // what the UI keeps as "last good filter"
    const auto flows = fixture_flows();
    EXPECT_TRUE(copy.matches(flows[0].flow));
    EXPECT_FALSE(copy.matches(flows[1].flow));
    EXPECT_EQ(copy.text(), "port:443");
}

TEST(FilterSyntax, HostileInputNeverCrashes) {
    // Deterministic pseudo-random texts from the language's own alphabet,
    // plus bytes that are not text at all.
    static const char kAlphabet[] = "()!&|/\\\"':=<>- \t.abcdeimnoprstuv0123456789KkMGi*+?{}[]^$\xff\xc3\x00";
    const std::string alphabet(kAlphabet, sizeof kAlphabet);  // with both NULs
    std::uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    const auto flows = fixture_flows();
    int compiled = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const std::size_t length = next() % 40;
        for (std::size_t i = 0; i < length; ++i) text += alphabet[next() % alphabet.size()];
        const auto r = compile(text);
        if (r) {
            ++compiled;
            for (const auto& f : flows) (void)r->matches_at(f.flow, 100 * kSecond);
        } else {
            EXPECT_FALSE(r.error().message.empty()) << text;
            EXPECT_LE(error_position(r.error().message), text.size()) << text;
        }
    }
    // Some of them are valid filters (bare words), so evaluation ran too.
    EXPECT_GT(compiled, 100);
}

}  // namespace
}  // namespace sockeye::filter::testing
