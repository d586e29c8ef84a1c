#include "capture/pcapng_reader.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "capture/capture_time.hpp"

namespace sockeye::capture {
namespace {

// Writes pcapng blocks in either byte order.
class Builder {
public:
    explicit Builder(bool big_endian) : big_(big_endian) {}

    Builder& section(std::uint16_t major = 1) {
        Block b = begin(kPcapngSectionHeader);
        b.u32(0x1A2B3C4D);
        b.u16(major);
        b.u16(0);
        b.u32(0xFFFFFFFF);
        b.u32(0xFFFFFFFF);
        return end(b);
    }
    Builder& interface(std::uint16_t link_type, std::uint32_t snaplen, int tsresol = -1,
                       std::int64_t tsoffset = 0) {
        Block b = begin(1);
        b.u16(link_type);
        b.u16(0);
        b.u32(snaplen);
        if (tsresol >= 0) b.option(9, std::string(1, static_cast<char>(tsresol)));
        if (tsoffset != 0) {
            Block v(big_);
            v.u64(static_cast<std::uint64_t>(tsoffset));
            b.option(14, std::string(v.bytes.begin(), v.bytes.end()));
        }
        if (tsresol >= 0 || tsoffset != 0) b.option(0, "");
        return end(b);
    }
    Builder& packet(std::uint32_t interface_id, std::uint64_t ts, std::string data,
                    std::uint32_t wire_len, const std::string& comment = "") {
        Block b = begin(6);
        b.u32(interface_id);
        b.u32(static_cast<std::uint32_t>(ts >> 32));
        b.u32(static_cast<std::uint32_t>(ts));
        b.u32(static_cast<std::uint32_t>(data.size()));
        b.u32(wire_len);
        b.text(data);
        if (!comment.empty()) {
            b.option(1, comment);
            b.option(0, "");
        }
        return end(b);
    }
    Builder& simple_packet(std::uint32_t wire_len, const std::string& data) {
        Block b = begin(3);
        b.u32(wire_len);
        b.text(data);
        return end(b);
    }
    Builder& obsolete_packet(std::uint16_t interface_id, std::uint64_t ts, const std::string& data) {
        Block b = begin(2);
        b.u16(interface_id);
        b.u16(0);
        b.u32(static_cast<std::uint32_t>(ts >> 32));
        b.u32(static_cast<std::uint32_t>(ts));
        b.u32(static_cast<std::uint32_t>(data.size()));
        b.u32(static_cast<std::uint32_t>(data.size()));
        b.text(data);
        return end(b);
    }
    Builder& other(std::uint32_t type, const std::string& body) {
        Block b = begin(type);
        b.text(body);
        return end(b);
    }
    // Raw bytes, for damage.
    Builder& raw(const std::vector<std::uint8_t>& bytes) {
        out.insert(out.end(), bytes.begin(), bytes.end());
        return *this;
    }

