#include "dpi/protocols/dhcp.hpp"

#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "core/hex.hpp"
#include "core/ip_address.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint32_t kMagicCookie = 0x63825363;
constexpr std::size_t kMaxOptions = 255;
constexpr std::uint8_t kOptPad = 0;
constexpr std::uint8_t kOptHostname = 12;
constexpr std::uint8_t kOptRequestedIp = 50;
constexpr std::uint8_t kOptMessageType = 53;
constexpr std::uint8_t kOptVendorClass = 60;
constexpr std::uint8_t kOptEnd = 255;

// Option 53 values (RFC 2132, 3203, 4388, 6926, 7724).
const char* message_type_name(std::uint8_t type) {
    switch (type) {
        case 1: return "DISCOVER";
        case 2: return "OFFER";
        case 3: return "REQUEST";
        case 4: return "DECLINE";
        case 5: return "ACK";
        case 6: return "NAK";
        case 7: return "RELEASE";
        case 8: return "INFORM";
        case 9: return "FORCERENEW";
        case 10: return "LEASEQUERY";
        case 11: return "LEASEUNASSIGNED";
        case 12: return "LEASEUNKNOWN";
        case 13: return "LEASEACTIVE";
        case 14: return "BULKLEASEQUERY";
        case 15: return "LEASEQUERYDONE";
        case 16: return "ACTIVELEASEQUERY";
        case 17: return "LEASEQUERYSTATUS";
        case 18: return "TLS";
        default: return nullptr;
    }
}

struct Bootp {
    std::uint8_t htype = 0;
    std::uint8_t hlen = 0;
    std::span<const std::uint8_t> chaddr;
};

// op, htype, hlen, hops, xid, secs, flags, 4 addresses, chaddr[16],
// sname[64], file[128], then the cookie (RFC 2131 section 2).
bool read_bootp(core::ByteReader& r, Bootp& b) {
    const std::uint8_t op = r.u8();
    b.htype = r.u8();
    b.hlen = r.u8();
    r.skip(1 + 4 + 2 + 2 + 16);
    b.chaddr = r.take(16);
    r.skip(64 + 128);
    const std::uint32_t cookie = r.u32_be();
    return r.ok() && (op == 1 || op == 2) && b.hlen <= 16 && cookie == kMagicCookie;
}

std::string format_mac(const Bootp& b) {
    if (b.hlen == 0) return {};
    return core::colon_hex(b.chaddr.first(b.hlen));
}

void extract_options(core::ByteReader& r, snapshot::AppInfo& info) {
    for (std::size_t i = 0; i < kMaxOptions && r.has(1); ++i) {
        const std::uint8_t code = r.u8();
        if (code == kOptPad) continue;
        if (code == kOptEnd) break;
        const std::uint8_t length = r.u8();
        const auto value = r.take(length);
        if (!r.ok()) break;
        if (code == kOptMessageType && length == 1) {
            const char* name = message_type_name(value[0]);
            info.set_text("message_type", name != nullptr ? name : std::to_string(value[0]));
        } else if (code == kOptHostname) {
            info.set_text("hostname", text::copy_capped(value));
        } else if (code == kOptRequestedIp && length == 4) {
            info.set_text("requested_ip", core::IpAddress::v4(value).to_string());
        } else if (code == kOptVendorClass) {
            info.set_text("vendor_class", text::copy_capped(value));
        }
    }
}

}  // namespace

Verdict probe_dhcp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    core::ByteReader r(payload);
    Bootp b;
    if (ctx.transport != Transport::udp || !read_bootp(r, b))
        return known ? Verdict::match : Verdict::no_match;
    // A server's reply carries the client's chaddr too; the hostname and the
    // rest are whatever each message states, newest last.
    const std::string mac = format_mac(b);
    if (!mac.empty()) info.set_text("client_mac", mac);
    extract_options(r, info);
    return Verdict::match;
}

}  // namespace sockeye::dpi
