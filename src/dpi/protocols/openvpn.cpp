#include "dpi/protocols/openvpn.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint16_t kOpenVpnPort = 1194;
constexpr std::size_t kSessionIdBytes = 8;
constexpr std::size_t kMinResetBytes = 14;   // opcode, session id, ack len, packet id
constexpr std::size_t kMaxResetBytes = 512;  // hard resets carry at most a few TLVs
constexpr std::size_t kMaxPacketBytes = 2048;
constexpr std::size_t kMaxAcks = 8;
constexpr std::size_t kMaxTcpPackets = 16;
constexpr std::size_t kMaxOpcodes = 16;
// tls-auth HMAC sizes: MD5, SHA1, SHA256, SHA384, SHA512.
constexpr std::array<std::size_t, 5> kHmacBytes = {16, 20, 32, 48, 64};
constexpr std::size_t kTlsCryptTagBytes = 32;
// net_time of tls-auth/tls-crypt replay protection: a Unix time, 2014..2040.
constexpr std::uint32_t kMinNetTime = 1'400'000'000;
constexpr std::uint32_t kMaxNetTime = 2'200'000'000;

constexpr std::uint8_t kHardResetClientV1 = 1;
constexpr std::uint8_t kHardResetServerV1 = 2;
constexpr std::uint8_t kHardResetClientV2 = 7;
constexpr std::uint8_t kHardResetServerV2 = 8;
constexpr std::uint8_t kHardResetClientV3 = 10;

const char* opcode_name(std::uint8_t opcode) {
    switch (opcode) {
        case 1: return "P_CONTROL_HARD_RESET_CLIENT_V1";
        case 2: return "P_CONTROL_HARD_RESET_SERVER_V1";
        case 3: return "P_CONTROL_SOFT_RESET_V1";
        case 4: return "P_CONTROL_V1";
        case 5: return "P_ACK_V1";
        case 6: return "P_DATA_V1";
        case 7: return "P_CONTROL_HARD_RESET_CLIENT_V2";
        case 8: return "P_CONTROL_HARD_RESET_SERVER_V2";
        case 9: return "P_DATA_V2";
        case 10: return "P_CONTROL_HARD_RESET_CLIENT_V3";
        case 11: return "P_CONTROL_WKC_V1";
        default: return nullptr;
    }
}

bool is_hard_reset(std::uint8_t opcode) {
    return opcode == kHardResetClientV1 || opcode == kHardResetServerV1 ||
           opcode == kHardResetClientV2 || opcode == kHardResetServerV2 ||
           opcode == kHardResetClientV3;
}

// After the session id: ack array (count, ids, remote session id when
// count > 0), then the message packet id, which is 0 in a hard reset.
bool plain_reliable_header(core::ByteReader r) {
    const std::uint8_t acks = r.u8();
    if (acks > kMaxAcks) return false;
    r.skip(std::size_t{acks} * 4 + (acks > 0 ? kSessionIdBytes : 0));
    return r.u32_be() == 0 && r.ok();
}

bool plausible_replay(core::ByteReader& r) {
    const std::uint32_t packet_id = r.u32_be();
    const std::uint32_t net_time = r.u32_be();
    // tls-crypt sets the top byte of the packet id for the long form.
    const std::uint32_t id = packet_id & 0x00ffffff;
    return r.ok() && id >= 1 && id <= 16 && net_time >= kMinNetTime && net_time <= kMaxNetTime;
}

// Which control channel wrapping makes the hard reset's layout consistent;
// nullptr when none does.
const char* control_channel(std::span<const std::uint8_t> packet) {
    core::ByteReader after_sid(packet);
    after_sid.skip(1 + kSessionIdBytes);
    if (!after_sid.ok()) return nullptr;
    if (plain_reliable_header(after_sid)) return "plain";
    for (const std::size_t hmac : kHmacBytes) {
        core::ByteReader r = after_sid;
        r.skip(hmac);
        if (plausible_replay(r) && plain_reliable_header(r)) return "tls-auth";
    }
    core::ByteReader r = after_sid;
    if (plausible_replay(r) && r.skip(kTlsCryptTagBytes) && r.remaining() >= 1) return "tls-crypt";
    return nullptr;
}

