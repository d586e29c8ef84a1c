#include "dpi/protocols/tls_handshake.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include <mbedtls/md5.h>
#include <mbedtls/sha256.h>

#include "core/byte_reader.hpp"
#include "core/hex.hpp"

namespace sockeye::dpi::tls {
namespace {

// Hostile hellos must not grow these lists without limit; real ones stay far
// below (Chrome sends ~16 suites and ~18 extensions).
constexpr std::size_t kMaxListItems = 256;
constexpr std::size_t kMaxNameBytes = 255;
constexpr std::size_t kMaxAlpn = 16;

std::string text_of(std::span<const std::uint8_t> bytes) {
    if (bytes.size() > kMaxNameBytes) bytes = bytes.first(kMaxNameBytes);
    return {bytes.begin(), bytes.end()};
}

void read_u16_list(core::ByteReader r, std::vector<std::uint16_t>& out) {
    while (r.remaining() >= 2 && out.size() < kMaxListItems) out.push_back(r.u16_be());
}

bool parse_sni(core::ByteReader r, ClientHello& out) {
    core::ByteReader list(r.take(r.u16_be()));
    for (int i = 0; i < 8 && list.has(3); ++i) {  // one host_name in practice
        const std::uint8_t type = list.u8();
        const auto name = list.take(list.u16_be());
        if (!list.ok()) return false;
        if (type == 0 && out.sni.empty()) out.sni = text_of(name);
    }
    return r.ok();
}

bool parse_alpn(core::ByteReader r, ClientHello& out) {
    core::ByteReader list(r.take(r.u16_be()));
    while (list.has(1) && out.alpn.size() < kMaxAlpn) {
        const auto proto = list.take(list.u8());
        if (!list.ok()) return false;
        out.alpn.push_back(text_of(proto));
    }
    return r.ok();
}

bool parse_extension(std::uint16_t type, std::span<const std::uint8_t> body, ClientHello& out) {
    core::ByteReader r(body);
    switch (type) {
        case 0: return parse_sni(r, out);
        case 10: read_u16_list(core::ByteReader(r.take(r.u16_be())), out.supported_groups); break;
        case 11: {
            const auto formats = r.take(r.u8());
            for (std::size_t i = 0; i < formats.size() && i < kMaxListItems; ++i)
                out.ec_point_formats.push_back(formats[i]);
            break;
        }
        case 13: read_u16_list(core::ByteReader(r.take(r.u16_be())), out.signature_algorithms); break;
        case 16: return parse_alpn(r, out);
        case 43: read_u16_list(core::ByteReader(r.take(r.u8())), out.supported_versions); break;
        default: break;
    }
    return r.ok();
}

std::string hex4(std::uint16_t v) {
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "%04x", static_cast<unsigned>(v));
    return buf.data();
}

// First 12 hex characters of SHA-256(text), or twelve zeros for an empty
// list (JA4 spec).
std::string sha256_12(const std::string& text) {
    if (text.empty()) return "000000000000";
    std::array<std::uint8_t, 32> digest{};
    mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       digest.data(), 0);
    return core::hex(digest).substr(0, 12);
}

std::string join_hex(const std::vector<std::uint16_t>& values) {
    std::string s;
    for (const auto v : values) {
        if (!s.empty()) s.push_back(',');
        s += hex4(v);
    }
    return s;
}

std::vector<std::uint16_t> without_grease(const std::vector<std::uint16_t>& values) {
    std::vector<std::uint16_t> out;
    out.reserve(values.size());
    for (const auto v : values)
        if (!is_grease(v)) out.push_back(v);
    return out;
}

std::string ja4_version(const ClientHello& hello) {
    std::uint16_t v = 0;
    for (const auto sv : hello.supported_versions)
        if (!is_grease(sv)) v = std::max(v, sv);
    if (v == 0) v = hello.legacy_version;
    switch (v) {
        case 0x0304: return "13";
        case 0x0303: return "12";
        case 0x0302: return "11";
        case 0x0301: return "10";
        case 0x0300: return "s3";
        case 0x0002: return "s2";
        case 0xfeff: return "d1";
        case 0xfefd: return "d2";
        case 0xfefc: return "d3";
        default: return "00";
    }
}

bool is_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// First and last character of the first ALPN value; when either is not
// alphanumeric, the first and last hex digits of the value instead.
std::string ja4_alpn(const ClientHello& hello) {
    if (hello.alpn.empty() || hello.alpn.front().empty()) return "00";
    const std::string& a = hello.alpn.front();
    if (is_alnum(a.front()) && is_alnum(a.back())) return std::string{a.front(), a.back()};
    static constexpr char kHex[] = "0123456789abcdef";
    const auto first = static_cast<std::uint8_t>(a.front());
    const auto last = static_cast<std::uint8_t>(a.back());
    return std::string{kHex[first >> 4], kHex[last & 0x0f]};
}

