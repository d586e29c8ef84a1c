// Small non-TCP conversations shared by several scenario families.
#pragma once

#include <cstdint>
#include <string_view>

#include "packet_builder.hpp"
#include "trace.hpp"

namespace sockeye::trafficgen {

struct UdpEnds {
    Addr client;
    Addr server;
    std::uint16_t client_port = 0;
    std::uint16_t server_port = 0;
};

// A DNS A query for `name` and (if `answered`) its one-record response.
// Returns the time after the last packet.
std::int64_t dns_exchange(Trace& trace, const LinkContext& link, const UdpEnds& ends, std::int64_t t,
                          std::uint16_t query_id, std::string_view name, bool answered);
// One datagram from client to server (from_client) or back, `len` payload bytes.
void udp_send(Trace& trace, const LinkContext& link, const UdpEnds& ends, std::int64_t t, bool from_client,
              std::uint32_t len);
// `count` echo requests; replies unless `answered` is false. ICMPv6 for v6 addresses.
std::int64_t ping(Trace& trace, const LinkContext& link, const Addr& from, const Addr& to, std::uint16_t id,
                  int count, bool answered, std::int64_t t);
// ARP who-has (broadcast) and is-at.
std::int64_t arp_exchange(Trace& trace, const LinkContext& link, const Addr& asker, const Addr& target,
                          std::int64_t t);

}  // namespace sockeye::trafficgen