    std::vector<std::uint8_t> out;

private:
    struct Block {
        explicit Block(bool big) : big_endian(big) {}
        bool big_endian;
        std::vector<std::uint8_t> bytes;
        void u16(std::uint16_t v) {
            if (big_endian) {
                bytes.push_back(static_cast<std::uint8_t>(v >> 8));
                bytes.push_back(static_cast<std::uint8_t>(v));
            } else {
                bytes.push_back(static_cast<std::uint8_t>(v));
                bytes.push_back(static_cast<std::uint8_t>(v >> 8));
            }
        }
        void u32(std::uint32_t v) {
            for (int i = 0; i < 4; ++i) {
                const int shift = big_endian ? 24 - 8 * i : 8 * i;
                bytes.push_back(static_cast<std::uint8_t>(v >> shift));
            }
        }
        void u64(std::uint64_t v) {
            const auto hi = static_cast<std::uint32_t>(v >> 32);
            const auto lo = static_cast<std::uint32_t>(v);
            u32(big_endian ? hi : lo);
            u32(big_endian ? lo : hi);
        }
        void text(const std::string& s) {
            bytes.insert(bytes.end(), s.begin(), s.end());
            while (bytes.size() % 4 != 0) bytes.push_back(0);
        }
        void option(std::uint16_t code, const std::string& value) {
            u16(code);
            u16(static_cast<std::uint16_t>(value.size()));
            text(value);
        }
    };
    Block begin(std::uint32_t type) {
        Block b(big_);
        b.u32(type);
        b.u32(0);  // length, set by end()
        return b;
    }
    Builder& end(Block& b) {
        const auto total = static_cast<std::uint32_t>(b.bytes.size() + 4);
        Block len(big_);
        len.u32(total);
        std::copy(len.bytes.begin(), len.bytes.end(), b.bytes.begin() + 4);
        b.bytes.insert(b.bytes.end(), len.bytes.begin(), len.bytes.end());
        out.insert(out.end(), b.bytes.begin(), b.bytes.end());
        return *this;
    }
    bool big_;
};

struct Read {
    std::vector<PcapngPacket> packets;
    std::vector<std::string> data;  // each packet's bytes, copied
    std::vector<std::string> comments;
    PcapngReader::Status last = PcapngReader::Status::end;
    std::string error;
    int first_link_type = -1;
};

Read read_all(const std::vector<std::uint8_t>& bytes) {
    MemoryInput input(bytes);
    PcapngReader reader(input);
    Read r;
    r.last = reader.start();
    r.first_link_type = reader.first_link_type();
    if (r.last == PcapngReader::Status::packet) {
        PcapngPacket p;
        while ((r.last = reader.next(p)) == PcapngReader::Status::packet) {
            r.packets.push_back(p);
            r.data.emplace_back(p.bytes.begin(), p.bytes.end());
            r.comments.emplace_back(p.comment);
        }
    }
    r.error = reader.error();
    return r;
}

constexpr std::int64_t kSecond = 1'000'000'000;

class BothByteOrders : public ::testing::TestWithParam<bool> {};

TEST_P(BothByteOrders, ReadsInterfacesOfDifferentLinkTypesAndSnaplens) {
    Builder b(GetParam());
    b.section()
        .interface(1, 96)                  // Ethernet, microseconds
        .other(4, "name resolution")        // NRB: skipped
        .interface(113, 65535, 9)          // Linux SLL, nanoseconds
        .packet(0, 1'700'000'000'250'000, "eth-frame", 1514)
        .other(5, std::string(16, 's'))    // ISB: skipped
        .packet(1, 1'700'000'001'000'000'007, "sll", 3, "process=curl pid=42")
        .other(0x40000BAD, "custom block");
    const Read r = read_all(b.out);
    EXPECT_EQ(r.last, PcapngReader::Status::end) << r.error;
    EXPECT_EQ(r.first_link_type, 1);
    ASSERT_EQ(r.packets.size(), 2u);
    EXPECT_EQ(r.packets[0].link_type, 1);
    EXPECT_EQ(r.packets[0].interface_id, 0u);
    EXPECT_EQ(r.packets[0].ts_ns, 1'700'000'000 * kSecond + 250'000'000);
    EXPECT_EQ(r.packets[0].wire_len, 1514u);
    EXPECT_EQ(r.data[0], "eth-frame");
    EXPECT_EQ(r.comments[0], "");
    EXPECT_EQ(r.packets[1].link_type, 113);
    EXPECT_EQ(r.packets[1].interface_id, 1u);
    EXPECT_EQ(r.packets[1].ts_ns, 1'700'000'001 * kSecond + 7);
    EXPECT_EQ(r.data[1], "sll");
    EXPECT_EQ(r.comments[1], "process=curl pid=42");
}

TEST_P(BothByteOrders, PowerOfTwoResolutionAndOffset) {
    // 2^-20 s units: 3.5 s is 3.5 * 2^20 units; if_tsoffset adds 1000 s.
    Builder b(GetParam());
    b.section().interface(1, 0, 0x80 | 20, 1000).packet(0, (7u << 20) / 2, "x", 1);
    const Read r = read_all(b.out);
    ASSERT_EQ(r.packets.size(), 1u) << r.error;
    EXPECT_EQ(r.packets[0].ts_ns, 1003 * kSecond + 500'000'000);
}

TEST_P(BothByteOrders, NewSectionStartsANewInterfaceList) {
    Builder b(GetParam());
    b.section().interface(1, 0).packet(0, 1, "a", 1);
    b.section().interface(101, 0).packet(0, 2, "b", 1);  // raw IP, same index 0
    const Read r = read_all(b.out);
    ASSERT_EQ(r.packets.size(), 2u) << r.error;
    EXPECT_EQ(r.packets[0].link_type, 1);
    EXPECT_EQ(r.packets[1].link_type, 101);
    // ... and a packet naming an interface of the old section is an error.
    Builder c(GetParam());
    c.section().interface(1, 0).interface(1, 0).section().interface(1, 0).packet(1, 1, "a", 1);
    const Read bad = read_all(c.out);
    EXPECT_EQ(bad.last, PcapngReader::Status::error);
    EXPECT_NE(bad.error.find("interface 1 but its section has 1"), std::string::npos) << bad.error;
}

TEST_P(BothByteOrders, SimpleAndObsoletePacketBlocks) {
    Builder b(GetParam());
    b.section().interface(1, 4).simple_packet(10, "abcdefgh").obsolete_packet(0, 5'000'000, "pb");
    const Read r = read_all(b.out);
    ASSERT_EQ(r.packets.size(), 2u) << r.error;
    EXPECT_EQ(r.data[0], "abcd");  // the snaplen cuts what an SPB holds
    EXPECT_EQ(r.packets[0].wire_len, 10u);
    EXPECT_EQ(r.packets[0].ts_ns, 0);  // an SPB has no timestamp
    EXPECT_EQ(r.data[1], "pb");
    EXPECT_EQ(r.packets[1].ts_ns, 5 * kSecond);
}

INSTANTIATE_TEST_SUITE_P(Pcapng, BothByteOrders, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "big" : "little"; });

TEST(PcapngTime, Resolutions) {
    EXPECT_EQ(pcapng_time_ns(1'500'000, 6, 0), 1'500'000'000);                  // 10^-6
    EXPECT_EQ(pcapng_time_ns(1'500'000'001, 9, 0), 1'500'000'001);              // 10^-9
    EXPECT_EQ(pcapng_time_ns(15, 1, 0), 1'500'000'000);                         // 10^-1
    EXPECT_EQ(pcapng_time_ns(1'500'000'000'123, 12, 0), 1'500'000'000);         // 10^-12: floor
    EXPECT_EQ(pcapng_time_ns(std::uint64_t{3} << 19, 0x80 | 20, 0), 1'500'000'000);  // 2^-20
    EXPECT_EQ(pcapng_time_ns(1, 0x80 | 100, 0), 0);                              // far below 1 ns
    EXPECT_EQ(pcapng_time_ns(~std::uint64_t{0}, 100, 0), 0);                     // 10^-100
    // Out of range either way: clamped to [1970, 2106].
    EXPECT_EQ(pcapng_time_ns(~std::uint64_t{0}, 0, 0), kMaxCaptureSeconds * kSecond);
    EXPECT_EQ(pcapng_time_ns(5, 0, -10), 0);
    EXPECT_EQ(pcapng_time_ns(5, 0, INT64_MAX), kMaxCaptureSeconds * kSecond);
    EXPECT_EQ(pcapng_time_ns(0, 0, INT64_MIN), 0);
    EXPECT_EQ(pcapng_time_ns(~std::uint64_t{0}, 0, INT64_MIN), kMaxCaptureSeconds * kSecond);
}

TEST(PcapngDamage, TruncatedBlocksAreTruncationNotErrors) {
    Builder b(false);
    b.section().interface(1, 0).packet(0, 1, "abcdefgh", 8);
    const std::vector<std::uint8_t> whole = b.out;
    ASSERT_EQ(read_all(whole).packets.size(), 1u);
    // Cut anywhere inside the packet block: its packet is lost, the reader
    // says truncated (and the interface read before it stays).
    const std::size_t packet_start = whole.size() - 40;
    for (std::size_t cut = packet_start + 1; cut < whole.size(); ++cut) {
        const Read r = read_all({whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut)});
        EXPECT_EQ(r.last, PcapngReader::Status::truncated) << "cut at " << cut;
        EXPECT_TRUE(r.packets.empty());
    }
    // Cut between blocks: a clean end.
    const Read clean = read_all({whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(packet_start)});
    EXPECT_EQ(clean.last, PcapngReader::Status::end);
    // Cut inside the interface block: start() says truncated.
    const Read early = read_all({whole.begin(), whole.begin() + 40});
    EXPECT_EQ(early.last, PcapngReader::Status::truncated);
}

std::vector<std::uint8_t> le32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
}

TEST(PcapngDamage, BadLengthsAreErrors) {
    auto with_block = [](std::uint32_t type, std::uint32_t length, std::uint32_t trailer) {
        Builder b(false);
        b.section().interface(1, 0);
        b.raw(le32(type)).raw(le32(length)).raw(std::vector<std::uint8_t>(length >= 12 ? length - 12 : 0, 0));
        b.raw(le32(trailer));
        return read_all(b.out);
    };
    const Read mismatch = with_block(6, 32, 36);
    EXPECT_EQ(mismatch.last, PcapngReader::Status::error);
    EXPECT_NE(mismatch.error.find("trailing length 36 differs"), std::string::npos) << mismatch.error;
    for (std::uint32_t length : {0u, 4u, 8u, 13u}) {
        const Read r = with_block(6, length, length);
        EXPECT_EQ(r.last, PcapngReader::Status::error) << length;
        EXPECT_NE(r.error.find("invalid length"), std::string::npos) << r.error;
    }
    // A huge length is refused before anything is allocated or read.
    Builder huge(false);
    huge.section().interface(1, 0).raw(le32(6)).raw(le32(0xFFFFFFF0));
    const Read h = read_all(huge.out);
    EXPECT_EQ(h.last, PcapngReader::Status::error);
    EXPECT_NE(h.error.find("more than a block may have"), std::string::npos) << h.error;
    // An EPB whose captured length exceeds its block.
    Builder over(false);
    over.section().interface(1, 0);
    over.raw(le32(6)).raw(le32(32)).raw(le32(0)).raw(le32(0)).raw(le32(0)).raw(le32(1000))
        .raw(le32(1000)).raw(le32(32));
    const Read o = read_all(over.out);
    EXPECT_EQ(o.last, PcapngReader::Status::error);
    EXPECT_NE(o.error.find("claims 1000 captured bytes"), std::string::npos) << o.error;
}

TEST(PcapngDamage, SectionsAndInterfaces) {
    // No interface at all: an empty capture, not an error.
    Builder none(true);
    none.section().other(4, "nrb");
    const Read empty = read_all(none.out);
    EXPECT_EQ(empty.last, PcapngReader::Status::end);
    EXPECT_EQ(empty.first_link_type, -1);
    // A packet before its interface.
    Builder early(false);
    early.section().packet(0, 1, "a", 1);
    EXPECT_EQ(read_all(early.out).last, PcapngReader::Status::error);
    // Unknown major version: libpcap's words.
    Builder v2(false);
    v2.section().interface(1, 0).packet(0, 1, "a", 1).section(2);
    const Read r = read_all(v2.out);
    EXPECT_EQ(r.packets.size(), 1u);
    EXPECT_EQ(r.last, PcapngReader::Status::error);
    EXPECT_EQ(r.error, "unknown pcapng savefile major version number 2");
    // A section header without a byte-order magic.
    Builder bad(false);
    bad.section();
    bad.out[8] = 0;
    EXPECT_EQ(read_all(bad.out).last, PcapngReader::Status::error);
    // Zero-length packet data and an empty stream.
    Builder zero(false);
    zero.section().interface(1, 0).packet(0, 1, "", 0);
    const Read z = read_all(zero.out);
    ASSERT_EQ(z.packets.size(), 1u);
    EXPECT_TRUE(z.data[0].empty());
    EXPECT_EQ(read_all({}).last, PcapngReader::Status::end);
}

}  // namespace
}  // namespace sockeye::capture
