// IPFIX (RFC 7011) messages for --ipfix: one biflow record per connection.
//
// Two templates, one per address family, carry the same fields:
//   sourceIPv4Address 8 / sourceIPv6Address 27, destinationIPv4Address 12 /
//   destinationIPv6Address 28, sourceTransportPort 7, destinationTransportPort 11,
//   protocolIdentifier 4, tcpControlBits 6 (2 octets, RFC 7125), flowEndReason 136,
//   vlanId 58, flowStartMilliseconds 152, flowEndMilliseconds 153,
//   octetDeltaCount 1 and packetDeltaCount 2 (source -> destination),
//   the same two with the RFC 5103 reverse PEN 29305 (destination -> source),
//   and sockeye's own elements under kSockeyePen: processName, processId,
//   userName, serverName (TLS SNI / HTTP host), applicationName (DPI).
// With geo databases loaded, two more templates (kTemplateIdV4Geo/V6Geo)
// carry the same fields and, after them, where the remote (destination)
// address is: remoteCountry, remoteAsn, remoteAsOrganisation, remoteCity.
// Only then: a run without databases would send four fields that are always
// empty, and the template is how a collector learns what a record holds.
// Template ids of their own, so a collector that keeps templates across
// sessions never reads one layout's records with the other's template.
//
// Why delta counters: a long-lived flow is exported every active timeout
// with what it did since the previous record, so a collector that sums the
// records of a flow (nfdump -a) gets the right totals; a total counter would
// be counted once per record. nfdump reads octetDeltaCount/packetDeltaCount
// as in_bytes/in_packets and the reverse ones as out_bytes/out_packets.
//
// Octets are sockeye's byte counts (frame length on the wire, link-layer
// header included), so the collector shows the numbers the UI and --json
// show; RFC 7012 counts from the IP header on (about 14 bytes less per
// Ethernet packet). The flow table keeps no IP-level byte counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ip_address.hpp"

