#include "dpi/protocols/tls.hpp"

#include <cstring>

#include "core/byte_reader.hpp"
#include "dpi/protocols/tls_handshake.hpp"
#include "dpi/protocols/x509.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint8_t kChangeCipherSpec = 20;
constexpr std::uint8_t kHandshake = 22;
constexpr std::uint8_t kApplicationData = 23;
constexpr std::size_t kMaxRecord = 16'384 + 2'048;  // TLSCiphertext limit

constexpr std::uint8_t kClientHello = 1;
constexpr std::uint8_t kServerHello = 2;
constexpr std::uint8_t kCertificate = 11;
constexpr std::uint8_t kServerKeyExchange = 12;
constexpr std::uint8_t kCertificateRequest = 13;
constexpr std::uint8_t kServerHelloDone = 14;

// The handshake bytes of the leading handshake records, joined: messages may
// span records and records may carry several messages. The bytes live in
// the probe context's scratch (kProbeScratchBytes, the size of the
// detector's default stream prefix).
struct HandshakeBytes {
    explicit HandshakeBytes(std::span<std::uint8_t> room) : buf(room) {}
    std::span<std::uint8_t> buf;
    std::size_t size = 0;
    std::uint16_t record_version = 0;
    bool ended = false;  // a non-handshake record follows: no more handshake bytes in clear

    [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {buf.data(), size}; }
};

bool plausible_header(std::span<const std::uint8_t> p) {
    if (p.empty()) return true;
    const bool type_ok = p[0] >= kChangeCipherSpec && p[0] <= kApplicationData;
    if (!type_ok || (p.size() >= 2 && p[1] != 3) || (p.size() >= 3 && p[2] > 4)) return false;
    if (p.size() >= 5) {
        const std::size_t length = (std::size_t{p[3]} << 8) | p[4];
        if (length == 0 || length > kMaxRecord) return false;
    }
    return true;
}

// False when the stream does not start with a TLS handshake record.
bool collect(std::span<const std::uint8_t> stream, HandshakeBytes& out) {
    if (stream.empty() || stream[0] != kHandshake || !plausible_header(stream)) return false;
    core::ByteReader r(stream);
    for (int records = 0; records < 64 && !r.empty(); ++records) {
        if (!plausible_header(r.rest())) return records > 0;  // garbage after records: stop
        if (r.remaining() < 5) break;
        const std::uint8_t type = r.u8();
        const std::uint16_t version = r.u16_be();
        const std::uint16_t length = r.u16_be();
        if (records == 0) out.record_version = version;
        if (type != kHandshake) {
            out.ended = true;
            break;
        }
        // A record cut by the end of the prefix still contributes its bytes.
        const auto fragment = r.take(std::min<std::size_t>(length, r.remaining()));
        const std::size_t n = std::min(fragment.size(), out.buf.size() - out.size);
        if (n > 0) std::memcpy(out.buf.data() + out.size, fragment.data(), n);
        out.size += n;
        if (fragment.size() < length) break;
    }
    return true;
}

void set_version(const char* name, std::uint16_t version, snapshot::AppInfo& info) {
    info.set_text(name, tls::version_name(version));
}

// A ClientHello whose start is already seen: handshake header with a
// plausible length, and legacy_version 3.x. Enough to classify; the whole
// message is read once it arrives (the detector calls again).
bool plausible_client_hello_start(std::span<const std::uint8_t> hs) {
    core::ByteReader r(hs);
    const std::uint8_t type = r.u8();
    const std::uint32_t length = r.u24_be();
    const std::uint16_t legacy = r.u16_be();
    return r.ok() && type == kClientHello && length >= 38 && length <= 0xffff &&
           (legacy >> 8) == 3;
}

Verdict client_side(const HandshakeBytes& hs, snapshot::AppInfo& info) {
    tls::ClientHello hello;
    switch (tls::parse_client_hello(hs.bytes(), hello)) {
        case tls::ParseStatus::ok: break;
        case tls::ParseStatus::need_more:
            if (hs.ended) return Verdict::no_match;
            if (!plausible_client_hello_start(hs.bytes())) return Verdict::need_more;
            set_version("version", hs.record_version, info);
            return Verdict::match_more;
        case tls::ParseStatus::invalid: return Verdict::no_match;
    }
    set_version("version", hs.record_version, info);
    tls::add_client_hello_fields(hello, 't', info);
    return Verdict::match;
}

