// Small helpers the layer decoders share for fields that are more than an
// integer (MAC and IP addresses). They read through ByteReader like
// everything else; callers check has() for the whole header first, so a
// short read here only ever yields zeros.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

#include "core/byte_reader.hpp"
#include "core/ip_address.hpp"

namespace sockeye::decode {

// Copies the next N bytes of the reader to the front of `to` (nothing when
// the reader is short). A plain loop with a constant bound on purpose:
// std::copy / copy_n over take()'s span compiled to a memmove call per
// address (~6% of a TCP packet's decode time in perf); this unrolls.
template <std::size_t N, std::size_t M>
inline void take_into(core::ByteReader& r, std::array<std::uint8_t, M>& to) {
    static_assert(N <= M);
    const std::span<const std::uint8_t> bytes = r.take(N);
    if (bytes.size() != N) return;
    for (std::size_t i = 0; i < N; ++i) to[i] = bytes[i];
}

inline void read_mac(core::ByteReader& r, std::array<std::uint8_t, 6>& mac) {
    take_into<6>(r, mac);
}

// Fills the address in place rather than through IpAddress::v4(span): this
// runs twice per packet and stays inline.
inline core::IpAddress read_ipv4_address(core::ByteReader& r) {
    core::IpAddress a;
    take_into<4>(r, a.bytes);
    a.family = core::IpFamily::v4;
    return a;
}

inline core::IpAddress read_ipv6_address(core::ByteReader& r) {
    core::IpAddress a;
    take_into<16>(r, a.bytes);
    a.family = core::IpFamily::v6;
    return a;
}

// Narrows the reader to at most `len` more bytes: a length field must not
// let a parser read the trailer (Ethernet padding, FCS) as its own data.
inline void limit_reader(core::ByteReader& r, std::uint32_t len) {
    const std::span<const std::uint8_t> rest = r.rest();
    r = core::ByteReader(rest.first(std::min<std::size_t>(rest.size(), len)));
}

}  // namespace sockeye::decode
