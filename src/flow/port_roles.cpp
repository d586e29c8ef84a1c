#include "flow/port_roles.hpp"

#include <algorithm>
#include <array>

namespace sockeye::flow {
namespace {

constexpr std::uint16_t kLastSystemPort = 1023;
constexpr std::uint16_t kFirstEphemeralPort = 32768;

// Registered ports (above 1023) that are servers' as surely as system ports.
// Sorted (binary searched).
constexpr std::array<std::uint16_t, 24> kServicePorts = {
    1080,   // SOCKS
    1194,   // OpenVPN
    1433,   // Microsoft SQL Server
    1521,   // Oracle
    1883,   // MQTT
    2049,   // NFS (clients often on a system port)
    3128,   // HTTP proxy
    3306,   // MySQL
    3389,   // RDP
    3478,   // STUN / TURN
    5060,   // SIP
    5222,   // XMPP
    5353,   // mDNS
    5355,   // LLMNR
    5432,   // PostgreSQL
    5672,   // AMQP
    5900,   // VNC
    6379,   // Redis
    8080,   // HTTP alternate
    8443,   // HTTPS alternate
    9092,   // Kafka
    9200,   // Elasticsearch
    11211,  // memcached
    27017,  // MongoDB
};
static_assert(std::is_sorted(kServicePorts.begin(), kServicePorts.end()));

}  // namespace

PortRank port_rank(std::uint16_t port) {
    if (port >= kFirstEphemeralPort) return PortRank::ephemeral;
    if ((port != 0 && port <= kLastSystemPort) ||
        std::binary_search(kServicePorts.begin(), kServicePorts.end(), port))
        return PortRank::server;
    return PortRank::registered;
}

ClientEnd client_by_ports(std::uint16_t first, std::uint16_t second) {
    const PortRank a = port_rank(first);
    const PortRank b = port_rank(second);
    if (a == b) return ClientEnd::unknown;
    return a < b ? ClientEnd::first : ClientEnd::second;
}

}  // namespace sockeye::flow
