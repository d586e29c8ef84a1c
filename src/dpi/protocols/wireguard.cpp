#include "dpi/protocols/wireguard.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint16_t kWireGuardPort = 51820;
constexpr std::size_t kInitiationBytes = 148;
constexpr std::size_t kResponseBytes = 92;
constexpr std::size_t kCookieBytes = 64;
constexpr std::size_t kMinTransportBytes = 32;
// Transport data alone has only its type and zeros to go on: accept it after
// this many consistent datagrams in one direction (or on the usual port).
constexpr std::uint32_t kTransportPacketsNeeded = 3;

enum class Type : std::uint8_t { initiation = 1, response = 2, cookie = 3, transport = 4 };

const char* type_name(Type t) {
    switch (t) {
        case Type::initiation: return "handshake_initiation";
        case Type::response: return "handshake_response";
        case Type::cookie: return "cookie_reply";
        case Type::transport: return "transport_data";
    }
    return "";
}

bool valid_size(Type t, std::size_t n) {
    switch (t) {
        case Type::initiation: return n == kInitiationBytes;
        case Type::response: return n == kResponseBytes;
        case Type::cookie: return n == kCookieBytes;
        case Type::transport: return n >= kMinTransportBytes && n % 16 == 0;
    }
    return false;
}

void add_type(snapshot::AppInfo& info, Type t) {
    std::vector<std::string> types;
    if (const auto* f = info.find("message_types")) types = f->list;
    const std::string name = type_name(t);
    if (std::find(types.begin(), types.end(), name) != types.end()) return;
    types.push_back(name);
    info.set_list("message_types", std::move(types));
}

// The index fields are little-endian; each side picks its own "sender" index
// and echoes the peer's as "receiver".
void extract(const ProbeContext& ctx, Type t, core::ByteReader& r, snapshot::AppInfo& info) {
    const char* own = ctx.from_initiator ? "initiator_index" : "responder_index";
    const char* peer = ctx.from_initiator ? "responder_index" : "initiator_index";
    switch (t) {
        case Type::initiation: info.set_number(own, r.u32_le()); break;
        case Type::response:
            info.set_number(own, r.u32_le());
            info.set_number(peer, r.u32_le());
            break;
        case Type::cookie:
        case Type::transport: info.set_number(peer, r.u32_le()); break;
    }
}

}  // namespace

Verdict probe_wireguard(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                        snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    const Verdict fail = known ? Verdict::match : Verdict::no_match;
    if (ctx.transport != Transport::udp) return fail;
    core::ByteReader r(payload);
    const std::uint8_t type = r.u8();
    const std::uint8_t reserved[3] = {r.u8(), r.u8(), r.u8()};
    if (!r.ok() || type < 1 || type > 4 || reserved[0] != 0 || reserved[1] != 0 || reserved[2] != 0)
        return fail;
    const auto t = static_cast<Type>(type);
    if (!valid_size(t, payload.size())) return fail;
    if (t == Type::transport && !known) {
        const bool port =
            ctx.initiator_port == kWireGuardPort || ctx.responder_port == kWireGuardPort;
        if (!port && ctx.packet_index + 1 < kTransportPacketsNeeded) return Verdict::need_more;
    }
    add_type(info, t);
    extract(ctx, t, r, info);
    return Verdict::match;
}

}  // namespace sockeye::dpi
