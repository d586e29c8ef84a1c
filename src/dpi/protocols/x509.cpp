#include "dpi/protocols/x509.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "core/byte_reader.hpp"
#include "dpi/protocols/ber.hpp"

namespace sockeye::dpi::x509 {
namespace {

constexpr std::uint8_t kSequence = 0x30;
constexpr std::uint8_t kSet = 0x31;
constexpr std::uint8_t kOid = 0x06;
constexpr std::uint8_t kUtcTime = 0x17;
constexpr std::uint8_t kGeneralizedTime = 0x18;
constexpr std::uint8_t kExplicit0 = 0xa0;
constexpr std::size_t kMaxValue = 255;
constexpr std::size_t kMaxName = 1024;
constexpr int kMaxAttributes = 32;

using ber::Tlv;

struct OidName {
    std::array<std::uint8_t, 9> bytes;
    std::size_t size;
    const char* name;
};

constexpr std::array kOidNames = {
    OidName{{0x55, 0x04, 0x03}, 3, "CN"},  OidName{{0x55, 0x04, 0x06}, 3, "C"},
    OidName{{0x55, 0x04, 0x07}, 3, "L"},   OidName{{0x55, 0x04, 0x08}, 3, "ST"},
    OidName{{0x55, 0x04, 0x0a}, 3, "O"},   OidName{{0x55, 0x04, 0x0b}, 3, "OU"},
    OidName{{0x55, 0x04, 0x05}, 3, "serialNumber"},
    OidName{{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01}, 9, "emailAddress"},
};

std::string oid_text(std::span<const std::uint8_t> oid) {
    for (const auto& known : kOidNames)
        if (oid.size() == known.size &&
            std::equal(oid.begin(), oid.end(), known.bytes.begin()))
            return known.name;
    // Dotted form; components over 2^32 are clipped, which only affects
    // the display of nonsense OIDs.
    std::string s;
    std::uint64_t value = 0;
    bool first = true;
    for (std::size_t i = 0; i < oid.size() && i < 32; ++i) {
        value = (value << 7) | (oid[i] & 0x7fu);
        if (oid[i] & 0x80) continue;
        value &= 0xffffffffu;
        if (first) {
            const std::uint64_t arc = std::min<std::uint64_t>(value / 40, 2);
            s = std::to_string(arc) + "." + std::to_string(value - arc * 40);
            first = false;
        } else {
            s += "." + std::to_string(value);
        }
        value = 0;
    }
    return s;
}

void append_attribute(std::span<const std::uint8_t> atv, std::string& out) {
    core::ByteReader r(atv);
    Tlv oid;
    Tlv value;
    if (!ber::read_expected(r, kOid, oid) || !ber::read_tlv(r, value)) return;
    auto text = value.value;
    if (text.size() > kMaxValue) text = text.first(kMaxValue);
    std::string part = oid_text(oid.value) + "=" + std::string(text.begin(), text.end());
    if (out.size() + part.size() + 2 > kMaxName) return;
    if (!out.empty()) out += ", ";
    out += part;
}

// Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue)
bool read_name(std::span<const std::uint8_t> name, std::string& out) {
    core::ByteReader rdns(name);
    int budget = kMaxAttributes;
    while (!rdns.empty() && budget > 0) {
        Tlv set;
        if (!ber::read_expected(rdns, kSet, set)) return false;
        core::ByteReader atvs(set.value);
        while (!atvs.empty() && budget-- > 0) {
            Tlv atv;
            if (!ber::read_expected(atvs, kSequence, atv)) return false;
            append_attribute(atv.value, out);
        }
    }
    return true;
}

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ -> ISO 8601.
std::string read_time(const Tlv& t) {
    const std::string raw(t.value.begin(), t.value.end());
    std::string year;
    std::string rest;
    if (t.tag == kUtcTime && raw.size() >= 12) {
        year = (raw[0] < '5' ? "20" : "19") + raw.substr(0, 2);  // RFC 5280 4.1.2.5.1
        rest = raw.substr(2, 10);
    } else if (t.tag == kGeneralizedTime && raw.size() >= 14) {
        year = raw.substr(0, 4);
        rest = raw.substr(4, 10);
    } else {
        return {};
    }
    if (!all_digits(year) || !all_digits(rest)) return {};
    return year + "-" + rest.substr(0, 2) + "-" + rest.substr(2, 2) + "T" + rest.substr(4, 2) +
           ":" + rest.substr(6, 2) + ":" + rest.substr(8, 2) + "Z";
}

}  // namespace

bool parse_certificate(std::span<const std::uint8_t> der, CertSummary& out) {
    core::ByteReader top(der);
    Tlv cert;
    if (!ber::read_expected(top, kSequence, cert)) return false;
    core::ByteReader c(cert.value);
    Tlv tbs;
    if (!ber::read_expected(c, kSequence, tbs)) return false;
    core::ByteReader r(tbs.value);

    Tlv field;
    if (!ber::read_tlv(r, field)) return false;
    if (field.tag == kExplicit0 && !ber::read_tlv(r, field)) return false;  // version, then serial
    Tlv sig_alg;
    Tlv issuer;
    Tlv validity;
    Tlv subject;
    if (!ber::read_expected(r, kSequence, sig_alg) || !ber::read_expected(r, kSequence, issuer) ||
        !ber::read_expected(r, kSequence, validity) || !ber::read_expected(r, kSequence, subject))
        return false;
    if (!read_name(issuer.value, out.issuer) || !read_name(subject.value, out.subject))
        return false;

    core::ByteReader v(validity.value);
    Tlv not_before;
    Tlv not_after;
    if (!ber::read_tlv(v, not_before) || !ber::read_tlv(v, not_after)) return false;
    out.not_before = read_time(not_before);
    out.not_after = read_time(not_after);
    return true;
}

}  // namespace sockeye::dpi::x509
