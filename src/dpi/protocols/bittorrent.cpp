#include "dpi/protocols/bittorrent.hpp"

#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::string_view kPstr = "BitTorrent protocol";
constexpr std::size_t kHandshakeBytes = 68;
constexpr int kMaxBencodeDepth = 8;
constexpr int kMaxBencodeItems = 512;
constexpr std::size_t kMaxBencodeDigits = 7;

// The client part of a peer_id: Azureus style "-XXnnnn-" gives "XXnnnn";
// otherwise the leading printable bytes (Shadow style "S58B----").
std::string peer_client(std::span<const std::uint8_t> peer_id) {
    if (peer_id.size() >= 8 && peer_id[0] == '-' && peer_id[7] == '-')
        return text::copy_capped(peer_id.subspan(1, 6));
    std::size_t n = 0;
    while (n < 8 && n < peer_id.size() && peer_id[n] > 0x20 && peer_id[n] < 0x7f &&
           peer_id[n] != '-')
        ++n;
    return text::copy_capped(peer_id.first(n));
}

Verdict probe_handshake(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                        snapshot::AppInfo& info) {
    core::ByteReader r(payload);
    const bool known = ctx.phase == Phase::following;
    if (r.peek_u8() != kPstr.size() && !r.empty())
        return known ? Verdict::match : Verdict::no_match;
    r.skip(1);
    const auto pstr = r.rest().first(std::min(r.remaining(), kPstr.size()));
    if (!text::equals(pstr, kPstr.substr(0, pstr.size())))
        return known ? Verdict::match : Verdict::no_match;
    if (payload.size() < kHandshakeBytes) return known ? Verdict::match : Verdict::need_more;
    r.skip(kPstr.size() + 8);
    const auto info_hash = r.take(20);
    const auto peer_id = r.take(20);
    info.set_text("info_hash", text::hex(info_hash));
    info.set_text(ctx.from_initiator ? "peer_client" : "remote_peer_client", peer_client(peer_id));
    return Verdict::match;
}

struct DhtMessage {
    std::span<const std::uint8_t> y;
    std::span<const std::uint8_t> q;
    bool has_t = false;
};

// "<digits>:<bytes>"
bool read_bstring(core::ByteReader& r, std::span<const std::uint8_t>& out) {
    std::size_t length = 0;
    std::size_t digits = 0;
    while (r.has(1) && r.peek_u8() >= '0' && r.peek_u8() <= '9') {
        if (++digits > kMaxBencodeDigits) return false;
        length = length * 10 + (r.u8() - '0');
    }
    if (digits == 0 || r.u8() != ':') return false;
    out = r.take(length);
    return r.ok();
}

bool skip_value(core::ByteReader& r, int depth, int& budget);

bool skip_container(core::ByteReader& r, bool dict, int depth, int& budget) {
    r.skip(1);
    while (r.ok() && r.has(1) && r.peek_u8() != 'e') {
        std::span<const std::uint8_t> key;
        if (dict && !read_bstring(r, key)) return false;
        if (!skip_value(r, depth + 1, budget)) return false;
    }
    return r.u8() == 'e' && r.ok();
}

bool skip_value(core::ByteReader& r, int depth, int& budget) {
    if (depth > kMaxBencodeDepth || --budget < 0) return false;
    const std::uint8_t c = r.peek_u8();
    if (c == 'i') {
        r.skip(1);
        if (r.peek_u8() == '-') r.skip(1);
        std::size_t digits = 0;
        while (r.has(1) && r.peek_u8() >= '0' && r.peek_u8() <= '9' && digits <= 20) {
            r.skip(1);
            ++digits;
        }
        return digits > 0 && r.u8() == 'e' && r.ok();
    }
    if (c == 'l' || c == 'd') return skip_container(r, c == 'd', depth, budget);
    std::span<const std::uint8_t> s;
    return read_bstring(r, s);
}

// The whole datagram must be one bencoded dictionary.
bool parse_dht(std::span<const std::uint8_t> payload, DhtMessage& out) {
    core::ByteReader r(payload);
    if (r.u8() != 'd') return false;
    int budget = kMaxBencodeItems;
    while (r.ok() && r.has(1) && r.peek_u8() != 'e') {
        std::span<const std::uint8_t> key;
        if (!read_bstring(r, key)) return false;
        const bool want_string = text::equals(key, "y") || text::equals(key, "q");
        if (want_string) {
            std::span<const std::uint8_t> value;
            if (!read_bstring(r, value)) return false;
            (key[0] == 'y' ? out.y : out.q) = value;
            continue;
        }
        if (text::equals(key, "t")) out.has_t = true;
        if (!skip_value(r, 1, budget)) return false;
    }
    return r.u8() == 'e' && r.ok() && r.empty() && out.has_t && out.y.size() == 1 &&
           (out.y[0] == 'q' || out.y[0] == 'r' || out.y[0] == 'e');
}

Verdict probe_dht(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) {
    DhtMessage msg;
    if (!parse_dht(payload, msg))
        return ctx.phase == Phase::following ? Verdict::match : Verdict::no_match;
    const char* type = msg.y[0] == 'q' ? "query" : msg.y[0] == 'r' ? "response" : "error";
    info.set_text("dht_message", type);
    if (!msg.q.empty()) info.set_text("dht_query", text::copy_capped(msg.q, 64));
    return Verdict::match;
}

}  // namespace

Verdict probe_bittorrent(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                         snapshot::AppInfo& info) {
    if (ctx.transport == Transport::udp) return probe_dht(ctx, payload, info);
    return probe_handshake(ctx, payload, info);
}

}  // namespace sockeye::dpi