struct First {
    std::uint8_t opcode = 0;
    std::uint8_t key_id = 0;
    const char* channel = nullptr;
};

bool classify_packet(std::span<const std::uint8_t> packet, First& out) {
    if (packet.size() < kMinResetBytes || packet.size() > kMaxResetBytes) return false;
    out.opcode = static_cast<std::uint8_t>(packet[0] >> 3);
    out.key_id = static_cast<std::uint8_t>(packet[0] & 0x07);
    if (!is_hard_reset(out.opcode) || out.key_id != 0) return false;
    out.channel = control_channel(packet);
    return out.channel != nullptr;
}

// Opcodes of the packets in one call, kept on the stack.
struct Opcodes {
    std::array<std::uint8_t, kMaxTcpPackets> items{};
    std::size_t count = 0;
    void push(std::uint8_t op) {
        if (count < items.size()) items[count++] = op;
    }
};

void add_opcode(std::vector<std::string>& names, std::uint8_t opcode) {
    const char* name = opcode_name(opcode);
    if (name == nullptr || names.size() >= kMaxOpcodes) return;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
}

// The packets of one TCP direction, each behind its 16-bit length; `first`
// the first packet's bytes (possibly cut short). False when the framing is
// implausible.
Verdict split_tcp(std::span<const std::uint8_t> stream, std::span<const std::uint8_t>& first,
                  Opcodes& opcodes) {
    core::ByteReader r(stream);
    for (std::size_t i = 0; i < kMaxTcpPackets && r.has(2); ++i) {
        const std::uint16_t length = r.u16_be();
        if (length == 0 || length > kMaxPacketBytes)
            return i == 0 ? Verdict::no_match : Verdict::match;
        if (i == 0) first = r.rest().first(std::min<std::size_t>(r.remaining(), length));
        if (r.has(1)) opcodes.push(static_cast<std::uint8_t>(r.peek_u8() >> 3));
        if (!r.skip(length)) return i == 0 ? Verdict::need_more : Verdict::match;
    }
    return first.empty() ? Verdict::need_more : Verdict::match;
}

}  // namespace

Verdict probe_openvpn(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                      snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    std::span<const std::uint8_t> packet = payload;
    Opcodes opcodes;
    if (ctx.transport == Transport::tcp) {
        const Verdict framing = split_tcp(payload, packet, opcodes);
        if (framing == Verdict::no_match) return known ? Verdict::match : Verdict::no_match;
        if (framing == Verdict::need_more && !known) {
            // The first packet is still arriving: wait while its prefix could
            // be a hard reset with key id 0.
            if (packet.empty()) return Verdict::need_more;
            const auto opcode = static_cast<std::uint8_t>(packet[0] >> 3);
            return is_hard_reset(opcode) && (packet[0] & 0x07) == 0 ? Verdict::need_more
                                                                    : Verdict::no_match;
        }
    } else if (!payload.empty()) {
        opcodes.push(static_cast<std::uint8_t>(payload[0] >> 3));
    }
    First first;
    if (!known) {
        if (!classify_packet(packet, first)) {
            const bool port =
                ctx.initiator_port == kOpenVpnPort || ctx.responder_port == kOpenVpnPort;
            // On the registered port, a reset whose wrapping is not one we
            // know (a newer or customised build) still counts.
            if (!(port && packet.size() >= kMinResetBytes && is_hard_reset(first.opcode)))
                return Verdict::no_match;
        }
        info.set_number("key_id", first.key_id);
        if (first.channel != nullptr) info.set_text("control_channel", first.channel);
    }
    std::vector<std::string> names;
    if (const auto* f = info.find("opcodes")) names = f->list;
    for (std::size_t i = 0; i < opcodes.count; ++i) add_opcode(names, opcodes.items[i]);
    if (!names.empty()) info.set_list("opcodes", std::move(names));
    return Verdict::match;
}

}  // namespace sockeye::dpi
