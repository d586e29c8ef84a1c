#include "enrich/service_names.hpp"

#include <algorithm>
#include <array>

namespace sockeye::enrich {
namespace {

// Which transports a name is registered for.
constexpr std::uint8_t kTcp = 1;
constexpr std::uint8_t kUdp = 2;
constexpr std::uint8_t kBoth = kTcp | kUdp;

struct ServiceEntry {
    std::uint16_t port;
    std::uint8_t transports;
    std::string_view name;
};

// Names as Debian's netbase /etc/services spells them (IANA's registry for
// the few it lacks: mqtt, docker, memcache, mongodb, stun, ssdp, llmnr, coap,
// rfb, etcd, vxlan, geneve; "https-alt" for 8443 as scanners print it).
// Sorted by port; a port whose TCP and UDP names differ has one row each.
// Kept to services people meet on desktops, servers and containers.
constexpr std::array kServices = {
    ServiceEntry{7, kBoth, "echo"},
    ServiceEntry{9, kBoth, "discard"},
    ServiceEntry{13, kBoth, "daytime"},
    ServiceEntry{17, kTcp, "qotd"},
    ServiceEntry{19, kBoth, "chargen"},
    ServiceEntry{20, kTcp, "ftp-data"},
    ServiceEntry{21, kTcp, "ftp"},
    ServiceEntry{21, kUdp, "fsp"},
    ServiceEntry{22, kTcp, "ssh"},
    ServiceEntry{23, kTcp, "telnet"},
    ServiceEntry{25, kTcp, "smtp"},
    ServiceEntry{37, kBoth, "time"},
    ServiceEntry{43, kTcp, "whois"},
    ServiceEntry{49, kBoth, "tacacs"},
    ServiceEntry{53, kBoth, "domain"},
    ServiceEntry{67, kUdp, "bootps"},
    ServiceEntry{68, kUdp, "bootpc"},
    ServiceEntry{69, kUdp, "tftp"},
    ServiceEntry{70, kTcp, "gopher"},
    ServiceEntry{79, kTcp, "finger"},
    ServiceEntry{80, kTcp, "http"},
    ServiceEntry{88, kBoth, "kerberos"},
    ServiceEntry{110, kTcp, "pop3"},
    ServiceEntry{111, kBoth, "sunrpc"},
    ServiceEntry{113, kTcp, "auth"},
    ServiceEntry{119, kTcp, "nntp"},
    ServiceEntry{123, kUdp, "ntp"},
    ServiceEntry{135, kTcp, "epmap"},
    ServiceEntry{137, kUdp, "netbios-ns"},
    ServiceEntry{138, kUdp, "netbios-dgm"},
    ServiceEntry{139, kTcp, "netbios-ssn"},
    ServiceEntry{143, kTcp, "imap2"},
    ServiceEntry{161, kBoth, "snmp"},
    ServiceEntry{162, kBoth, "snmp-trap"},
    ServiceEntry{177, kUdp, "xdmcp"},
    ServiceEntry{179, kTcp, "bgp"},
    ServiceEntry{199, kTcp, "smux"},
    ServiceEntry{319, kUdp, "ptp-event"},
    ServiceEntry{320, kUdp, "ptp-general"},
    ServiceEntry{389, kBoth, "ldap"},
    ServiceEntry{427, kBoth, "svrloc"},
    ServiceEntry{443, kBoth, "https"},  // UDP: QUIC
    ServiceEntry{444, kTcp, "snpp"},
    ServiceEntry{445, kTcp, "microsoft-ds"},
    ServiceEntry{464, kBoth, "kpasswd"},
    ServiceEntry{465, kTcp, "submissions"},
    ServiceEntry{500, kUdp, "isakmp"},
    ServiceEntry{512, kTcp, "exec"},
    ServiceEntry{512, kUdp, "biff"},
    ServiceEntry{513, kTcp, "login"},
    ServiceEntry{513, kUdp, "who"},
    ServiceEntry{514, kTcp, "shell"},
    ServiceEntry{514, kUdp, "syslog"},
    ServiceEntry{515, kTcp, "printer"},
    ServiceEntry{517, kUdp, "talk"},
    ServiceEntry{518, kUdp, "ntalk"},
    ServiceEntry{520, kUdp, "route"},
    ServiceEntry{540, kTcp, "uucp"},
    ServiceEntry{543, kTcp, "klogin"},
    ServiceEntry{544, kTcp, "kshell"},
    ServiceEntry{546, kUdp, "dhcpv6-client"},
    ServiceEntry{547, kUdp, "dhcpv6-server"},
    ServiceEntry{548, kTcp, "afpovertcp"},
    ServiceEntry{554, kBoth, "rtsp"},
    ServiceEntry{563, kTcp, "nntps"},
    ServiceEntry{587, kTcp, "submission"},
    ServiceEntry{623, kUdp, "asf-rmcp"},
    ServiceEntry{631, kTcp, "ipp"},
    ServiceEntry{636, kBoth, "ldaps"},
    ServiceEntry{646, kBoth, "ldp"},
    ServiceEntry{655, kBoth, "tinc"},
    ServiceEntry{749, kTcp, "kerberos-adm"},
    ServiceEntry{853, kBoth, "domain-s"},
    ServiceEntry{873, kTcp, "rsync"},
    ServiceEntry{989, kTcp, "ftps-data"},
    ServiceEntry{990, kTcp, "ftps"},
    ServiceEntry{992, kTcp, "telnets"},
    ServiceEntry{993, kTcp, "imaps"},
    ServiceEntry{995, kTcp, "pop3s"},
    ServiceEntry{1080, kTcp, "socks"},
    ServiceEntry{1099, kTcp, "rmiregistry"},
    ServiceEntry{1194, kBoth, "openvpn"},
    ServiceEntry{1352, kTcp, "lotusnote"},
    ServiceEntry{1433, kTcp, "ms-sql-s"},
    ServiceEntry{1434, kUdp, "ms-sql-m"},
    ServiceEntry{1701, kUdp, "l2f"},
    ServiceEntry{1812, kBoth, "radius"},
    ServiceEntry{1813, kBoth, "radius-acct"},
    ServiceEntry{1883, kTcp, "mqtt"},
    ServiceEntry{1900, kUdp, "ssdp"},
    ServiceEntry{2049, kBoth, "nfs"},
    ServiceEntry{2375, kTcp, "docker"},
    ServiceEntry{2376, kTcp, "docker-s"},
    ServiceEntry{2379, kTcp, "etcd-client"},
    ServiceEntry{2380, kTcp, "etcd-server"},
    ServiceEntry{2401, kTcp, "cvspserver"},
    ServiceEntry{2628, kTcp, "dict"},
    ServiceEntry{2947, kTcp, "gpsd"},
    ServiceEntry{3260, kTcp, "iscsi-target"},
    ServiceEntry{3306, kTcp, "mysql"},
    ServiceEntry{3389, kTcp, "ms-wbt-server"},
    ServiceEntry{3478, kBoth, "stun"},
    ServiceEntry{3493, kBoth, "nut"},
    ServiceEntry{3632, kTcp, "distcc"},
    ServiceEntry{3689, kTcp, "daap"},
    ServiceEntry{3690, kTcp, "svn"},
    ServiceEntry{4190, kTcp, "sieve"},
    ServiceEntry{4369, kTcp, "epmd"},
    ServiceEntry{4460, kTcp, "ntske"},
    ServiceEntry{4500, kUdp, "ipsec-nat-t"},
    ServiceEntry{4569, kUdp, "iax"},
    ServiceEntry{4789, kUdp, "vxlan"},
    ServiceEntry{5060, kBoth, "sip"},
    ServiceEntry{5061, kBoth, "sip-tls"},
    ServiceEntry{5222, kTcp, "xmpp-client"},
    ServiceEntry{5269, kTcp, "xmpp-server"},
    ServiceEntry{5353, kUdp, "mdns"},
    ServiceEntry{5355, kBoth, "llmnr"},
    ServiceEntry{5432, kTcp, "postgresql"},
    ServiceEntry{5666, kTcp, "nrpe"},
    ServiceEntry{5671, kTcp, "amqps"},
    ServiceEntry{5672, kTcp, "amqp"},
    ServiceEntry{5683, kUdp, "coap"},
    ServiceEntry{5900, kTcp, "rfb"},
    ServiceEntry{6000, kTcp, "x11"},
    ServiceEntry{6081, kUdp, "geneve"},
    ServiceEntry{6379, kTcp, "redis"},
    ServiceEntry{6514, kTcp, "syslog-tls"},
    ServiceEntry{6566, kTcp, "sane-port"},
    ServiceEntry{6667, kTcp, "ircd"},
    ServiceEntry{6696, kUdp, "babel"},
    ServiceEntry{6697, kTcp, "ircs-u"},
    ServiceEntry{8008, kTcp, "http-alt"},
    ServiceEntry{8080, kTcp, "http-alt"},
    ServiceEntry{8140, kTcp, "puppet"},
    ServiceEntry{8443, kTcp, "https-alt"},
    ServiceEntry{8883, kTcp, "secure-mqtt"},
    ServiceEntry{9101, kTcp, "bacula-dir"},
    ServiceEntry{9102, kTcp, "bacula-fd"},
    ServiceEntry{9103, kTcp, "bacula-sd"},
    ServiceEntry{9418, kTcp, "git"},
    ServiceEntry{10000, kTcp, "webmin"},
    ServiceEntry{10050, kTcp, "zabbix-agent"},
    ServiceEntry{10051, kTcp, "zabbix-trapper"},
    ServiceEntry{10809, kTcp, "nbd"},
    ServiceEntry{11211, kBoth, "memcache"},
    ServiceEntry{11371, kTcp, "hkp"},
    ServiceEntry{17500, kTcp, "db-lsp"},
    ServiceEntry{27017, kTcp, "mongodb"},
};

constexpr bool sorted_by_port() {
    for (std::size_t i = 1; i < kServices.size(); ++i) {
        if (kServices[i - 1].port > kServices[i].port) return false;
        // Two rows for one port must not both claim a transport.
        if (kServices[i - 1].port == kServices[i].port &&
            (kServices[i - 1].transports & kServices[i].transports) != 0) {
            return false;
        }
    }
    return true;
}
static_assert(sorted_by_port(), "kServices must be sorted by port for binary search");

std::uint8_t transport_bit(snapshot::FlowProtocol protocol) {
    switch (protocol) {
        case snapshot::FlowProtocol::tcp: return kTcp;
        case snapshot::FlowProtocol::udp: return kUdp;
        default: return 0;
    }
}

}  // namespace

std::string_view service_name(snapshot::FlowProtocol protocol, std::uint16_t port) {
    const std::uint8_t bit = transport_bit(protocol);
    if (bit == 0) return {};
    auto it = std::lower_bound(kServices.begin(), kServices.end(), port,
                               [](const ServiceEntry& e, std::uint16_t p) { return e.port < p; });
    for (; it != kServices.end() && it->port == port; ++it) {
        if ((it->transports & bit) != 0) return it->name;
    }
    return {};
}

bool is_service_name(std::string_view name) {
    const auto same = [name](std::string_view candidate) {
        if (candidate.size() != name.size()) return false;
        for (std::size_t i = 0; i < name.size(); ++i) {
            const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
            if (lower(candidate[i]) != lower(name[i])) return false;
        }
        return true;
    };
    return std::any_of(kServices.begin(), kServices.end(), [&](const ServiceEntry& e) { return same(e.name); });
}

std::string_view flow_service(const snapshot::FlowRecord& flow) {
    const std::string_view dst = service_name(flow.protocol, flow.destination_port);
    if (!dst.empty()) return dst;
    return service_name(flow.protocol, flow.source_port);
}

}  // namespace sockeye::enrich
