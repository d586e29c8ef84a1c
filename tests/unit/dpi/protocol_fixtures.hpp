// One fixture or more per DPI registry entry: the bytes a real peer sends
// first in one direction, built from the protocols' specifications. The
// registry test runs every probe over every fixture; adding a protocol
// adds its fixtures here (docs/ARCHITECTURE.md, "Adding a DPI protocol").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dpi/probe.hpp"
#include "unit/dpi/detector_fixture.hpp"
#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/quic_test_util.hpp"
#include "unit/dpi/tls_fixture.hpp"

namespace sockeye::dpi::test {

struct ProtocolFixture {
    std::string protocol;  // the registry entry's name
    Transport transport;
    bool from_initiator;
    std::vector<std::uint8_t> bytes;
    // The server's port when the protocol is named by it (DNS and its
    // relatives share one wire format); 0: an unregistered port, so only
    // the content decides.
    std::uint16_t server_port = 0;
};

inline std::vector<std::uint8_t> dns_query_bytes(unsigned id, bool tcp) {
    Bytes msg = Bytes{}.u16(id).u16(0x0100).u16(1).u16(0).u16(0).u16(0);
    msg.vec8(Bytes{}.str("www")).vec8(Bytes{}.str("example")).vec8(Bytes{}.str("com")).u8(0);
    msg.u16(1).u16(1);
    return tcp ? Bytes{}.vec16(msg).v : msg.v;
}

inline std::vector<std::uint8_t> netbios_query_bytes() {
    // "WORKGROUP" padded to 15 characters plus suffix 0x00, first-level encoded.
    std::string name = "WORKGROUP";
    name.resize(15, ' ');
    name.push_back('\0');
    std::string encoded;
    for (const char c : name) {
        const auto b = static_cast<unsigned char>(c);
        encoded.push_back(static_cast<char>('A' + (b >> 4)));
        encoded.push_back(static_cast<char>('A' + (b & 0x0f)));
    }
    Bytes msg = Bytes{}.u16(0x8001).u16(0x0110).u16(1).u16(0).u16(0).u16(0);
    msg.vec8(Bytes{}.str(encoded)).u8(0).u16(0x20).u16(1);
    return msg.v;
}

inline std::vector<ProtocolFixture> protocol_fixtures() {
    namespace f = fixtures;
    const auto tcp = Transport::tcp;
    const auto udp = Transport::udp;
    const Bytes tls_client = record(22, client_hello_message());
    std::vector<ProtocolFixture> all = {
        {"TLS", tcp, true, tls_client.v},
        {"HTTP", tcp, true, Bytes{}.str("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n").v},
        {"HTTP", tcp, false, Bytes{}.str("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").v},
        {"HTTP2", tcp, true, Bytes{}.str("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").v},
        {"SSH", tcp, true, Bytes{}.str("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n").v},
        {"SSH", tcp, false, Bytes{}.str("SSH-2.0-dropbear_2022.83\r\n").v},
        {"DNS", udp, true, dns_query_bytes(0x1234, false), 53},
        {"DNS", tcp, true, dns_query_bytes(0x1234, true), 53},
        {"mDNS", udp, true, dns_query_bytes(0, false), 5353},
        {"LLMNR", udp, true, dns_query_bytes(0x4242, false), 5355},
        {"LLMNR", tcp, true, dns_query_bytes(0x4242, true), 5355},
        {"NetBIOS-NS", udp, true, netbios_query_bytes(), 137},
        {"QUIC", udp, true, from_hex(kRfc9001ClientInitial)},
        {"FTP", tcp, false, f::ftp_server()},
        {"FTP", tcp, true, f::ftp_client()},
        {"SMTP", tcp, false, f::smtp_server()},
        {"SMTP", tcp, true, f::smtp_client()},
        {"IMAP", tcp, false, f::imap_server()},
        {"IMAP", tcp, true, f::imap_client()},
        {"POP3", tcp, false, f::pop3_server()},
        {"POP3", tcp, true, f::pop3_client()},
        {"MQTT", tcp, true, f::mqtt_client_311()},
        {"MQTT", tcp, true, f::mqtt_client_5()},
        {"MQTT", tcp, true, f::mqtt_client_31()},
        {"BitTorrent", tcp, true, f::bittorrent_handshake("-qB4250-abcdefghijkl")},
        {"BitTorrent", udp, true, f::dht_query()},
        {"BitTorrent", udp, false, f::dht_response()},
        {"STUN", udp, true, f::stun_rfc5769_request()},
        {"STUN", udp, false, f::stun_rfc5769_response_v4()},
        {"STUN", tcp, true, f::stun_rfc5769_request()},
        {"NTP", udp, true, f::ntp_client()},
        {"NTP", udp, false, f::ntp_server()},
        {"DHCP", udp, true, f::dhcp_discover()},
        {"DHCPv6", udp, true, f::dhcpv6_solicit()},
        {"SNMP", udp, true, f::snmp_v2c_get()},
        {"SNMP", udp, true, f::snmp_v1_trap()},
        {"SNMP", udp, true, f::snmp_v3_get()},
        {"SSDP", udp, true, f::ssdp_msearch()},
        {"SSDP", udp, true, f::ssdp_notify()},
        {"SSDP", udp, false, f::ssdp_response()},
        {"SIP", udp, true, f::sip_invite()},
        {"SIP", udp, false, f::sip_ok_compact()},
        {"SIP", tcp, true, f::sip_invite()},
        {"WireGuard", udp, true, f::wireguard_initiation()},
        {"WireGuard", udp, false, f::wireguard_response()},
        {"OpenVPN", udp, true, f::openvpn_reset_plain()},
        {"OpenVPN", udp, true, f::openvpn_reset_tls_auth()},
        {"OpenVPN", tcp, true, f::openvpn_tcp(f::openvpn_reset_plain())},
    };
    return all;
}

}  // namespace sockeye::dpi::test
