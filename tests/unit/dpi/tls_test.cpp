// TLS fixtures: a hand-built ClientHello whose JA3/JA4 were computed by hand
// (steps below), ServerHello for TLS 1.3 and 1.2, and a 1.2 Certificate.
#include <gtest/gtest.h>

#include "dpi/protocols/tls.hpp"
#include "dpi/protocols/tls_handshake.hpp"
#include "dpi/protocols/x509.hpp"
#include "unit/dpi/detector_fixture.hpp"
#include "unit/dpi/tls_fixture.hpp"
#include "unit/dpi/tls_test_cert.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using test::Bytes;
using test::client_hello_message;
using test::ext;
using test::record;

TEST(TlsClientHello, ParsesFields) {
    const Bytes msg = client_hello_message();
    tls::ClientHello hello;
    ASSERT_EQ(tls::parse_client_hello(msg.span(), hello), tls::ParseStatus::ok);
    EXPECT_EQ(hello.legacy_version, 0x0303);
    EXPECT_EQ(hello.sni, "example.com");
    EXPECT_EQ(hello.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
    EXPECT_EQ(hello.cipher_suites.size(), 7u);
    EXPECT_EQ(hello.extensions.size(), 12u);
    EXPECT_EQ(hello.supported_versions, (std::vector<std::uint16_t>{0x3a3a, 0x0304, 0x0303}));
    EXPECT_EQ(hello.ec_point_formats, (std::vector<std::uint8_t>{0}));
}

// JA4 by hand (FoxIO spec):
//  a: "t" + "13" (highest non-GREASE supported_version) + "d" (SNI present)
//     + "06" (suites without GREASE) + "11" (extensions without GREASE)
//     + "h2" (first and last char of the first ALPN) = t13d0611h2
//  b: sha256("00ff,1301,1302,1303,c02b,c02f")[:12] = bcfe0a960bb4
//  c: sha256("000a,000b,000d,0017,0023,002b,002d,0033,ff01_0403,0804,0401")[:12]
//     (sorted extensions without GREASE, SNI and ALPN; then signature
//     algorithms in wire order) = 0c936b6b1637
// JA3: legacy version, suites, extensions, groups, point formats (decimal,
// GREASE removed), MD5 computed with Python's hashlib.
TEST(TlsClientHello, Fingerprints) {
    tls::ClientHello hello;
    ASSERT_EQ(tls::parse_client_hello(client_hello_message().span(), hello), tls::ParseStatus::ok);
    EXPECT_EQ(tls::ja4(hello, 't'), "t13d0611h2_bcfe0a960bb4_0c936b6b1637");
    EXPECT_EQ(tls::ja4(hello, 'q'), "q13d0611h2_bcfe0a960bb4_0c936b6b1637");
    EXPECT_EQ(tls::ja3_string(hello),
              "771,4865-4866-4867-49195-49199-255,0-23-65281-10-11-35-16-13-43-51-45,29-23-24,0");
    EXPECT_EQ(tls::ja3_hash(hello), "0aab24c64d50d66ea1c7bf21169e88dc");
}

TEST(TlsClientHello, Ja4WithoutSniAlpnOrSignatureAlgorithms) {
    tls::ClientHello hello;
    hello.legacy_version = 0x0303;
    hello.cipher_suites = {0x002f};
    // No extensions at all: part c is twelve zeros, ALPN "00", version from
    // the legacy field.
    EXPECT_EQ(tls::ja4(hello, 't').substr(0, 10), "t12i010000");
    EXPECT_EQ(tls::ja4(hello, 't').substr(24), "000000000000");
    hello.alpn = {"\x01x"};  // non-alphanumeric first char: hex digits instead
    EXPECT_EQ(tls::ja4(hello, 't').substr(8, 2), "08");
}

TEST(TlsClientHello, TruncatedNeedsMore) {
    const Bytes msg = client_hello_message();
    tls::ClientHello hello;
    for (std::size_t n : {0u, 1u, 3u, 40u}) {
        EXPECT_EQ(tls::parse_client_hello(msg.span().first(n), hello), tls::ParseStatus::need_more)
            << n;
    }
    EXPECT_EQ(tls::parse_client_hello(msg.span().first(msg.size() - 1), hello),
              tls::ParseStatus::need_more);
    Bytes bad = msg;
    bad.v[0] = 2;
    EXPECT_EQ(tls::parse_client_hello(bad.span(), hello), tls::ParseStatus::invalid);
}

TEST(TlsProbe, ClientHelloSpanningRecords) {
    const Bytes msg = client_hello_message();
    const std::size_t half = msg.size() / 2;
    Bytes first;
    first.raw(msg.span().first(half));
    Bytes second;
    second.raw(msg.span().subspan(half));
    const Bytes stream = Bytes{}.raw(record(22, first)).raw(record(22, second));

    snapshot::AppInfo info;
    // Before the handshake header and legacy_version are in: need_more.
    for (std::size_t n : {std::size_t{1}, std::size_t{5}, std::size_t{10}}) {
        snapshot::AppInfo scratch;
        EXPECT_EQ(test::run_probe(probe_tls, test::tcp_ctx(true), stream.span().first(n), scratch),
                  Verdict::need_more)
            << n;
    }
    // Then classified from the headers, fields once the whole hello is in.
    for (std::size_t n : {std::size_t{11}, half + 5, stream.size() - 1}) {
        snapshot::AppInfo scratch;
        EXPECT_EQ(test::run_probe(probe_tls, test::tcp_ctx(true), stream.span().first(n), scratch),
                  Verdict::match_more)
            << n;
        EXPECT_EQ(scratch.protocol, "TLS");
        EXPECT_EQ(scratch.find("sni"), nullptr);
    }
    ASSERT_EQ(test::run_probe(probe_tls, test::tcp_ctx(true), stream.span(), info), Verdict::match);
    EXPECT_EQ(info.protocol, "TLS");
    EXPECT_EQ(info.domain, "example.com");
    EXPECT_EQ(info.find("version")->text, "TLS 1.0");
    EXPECT_EQ(info.find("alpn")->list, (std::vector<std::string>{"h2", "http/1.1"}));
    EXPECT_EQ(info.find("client_versions")->list,
              (std::vector<std::string>{"TLS 1.3", "TLS 1.2"}));
    EXPECT_EQ(info.find("ja3_hash")->text, "0aab24c64d50d66ea1c7bf21169e88dc");
}

TEST(TlsProbe, RejectsOtherProtocols) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_tls, test::tcp_ctx(true), test::as_bytes("GET / HTTP/1.1\r\n"), info),
              Verdict::no_match);
    const Bytes empty_record = Bytes{}.u8(22).u16(0x0301).u16(0).u8(1);
    EXPECT_EQ(test::run_probe(probe_tls, test::tcp_ctx(true), empty_record.span(), info), Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

Bytes server_hello(unsigned suite, unsigned selected_version) {
    Bytes exts;
    if (selected_version != 0) exts.raw(ext(0x002b, Bytes{}.u16(selected_version)));
    exts.raw(ext(0x0010, Bytes{}.vec16(Bytes{}.vec8(Bytes{}.str("h2")))));
    Bytes body;
    body.u16(0x0303).fill(32, 0x22).vec8(Bytes{}.fill(32, 0x11)).u16(suite).u8(0).vec16(exts);
    return Bytes{}.u8(2).vec24(body);
}

TEST(TlsProbe, ServerHelloTls13) {
    const Bytes stream = Bytes{}
                             .raw(record(22, server_hello(0x1301, 0x0304), 0x0303))
                             .raw(record(20, Bytes{}.u8(1), 0x0303))
                             .raw(record(23, Bytes{}.fill(40, 0xaa), 0x0303));
    snapshot::AppInfo info;
    ASSERT_EQ(test::run_probe(probe_tls, test::tcp_ctx(false), stream.span(), info), Verdict::match);
    EXPECT_EQ(info.find("negotiated_version")->text, "TLS 1.3");
    EXPECT_EQ(info.find("cipher_suite")->text, "TLS_AES_128_GCM_SHA256");
    EXPECT_EQ(info.find("alpn_selected")->text, "h2");
}

TEST(TlsProbe, ServerHelloAndCertificateTls12) {
    const Bytes cert_list = Bytes{}.vec24(Bytes{}.raw(test::kTestCertDer));
    const Bytes certificate = Bytes{}.u8(11).vec24(Bytes{}.vec24(cert_list));
    const Bytes hello_record = record(22, server_hello(0xc02f, 0), 0x0303);
    const Bytes stream =
        Bytes{}.raw(hello_record).raw(record(22, certificate, 0x0303)).raw(
            record(22, Bytes{}.u8(14).u24(0), 0x0303));

    snapshot::AppInfo partial;
    EXPECT_EQ(test::run_probe(probe_tls, test::tcp_ctx(false), hello_record.span(), partial), Verdict::match_more);
    EXPECT_EQ(partial.find("negotiated_version")->text, "TLS 1.2");
    EXPECT_EQ(test::run_probe(probe_tls, test::tcp_ctx(false), stream.span().first(hello_record.size() + 100), partial),
              Verdict::match_more);  // first certificate still incomplete

    snapshot::AppInfo info;
    ASSERT_EQ(test::run_probe(probe_tls, test::tcp_ctx(false), stream.span(), info), Verdict::match);
    EXPECT_EQ(info.find("cipher_suite")->text, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    EXPECT_EQ(info.find("cert_subject")->text, "C=DE, O=Sockeye Test, CN=test.example");
    EXPECT_EQ(info.find("cert_issuer")->text, "C=DE, O=Sockeye Test, CN=test.example");
    EXPECT_EQ(info.find("cert_not_before")->text, "2026-11-26T06:12:03Z");
    EXPECT_EQ(info.find("cert_not_after")->text, "2026-12-26T06:12:03Z");
}

TEST(TlsNames, CipherSuitesAndVersions) {
    EXPECT_EQ(tls::cipher_suite_name(0x1302), "TLS_AES_256_GCM_SHA384");
    EXPECT_EQ(tls::cipher_suite_name(0x1303), "TLS_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(tls::cipher_suite_name(0xcca8), "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(tls::cipher_suite_name(0xc013), "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    EXPECT_EQ(tls::cipher_suite_name(0x1234), "0x1234");
    EXPECT_EQ(tls::version_name(0x0303), "TLS 1.2");
    EXPECT_EQ(tls::version_name(0x7f1c), "0x7f1c");
    EXPECT_TRUE(tls::is_grease(0xdada));
    EXPECT_FALSE(tls::is_grease(0xdadb));
}

TEST(X509, TruncatedCertificateFailsSoftly) {
    x509::CertSummary cert;
    for (std::size_t n = 0; n < test::kTestCertDer.size(); n += 7)
        EXPECT_FALSE(x509::parse_certificate(std::span(test::kTestCertDer).first(n), cert));
    EXPECT_TRUE(x509::parse_certificate(test::kTestCertDer, cert));
}

}  // namespace
}  // namespace sockeye::dpi
