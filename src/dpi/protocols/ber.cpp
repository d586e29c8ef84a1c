#include "dpi/protocols/ber.hpp"

namespace sockeye::dpi::ber {

bool read_tlv(core::ByteReader& r, Tlv& out) {
    out.tag = r.u8();
    if ((out.tag & 0x1f) == 0x1f) return false;  // high-tag-number form
    const std::uint8_t first = r.u8();
    std::size_t length = first;
    if ((first & 0x80) != 0) {
        const auto octets = static_cast<std::size_t>(first & 0x7f);
        if (octets == 0 || octets > 4) return false;  // indefinite or absurd
        length = 0;
        for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | r.u8();
    }
    out.value = r.take(length);
    return r.ok();
}

bool read_expected(core::ByteReader& r, std::uint8_t tag, Tlv& out) {
    return read_tlv(r, out) && out.tag == tag;
}

bool to_integer(std::span<const std::uint8_t> value, std::int64_t& out) {
    if (value.empty() || value.size() > 8) return false;
    std::uint64_t v = (value[0] & 0x80) != 0 ? ~std::uint64_t{0} : 0;
    for (const std::uint8_t b : value) v = (v << 8) | b;
    out = static_cast<std::int64_t>(v);
    return true;
}

}  // namespace sockeye::dpi::ber
