// Byte fixtures for the long-tail DPI probes, built by
// hand from the RFC layouts, shared by the per-protocol tests and the
// cross-protocol negative test.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi::fixtures {

inline std::vector<std::uint8_t> text(std::string_view s) {
    return std::vector<std::uint8_t>(s.begin(), s.end());
}

inline std::vector<std::uint8_t> cat(std::initializer_list<std::vector<std::uint8_t>> parts) {
    std::vector<std::uint8_t> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

inline std::vector<std::uint8_t> u16(std::uint16_t v) {
    return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v & 0xff)};
}

inline std::vector<std::uint8_t> u32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>((v >> 16) & 0xff),
            static_cast<std::uint8_t>((v >> 8) & 0xff), static_cast<std::uint8_t>(v & 0xff)};
}

inline std::vector<std::uint8_t> u32_le(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v & 0xff), static_cast<std::uint8_t>((v >> 8) & 0xff),
            static_cast<std::uint8_t>((v >> 16) & 0xff), static_cast<std::uint8_t>(v >> 24)};
}

inline std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t v) {
    return std::vector<std::uint8_t>(n, v);
}

// BER TLV with a short or long definite length.
inline std::vector<std::uint8_t> tlv(std::uint8_t tag, const std::vector<std::uint8_t>& value) {
    std::vector<std::uint8_t> out{tag};
    if (value.size() < 0x80) {
        out.push_back(static_cast<std::uint8_t>(value.size()));
    } else {
        out.push_back(0x82);
        const auto n = u16(static_cast<std::uint16_t>(value.size()));
        out.insert(out.end(), n.begin(), n.end());
    }
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

// MQTT: fixed header with a varint remaining length, and u16-prefixed strings.
inline std::vector<std::uint8_t> mqtt_packet(std::uint8_t header,
                                             const std::vector<std::uint8_t>& body) {
    std::vector<std::uint8_t> out{header};
    std::size_t n = body.size();
    do {
        auto b = static_cast<std::uint8_t>(n & 0x7f);
        n >>= 7;
        if (n > 0) b = static_cast<std::uint8_t>(b | 0x80);
        out.push_back(b);
    } while (n > 0);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

inline std::vector<std::uint8_t> mqtt_string(std::string_view s) {
    return cat({u16(static_cast<std::uint16_t>(s.size())), text(s)});
}

inline ProbeContext ctx(Transport t, bool from_initiator, std::uint16_t initiator_port,
                        std::uint16_t responder_port) {
    ProbeContext c;
    c.transport = t;
    c.from_initiator = from_initiator;
    c.initiator_port = initiator_port;
    c.responder_port = responder_port;
    return c;
}

inline const snapshot::AppField* field(const snapshot::AppInfo& info, std::string_view name) {
    return info.find(name);
}

inline std::string text_of(const snapshot::AppInfo& info, std::string_view name) {
    const auto* f = info.find(name);
    return f != nullptr ? f->text : std::string("<missing>");
}

inline std::int64_t number_of(const snapshot::AppInfo& info, std::string_view name) {
    const auto* f = info.find(name);
    return f != nullptr ? f->number : -1;
}

inline std::vector<std::string> list_of(const snapshot::AppInfo& info, std::string_view name) {
    const auto* f = info.find(name);
    return f != nullptr ? f->list : std::vector<std::string>{};
}

// --- fixtures -------------------------------------------------------------

inline std::vector<std::uint8_t> ftp_server() {
    return text(
        "220 (vsFTPd 3.0.3)\r\n331 Please specify the password.\r\n230 Login successful.\r\n");
}
inline std::vector<std::uint8_t> ftp_client() {
    return text("USER anonymous\r\nPASS guest\r\nSYST\r\nPASV\r\n");
}

inline std::vector<std::uint8_t> smtp_server() {
    return text(
        "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n"
        "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
        "250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
}
inline std::vector<std::uint8_t> smtp_client() {
    return text("EHLO client.example.org\r\nSTARTTLS\r\n");
}

inline std::vector<std::uint8_t> imap_server() {
    return text(
        "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
        "AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.\r\n");
}
inline std::vector<std::uint8_t> imap_client() {
    return text("a001 CAPABILITY\r\na002 STARTTLS\r\n");
}

inline std::vector<std::uint8_t> pop3_server() {
    return text(
        "+OK Dovecot (Debian) ready.\r\n+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nSTLS\r\nSASL PLAIN LOGIN\r\n"
        ".\r\n");
}
inline std::vector<std::uint8_t> pop3_client() { return text("CAPA\r\nSTLS\r\n"); }

// CONNECT (3.1.1, clean session, user + password), then a SUBSCRIBE and a PUBLISH.
inline std::vector<std::uint8_t> mqtt_client_311() {
    const std::vector<std::uint8_t> connect = mqtt_packet(0x10, cat({mqtt_string("MQTT"),
                                                                     {0x04, 0xc2},
                                                                     u16(60),
                                                                     mqtt_string("sensor-17"),
                                                                     mqtt_string("alice"),
                                                                     mqtt_string("secret")}));
    const std::vector<std::uint8_t> subscribe =
        mqtt_packet(0x82, cat({u16(1), mqtt_string("home/+/temperature"), {0x01}}));
    const std::vector<std::uint8_t> publish =
        mqtt_packet(0x30, cat({mqtt_string("home/kitchen/light"), text("on")}));
    return cat({connect, subscribe, publish});
}
inline std::vector<std::uint8_t> mqtt_client_5() {
    const std::vector<std::uint8_t> connect = mqtt_packet(
        0x10, cat({mqtt_string("MQTT"), {0x05, 0x02}, u16(30), {0x00}, mqtt_string("v5-client")}));
    const std::vector<std::uint8_t> subscribe =
        mqtt_packet(0x82, cat({u16(7), {0x00}, mqtt_string("a/b"), {0x00}}));
    return cat({connect, subscribe});
}
inline std::vector<std::uint8_t> mqtt_client_31() {
    return mqtt_packet(
        0x10, cat({mqtt_string("MQIsdp"), {0x03, 0x02}, u16(10), mqtt_string("old-client")}));
}
inline std::vector<std::uint8_t> mqtt_server() {
    return cat({mqtt_packet(0x20, {0x00, 0x00}), mqtt_packet(0x90, {0x00, 0x01, 0x01})});
}

inline std::vector<std::uint8_t> bittorrent_handshake(std::string_view peer_id) {
    std::vector<std::uint8_t> info_hash;
    for (std::uint8_t i = 1; i <= 20; ++i) info_hash.push_back(i);
    return cat({{19}, text("BitTorrent protocol"), filled(8, 0), info_hash, text(peer_id)});
}
inline std::vector<std::uint8_t> dht_query() {
    return text("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe");
}
inline std::vector<std::uint8_t> dht_response() {
    return text("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re");
}

// RFC 5769 section 2.1 (request) and 2.2 (IPv4 response).
inline std::vector<std::uint8_t> stun_rfc5769_request() {
    return {0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
            0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e,
            0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x00, 0x24,
            0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, 0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1,
            0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68,
            0x36, 0x76, 0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c,
            0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5,
            0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf};
}
inline std::vector<std::uint8_t> stun_rfc5769_response_v4() {
    return {0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
            0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74,
            0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01,
            0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43, 0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99,
            0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b,
            0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96};
}

// NTP v4 client request and a stratum-2 server reply (RFC 5905 layout).
inline std::vector<std::uint8_t> ntp_client() {
    return cat({{0x23, 0x00, 0x06, 0xe9},
                filled(8, 0),
                filled(4, 0),
                filled(24, 0),
                {0xe9, 0x0f, 0x1a, 0x2b, 0x11, 0x22, 0x33, 0x44}});
}
inline std::vector<std::uint8_t> ntp_server() {
    return cat({{0x24, 0x02, 0x06, 0xe9},
                u32(0x00000100),
                u32(0x00000200),
                {192, 0, 2, 1},
                filled(8, 0x11),
                filled(8, 0x22),
                filled(8, 0x33),
                filled(8, 0x44)});
}

// DHCPDISCOVER with hostname, requested address and vendor class.
inline std::vector<std::uint8_t> dhcp_discover() {
    return cat({{0x01, 0x01, 0x06, 0x00},
                u32(0x3903f326),
                {0, 0, 0x80, 0},
                filled(16, 0),
                {0x00, 0x16, 0x3e, 0x5e, 0x6c, 0x09},
                filled(10, 0),
                filled(64, 0),
                filled(128, 0),
                u32(0x63825363),
                {53, 1, 1},
                {12, 6},
                text("laptop"),
                {50, 4, 192, 168, 1, 20},
                {60, 8},
                text("MSFT 5.0"),
                {55, 3, 1, 3, 6},
                {255}});
}

// DHCPv6 SOLICIT: client id (DUID-LLT), elapsed time, client FQDN.
inline std::vector<std::uint8_t> dhcpv6_solicit() {
    const std::vector<std::uint8_t> duid = {0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c,
                                            0x5d, 0x00, 0x16, 0x3e, 0x5e, 0x6c, 0x09};
    const std::vector<std::uint8_t> fqdn =
        cat({{0x01}, {6}, text("laptop"), {7}, text("example"), {3}, text("org"), {0}});
    return cat({{0x01, 0x12, 0x34, 0x56},
                u16(1),
                u16(static_cast<std::uint16_t>(duid.size())),
                duid,
                u16(8),
                u16(2),
                u16(0),
                u16(39),
                u16(static_cast<std::uint16_t>(fqdn.size())),
                fqdn});
}

inline std::vector<std::uint8_t> snmp_v2c_get() {
    const std::vector<std::uint8_t> varbinds =
        tlv(0x30, tlv(0x30, cat({tlv(0x06, {0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00}),
                                 tlv(0x05, {})})));
    const std::vector<std::uint8_t> pdu =
        tlv(0xa0, cat({tlv(0x02, u32(0x1234)), tlv(0x02, {0}), tlv(0x02, {0}), varbinds}));
    return tlv(0x30, cat({tlv(0x02, {1}), tlv(0x04, text("public")), pdu}));
}
inline std::vector<std::uint8_t> snmp_v1_trap() {
    const std::vector<std::uint8_t> pdu =
        tlv(0xa4, cat({tlv(0x06, {0x2b, 0x06, 0x01, 0x04, 0x01}), tlv(0x40, {10, 0, 0, 1}),
                       tlv(0x02, {6}), tlv(0x02, {1}), tlv(0x43, {0x10}), tlv(0x30, {})}));
    return tlv(0x30, cat({tlv(0x02, {0}), tlv(0x04, text("private")), pdu}));
}
inline std::vector<std::uint8_t> snmp_v3_get() {
    const std::vector<std::uint8_t> global = tlv(
        0x30,
        cat({tlv(0x02, {0x01, 0x02}), tlv(0x02, {0x05, 0xdc}), tlv(0x04, {0x04}), tlv(0x02, {3})}));
    const std::vector<std::uint8_t> usm =
        tlv(0x30, cat({tlv(0x04, {0x80, 0x00, 0x1f, 0x88}), tlv(0x02, {0}), tlv(0x02, {0}),
                       tlv(0x04, text("monitor")), tlv(0x04, {}), tlv(0x04, {})}));
    const std::vector<std::uint8_t> pdu =
        tlv(0xa0, cat({tlv(0x02, {0x42}), tlv(0x02, {0}), tlv(0x02, {0}), tlv(0x30, {})}));
    const std::vector<std::uint8_t> scoped = tlv(0x30, cat({tlv(0x04, {}), tlv(0x04, {}), pdu}));
    return tlv(0x30, cat({tlv(0x02, {3}), global, tlv(0x04, usm), scoped}));
}

inline std::vector<std::uint8_t> ssdp_msearch() {
    return text(
        "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
        "ST: urn:schemas-upnp-org:device:MediaRenderer:1\r\nUSER-AGENT: Linux/6.1 UPnP/1.1 "
        "test/1.0\r\n\r\n");
}
inline std::vector<std::uint8_t> ssdp_notify() {
    return text(
        "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
        "LOCATION: http://192.168.1.5:49152/desc.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
        "SERVER: Linux/5.10 UPnP/1.0 MiniDLNA/1.3.0\r\nUSN: uuid:4d696e69-444c-164e-9d41-"
        "b827eb54e3e5::upnp:rootdevice\r\n\r\n");
}
inline std::vector<std::uint8_t> ssdp_response() {
    return text(
        "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\n"
        "USN: uuid:abc::upnp:rootdevice\r\nSERVER: Linux UPnP/1.0 x/1\r\n\r\n");
}

// RFC 3261 section 4 (Alice's INVITE to Bob), and a reply in compact form.
inline std::vector<std::uint8_t> sip_invite() {
    return text(
        "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
        "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\n"
        "To: Bob <sip:bob@biloxi.com>\r\nFrom: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
        "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\nCSeq: 314159 INVITE\r\n"
        "Contact: <sip:alice@pc33.atlanta.com>\r\nUser-Agent: softphone/2.1\r\n"
        "Content-Length: 0\r\n\r\n");
}
inline std::vector<std::uint8_t> sip_ok_compact() {
    return text(
        "SIP/2.0 200 OK\r\nv: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
        "t: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\nf: Alice "
        "<sip:alice@atlanta.com>;tag=1928301774\r\n"
        "i: a84b4c76e66710@pc33.atlanta.com\r\nServer: pbx/1.0\r\nl: 0\r\n\r\n");
}

inline std::vector<std::uint8_t> wireguard_initiation() {
    return cat({{0x01, 0, 0, 0}, u32_le(0x11223344), filled(140, 0xab)});
}
inline std::vector<std::uint8_t> wireguard_response() {
    return cat({{0x02, 0, 0, 0}, u32_le(0x55667788), u32_le(0x11223344), filled(80, 0xcd)});
}
inline std::vector<std::uint8_t> wireguard_transport() {
    return cat({{0x04, 0, 0, 0}, u32_le(0x55667788), filled(8, 0), filled(48, 0xee)});
}

// P_CONTROL_HARD_RESET_CLIENT_V2, key id 0: plain and with tls-auth (SHA1).
inline std::vector<std::uint8_t> openvpn_reset_plain() {
    return cat({{0x38}, filled(8, 0x5a), {0x00}, u32(0)});
}
inline std::vector<std::uint8_t> openvpn_reset_tls_auth() {
    return cat(
        {{0x38}, filled(8, 0x5a), filled(20, 0x77), u32(1), u32(1'700'000'000), {0x00}, u32(0)});
}
inline std::vector<std::uint8_t> openvpn_reset_server_plain() {
    return cat({{0x40}, filled(8, 0x6b), {0x01}, u32(0), filled(8, 0x5a), u32(0)});
}
inline std::vector<std::uint8_t> openvpn_tcp(const std::vector<std::uint8_t>& packet) {
    return cat({u16(static_cast<std::uint16_t>(packet.size())), packet});
}

}  // namespace sockeye::dpi::fixtures
