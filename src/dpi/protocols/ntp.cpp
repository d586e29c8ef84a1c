#include "dpi/protocols/ntp.hpp"

#include <array>
#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "core/ip_address.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint16_t kNtpPort = 123;
constexpr std::size_t kHeaderBytes = 48;
constexpr std::size_t kMaxBytes = 1024;
constexpr std::uint8_t kMaxStratum = 16;
constexpr std::int8_t kMaxPoll = 17;

constexpr std::array<const char*, 8> kModeNames = {
    "reserved", "symmetric_active", "symmetric_passive", "client",
    "server",   "broadcast",        "control",           "private"};

struct Header {
    std::uint8_t version = 0;
    std::uint8_t mode = 0;
    std::uint8_t stratum = 0;
    std::int8_t poll = 0;
    std::span<const std::uint8_t> reference_id;
    std::uint64_t transmit = 0;
};

bool read_header(std::span<const std::uint8_t> payload, Header& h) {
    core::ByteReader r(payload);
    const std::uint8_t first = r.u8();
    h.version = static_cast<std::uint8_t>((first >> 3) & 0x07);
    h.mode = static_cast<std::uint8_t>(first & 0x07);
    h.stratum = r.u8();
    h.poll = static_cast<std::int8_t>(r.u8());
    r.skip(1 + 4 + 4);  // precision, root delay, root dispersion
    h.reference_id = r.take(4);
    r.skip(8 + 8 + 8);  // reference, origin, receive timestamps
    h.transmit = r.u64_be();
    return r.ok();
}

// Without the NTP port only the common client/server exchange of a plain
// 48-byte header is accepted, with every field in range: the header has too
// few fixed bits to tell it from random data otherwise.
bool plausible(const ProbeContext& ctx, std::span<const std::uint8_t> payload, const Header& h) {
    if (payload.size() < kHeaderBytes || payload.size() > kMaxBytes) return false;
    if (h.version < 1 || h.version > 4 || h.mode == 0 || h.mode > 5) return false;
    const bool port = ctx.initiator_port == kNtpPort || ctx.responder_port == kNtpPort;
    if (port) return h.stratum <= kMaxStratum;
    if (payload.size() != kHeaderBytes || h.version < 3) return false;
    if (h.mode != 3 && h.mode != 4) return false;
    if (h.stratum > kMaxStratum || h.poll < 0 || h.poll > kMaxPoll || h.transmit == 0) return false;
    return h.mode == 3 || h.stratum >= 1;
}

std::string reference_text(const Header& h) {
    if (h.stratum <= 1) {
        std::size_t n = 0;
        while (n < h.reference_id.size() && h.reference_id[n] >= 0x20 && h.reference_id[n] < 0x7f)
            ++n;
        return text::copy_capped(h.reference_id.first(n));
    }
    return core::IpAddress::v4(h.reference_id).to_string();
}

}  // namespace

Verdict probe_ntp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    Header h;
    if (ctx.transport != Transport::udp || !read_header(payload, h) || !plausible(ctx, payload, h))
        return known ? Verdict::match : Verdict::no_match;
    info.set_number("version", h.version);
    info.set_text("mode", kModeNames[h.mode]);
    info.set_number("stratum", h.stratum);
    const std::string ref = reference_text(h);
    if (!ref.empty()) info.set_text("reference_id", ref);
    return Verdict::match;
}

}  // namespace sockeye::dpi
