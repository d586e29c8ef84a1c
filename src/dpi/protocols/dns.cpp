#include "dpi/protocols/dns.hpp"

#include "core/byte_reader.hpp"
#include "dpi/protocols/dns_wire.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint16_t kDnsPort = 53;
constexpr std::uint16_t kMdnsPort = 5353;
constexpr std::uint16_t kLlmnrPort = 5355;
constexpr std::uint16_t kNetbiosNsPort = 137;

// The server's port, which names the protocol among those sharing the
// wire format: a query goes to the server and a response comes from it (the
// QR bit says which), so a query from port 5353 to a resolver on 53 is DNS,
// not mDNS, however the capture started. The responder's port while the
// header is not there yet.
std::uint16_t server_port(const ProbeContext& ctx, std::span<const std::uint8_t> payload) {
    const std::size_t flags_at = ctx.transport == Transport::tcp ? 4 : 2;  // after TCP's length
    if (payload.size() <= flags_at) return ctx.responder_port;
    const bool response = (payload[flags_at] & 0x80) != 0;
    const bool server_is_initiator = ctx.from_initiator == response;
    return server_is_initiator ? ctx.initiator_port : ctx.responder_port;
}

std::vector<std::string> as_text(const std::vector<core::IpAddress>& addresses) {
    std::vector<std::string> out;
    out.reserve(addresses.size());
    for (const auto& a : addresses) out.push_back(a.to_string());
    return out;
}

void fill(const ProbeContext& ctx, const dns::Message& m, snapshot::AppInfo& info) {
    const std::string& name = m.qname.empty() ? m.first_owner : m.qname;
    if (!name.empty() && info.domain.empty()) info.domain = name;
    if (!m.is_response() || !info.find("id")) {
        info.set_number("id", m.id);
        if (m.qdcount > 0) info.set_text("query_type", dns::type_name(m.qtype));
    }
    if (!m.is_response()) return;
    info.set_text("rcode", dns::rcode_name(m.rcode()));
    if (!m.a.empty()) info.set_list("a", as_text(m.a));
    if (!m.aaaa.empty()) info.set_list("aaaa", as_text(m.aaaa));
    // The answer's addresses belong to the name the flow asked for.
    if (ctx.learned_names != nullptr && !info.domain.empty()) {
        for (const auto* records : {&m.a, &m.aaaa})
            for (const core::IpAddress& address : *records)
                ctx.learned_names->push_back(LearnedName{address, info.domain});
    }
    if (!m.cname.empty()) info.set_list("cname", m.cname);
    const auto* id = info.find("id");
    const bool same_query = id == nullptr || id->number == m.id;
    if (!ctx.from_initiator && ctx.peer_first_ts_ns > 0 && same_query &&
        ctx.ts_ns >= ctx.peer_first_ts_ns)
        // Microseconds: a resolver on the LAN answers well within a
        // millisecond, which whole milliseconds would show as 0.
        info.set_number("response_time_us", (ctx.ts_ns - ctx.peer_first_ts_ns) / 1'000);
}

// Off port 53 a TCP stream is taken for DNS only when its first message
// is small and its header looks like one from its first bytes: one
// question, a known opcode, no more records than a query or answer holds.
// Anything else is turned away at once rather than waited on.
constexpr std::uint16_t kMaxOffPortTcpMessage = 4096;

bool plausible_tcp_start(std::span<const std::uint8_t> message_start) {
    core::ByteReader r(message_start);
    r.skip(2);  // id
    const std::uint16_t flags = r.u16_be();
    const std::uint16_t qdcount = r.u16_be();
    const std::uint16_t ancount = r.u16_be();
    const std::uint16_t nscount = r.u16_be();
    const std::uint16_t arcount = r.u16_be();
    if (!r.ok()) return true;  // not enough bytes to tell yet
    const unsigned opcode = (flags >> 11) & 0xfu;
    const bool response = (flags & 0x8000u) != 0;
    return (opcode == 0 || opcode == 4 || opcode == 5) && qdcount == 1 &&
           (response || ancount == 0) && ancount <= 64 && nscount <= 64 && arcount <= 64;
}

// One message from `payload`: the datagram, or for TCP the first
// length-prefixed message. need_more while a TCP message is incomplete.
// `strict`: off the well-known port.
Verdict parse(const ProbeContext& ctx, std::span<const std::uint8_t> payload, bool strict,
              dns::Message& m) {
    if (ctx.transport == Transport::tcp) {
        core::ByteReader r(payload);
        const std::uint16_t length = r.u16_be();
        if (!r.ok()) return Verdict::need_more;
        if (length < 12) return Verdict::no_match;
        if (strict && (length > kMaxOffPortTcpMessage || !plausible_tcp_start(r.rest())))
            return Verdict::no_match;
        if (r.remaining() < length) return Verdict::need_more;
        payload = r.take(length);
    }
    if (!dns::parse_message(payload, m, ctx.truncated)) return Verdict::no_match;
    // Off the well-known ports a datagram must be exactly one message, which
    // keeps random UDP payloads from passing as DNS.
    if (strict && m.trailing_bytes) return Verdict::no_match;
    return Verdict::match;
}

Verdict probe_family(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                     bool strict, snapshot::AppInfo& info) {
    dns::Message m;
    const Verdict v = parse(ctx, payload, strict, m);
    if (v == Verdict::match) fill(ctx, m, info);
    return v;
}

}  // namespace

