#include "export/ipfix_encoder.hpp"

#include <array>

namespace sockeye::exports {
namespace {

using namespace ipfix;

void put_u8(std::string& out, std::uint8_t v) { out.push_back(static_cast<char>(v)); }

void put_u16(std::string& out, std::uint16_t v) {
    put_u8(out, static_cast<std::uint8_t>(v >> 8));
    put_u8(out, static_cast<std::uint8_t>(v));
}

void put_u32(std::string& out, std::uint32_t v) {
    put_u16(out, static_cast<std::uint16_t>(v >> 16));
    put_u16(out, static_cast<std::uint16_t>(v));
}

void put_u64(std::string& out, std::uint64_t v) {
    put_u32(out, static_cast<std::uint32_t>(v >> 32));
    put_u32(out, static_cast<std::uint32_t>(v));
}

void patch_u16(std::string& out, std::size_t at, std::size_t v) {
    out[at] = static_cast<char>((v >> 8) & 0xFF);
    out[at + 1] = static_cast<char>(v & 0xFF);
}

struct FieldSpec {
    std::uint16_t id;
    std::uint16_t length;  // kVariableLength for strings
    std::uint32_t pen;     // 0: IANA
};

// The fields after the two addresses, identical for both families, in
// record order (append_ipfix_record writes them in this order).
constexpr std::array<FieldSpec, 16> kCommonFields = {{
    {ie::kSourceTransportPort, 2, 0},
    {ie::kDestinationTransportPort, 2, 0},
    {ie::kProtocolIdentifier, 1, 0},
    {ie::kTcpControlBits, 2, 0},
    {ie::kFlowEndReason, 1, 0},
    {ie::kVlanId, 2, 0},
    {ie::kFlowStartMilliseconds, 8, 0},
    {ie::kFlowEndMilliseconds, 8, 0},
    {ie::kOctetDeltaCount, 8, 0},
    {ie::kPacketDeltaCount, 8, 0},
    {ie::kOctetDeltaCount, 8, kReversePen},
    {ie::kPacketDeltaCount, 8, kReversePen},
    {sockeye_ie::kProcessId, 4, kSockeyePen},
    {sockeye_ie::kProcessName, kVariableLength, kSockeyePen},
    {sockeye_ie::kUserName, kVariableLength, kSockeyePen},
    {sockeye_ie::kServerName, kVariableLength, kSockeyePen},
}};
constexpr FieldSpec kApplicationField = {sockeye_ie::kApplicationName, kVariableLength,
                                         kSockeyePen};
// The geo layout's fields, after the application name.
constexpr std::array<FieldSpec, 4> kGeoFields = {{
    {sockeye_ie::kRemoteCountry, kVariableLength, kSockeyePen},
    {sockeye_ie::kRemoteAsn, 4, kSockeyePen},
    {sockeye_ie::kRemoteAsOrganisation, kVariableLength, kSockeyePen},
    {sockeye_ie::kRemoteCity, kVariableLength, kSockeyePen},
}};
// Fixed-length bytes of a record besides the addresses.
constexpr std::size_t kCommonFixedBytes = 2 + 2 + 1 + 2 + 1 + 2 + 8 * 6 + 4;
constexpr std::size_t kGeoFixedBytes = 4;

void put_field(std::string& out, const FieldSpec& f) {
    put_u16(out, f.pen != 0 ? static_cast<std::uint16_t>(f.id | kEnterpriseBit) : f.id);
    put_u16(out, f.length);
    if (f.pen != 0) put_u32(out, f.pen);
}

void put_template(std::string& out, std::uint16_t template_id, std::uint16_t source_ie,
                  std::uint16_t destination_ie, std::uint16_t address_bytes, bool geo) {
    put_u16(out, template_id);
    put_u16(out, static_cast<std::uint16_t>(2 + kCommonFields.size() + 1 +
                                            (geo ? kGeoFields.size() : 0)));
    put_field(out, {source_ie, address_bytes, 0});
    put_field(out, {destination_ie, address_bytes, 0});
    for (const auto& f : kCommonFields) put_field(out, f);
    put_field(out, kApplicationField);
    if (!geo) return;
    for (const auto& f : kGeoFields) put_field(out, f);
}

// The longest prefix of at most kMaxStringBytes that does not split a
// UTF-8 sequence (continuation bytes are 10xxxxxx).
std::string_view clipped(std::string_view text, std::size_t limit = kMaxStringBytes) {
    if (text.size() <= limit) return text;
    std::size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return text.substr(0, n);
}

std::size_t string_size(std::string_view text, std::size_t limit = kMaxStringBytes) {
    const std::size_t n = clipped(text, limit).size();
    return (n < 255 ? 1 : 3) + n;
}

// A geo string: cut to kMaxGeoStringBytes (always the one-octet length form).
void put_geo_string(std::string& out, std::string_view text) {
    const std::string_view s = clipped(text, kMaxGeoStringBytes);
    put_u8(out, static_cast<std::uint8_t>(s.size()));
    out.append(s);
}

bool is_v6(const IpfixFlow& f) { return f.source_ip.is_v6(); }

}  // namespace

void append_ipfix_template_set(std::string& out, bool geo) {
    const std::size_t start = out.size();
    put_u16(out, kTemplateSetId);
    put_u16(out, 0);
    put_template(out, geo ? kTemplateIdV4Geo : kTemplateIdV4, ie::kSourceIpv4Address,
                 ie::kDestinationIpv4Address, 4, geo);
    put_template(out, geo ? kTemplateIdV6Geo : kTemplateIdV6, ie::kSourceIpv6Address,
                 ie::kDestinationIpv6Address, 16, geo);
    patch_u16(out, start + 2, out.size() - start);
}

std::uint16_t ipfix_template_id(const IpfixFlow& flow, bool geo) {
    if (geo) return is_v6(flow) ? kTemplateIdV6Geo : kTemplateIdV4Geo;
    return is_v6(flow) ? kTemplateIdV6 : kTemplateIdV4;
}

void append_ipfix_string(std::string& out, std::string_view text) {
    const std::string_view s = clipped(text);
    if (s.size() < 255) {
        put_u8(out, static_cast<std::uint8_t>(s.size()));
    } else {
        put_u8(out, 255);
        put_u16(out, static_cast<std::uint16_t>(s.size()));
    }
    out.append(s);
}

std::size_t ipfix_record_size(const IpfixFlow& flow, bool geo) {
    const std::size_t common = (is_v6(flow) ? 32 : 8) + kCommonFixedBytes +
                               string_size(flow.process_name) + string_size(flow.user) +
                               string_size(flow.server_name) + string_size(flow.application);
    if (!geo) return common;
    return common + kGeoFixedBytes + string_size(flow.remote_country, kMaxGeoStringBytes) +
           string_size(flow.remote_organisation, kMaxGeoStringBytes) +
           string_size(flow.remote_city, kMaxGeoStringBytes);
}

void append_ipfix_record(std::string& out, const IpfixFlow& f, bool geo) {
    const std::size_t n = is_v6(f) ? 16 : 4;
    for (std::size_t i = 0; i < n; ++i) put_u8(out, f.source_ip.bytes[i]);
    for (std::size_t i = 0; i < n; ++i) put_u8(out, f.destination_ip.bytes[i]);
    put_u16(out, f.source_port);
    put_u16(out, f.destination_port);
    put_u8(out, f.ip_proto);
    put_u16(out, f.tcp_flags);
    put_u8(out, static_cast<std::uint8_t>(f.end_reason));
    put_u16(out, f.vlan);
    put_u64(out, f.start_ms);
    put_u64(out, f.end_ms);
    put_u64(out, f.octets);
    put_u64(out, f.packets);
    put_u64(out, f.reverse_octets);
    put_u64(out, f.reverse_packets);
    put_u32(out, f.pid);
    append_ipfix_string(out, f.process_name);
    append_ipfix_string(out, f.user);
    append_ipfix_string(out, f.server_name);
    append_ipfix_string(out, f.application);
    if (!geo) return;
    put_geo_string(out, f.remote_country);
    put_u32(out, f.remote_asn);
    put_geo_string(out, f.remote_organisation);
    put_geo_string(out, f.remote_city);
}

void IpfixMessageBuilder::begin(std::uint32_t export_time_s, std::uint32_t sequence,
                                bool with_templates) {
    out_.clear();
    put_u16(out_, kVersion);
    put_u16(out_, 0);  // length, written by finish()
    put_u32(out_, export_time_s);
    put_u32(out_, sequence);
    put_u32(out_, domain_);
    set_id_ = 0;
    records_ = 0;
    has_templates_ = with_templates;
    if (with_templates) append_ipfix_template_set(out_, geo_);
}

bool IpfixMessageBuilder::add(const IpfixFlow& flow) {
    const std::uint16_t id = ipfix_template_id(flow, geo_);
    const std::size_t record = ipfix_record_size(flow, geo_);
    // What the message would hold: a new set header if the family changes,
    // the record, and up to three octets of padding when the set closes.
    const std::size_t header = id == set_id_ ? 0 : kSetHeaderBytes;
    std::size_t open_set = 0;
    if (set_id_ != 0 && id != set_id_) open_set = (4 - (out_.size() - set_start_) % 4) % 4;
    const std::size_t body = out_.size() + open_set + header + record;
    const std::size_t set_len = (id == set_id_ ? out_.size() - set_start_ : 0) + header + record;
    const std::size_t padded = body + (4 - set_len % 4) % 4;
    if (padded > max_bytes_) return false;
    if (id != set_id_) {
        close_set();
        set_start_ = out_.size();
        set_id_ = id;
        put_u16(out_, id);
        put_u16(out_, 0);
    }
    append_ipfix_record(out_, flow, geo_);
    ++records_;
    return true;
}

void IpfixMessageBuilder::close_set() {
    if (set_id_ == 0) return;
    // RFC 7011 3.3.1: padding to a 4-octet boundary, shorter than any record.
    while ((out_.size() - set_start_) % 4 != 0) put_u8(out_, 0);
    patch_u16(out_, set_start_ + 2, out_.size() - set_start_);
    set_id_ = 0;
}

const std::string& IpfixMessageBuilder::finish() {
    close_set();
    patch_u16(out_, 2, out_.size());
    return out_;
}

}  // namespace sockeye::exports
