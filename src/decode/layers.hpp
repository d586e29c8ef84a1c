// Every layer decoder, for the registry (and the unit tests). Decoders never
// include this file: they do not call each other.
#pragma once

#include "decode/registry.hpp"

namespace sockeye::decode {

// src/decode/l2/
Next decode_ethernet(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_vlan(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_sll(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_sll2(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_null(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_loop(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_raw_ip(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_raw_ipv4(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_raw_ipv6(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_pppoe_session(core::ByteReader& r, DecodedFrame& out, LayerState& st);

// src/decode/l3/
Next decode_ipv4(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_ipv6(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_ipv6_options(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_ipv6_fragment(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_ipv6_no_next(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_auth_header(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_arp(core::ByteReader& r, DecodedFrame& out, LayerState& st);

// src/decode/l4/
Next decode_tcp(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_udp(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_icmp(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_icmpv6(core::ByteReader& r, DecodedFrame& out, LayerState& st);
Next decode_igmp(core::ByteReader& r, DecodedFrame& out, LayerState& st);

}  // namespace sockeye::decode
