#include "dpi/protocols/dns_wire.hpp"

#include "core/byte_reader.hpp"
#include "core/ip_address.hpp"

namespace sockeye::dpi::dns {
namespace {

constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kTypeCname = 5;
constexpr std::uint16_t kTypeAaaa = 28;
constexpr std::uint16_t kMaxQuestions = 16;
constexpr std::uint16_t kMaxRecords = 256;
constexpr int kMaxJumps = 16;
constexpr int kMaxLabels = 128;

bool plausible_header(const Message& m, std::uint16_t nscount, std::uint16_t arcount) {
    const unsigned op = m.opcode();
    if (op == 3 || op > 6) return false;  // 0 query, 1 iquery, 2 status, 4 notify, 5 update, 6 dso
    if (m.qdcount > kMaxQuestions || m.ancount > kMaxRecords || nscount > kMaxRecords ||
        arcount > kMaxRecords)
        return false;
    return m.qdcount + m.ancount > 0;
}

bool plausible_class(std::uint16_t qclass) {
    const auto c = static_cast<std::uint16_t>(qclass & 0x7fffu);  // mDNS uses the top bit
    return c == 1 || c == 3 || c == 4 || c == 254 || c == 255;
}

bool read_record(std::span<const std::uint8_t> msg, std::size_t& offset, bool answer, Message& out) {
    std::string owner;
    if (!read_name(msg, offset, owner)) return false;
    core::ByteReader r(msg.subspan(offset));
    const std::uint16_t type = r.u16_be();
    r.skip(6);  // class, TTL (OPT records put other things here)
    const std::size_t rdata_offset = offset + 10;
    const auto rdata = r.take(r.u16_be());
    if (!r.ok()) return false;
    offset += r.offset();
    if (!answer) return true;
    if (out.any_owner.empty()) out.any_owner = owner;
    if (type == kTypeA && rdata.size() == 4 && out.a.size() < kMaxAnswers) {
        out.a.push_back(core::IpAddress::v4(rdata));
        if (out.first_owner.empty()) out.first_owner = owner;
    } else if (type == kTypeAaaa && rdata.size() == 16 && out.aaaa.size() < kMaxAnswers) {
        out.aaaa.push_back(core::IpAddress::v6(rdata));
        if (out.first_owner.empty()) out.first_owner = owner;
    } else if (type == kTypeCname && out.cname.size() < kMaxAnswers) {
        std::size_t at = rdata_offset;
        std::string target;
        if (!read_name(msg, at, target)) return false;
        out.cname.push_back(std::move(target));
    }
    return true;
}

}  // namespace

bool read_name(std::span<const std::uint8_t> msg, std::size_t& offset, std::string& out) {
    out.clear();
    std::size_t pos = offset;
    std::size_t segment_start = offset;
    bool jumped = false;
    int jumps = 0;
    for (int labels = 0; labels < kMaxLabels; ++labels) {
        if (pos >= msg.size()) return false;
        const std::uint8_t len = msg[pos];
        if ((len & 0xc0) == 0xc0) {
            if (pos + 1 >= msg.size() || ++jumps > kMaxJumps) return false;
            const std::size_t target = (std::size_t{len & 0x3fu} << 8) | msg[pos + 1];
            // Each pointer must land before the start of the part of the name
            // read so far, so jumps strictly decrease and cannot loop; real
            // encoders only point back at earlier names.
            if (target >= segment_start) return false;
            segment_start = target;
            if (!jumped) offset = pos + 2;
            jumped = true;
            pos = target;
            continue;
        }
        if ((len & 0xc0) != 0) return false;  // 0x40 / 0x80: obsolete label types
        if (len == 0) {
            if (!jumped) offset = pos + 1;
            return true;
        }
        if (pos + 1 + len > msg.size()) return false;
        if (out.size() + len + 1 > kMaxName) return false;
        if (!out.empty()) out.push_back('.');
        out.append(msg.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                   msg.begin() + static_cast<std::ptrdiff_t>(pos + 1 + len));
        pos += 1 + std::size_t{len};
    }
    return false;
}

bool parse_message(std::span<const std::uint8_t> msg, Message& out, bool cut) {
    out = Message{};
    core::ByteReader h(msg);
    out.id = h.u16_be();
    out.flags = h.u16_be();
    out.qdcount = h.u16_be();
    out.ancount = h.u16_be();
    const std::uint16_t nscount = h.u16_be();
    const std::uint16_t arcount = h.u16_be();
    if (!h.ok() || !plausible_header(out, nscount, arcount)) return false;

    std::size_t offset = 12;
    for (std::uint16_t q = 0; q < out.qdcount; ++q) {
        std::string name;
        if (!read_name(msg, offset, name)) return false;
        core::ByteReader r(msg.subspan(offset));
        const std::uint16_t qtype = r.u16_be();
        const std::uint16_t qclass = r.u16_be();
        if (!r.ok() || !plausible_class(qclass)) return false;
        offset += 4;
        if (q == 0) {
            out.qname = std::move(name);
            out.qtype = qtype;
            out.qclass = qclass;
        }
    }
    bool complete = true;
    for (std::uint16_t i = 0; i < out.ancount && complete; ++i)
        complete = read_record(msg, offset, true, out);
    for (std::uint32_t i = 0; i < std::uint32_t{nscount} + arcount && complete; ++i)
        complete = read_record(msg, offset, false, out);
    if (!complete) {
        // Past the questions, a record that does not parse in a packet the
        // capture cut short is most likely the cut itself: keep what came
        // before it. In a whole packet it means "not DNS".
        if (!cut) return false;
        out.cut = true;
        offset = msg.size();
    }
    if (out.first_owner.empty()) out.first_owner = std::move(out.any_owner);
    out.trailing_bytes = offset != msg.size();
    return true;
}

std::string type_name(std::uint16_t type) {
    switch (type) {
        case 1: return "A";
        case 2: return "NS";
        case 5: return "CNAME";
        case 6: return "SOA";
        case 12: return "PTR";
        case 15: return "MX";
        case 16: return "TXT";
        case 28: return "AAAA";
        case 33: return "SRV";
        case 35: return "NAPTR";
        case 41: return "OPT";
        case 64: return "SVCB";
        case 65: return "HTTPS";
        case 255: return "ANY";
        default: return std::to_string(type);
    }
}

std::string rcode_name(unsigned rcode) {
    switch (rcode) {
        case 0: return "NOERROR";
        case 1: return "FORMERR";
        case 2: return "SERVFAIL";
        case 3: return "NXDOMAIN";
        case 4: return "NOTIMP";
        case 5: return "REFUSED";
        default: return std::to_string(rcode);
    }
}

}  // namespace sockeye::dpi::dns
