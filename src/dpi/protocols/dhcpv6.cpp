#include "dpi/protocols/dhcpv6.hpp"

#include <array>
#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::size_t kMaxOptions = 64;
constexpr std::size_t kMaxLabels = 32;
constexpr std::uint16_t kOptClientId = 1;
constexpr std::uint16_t kOptServerId = 2;
constexpr std::uint16_t kOptRelayMessage = 9;
constexpr std::uint16_t kOptClientFqdn = 39;
constexpr std::uint8_t kRelayForward = 12;
constexpr std::uint8_t kRelayReply = 13;

constexpr std::array<const char*, 14> kMessageTypes = {
    nullptr,      "SOLICIT",   "ADVERTISE", "REQUEST", "CONFIRM",     "RENEW",
    "REBIND",     "REPLY",     "RELEASE",   "DECLINE", "RECONFIGURE", "INFORMATION-REQUEST",
    "RELAY-FORW", "RELAY-REPL"};

struct Message {
    std::uint8_t type = 0;
    std::span<const std::uint8_t> client_id;
    std::span<const std::uint8_t> fqdn;
    bool has_duid = false;
};

// RFC 1035 labels without compression, as the FQDN option carries them.
std::string decode_name(std::span<const std::uint8_t> wire) {
    core::ByteReader r(wire);
    std::string out;
    for (std::size_t i = 0; i < kMaxLabels && r.has(1); ++i) {
        const std::uint8_t length = r.u8();
        if (length == 0 || length > 63) break;
        const auto label = r.take(length);
        if (!r.ok()) break;
        if (!out.empty()) out.push_back('.');
        out += text::copy_capped(label, 63);
        if (out.size() > text::kMaxTextBytes) break;
    }
    return out.substr(0, text::kMaxTextBytes);
}

// Options must fill the rest exactly: the header has too few fixed bits for
// anything weaker to tell DHCPv6 from random data.
bool read_options(core::ByteReader& r, Message& m, int depth);

bool read_message(std::span<const std::uint8_t> bytes, Message& m, int depth) {
    core::ByteReader r(bytes);
    const std::uint8_t type = r.u8();
    if (!r.ok() || type == 0 || type >= kMessageTypes.size()) return false;
    if (type == kRelayForward || type == kRelayReply) {
        r.skip(1 + 16 + 16);  // hop count, link address, peer address
        if (!r.ok() || depth > 0) return false;
        return read_options(r, m, depth + 1) && m.type != 0;
    }
    m.type = type;
    r.skip(3);  // transaction id
    return r.ok() && read_options(r, m, depth) && m.has_duid;
}

bool read_options(core::ByteReader& r, Message& m, int depth) {
    std::size_t count = 0;
    while (!r.empty()) {
        if (++count > kMaxOptions) return false;
        const std::uint16_t code = r.u16_be();
        const std::uint16_t length = r.u16_be();
        const auto value = r.take(length);
        if (!r.ok()) return false;
        if (code == kOptClientId) {
            m.client_id = value;
            m.has_duid = true;
        } else if (code == kOptServerId) {
            m.has_duid = true;
        } else if (code == kOptClientFqdn && length >= 1) {
            m.fqdn = value.subspan(1);  // after the flags byte
        } else if (code == kOptRelayMessage && depth > 0) {
            if (!read_message(value, m, depth)) return false;
        }
    }
    return true;
}

}  // namespace

Verdict probe_dhcpv6(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                     snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    Message m;
    if (ctx.transport != Transport::udp || !read_message(payload, m, 0))
        return known ? Verdict::match : Verdict::no_match;
    info.set_text("message_type", kMessageTypes[m.type]);
    if (!m.client_id.empty()) info.set_text("client_duid", text::hex(m.client_id));
    if (!m.fqdn.empty()) {
        const std::string name = decode_name(m.fqdn);
        if (!name.empty()) info.set_text("fqdn", name);
    }
    return Verdict::match;
}

}  // namespace sockeye::dpi
