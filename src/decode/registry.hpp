// The (namespace, key) -> layer decoder tables.
//
// Every layer decoder has the same shape: it reads its own header from the
// reader, fills its part of the DecodedFrame and names what follows by a key
// in a namespace (a DLT, an ethertype, an IP protocol number). Only this
// registry knows which decoder handles which key, so a parent never names
// its children and adding a protocol touches one table (docs/ARCHITECTURE.md,
// "Adding a layer decoder").
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/byte_reader.hpp"
#include "decode/decoded_frame.hpp"

namespace sockeye::decode {

enum class Space : std::uint8_t {
    done,         // nothing more to decode
    link,         // key: DLT value
    ethertype,    // key: ethertype (also what SLL / NULL / PPP protocols map onto)
    ip_proto,     // key: IP protocol number, as seen after IPv4 (or an AH)
    ipv6_header,  // key: IPv6 next header: extension headers first, then ip_proto
};

struct Next {
    Space space = Space::done;
    std::uint16_t key = 0;
};

inline constexpr Next kDone{};

// Per-frame state the layers hand down besides the reader. Small and reset
// per frame; lives on the decoder's stack.
struct LayerState {
    // Upper-layer bytes the innermost IP header claims (IPv4 total length or
    // IPv6 payload length minus the headers consumed since). When the IP
    // length field cannot be used (TSO, jumbogram) it is what was captured.
    std::uint32_t ip_payload_len = 0;
    std::uint8_t ipv6_extensions = 0;  // extension headers walked so far
};

using LayerDecoder = Next (*)(core::ByteReader&, DecodedFrame&, LayerState&);

// A layer that runs out of bytes flags the frame and decodes no further:
// `if (!has_or_flag(r, kHeaderLen, out, Anomaly::truncated_udp)) return kDone;`
inline bool has_or_flag(const core::ByteReader& r, std::size_t bytes, DecodedFrame& out,
                        Anomaly truncated) {
    if (r.has(bytes)) return true;
    out.flag(truncated);
    return false;
}

// The decoder registered for `next`, or nullptr when the key is unknown
// (the caller then applies the namespace's fallback).
LayerDecoder find_layer_decoder(Next next);

}  // namespace sockeye::decode
