#include "core/hex.hpp"

namespace sockeye::core {

std::string hex(std::span<const std::uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const std::uint8_t b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0f]);
    }
    return out;
}

std::string colon_hex(std::span<const std::uint8_t> bytes) {
    const std::string plain = hex(bytes);
    std::string out;
    out.reserve(bytes.size() * 3);
    for (std::size_t i = 0; i < plain.size(); i += 2) {
        if (i > 0) out.push_back(':');
        out.append(plain, i, 2);
    }
    return out;
}

}  // namespace sockeye::core
