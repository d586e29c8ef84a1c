// Negative tests across the long-tail probes: no probe claims another
// protocol's fixture, nor random bytes, and none changes `info` unless it
// matches.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "dpi/protocols/bittorrent.hpp"
#include "dpi/protocols/dhcp.hpp"
#include "dpi/protocols/dhcpv6.hpp"
#include "dpi/protocols/ftp.hpp"
#include "dpi/protocols/imap.hpp"
#include "dpi/protocols/mqtt.hpp"
#include "dpi/protocols/ntp.hpp"
#include "dpi/protocols/openvpn.hpp"
#include "dpi/protocols/pop3.hpp"
#include "dpi/protocols/sip.hpp"
#include "dpi/protocols/smtp.hpp"
#include "dpi/protocols/snmp.hpp"
#include "dpi/protocols/ssdp.hpp"
#include "dpi/protocols/stun.hpp"
#include "dpi/protocols/wireguard.hpp"
#include "unit/dpi/dpi_more_fixtures.hpp"

namespace sockeye::dpi {
namespace {

struct NamedProbe {
    std::string name;
    ProbeFn fn;
};

const std::vector<NamedProbe>& probes() {
    static const std::vector<NamedProbe> all = {
        {"FTP", probe_ftp},         {"SMTP", probe_smtp},
        {"IMAP", probe_imap},       {"POP3", probe_pop3},
        {"MQTT", probe_mqtt},       {"BitTorrent", probe_bittorrent},
        {"STUN", probe_stun},       {"NTP", probe_ntp},
        {"DHCP", probe_dhcp},       {"DHCPv6", probe_dhcpv6},
        {"SNMP", probe_snmp},       {"SSDP", probe_ssdp},
        {"SIP", probe_sip},         {"WireGuard", probe_wireguard},
        {"OpenVPN", probe_openvpn},
    };
    return all;
}

struct Fixture {
    std::string protocol;
    Transport transport;
    bool from_initiator;
    std::vector<std::uint8_t> bytes;
};

std::vector<Fixture> all_fixtures() {
    namespace f = fixtures;
    const auto tcp = Transport::tcp;
    const auto udp = Transport::udp;
    return {
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
}

TEST(DpiMoreCross, EachFixtureMatchesOnlyItsOwnProbe) {
    for (const auto& fx : all_fixtures()) {
        // Unregistered ports, so only content decides.
        const auto c = fixtures::ctx(fx.transport, fx.from_initiator, 40000, 40001);
        for (const auto& p : probes()) {
            snapshot::AppInfo info;
            const Verdict v = p.fn(c, fx.bytes, info);
            if (p.name == fx.protocol) {
                // Server-first text protocols may wait for the other side
                // off their port; everything else must classify.
                EXPECT_NE(v, Verdict::no_match)
                    << fx.protocol << " fixture from_initiator=" << fx.from_initiator;
                continue;
            }
            EXPECT_FALSE(is_match(v)) << p.name << " claimed a " << fx.protocol << " fixture";
            if (!is_match(v)) {
                EXPECT_TRUE(info.protocol.empty() && info.fields.empty()) << p.name;
            }
        }
    }
}

TEST(DpiMoreCross, RandomBytesMatchNothing) {
    std::mt19937 rng(20240611);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 600);
    int matches = 0;
    for (int round = 0; round < 20000; ++round) {
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(length(rng)));
        for (auto& b : bytes) b = static_cast<std::uint8_t>(byte(rng));
        const auto transport = (round % 2 == 0) ? Transport::tcp : Transport::udp;
        const auto c = fixtures::ctx(transport, (round % 4) < 2, 40000, 40001);
        for (const auto& p : probes()) {
            snapshot::AppInfo info;
            if (is_match(p.fn(c, bytes, info))) {
                ++matches;
                ADD_FAILURE() << p.name << " matched random bytes of length " << bytes.size();
            }
        }
        if (matches > 5) break;
    }
}

TEST(DpiMoreCross, TruncationsNeverReadPastTheEnd) {
    // Every prefix of every fixture: the probes must stay in bounds (the
    // sanitizer build checks) and never match a no_match's info.
    for (const auto& fx : all_fixtures()) {
        const auto c = fixtures::ctx(fx.transport, fx.from_initiator, 40000, 40001);
        for (std::size_t n = 0; n <= fx.bytes.size(); ++n) {
            const std::vector<std::uint8_t> prefix(
                fx.bytes.begin(), fx.bytes.begin() + static_cast<std::ptrdiff_t>(n));
            for (const auto& p : probes()) {
                snapshot::AppInfo info;
                const Verdict v = p.fn(c, prefix, info);
                if (v == Verdict::no_match) {
                    EXPECT_TRUE(info.protocol.empty()) << p.name;
                }
            }
        }
    }
}

}  // namespace
}  // namespace sockeye::dpi