// ServerHello body: fills negotiated_version, cipher_suite, alpn_selected.
// Returns the negotiated version, 0 when malformed.
std::uint16_t read_server_hello(std::span<const std::uint8_t> body, snapshot::AppInfo& info) {
    core::ByteReader r(body);
    std::uint16_t version = r.u16_be();
    r.skip(32);
    r.skip(r.u8());
    const std::uint16_t suite = r.u16_be();
    r.skip(1);
    if (!r.ok() || (version >> 8) != 3) return 0;
    core::ByteReader exts(r.take(r.u16_be()));
    for (int i = 0; i < 64 && exts.has(4); ++i) {
        const std::uint16_t type = exts.u16_be();
        core::ByteReader ext(exts.take(exts.u16_be()));
        if (type == 43 && ext.remaining() == 2) version = ext.u16_be();
        if (type == 16) {
            core::ByteReader list(ext.take(ext.u16_be()));
            const auto proto = list.take(list.u8());
            if (list.ok() && !proto.empty())
                info.set_text("alpn_selected",
                              std::string(proto.begin(), proto.end()).substr(0, 255));
        }
    }
    set_version("negotiated_version", version, info);
    info.set_text("cipher_suite", tls::cipher_suite_name(suite));
    return version;
}

// Certificate body (TLS <= 1.2): certificate_list<0..2^24-1>, first entry.
// False while the first certificate is not complete.
bool read_certificate(std::span<const std::uint8_t> body, snapshot::AppInfo& info) {
    core::ByteReader r(body);
    r.skip(3);
    const auto der = r.take(r.u24_be());
    if (!r.ok()) return false;
    x509::CertSummary cert;
    if (x509::parse_certificate(der, cert)) {
        info.set_text("cert_subject", cert.subject);
        info.set_text("cert_issuer", cert.issuer);
        info.set_text("cert_not_before", cert.not_before);
        info.set_text("cert_not_after", cert.not_after);
    }
    return true;
}

Verdict server_side(const HandshakeBytes& hs, snapshot::AppInfo& info) {
    core::ByteReader r(hs.bytes());
    bool seen_hello = false;
    for (int messages = 0; messages < 16 && r.has(4); ++messages) {
        const std::uint8_t type = r.u8();
        const std::uint32_t length = r.u24_be();
        if (!seen_hello && type != kServerHello) return Verdict::no_match;
        if (r.remaining() < length) {
            // The first certificate may be complete before the whole chain is.
            if (type == kCertificate && read_certificate(r.rest(), info)) return Verdict::match;
            break;
        }
        const auto body = r.take(length);
        if (type == kServerHello) {
            const std::uint16_t version = read_server_hello(body, info);
            if (version == 0) return Verdict::no_match;
            if (!info.find("version")) set_version("version", hs.record_version, info);
            seen_hello = true;
            // TLS 1.3 encrypts everything after the ServerHello.
            if (version == 0x0304) return Verdict::match;
        } else if (type == kCertificate) {
            read_certificate(body, info);
            return Verdict::match;
        } else if (type == kServerKeyExchange || type == kCertificateRequest ||
                   type == kServerHelloDone) {
            return Verdict::match;  // no certificate in this handshake
        }
    }
    if (!seen_hello) return hs.ended ? Verdict::no_match : Verdict::need_more;
    return hs.ended ? Verdict::match : Verdict::match_more;
}

}  // namespace

Verdict probe_tls(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) {
    if (payload.size() < 6) {
        const bool maybe = plausible_header(payload) && (payload.empty() || payload[0] == kHandshake);
        return maybe ? Verdict::need_more : Verdict::no_match;
    }
    HandshakeBytes hs(ctx.scratch);
    if (!collect(payload, hs)) return Verdict::no_match;
    const std::uint8_t first_type = hs.size > 0 ? hs.buf[0] : payload[5];
    if (first_type == kClientHello) return client_side(hs, info);
    if (first_type == kServerHello) return server_side(hs, info);
    return Verdict::no_match;
}

}  // namespace sockeye::dpi