Verdict probe_dns(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) {
    const std::uint16_t port = server_port(ctx, payload);
    if (port == kMdnsPort || port == kLlmnrPort || port == kNetbiosNsPort)
        return Verdict::no_match;  // the same wire format, named by its own probe
    const bool well_known = port == kDnsPort;
    return probe_family(ctx, payload, !well_known, info);
}

Verdict probe_mdns(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    if (ctx.transport != Transport::udp || server_port(ctx, payload) != kMdnsPort) return Verdict::no_match;
    return probe_family(ctx, payload, false, info);
}

Verdict probe_llmnr(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                    snapshot::AppInfo& info) {
    if (server_port(ctx, payload) != kLlmnrPort) return Verdict::no_match;
    return probe_family(ctx, payload, false, info);
}

bool decode_netbios_name(std::string_view label, std::string& name, std::uint8_t& suffix) {
    if (label.size() != 32) return false;
    std::string decoded;
    for (std::size_t i = 0; i < 32; i += 2) {
        const char hi = label[i];
        const char lo = label[i + 1];
        if (hi < 'A' || hi > 'P' || lo < 'A' || lo > 'P') return false;
        decoded.push_back(static_cast<char>(((hi - 'A') << 4) | (lo - 'A')));
    }
    suffix = static_cast<std::uint8_t>(decoded.back());
    decoded.pop_back();
    while (!decoded.empty() && decoded.back() == ' ') decoded.pop_back();
    name = std::move(decoded);
    return true;
}

Verdict probe_netbios_ns(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                         snapshot::AppInfo& info) {
    if (ctx.transport != Transport::udp || server_port(ctx, payload) != kNetbiosNsPort)
        return Verdict::no_match;
    dns::Message m;
    if (parse(ctx, payload, false, m) != Verdict::match) return Verdict::no_match;
    std::string encoded = m.qname.empty() ? m.first_owner : m.qname;
    if (encoded.empty() && !m.is_response()) return Verdict::no_match;
    // The encoded name is the first label; a NetBIOS scope may follow it.
    const std::size_t dot = encoded.find('.');
    std::string name;
    std::uint8_t suffix = 0;
    if (decode_netbios_name(std::string_view(encoded).substr(0, dot), name, suffix)) {
        if (info.domain.empty()) info.domain = name;
        info.set_text("name", name);
        info.set_number("suffix", suffix);
    }
    if (!m.is_response() || !info.find("id")) info.set_number("id", m.id);
    if (m.is_response()) info.set_text("rcode", dns::rcode_name(m.rcode()));
    return Verdict::match;
}

}  // namespace sockeye::dpi
