#include "dpi/protocols/snmp.hpp"

#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "dpi/protocols/ber.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::size_t kMaxCommunityBytes = 64;

const char* pdu_name(std::uint8_t tag) {
    switch (tag) {
        case 0xa0: return "get_request";
        case 0xa1: return "get_next_request";
        case 0xa2: return "response";
        case 0xa3: return "set_request";
        case 0xa4: return "trap";
        case 0xa5: return "get_bulk_request";
        case 0xa6: return "inform_request";
        case 0xa7: return "snmpv2_trap";
        case 0xa8: return "report";
        default: return nullptr;
    }
}

struct Message {
    std::int64_t version = -1;
    std::span<const std::uint8_t> community;
    std::span<const std::uint8_t> user;
    const char* pdu = nullptr;
};

// A PDU (any of the context-specific constructed tags above) must start with
// request-id INTEGER, except the v1 Trap, which starts with an OID.
bool read_pdu(core::ByteReader& r, Message& m) {
    ber::Tlv pdu;
    if (!ber::read_tlv(r, pdu) || pdu_name(pdu.tag) == nullptr) return false;
    core::ByteReader inner(pdu.value);
    ber::Tlv first;
    if (!ber::read_tlv(inner, first)) return false;
    if (first.tag != (pdu.tag == 0xa4 ? 0x06 : ber::kInteger)) return false;
    m.pdu = pdu_name(pdu.tag);
    return true;
}

bool read_v3(core::ByteReader& r, Message& m) {
    ber::Tlv global;
    ber::Tlv security;
    if (!ber::read_expected(r, ber::kSequence, global) ||
        !ber::read_expected(r, ber::kOctetString, security))
        return false;
    core::ByteReader g(global.value);
    ber::Tlv id;
    ber::Tlv max_size;
    ber::Tlv flags;
    ber::Tlv model;
    if (!ber::read_expected(g, ber::kInteger, id) ||
        !ber::read_expected(g, ber::kInteger, max_size) ||
        !ber::read_expected(g, ber::kOctetString, flags) || flags.value.size() != 1 ||
        !ber::read_expected(g, ber::kInteger, model))
        return false;
    // USM parameters (RFC 3414): engine id, boots, time, user name, ...
    core::ByteReader s(security.value);
    ber::Tlv usm;
    if (ber::read_expected(s, ber::kSequence, usm)) {
        core::ByteReader u(usm.value);
        ber::Tlv engine, boots, time, user;
        if (ber::read_expected(u, ber::kOctetString, engine) &&
            ber::read_expected(u, ber::kInteger, boots) &&
            ber::read_expected(u, ber::kInteger, time) &&
            ber::read_expected(u, ber::kOctetString, user))
            m.user = user.value;
    }
    ber::Tlv data;
    if (!ber::read_tlv(r, data)) return false;
    if (data.tag == ber::kOctetString) {
        m.pdu = "encrypted";
        return true;
    }
    if (data.tag != ber::kSequence) return false;
    core::ByteReader scoped(data.value);
    ber::Tlv engine, context;
    return ber::read_expected(scoped, ber::kOctetString, engine) &&
           ber::read_expected(scoped, ber::kOctetString, context) && read_pdu(scoped, m);
}

bool read_message(std::span<const std::uint8_t> payload, Message& m) {
    core::ByteReader outer(payload);
    ber::Tlv message;
    if (!ber::read_expected(outer, ber::kSequence, message) || !outer.empty()) return false;
    core::ByteReader r(message.value);
    ber::Tlv version;
    if (!ber::read_expected(r, ber::kInteger, version) ||
        !ber::to_integer(version.value, m.version))
        return false;
    if (m.version == 3) return read_v3(r, m);
    if (m.version != 0 && m.version != 1) return false;
    ber::Tlv community;
    if (!ber::read_expected(r, ber::kOctetString, community)) return false;
    m.community = community.value;
    return read_pdu(r, m);
}

}  // namespace

Verdict probe_snmp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    Message m;
    if (ctx.transport != Transport::udp || !read_message(payload, m))
        return known ? Verdict::match : Verdict::no_match;
    info.set_text("version", m.version == 0 ? "1" : m.version == 1 ? "2c" : "3");
    if (m.version != 3)
        info.set_text("community", text::copy_capped(m.community, kMaxCommunityBytes));
    if (!m.user.empty()) info.set_text("user", text::copy_capped(m.user, 64));
    info.set_text("pdu", m.pdu);
    return Verdict::match;
}

}  // namespace sockeye::dpi
