#include "dpi/registry.hpp"

#include "dpi/protocols/bittorrent.hpp"
#include "dpi/protocols/dhcp.hpp"
#include "dpi/protocols/dhcpv6.hpp"
#include "dpi/protocols/dns.hpp"
#include "dpi/protocols/ftp.hpp"
#include "dpi/protocols/http.hpp"
#include "dpi/protocols/imap.hpp"
#include "dpi/protocols/mqtt.hpp"
#include "dpi/protocols/ntp.hpp"
#include "dpi/protocols/openvpn.hpp"
#include "dpi/protocols/pop3.hpp"
#include "dpi/protocols/quic.hpp"
#include "dpi/protocols/sip.hpp"
#include "dpi/protocols/smtp.hpp"
#include "dpi/protocols/snmp.hpp"
#include "dpi/protocols/ssdp.hpp"
#include "dpi/protocols/ssh.hpp"
#include "dpi/protocols/stun.hpp"
#include "dpi/protocols/tls.hpp"
#include "dpi/protocols/wireguard.hpp"

namespace sockeye::dpi {
namespace {

constexpr Transport kTcp = Transport::tcp;
constexpr Transport kUdp = Transport::udp;

// Within a pass (port-hinted first, then the rest) probes run in table
// order, so among probes that could match the same bytes the stricter one
// comes first: HTTP2's preface before HTTP's methods, magic-cookie formats
// (DHCP, STUN) before loosely checked ones (NTP, DHCPv6, OpenVPN), which
// come last. A stateful entry (QUIC) runs before all of them.
constexpr ProbeEntry kProbes[] = {
    // TCP
    {"TLS", kTcp, probe_tls, {443, 8443, 853, 993}},
    {"HTTP2", kTcp, probe_http2, {80, 8080}},
    {"HTTP", kTcp, probe_http, {80, 8080, 8000, 3128}},
    {"SSH", kTcp, probe_ssh, {22, 2222}},
    {"DNS", kTcp, probe_dns, {53}},
    {"LLMNR", kTcp, probe_llmnr, {5355}},
    // UDP
    {"mDNS", kUdp, probe_mdns, {5353}},
    {"LLMNR", kUdp, probe_llmnr, {5355}},
    {"NetBIOS-NS", kUdp, probe_netbios_ns, {137}},
    {"FTP", kTcp, probe_ftp, {21}, nullptr, 0, "FTP-DATA"},
    {"SMTP", kTcp, probe_smtp, {25, 587, 2525}},
    {"IMAP", kTcp, probe_imap, {143}},
    {"POP3", kTcp, probe_pop3, {110}},
    {"MQTT", kTcp, probe_mqtt, {1883}},
    {"SIP", kTcp, probe_sip, {5060}},
    {"STUN", kTcp, probe_stun, {3478}},
    {"BitTorrent", kTcp, probe_bittorrent, {6881, 6889, 51413}},
    {"OpenVPN", kTcp, probe_openvpn, {1194}},
    {"DHCP", kUdp, probe_dhcp, {67, 68}},
    {"STUN", kUdp, probe_stun, {3478, 19302}},
    {"WireGuard", kUdp, probe_wireguard, {51820}},
    {"SSDP", kUdp, probe_ssdp, {1900}},
    {"SIP", kUdp, probe_sip, {5060}},
    {"DNS", kUdp, probe_dns, {53}},
    {"SNMP", kUdp, probe_snmp, {161, 162}},
    {"NTP", kUdp, probe_ntp, {123}},
    {"DHCPv6", kUdp, probe_dhcpv6, {546, 547}},
    {"BitTorrent", kUdp, probe_bittorrent, {6881, 6889, 51413}},
    {"OpenVPN", kUdp, probe_openvpn, {1194}},
    // Stateful: QUIC learns from the first datagrams of a flow.
    {"QUIC", kUdp, probe_quic, {}, make_quic_parser, 64},
};

static_assert(std::size(kProbes) <= kMaxProbes, "candidate masks are 64 bits");

}  // namespace

std::span<const ProbeEntry> probe_registry() { return kProbes; }

const ProbeEntry* find_probe(std::string_view name, Transport transport) {
    for (const ProbeEntry& e : kProbes)
        if (e.name == name && e.transport == transport) return &e;
    return nullptr;
}

}  // namespace sockeye::dpi
