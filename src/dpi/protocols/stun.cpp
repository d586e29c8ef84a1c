#include "dpi/protocols/stun.hpp"

#include <array>
#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "core/ip_address.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint32_t kMagicCookie = 0x2112A442;
constexpr std::size_t kHeaderBytes = 20;
constexpr std::size_t kMaxAttributes = 64;
constexpr std::uint16_t kAttrMappedAddress = 0x0001;
constexpr std::uint16_t kAttrErrorCode = 0x0009;
constexpr std::uint16_t kAttrXorMappedAddress = 0x0020;
constexpr std::uint16_t kAttrSoftware = 0x8022;

const char* method_name(std::uint16_t method) {
    switch (method) {
        case 0x001: return "Binding";
        case 0x003: return "Allocate";
        case 0x004: return "Refresh";
        case 0x006: return "Send";
        case 0x007: return "Data";
        case 0x008: return "CreatePermission";
        case 0x009: return "ChannelBind";
        case 0x00a: return "Connect";
        case 0x00b: return "ConnectionBind";
        case 0x00c: return "ConnectionAttempt";
        default: return nullptr;
    }
}

constexpr std::array<const char*, 4> kClassNames = {"request", "indication", "success_response",
                                                    "error_response"};

struct Header {
    std::uint16_t method = 0;
    std::uint8_t klass = 0;
    std::uint16_t length = 0;
    std::span<const std::uint8_t> transaction_id;
};

// The message type interleaves the class bits (C1 at bit 8, C0 at bit 4)
// with the 12 method bits (RFC 8489 section 5).
Verdict read_header(std::span<const std::uint8_t> payload, Header& h) {
    core::ByteReader r(payload);
    if (payload.size() < kHeaderBytes) {
        // Only a TCP stream can still grow; check what is there.
        if (!payload.empty() && (payload[0] & 0xc0) != 0) return Verdict::no_match;
        return Verdict::need_more;
    }
    const std::uint16_t type = r.u16_be();
    h.length = r.u16_be();
    const std::uint32_t cookie = r.u32_be();
    h.transaction_id = r.take(12);
    if ((type & 0xc000) != 0 || cookie != kMagicCookie || (h.length % 4) != 0)
        return Verdict::no_match;
    h.method = static_cast<std::uint16_t>((type & 0x000f) | ((type & 0x00e0) >> 1) |
                                          ((type & 0x3e00) >> 2));
    h.klass = static_cast<std::uint8_t>(((type >> 7) & 0x2) | ((type >> 4) & 0x1));
    if (method_name(h.method) == nullptr) return Verdict::no_match;
    return Verdict::match;
}

// MAPPED-ADDRESS layout: reserved, family (1 IPv4, 2 IPv6), port, address;
// the XOR- variant passes the cookie (+ transaction id) as `xor_key`.
std::string format_address(core::ByteReader& value, std::span<const std::uint8_t> xor_key) {
    value.u8();
    const std::uint8_t family = value.u8();
    const auto port_key = static_cast<std::uint16_t>((xor_key[0] << 8) | xor_key[1]);
    const auto port = static_cast<std::uint16_t>(value.u16_be() ^ port_key);
    std::array<std::uint8_t, 16> bytes{};
    const std::size_t n = family == 1 ? 4 : family == 2 ? 16 : 0;
    const auto raw = value.take(n);
    if (n == 0 || !value.ok()) return {};
    for (std::size_t i = 0; i < n; ++i)
        bytes[i] = static_cast<std::uint8_t>(raw[i] ^ (i < xor_key.size() ? xor_key[i] : 0));
    const auto address = n == 4 ? core::IpAddress::v4(std::span<const std::uint8_t>(bytes).first(4))
                                : core::IpAddress::v6(std::span<const std::uint8_t>(bytes));
    const std::string ip = address.to_string();
    return (n == 4 ? ip : "[" + ip + "]") + ":" + std::to_string(port);
}

void extract_attributes(core::ByteReader& r, const Header& h, snapshot::AppInfo& info) {
    // XOR-MAPPED-ADDRESS is xored with the cookie followed by the transaction id.
    std::array<std::uint8_t, 16> key{0x21, 0x12, 0xa4, 0x42};
    for (std::size_t i = 0; i < h.transaction_id.size() && i + 4 < key.size(); ++i)
        key[i + 4] = h.transaction_id[i];
    const std::array<std::uint8_t, 16> no_key{};
    for (std::size_t i = 0; i < kMaxAttributes && r.has(4); ++i) {
        const std::uint16_t type = r.u16_be();
        const std::uint16_t length = r.u16_be();
        core::ByteReader value(r.take(length));
        r.skip((4 - std::size_t{length} % 4) % 4);
        if (!value.ok()) break;
        if (type == kAttrSoftware) {
            info.set_text("software", text::copy_capped(value.rest()));
        } else if (type == kAttrXorMappedAddress) {
            const std::string a = format_address(value, key);
            if (!a.empty()) info.set_text("xor_mapped_address", a);
        } else if (type == kAttrMappedAddress) {
            // The RFC 3489 attribute, still sent by old servers: not xored.
            const std::string a = format_address(value, no_key);
            if (!a.empty()) info.set_text("mapped_address", a);
        } else if (type == kAttrErrorCode && length >= 4) {
            value.u16_be();
            const std::uint8_t klass = value.u8() & 0x07;
            const std::uint8_t number = value.u8();
            info.set_number("error_code", std::int64_t{klass} * 100 + number);
        }
    }
}

}  // namespace

Verdict probe_stun(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    Header h;
    Verdict v = read_header(payload, h);
    if (v == Verdict::need_more && ctx.transport == Transport::udp) v = Verdict::no_match;
    if (v == Verdict::match) {
        const std::size_t total = kHeaderBytes + h.length;
        // A datagram holds exactly one message; a stream may hold more.
        if (ctx.transport == Transport::udp ? total != payload.size() : total > payload.size())
            v = ctx.transport == Transport::udp ? Verdict::no_match : Verdict::need_more;
    }
    if (v != Verdict::match) return known ? Verdict::match : v;
    info.set_text("method", method_name(h.method));
    info.set_text("class", kClassNames[h.klass & 3]);
    core::ByteReader r(payload.subspan(kHeaderBytes, h.length));
    extract_attributes(r, h, info);
    return Verdict::match;
}

}  // namespace sockeye::dpi
