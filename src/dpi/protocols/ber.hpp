// Minimal BER (X.690) reading for SNMP and for X.509 certificates (DER is
// a subset): single-byte tags and definite lengths only, which is all either
// uses; anything else is refused rather than guessed at.
#pragma once

#include <cstdint>
#include <span>

#include "core/byte_reader.hpp"

namespace sockeye::dpi::ber {

inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kSequence = 0x30;

struct Tlv {
    std::uint8_t tag = 0;
    std::span<const std::uint8_t> value;
};

// Reads one TLV; false (and `r` failed) when the header is malformed, uses a
// multi-byte tag or the indefinite form, or the value is cut short.
bool read_tlv(core::ByteReader& r, Tlv& out);
// Reads a TLV and checks its tag.
bool read_expected(core::ByteReader& r, std::uint8_t tag, Tlv& out);
// A two's-complement INTEGER value of 1..8 bytes.
bool to_integer(std::span<const std::uint8_t> value, std::int64_t& out);

}  // namespace sockeye::dpi::ber
