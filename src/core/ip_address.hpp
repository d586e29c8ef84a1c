// An IPv4 or IPv6 address as a fixed-size value: trivially copyable, so it
// can sit inside flow keys and be hashed as bytes.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace sockeye::core {

enum class IpFamily : std::uint8_t { none = 0, v4 = 4, v6 = 6 };

struct IpAddress {
    // IPv4 uses bytes[0..3]; the rest stays zero so byte-wise compare and hash work.
    std::array<std::uint8_t, 16> bytes{};
    IpFamily family = IpFamily::none;

    static IpAddress v4(std::span<const std::uint8_t> four);
    static IpAddress v6(std::span<const std::uint8_t> sixteen);
    static IpAddress v4(std::uint32_t host_order);

    [[nodiscard]] bool is_v4() const { return family == IpFamily::v4; }
    [[nodiscard]] bool is_v6() const { return family == IpFamily::v6; }
    // Dotted quad or RFC 5952 text (what tshark and ss print).
    [[nodiscard]] std::string to_string() const;
    // Parses either family; returns a family-none address on failure.
    static IpAddress parse(const std::string& text);

    // Spelled out rather than defaulted: libc++ 16 (zig 0.11, the static musl
    // toolchain) has no operator<=> for std::array. Same order as the default
    // would give: bytes, then family.
    friend std::strong_ordering operator<=>(const IpAddress& a, const IpAddress& b) {
        for (std::size_t i = 0; i < a.bytes.size(); ++i) {
            if (a.bytes[i] != b.bytes[i]) return a.bytes[i] <=> b.bytes[i];
        }
        return a.family <=> b.family;
    }
    friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

}  // namespace sockeye::core
