// Hand-built DecodedFrames for the flow tests: what decode would produce for
// small TCP/UDP/ICMP/ARP packets, without going through bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ip_address.hpp"
#include "decode/decoded_frame.hpp"
#include "flow/flow_table.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::flow::test {

inline constexpr std::int64_t kMs = 1'000'000;

inline core::IpAddress ip4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    const auto u = [](std::uint8_t x) { return static_cast<std::uint32_t>(x); };
    return core::IpAddress::v4((u(a) << 24U) | (u(b) << 16U) | (u(c) << 8U) | u(d));
}

inline decode::DecodedFrame ip_frame(std::int64_t ts, const core::IpAddress& src,
                                     const core::IpAddress& dst, std::uint32_t wire_len) {
    decode::DecodedFrame f;
    f.ts_ns = ts;
    f.wire_len = wire_len;
    f.cap_len = wire_len;
    f.network = src.is_v6() ? decode::Network::ipv6 : decode::Network::ipv4;
    f.src_ip = src;
    f.dst_ip = dst;
    return f;
}

struct Tcp {
    std::uint8_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t payload = 0;
    std::uint16_t window = 1000;
};

inline decode::DecodedFrame tcp(std::int64_t ts, const core::IpAddress& src, std::uint16_t sport,
                                const core::IpAddress& dst, std::uint16_t dport, Tcp t) {
    decode::DecodedFrame f = ip_frame(ts, src, dst, 54 + t.payload);
    f.ip_proto = 6;
    f.transport = decode::Transport::tcp;
    f.src_port = sport;
    f.dst_port = dport;
    f.tcp.flags = t.flags;
    f.tcp.seq = t.seq;
    f.tcp.ack = t.ack;
    f.tcp.window = t.window;
    f.tcp.header_len = 20;
    f.payload_len = t.payload;
    return f;
}

inline decode::DecodedFrame udp(std::int64_t ts, const core::IpAddress& src, std::uint16_t sport,
                                const core::IpAddress& dst, std::uint16_t dport,
                                std::uint32_t payload = 100) {
    decode::DecodedFrame f = ip_frame(ts, src, dst, 42 + payload);
    f.ip_proto = 17;
    f.transport = decode::Transport::udp;
    f.src_port = sport;
    f.dst_port = dport;
    f.payload_len = payload;
    return f;
}

inline decode::DecodedFrame icmp_echo(std::int64_t ts, const core::IpAddress& src,
                                      const core::IpAddress& dst, std::uint16_t id, bool reply) {
    decode::DecodedFrame f = ip_frame(ts, src, dst, 98);
    f.ip_proto = 1;
    f.transport = decode::Transport::icmp;
    f.icmp.type = reply ? 0 : 8;
    f.icmp.is_echo = true;
    f.icmp.is_echo_reply = reply;
    f.icmp.echo_id = id;
    return f;
}

inline decode::DecodedFrame icmp_other(std::int64_t ts, const core::IpAddress& src,
                                       const core::IpAddress& dst, std::uint8_t type) {
    decode::DecodedFrame f = ip_frame(ts, src, dst, 70);
    f.ip_proto = 1;
    f.transport = decode::Transport::icmp;
    f.icmp.type = type;
    return f;
}

inline decode::DecodedFrame arp(std::int64_t ts, const core::IpAddress& sender,
                                const core::IpAddress& target, std::uint16_t op) {
    decode::DecodedFrame f;
    f.ts_ns = ts;
    f.wire_len = 60;
    f.cap_len = 60;
    f.has_mac = true;
    f.ethertype = 0x0806;
    f.network = decode::Network::arp;
    f.arp.op = op;
    f.arp.sender_ip = sender;
    f.arp.target_ip = target;
    return f;
}

inline std::vector<snapshot::FlowRecord> records(const FlowTable& table, std::int64_t now) {
    snapshot::Snapshot snap;
    table.snapshot_into(snap, now);
    return snap.flows;
}

}  // namespace sockeye::flow::test
