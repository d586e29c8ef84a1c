// Names for TLS version numbers and cipher suites (IANA "TLS Cipher Suites"
// registry). Only the suites seen in practice are named; the rest print as
// their hex code point.
#include <array>
#include <cstdio>
#include <string>
#include <utility>

#include "dpi/protocols/tls_handshake.hpp"

namespace sockeye::dpi::tls {
namespace {

struct SuiteName {
    std::uint16_t code;
    const char* name;
};

// Sorted by code point for binary search.
constexpr std::array kSuites = {
    SuiteName{0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
    SuiteName{0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
    SuiteName{0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    SuiteName{0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    SuiteName{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    SuiteName{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    SuiteName{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    SuiteName{0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    SuiteName{0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    SuiteName{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    SuiteName{0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    SuiteName{0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    SuiteName{0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    SuiteName{0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    SuiteName{0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    SuiteName{0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    SuiteName{0x1301, "TLS_AES_128_GCM_SHA256"},
    SuiteName{0x1302, "TLS_AES_256_GCM_SHA384"},
    SuiteName{0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    SuiteName{0x1304, "TLS_AES_128_CCM_SHA256"},
    SuiteName{0x1305, "TLS_AES_128_CCM_8_SHA256"},
    SuiteName{0x5600, "TLS_FALLBACK_SCSV"},
    SuiteName{0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    SuiteName{0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    SuiteName{0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    SuiteName{0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    SuiteName{0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    SuiteName{0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    SuiteName{0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    SuiteName{0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    SuiteName{0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    SuiteName{0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    SuiteName{0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    SuiteName{0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    SuiteName{0xc09c, "TLS_RSA_WITH_AES_128_CCM"},
    SuiteName{0xc09d, "TLS_RSA_WITH_AES_256_CCM"},
    SuiteName{0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"},
    SuiteName{0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"},
    SuiteName{0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    SuiteName{0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    SuiteName{0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
};

std::string hex_code(std::uint16_t v) {
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "0x%04x", static_cast<unsigned>(v));
    return buf.data();
}

}  // namespace

std::string version_name(std::uint16_t version) {
    switch (version) {
        case 0x0002: return "SSL 2.0";
        case 0x0300: return "SSL 3.0";
        case 0x0301: return "TLS 1.0";
        case 0x0302: return "TLS 1.1";
        case 0x0303: return "TLS 1.2";
        case 0x0304: return "TLS 1.3";
        case 0xfeff: return "DTLS 1.0";
        case 0xfefd: return "DTLS 1.2";
        case 0xfefc: return "DTLS 1.3";
        default: return hex_code(version);
    }
}

std::string cipher_suite_name(std::uint16_t suite) {
    std::size_t lo = 0;
    std::size_t hi = kSuites.size();
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (kSuites[mid].code < suite) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < kSuites.size() && kSuites[lo].code == suite) return kSuites[lo].name;
    return hex_code(suite);
}

}  // namespace sockeye::dpi::tls