namespace sockeye::exports {

namespace ipfix {

inline constexpr std::uint16_t kVersion = 10;
inline constexpr std::uint16_t kTemplateSetId = 2;
inline constexpr std::uint16_t kTemplateIdV4 = 256;
inline constexpr std::uint16_t kTemplateIdV6 = 257;
inline constexpr std::uint16_t kTemplateIdV4Geo = 258;
inline constexpr std::uint16_t kTemplateIdV6Geo = 259;
inline constexpr std::size_t kMessageHeaderBytes = 16;
inline constexpr std::size_t kSetHeaderBytes = 4;
inline constexpr std::uint16_t kEnterpriseBit = 0x8000;
inline constexpr std::uint16_t kVariableLength = 0xFFFF;

// RFC 5103: reverse-direction counterparts of the IANA elements.
inline constexpr std::uint32_t kReversePen = 29305;
// RFC 5612's Enterprise Number for Documentation Use. sockeye has no IANA
// Private Enterprise Number of its own; collectors skip elements of unknown
// enterprises, and a registered number would replace this one (one constant).
inline constexpr std::uint32_t kSockeyePen = 32473;

// IANA information element ids (https://www.iana.org/assignments/ipfix).
namespace ie {
inline constexpr std::uint16_t kOctetDeltaCount = 1;
inline constexpr std::uint16_t kPacketDeltaCount = 2;
inline constexpr std::uint16_t kProtocolIdentifier = 4;
inline constexpr std::uint16_t kTcpControlBits = 6;
inline constexpr std::uint16_t kSourceTransportPort = 7;
inline constexpr std::uint16_t kSourceIpv4Address = 8;
inline constexpr std::uint16_t kDestinationTransportPort = 11;
inline constexpr std::uint16_t kDestinationIpv4Address = 12;
inline constexpr std::uint16_t kSourceIpv6Address = 27;
inline constexpr std::uint16_t kDestinationIpv6Address = 28;
inline constexpr std::uint16_t kVlanId = 58;
inline constexpr std::uint16_t kFlowEndReason = 136;
inline constexpr std::uint16_t kFlowStartMilliseconds = 152;
inline constexpr std::uint16_t kFlowEndMilliseconds = 153;
}  // namespace ie

// sockeye's enterprise-specific elements (under kSockeyePen).
namespace sockeye_ie {
inline constexpr std::uint16_t kProcessName = 1;      // string
inline constexpr std::uint16_t kProcessId = 2;        // unsigned32, 0 = unknown
inline constexpr std::uint16_t kUserName = 3;         // string
inline constexpr std::uint16_t kServerName = 4;       // string: TLS SNI, HTTP host, DNS name
inline constexpr std::uint16_t kApplicationName = 5;  // string: "TLS", "HTTP", "DNS", ...
// The remote (destination) address, from the geo databases (geo templates
// only); empty / 0 where they do not say or the address is private.
inline constexpr std::uint16_t kRemoteCountry = 6;         // string: ISO 3166-1 alpha-2
inline constexpr std::uint16_t kRemoteAsn = 7;             // unsigned32, 0 = unknown
inline constexpr std::uint16_t kRemoteAsOrganisation = 8;  // string
inline constexpr std::uint16_t kRemoteCity = 9;            // string: English name
}  // namespace sockeye_ie

// flowEndReason values (IANA registry for element 136).
enum class EndReason : std::uint8_t {
    idle_timeout = 1,
    active_timeout = 2,
    end_of_flow = 3,        // FIN or RST seen
    forced_end = 4,         // sockeye stopped with the flow still open
    lack_of_resources = 5,  // evicted at the flow-table cap
};

// Each string is cut to this many bytes (at a UTF-8 boundary) so one record
// always fits a 1400-byte message with room to spare.
inline constexpr std::size_t kMaxStringBytes = 256;
// The geo layout's strings are cut shorter, so that its longest record
// still fits a 1400-byte message of its own (country codes are 2 bytes; AS
// organisations and city names rarely reach this).
inline constexpr std::size_t kMaxGeoStringBytes = 64;

}  // namespace ipfix

// One record as it goes on the wire. Counters are deltas since the flow's
// previous record (the whole flow when it is exported once).
struct IpfixFlow {
    core::IpAddress source_ip{};  // v4 or v6; both addresses of one family
    core::IpAddress destination_ip{};
    std::uint16_t source_port = 0;  // 0 unless TCP/UDP
    std::uint16_t destination_port = 0;
    std::uint8_t ip_proto = 0;
    std::uint16_t tcp_flags = 0;
    ipfix::EndReason end_reason = ipfix::EndReason::end_of_flow;
    std::uint16_t vlan = 0;
    std::uint64_t start_ms = 0;  // Unix epoch milliseconds
    std::uint64_t end_ms = 0;
    std::uint64_t octets = 0;  // source -> destination
    std::uint64_t packets = 0;
    std::uint64_t reverse_octets = 0;  // destination -> source
    std::uint64_t reverse_packets = 0;
    std::uint32_t pid = 0;
    std::string process_name;
    std::string user;
    std::string server_name;
    std::string application;
    // The remote's location: encoded only in the geo layout.
    std::string remote_country;
    std::uint32_t remote_asn = 0;
    std::string remote_organisation;
    std::string remote_city;
};

// Appends the template set (both families' templates; `geo`: the geo layout's).
void append_ipfix_template_set(std::string& out, bool geo = false);
// The template a record of `flow` uses in that layout.
std::uint16_t ipfix_template_id(const IpfixFlow& flow, bool geo = false);
// Bytes the record takes inside a data set.
std::size_t ipfix_record_size(const IpfixFlow& flow, bool geo = false);
// Appends one data record (no set header).
void append_ipfix_record(std::string& out, const IpfixFlow& flow, bool geo = false);
// Appends an RFC 7011 variable-length string: one length octet below 255,
// else 255 and a 16-bit length; cut to kMaxStringBytes.
void append_ipfix_string(std::string& out, std::string_view text);

// Builds one message at a time, never longer than `max_bytes`: header,
// optionally the template set, then data sets (one per run of records of
// the same family), each padded to four octets.
class IpfixMessageBuilder {
public:
    // `geo`: every record in the geo layout (see above).
    IpfixMessageBuilder(std::uint32_t observation_domain, std::size_t max_bytes, bool geo = false)
        : domain_(observation_domain), max_bytes_(max_bytes), geo_(geo) {}

    // Starts a message. `sequence`: data records sent before it in this
    // transport session (RFC 7011 3.1), modulo 2^32.
    void begin(std::uint32_t export_time_s, std::uint32_t sequence, bool with_templates);
    // False when the record does not fit; the message is unchanged then.
    bool add(const IpfixFlow& flow);
    [[nodiscard]] std::size_t records() const { return records_; }
    [[nodiscard]] bool has_templates() const { return has_templates_; }
    // Closes the open data set, writes the length; valid until begin().
    const std::string& finish();

private:
    void close_set();

    std::uint32_t domain_;
    std::size_t max_bytes_;
    bool geo_;
    std::string out_;
    std::size_t set_start_ = 0;  // offset of the open data set's header
    std::uint16_t set_id_ = 0;   // 0: no data set open
    std::size_t records_ = 0;
    bool has_templates_ = false;
};

}  // namespace sockeye::exports
