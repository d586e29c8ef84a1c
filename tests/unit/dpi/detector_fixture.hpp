// Byte builders and frame helpers shared by the DPI unit tests.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "decode/decoded_frame.hpp"
#include "dpi/probe.hpp"

namespace sockeye::dpi::test {

struct Bytes {
    std::vector<std::uint8_t> v;

    Bytes& u8(unsigned x) {
        v.push_back(static_cast<std::uint8_t>(x));
        return *this;
    }
    Bytes& u16(unsigned x) { return u8(x >> 8).u8(x); }
    Bytes& u24(unsigned x) { return u8(x >> 16).u16(x & 0xffff); }
    Bytes& u32(std::uint32_t x) { return u16(x >> 16).u16(x & 0xffff); }
    Bytes& str(std::string_view s) {
        v.insert(v.end(), s.begin(), s.end());
        return *this;
    }
    Bytes& raw(std::span<const std::uint8_t> b) {
        v.insert(v.end(), b.begin(), b.end());
        return *this;
    }
    Bytes& raw(const Bytes& b) { return raw(std::span<const std::uint8_t>(b.v)); }
    Bytes& fill(std::size_t n, unsigned x) {
        v.insert(v.end(), n, static_cast<std::uint8_t>(x));
        return *this;
    }
    // Prefixes with the 1/2/3-byte length of `body`.
    Bytes& vec8(const Bytes& body) { return u8(static_cast<unsigned>(body.v.size())).raw(body); }
    Bytes& vec16(const Bytes& body) { return u16(static_cast<unsigned>(body.v.size())).raw(body); }
    Bytes& vec24(const Bytes& body) { return u24(static_cast<unsigned>(body.v.size())).raw(body); }

    [[nodiscard]] std::span<const std::uint8_t> span() const { return v; }
    [[nodiscard]] std::size_t size() const { return v.size(); }
};

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

inline ProbeContext tcp_ctx(bool from_initiator, std::uint16_t server_port = 443) {
    ProbeContext c;
    c.transport = Transport::tcp;
    c.from_initiator = from_initiator;
    c.initiator_port = 40000;
    c.responder_port = server_port;
    return c;
}

inline ProbeContext udp_ctx(bool from_initiator, std::uint16_t server_port = 53) {
    ProbeContext c = tcp_ctx(from_initiator, server_port);
    c.transport = Transport::udp;
    return c;
}

// A TCP or UDP frame between 10.0.0.1:40000 (initiator) and 10.0.0.2:port.
inline decode::DecodedFrame frame(bool tcp, bool from_initiator, std::uint16_t port,
                                  std::span<const std::uint8_t> payload, std::uint32_t seq = 0,
                                  std::uint8_t flags = decode::tcp_flag::kAck,
                                  std::int64_t ts_ns = 1'000'000'000) {
    decode::DecodedFrame f;
    f.ts_ns = ts_ns;
    f.network = decode::Network::ipv4;
    f.transport = tcp ? decode::Transport::tcp : decode::Transport::udp;
    f.src_port = from_initiator ? 40000 : port;
    f.dst_port = from_initiator ? port : 40000;
    f.tcp.seq = seq;
    f.tcp.flags = flags;
    f.payload = payload;
    f.payload_len = static_cast<std::uint32_t>(payload.size());
    return f;
}

}  // namespace sockeye::dpi::test
