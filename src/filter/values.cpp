#include "filter/values.hpp"

#include <array>

#include "core/printable_text.hpp"

namespace sockeye::filter {
namespace {

struct UnitScale {
    std::string_view suffix;  // lower case
    double scale;
};

constexpr double kKilo = 1e3;
constexpr double kKibi = 1024.0;

constexpr std::array kCountUnits = {
    UnitScale{"", 1}, UnitScale{"k", kKilo}, UnitScale{"m", kKilo * kKilo},
    UnitScale{"g", kKilo * kKilo * kKilo},
};

// Decimal and binary prefixes of bytes; each may be followed by "b"
// ("10k", "10kb", "1.5MiB").
constexpr std::array kBytePrefixes = {
    UnitScale{"", 1},
    UnitScale{"k", kKilo},
    UnitScale{"m", kKilo * kKilo},
    UnitScale{"g", kKilo * kKilo * kKilo},
    UnitScale{"t", kKilo * kKilo * kKilo * kKilo},
    UnitScale{"ki", kKibi},
    UnitScale{"mi", kKibi * kKibi},
    UnitScale{"gi", kKibi * kKibi * kKibi},
    UnitScale{"ti", kKibi * kKibi * kKibi * kKibi},
};

// To nanoseconds.
constexpr std::array kDurationUnits = {
    UnitScale{"ns", 1},   UnitScale{"us", 1e3},   UnitScale{"ms", 1e6},
    UnitScale{"s", 1e9},  UnitScale{"m", 60e9},   UnitScale{"min", 60e9},
    UnitScale{"h", 3600e9},
};

// Long enough for any sensible quantity; keeps the double exact-ish and the
// parse trivially bounded.
constexpr std::size_t kMaxNumberLength = 32;

template <std::size_t N>
std::optional<double> scale_for(std::string_view suffix, const std::array<UnitScale, N>& units) {
    const std::string lowered = ascii_lower(suffix);
    for (const auto& u : units) {
        if (u.suffix == lowered) return u.scale;
    }
    return std::nullopt;
}

std::optional<double> byte_scale(std::string_view suffix) {
    if (!suffix.empty() && (suffix.back() == 'b' || suffix.back() == 'B')) suffix.remove_suffix(1);
    return scale_for(suffix, kBytePrefixes);
}

// Digits with an optional fraction; `rest` gets what follows the number.
std::optional<double> leading_number(std::string_view text, std::string_view& rest, bool allow_fraction) {
    double value = 0;
    std::size_t i = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        value = value * 10 + (text[i] - '0');
        ++i;
        ++digits;
    }
    if (allow_fraction && i < text.size() && text[i] == '.') {
        ++i;
        double scale = 0.1;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            value += (text[i] - '0') * scale;
            scale /= 10;
            ++i;
            ++digits;
        }
    }
    if (digits == 0) return std::nullopt;
    rest = text.substr(i);
    return value;
}

}  // namespace

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

std::string printable_excerpt(std::string_view text, std::size_t max_length) {
    std::string out = core::printable_text(text.substr(0, max_length), core::ControlStyle::hex_escape);
    if (text.size() > max_length) out += "...";
    return out;
}

std::optional<double> parse_quantity(std::string_view text, Unit unit) {
    if (text.empty() || text.size() > kMaxNumberLength) return std::nullopt;
    std::string_view suffix;
    const auto number = leading_number(text, suffix, unit != Unit::integer);
    if (!number) return std::nullopt;
    std::optional<double> scale;
    switch (unit) {
        case Unit::integer: scale = suffix.empty() ? std::optional<double>(1) : std::nullopt; break;
        case Unit::count: scale = scale_for(suffix, kCountUnits); break;
        case Unit::bytes: scale = byte_scale(suffix); break;
        case Unit::rate:
            if (suffix.size() >= 2 && suffix.substr(suffix.size() - 2) == "/s") {
                suffix.remove_suffix(2);
            }
            scale = byte_scale(suffix);
            break;
        case Unit::duration_ms:
        case Unit::duration_s:
            if (suffix.empty()) {
                scale = unit == Unit::duration_ms ? 1e6 : 1e9;
            } else {
                scale = scale_for(suffix, kDurationUnits);
            }
            break;
    }
    if (!scale) return std::nullopt;
    return *number * *scale;
}

PrefixParse parse_prefix(std::string_view text, Prefix& out) {
    const auto slash = text.find('/');
    const std::string address_text(text.substr(0, slash));
    const core::IpAddress address = core::IpAddress::parse(address_text);
    if (address.family == core::IpFamily::none) return PrefixParse::not_an_address;
    const unsigned max_length = address.is_v4() ? 32 : 128;
    unsigned length = max_length;
    if (slash != std::string_view::npos) {
        std::string_view rest;
        const std::string_view digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3) return PrefixParse::bad_length;
        const auto n = leading_number(digits, rest, false);
        if (!n || !rest.empty() || *n > max_length) return PrefixParse::bad_length;
        length = static_cast<unsigned>(*n);
    }
    out.network = address;
    out.length = length;
    // Clear the host bits so containment is a plain byte compare.
    for (unsigned bit = length; bit < max_length; ++bit) {
        out.network.bytes[bit / 8] = static_cast<std::uint8_t>(out.network.bytes[bit / 8] & ~(0x80u >> (bit % 8)));
    }
    return PrefixParse::ok;
}

bool prefix_contains(const Prefix& prefix, const core::IpAddress& address) {
    if (address.family != prefix.network.family) return false;
    const unsigned full_bytes = prefix.length / 8;
    for (unsigned i = 0; i < full_bytes; ++i) {
        if (address.bytes[i] != prefix.network.bytes[i]) return false;
    }
    const unsigned rest_bits = prefix.length % 8;
    if (rest_bits == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xFFu << (8 - rest_bits));
    return (address.bytes[full_bytes] & mask) == prefix.network.bytes[full_bytes];
}

}  // namespace sockeye::filter