std::string two_digits(std::size_t n) {
    std::array<char, 4> buf{};
    std::snprintf(buf.data(), buf.size(), "%02u", static_cast<unsigned>(std::min<std::size_t>(n, 99)));
    return buf.data();
}

template <typename T>
std::string join_dec(const std::vector<T>& values) {
    std::string s;
    for (const auto v : values) {
        if constexpr (sizeof(T) == 2) {
            if (is_grease(v)) continue;
        }
        if (!s.empty()) s.push_back('-');
        s += std::to_string(static_cast<unsigned>(v));
    }
    return s;
}

}  // namespace

ParseStatus parse_client_hello(std::span<const std::uint8_t> message, ClientHello& out) {
    out = ClientHello{};
    core::ByteReader head(message);
    const std::uint8_t type = head.u8();
    const std::uint32_t length = head.u24_be();
    if (!head.ok()) return message.empty() || message[0] == 1 ? ParseStatus::need_more
                                                               : ParseStatus::invalid;
    if (type != 1 || length < 38) return ParseStatus::invalid;
    if (head.remaining() < length) return ParseStatus::need_more;

    core::ByteReader r(head.take(length));
    out.legacy_version = r.u16_be();
    r.skip(32);              // random
    r.skip(r.u8());          // legacy_session_id
    const std::uint16_t suites_len = r.u16_be();
    if (suites_len % 2 != 0) return ParseStatus::invalid;
    read_u16_list(core::ByteReader(r.take(suites_len)), out.cipher_suites);
    r.skip(r.u8());          // legacy_compression_methods
    if (!r.ok() || (out.legacy_version >> 8) != 3) return ParseStatus::invalid;
    if (r.empty()) return ParseStatus::ok;  // no extensions (SSL 3.0 style)

    core::ByteReader exts(r.take(r.u16_be()));
    if (!r.ok()) return ParseStatus::invalid;
    while (exts.has(4)) {
        const std::uint16_t ext_type = exts.u16_be();
        const auto body = exts.take(exts.u16_be());
        if (!exts.ok()) return ParseStatus::invalid;
        if (out.extensions.size() < kMaxListItems) out.extensions.push_back(ext_type);
        if (!parse_extension(ext_type, body, out)) return ParseStatus::invalid;
    }
    return exts.empty() ? ParseStatus::ok : ParseStatus::invalid;
}

std::string ja4(const ClientHello& hello, char transport) {
    const auto suites = without_grease(hello.cipher_suites);
    const auto exts = without_grease(hello.extensions);

    std::string a;
    a.push_back(transport);
    a += ja4_version(hello);
    a.push_back(hello.sni.empty() ? 'i' : 'd');
    a += two_digits(suites.size());
    a += two_digits(exts.size());
    a += ja4_alpn(hello);

    auto sorted_suites = suites;
    std::sort(sorted_suites.begin(), sorted_suites.end());

    // Extensions sorted, without SNI (0) and ALPN (16): those already show in
    // part a, and leaving them out keeps the hash stable across domains.
    std::vector<std::uint16_t> sorted_exts;
    for (const auto e : exts)
        if (e != 0 && e != 16) sorted_exts.push_back(e);
    std::sort(sorted_exts.begin(), sorted_exts.end());
    std::string c = join_hex(sorted_exts);
    const auto sigs = without_grease(hello.signature_algorithms);
    if (!sigs.empty() && !c.empty()) c += "_" + join_hex(sigs);

    return a + "_" + sha256_12(join_hex(sorted_suites)) + "_" + sha256_12(c);
}

std::string ja3_string(const ClientHello& hello) {
    std::string s = std::to_string(hello.legacy_version);
    s += ',' + join_dec(hello.cipher_suites);
    s += ',' + join_dec(hello.extensions);
    s += ',' + join_dec(hello.supported_groups);
    s += ',' + join_dec(hello.ec_point_formats);
    return s;
}

std::string ja3_hash(const ClientHello& hello) {
    const std::string text = ja3_string(hello);
    std::array<std::uint8_t, 16> digest{};
    mbedtls_md5_ret(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                    digest.data());
    return core::hex(digest);
}

void add_client_hello_fields(const ClientHello& hello, char transport, snapshot::AppInfo& info) {
    if (!hello.sni.empty()) {
        info.domain = hello.sni;
        info.set_text("sni", hello.sni);
    }
    if (!hello.alpn.empty()) info.set_list("alpn", hello.alpn);
    std::vector<std::string> versions;
    for (const auto v : hello.supported_versions)
        if (!is_grease(v)) versions.push_back(version_name(v));
    if (!versions.empty()) info.set_list("client_versions", std::move(versions));
    info.set_text("ja4", ja4(hello, transport));
    info.set_text("ja3", ja3_string(hello));
    info.set_text("ja3_hash", ja3_hash(hello));
}

}  // namespace sockeye::dpi::tls
