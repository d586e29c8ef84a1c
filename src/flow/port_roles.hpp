// Which end of a TCP or UDP conversation is the client, from its ports alone:
// for flows whose first frame is not a SYN or SYN/ACK (a capture that started
// mid-connection, a UDP answer whose question was missed), where the first
// sender may as well be the server.
//
// Ports rank as
//   server      1-1023 (system ports, RFC 6335), and the registered ports of
//               common services that clients may reach from a system port
//               (NFS on 2049) or from anywhere (databases, proxies, ...);
//   registered  the other ports 1024-32767;
//   ephemeral   32768-65535, where operating systems pick client ports
//               (Linux 32768-60999; Windows, macOS and IANA 49152-65535).
// The end with the lower rank is the client. Equal ranks (both servers, both
// ephemeral, the same port) do not tell.
#pragma once

#include <cstdint>

namespace sockeye::flow {

enum class PortRank : std::uint8_t { ephemeral, registered, server };

PortRank port_rank(std::uint16_t port);

enum class ClientEnd : std::uint8_t { unknown, first, second };

// Which of the two ports' ends is the client.
ClientEnd client_by_ports(std::uint16_t first, std::uint16_t second);

}  // namespace sockeye::flow
