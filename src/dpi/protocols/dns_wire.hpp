// The DNS message format (RFC 1035 section 4), shared by the DNS, mDNS,
// LLMNR and NetBIOS-NS probes: header, the first question, and the A, AAAA
// and CNAME answers. Names are decompressed with loop protection.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/ip_address.hpp"

namespace sockeye::dpi::dns {

inline constexpr std::size_t kMaxName = 255;
inline constexpr std::size_t kMaxAnswers = 32;

struct Message {
    std::uint16_t id = 0;
    std::uint16_t flags = 0;
    std::uint16_t qdcount = 0;
    std::uint16_t ancount = 0;
    std::string qname;  // first question; "" when none (or the root)
    std::uint16_t qtype = 0;
    std::uint16_t qclass = 0;
    std::string first_owner;  // owner of the first A/AAAA answer, else of the first answer
    std::string any_owner;    // (parser scratch) owner of the first answer
    std::vector<core::IpAddress> a;     // A records, in answer order
    std::vector<core::IpAddress> aaaa;  // AAAA records, in answer order
    std::vector<std::string> cname;  // targets, in answer order
    bool trailing_bytes = false;     // bytes left after the last record
    bool cut = false;                // records lost to the capture's snapshot length

    [[nodiscard]] bool is_response() const { return (flags & 0x8000u) != 0; }
    [[nodiscard]] unsigned opcode() const { return (flags >> 11) & 0xfu; }
    [[nodiscard]] unsigned rcode() const { return flags & 0xfu; }
};

// Parses a whole message (UDP payload, or one TCP message without its length
// prefix). False when it is not a plausible DNS message; `out` may then be
// partly filled. With `cut` (the capture kept only a prefix of the packet) a
// message whose records run past the end still parses when its header and
// questions are complete: out.cut tells that records are missing.
bool parse_message(std::span<const std::uint8_t> msg, Message& out, bool cut = false);

// Reads the (possibly compressed) name at `offset` of `msg` and moves
// `offset` past it in the original position. False on a malformed name, a
// pointer loop or a name over 255 bytes.
bool read_name(std::span<const std::uint8_t> msg, std::size_t& offset, std::string& out);

// "A", "AAAA", "CNAME", ... or the decimal number.
std::string type_name(std::uint16_t type);
// "NOERROR", "NXDOMAIN", ... or the decimal number.
std::string rcode_name(unsigned rcode);

}  // namespace sockeye::dpi::dns
