#include "capture/pcap_reader.hpp"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "capture/capture_time.hpp"

namespace sockeye::capture {
namespace {

constexpr std::uint32_t kMicro = 0xA1B2C3D4;
constexpr std::uint32_t kNano = 0xA1B23C4D;
constexpr std::uint32_t kPatched = 0xA1B2CD34;

// Writes a classic pcap file in either byte order.
class Builder {
public:
    explicit Builder(bool big_endian) : big_(big_endian) {}

    Builder& header(std::uint32_t magic, std::uint32_t snaplen = 65535, std::uint32_t link_type = 1,
                    std::uint16_t major = 2, std::uint16_t minor = 4) {
        u32(magic);
        u16(major);
        u16(minor);
        u32(0);
        u32(0);
        u32(snaplen);
        u32(link_type);
        return *this;
    }
    // `data.size()` bytes follow whatever caplen says.
    Builder& record(std::uint32_t sec, std::uint32_t fraction, std::uint32_t caplen,
                    std::uint32_t len, const std::string& data, std::size_t extra_header = 0) {
        u32(sec);
        u32(fraction);
        u32(caplen);
        u32(len);
        bytes.insert(bytes.end(), extra_header, 0xEE);
        bytes.insert(bytes.end(), data.begin(), data.end());
        return *this;
    }
    Builder& record(std::uint32_t sec, std::uint32_t fraction, const std::string& data) {
        const auto n = static_cast<std::uint32_t>(data.size());
        return record(sec, fraction, n, n, data);
    }

    std::vector<std::uint8_t> bytes;

private:
    void u16(std::uint16_t v) {
        for (int i = 0; i < 2; ++i) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * (big_ ? 1 - i : i))));
    }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * (big_ ? 3 - i : i))));
    }
    bool big_;
};

std::string text(std::span<const std::uint8_t> b) { return {b.begin(), b.end()}; }

struct Read {
    PcapReader::Status start;
    std::vector<core::RawFrame> frames;
    std::vector<std::string> data;
    PcapReader::Status last = PcapReader::Status::end;
    std::string error;
    int link_type = 0;
    std::uint32_t snapshot = 0;
};

Read read_all(const std::vector<std::uint8_t>& bytes) {
    MemoryInput input(bytes);
    PcapReader reader(input);
    Read r;
    r.start = reader.start();
    r.link_type = reader.link_type();
    r.snapshot = reader.snapshot();
    if (r.start != PcapReader::Status::packet) {
        r.error = reader.error();
        return r;
    }
    core::RawFrame f;
    for (int guard = 0; guard < 1000; ++guard) {
        r.last = reader.next(f);
        if (r.last != PcapReader::Status::packet) break;
        r.frames.push_back(f);
        r.data.push_back(text(f.bytes));
    }
    r.error = reader.error();
    return r;
}

TEST(PcapReader, ReadsBothByteOrdersAlike) {
    for (const bool big : {false, true}) {
        Builder b(big);
        b.header(kMicro).record(1'700'000'000, 250'000, 60, 1514, std::string(60, 'a'));
        b.record(1'700'000'001, 0, "bcd");
        const Read r = read_all(b.bytes);
        ASSERT_EQ(r.start, PcapReader::Status::packet) << r.error;
        EXPECT_EQ(r.link_type, DLT_EN10MB);
        EXPECT_EQ(r.snapshot, 65535u);
        ASSERT_EQ(r.frames.size(), 2u) << "big endian " << big;
        EXPECT_EQ(r.frames[0].ts_ns, 1'700'000'000'250'000'000);
        EXPECT_EQ(r.frames[0].wire_len, 1514u);
        EXPECT_EQ(r.data[0], std::string(60, 'a'));
        EXPECT_EQ(r.frames[1].ts_ns, 1'700'000'001'000'000'000);
        EXPECT_EQ(r.data[1], "bcd");
        EXPECT_EQ(r.last, PcapReader::Status::end);
        EXPECT_EQ(r.error, "");
    }
}

TEST(PcapReader, NanosecondMagicKeepsTheFraction) {
    for (const bool big : {false, true}) {
        Builder b(big);
        b.header(kNano).record(1'700'000'000, 123'456'789, "x");
        const Read r = read_all(b.bytes);
        ASSERT_EQ(r.frames.size(), 1u);
        EXPECT_EQ(r.frames[0].ts_ns, 1'700'000'000'123'456'789);
    }
}

TEST(PcapReader, FramesAreViewsOfTheInputNotCopies) {
    Builder b(false);
    b.header(kMicro).record(1, 0, "frame");
    MemoryInput input(b.bytes);
    PcapReader reader(input);
    ASSERT_EQ(reader.start(), PcapReader::Status::packet);
    core::RawFrame f;
    ASSERT_EQ(reader.next(f), PcapReader::Status::packet);
    EXPECT_EQ(f.bytes.data(), b.bytes.data() + 24 + 16);
}

TEST(PcapReader, SecondsUpTo2106AreUnsigned) {
    // libpcap reads the seconds as signed 32 bits (2038 and later would be
    // negative); the file's field is unsigned.
    Builder b(false);
    b.header(kMicro).record(0xFFFF'FFFF, 999'999, "a").record(0x8000'0000, 0, "b");
    const Read r = read_all(b.bytes);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[0].ts_ns, capture_time_ns(kMaxCaptureSeconds, 999'999'000));
    EXPECT_EQ(r.frames[1].ts_ns, std::int64_t{0x8000'0000} * 1'000'000'000);
}

TEST(PcapReader, NegativeOrHugeFractionIsClamped) {
    const bool host_big = std::endian::native == std::endian::big;
    Builder b(host_big);
    b.header(kMicro).record(10, 0xFFFF'FFFF, "a").record(10, 2'000'000, "b");
    const Read r = read_all(b.bytes);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[0].ts_ns, 10'000'000'000);  // -1 us: clamped to the second
    EXPECT_EQ(r.frames[1].ts_ns, 10'999'999'999);  // 2 s of microseconds: the last ns
    // libpcap reads a byte-swapped fraction as unsigned: 0xFFFFFFFF us is
    // then far past the second, and clamps to its last nanosecond.
    Builder swapped(!host_big);
    swapped.header(kMicro).record(10, 0xFFFF'FFFF, "a");
    const Read s = read_all(swapped.bytes);
    ASSERT_EQ(s.frames.size(), 1u);
    EXPECT_EQ(s.frames[0].ts_ns, 10'999'999'999);
}

TEST(PcapReader, TruncatedFileHeaderSaysWhatLibpcapSays) {
    Builder b(false);
    b.header(kMicro);
    auto cut = b.bytes;
    cut.resize(10);
    Read r = read_all(cut);
    EXPECT_EQ(r.start, PcapReader::Status::truncated);
    // libpcap counts the bytes after the magic only.
    EXPECT_EQ(r.error, "truncated dump file; tried to read 24 file header bytes, only got 6");
    cut.resize(2);
    r = read_all(cut);
    EXPECT_EQ(r.start, PcapReader::Status::truncated);
    EXPECT_EQ(r.error, "truncated dump file; tried to read 4 file header bytes, only got 2");
}

TEST(PcapReader, NotPcapIsAnUnknownFormat) {
    const std::vector<std::uint8_t> junk = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'};
    const Read r = read_all(junk);
    EXPECT_EQ(r.start, PcapReader::Status::error);
    EXPECT_EQ(r.error, "unknown file format");
}

TEST(PcapReader, RefusesVersionsLibpcapRefuses) {
    Builder archaic(false);
    archaic.header(kMicro, 65535, 1, 1, 0);
    EXPECT_EQ(read_all(archaic.bytes).error, "archaic pcap savefile format");
    Builder future(true);
    future.header(kMicro, 65535, 1, 2, 5);
    EXPECT_EQ(read_all(future.bytes).error, "unsupported pcap savefile version 2.5");
}

TEST(PcapReader, TruncatedRecordHeader) {
    Builder b(false);
    b.header(kMicro).record(1, 0, "a");
    b.bytes.insert(b.bytes.end(), {1, 2, 3, 4, 5, 6, 7});
    const Read r = read_all(b.bytes);
    EXPECT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.last, PcapReader::Status::truncated);
    EXPECT_EQ(r.error, "truncated dump file; tried to read 16 header bytes, only got 7");
}

TEST(PcapReader, TruncatedRecord) {
    Builder b(false);
    b.header(kMicro).record(1, 0, "a").record(2, 0, 100, 100, std::string(30, 'z'));
    const Read r = read_all(b.bytes);
    EXPECT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.last, PcapReader::Status::truncated);
    EXPECT_EQ(r.error, "truncated dump file; tried to read 100 captured bytes, only got 30");
}

TEST(PcapReader, CaplenPastTheSnaplenIsCutToIt) {
    Builder b(false);
    b.header(kMicro, 8).record(1, 0, 12, 1514, "0123456789ab").record(2, 0, "next");
    const Read r = read_all(b.bytes);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.data[0], "01234567");
    EXPECT_EQ(r.frames[0].wire_len, 1514u);
    EXPECT_EQ(r.data[1], "next");  // the dropped tail was skipped, not read as a record
}

TEST(PcapReader, CaplenPastTheSnaplenCutShort) {
    Builder b(false);
    b.header(kMicro, 8).record(1, 0, 12, 12, "0123");
    EXPECT_EQ(read_all(b.bytes).error,
              "truncated dump file; tried to read 8 captured bytes, only got 4");
    Builder c(false);
    c.header(kMicro, 8).record(1, 0, 12, 12, "0123456789");
    EXPECT_EQ(read_all(c.bytes).error,
              "truncated dump file; tried to read 12 captured bytes, only got 10");
}

TEST(PcapReader, CaplenPastTheMaximumIsAnError) {
    Builder b(false);
    b.header(kMicro).record(1, 0, 300'000, 300'000, "x");
    Read r = read_all(b.bytes);
    EXPECT_EQ(r.last, PcapReader::Status::error);
    EXPECT_EQ(r.error, "invalid packet capture length 300000, bigger than snaplen of 65535");
    Builder big_snaplen(false);
    big_snaplen.header(kMicro, 1'000'000).record(1, 0, 300'000, 300'000, "x");
    r = read_all(big_snaplen.bytes);
    EXPECT_EQ(r.error, "invalid packet capture length 300000, bigger than maximum of 262144");
}

TEST(PcapReader, AbsurdSnaplenFallsBackToTheLinkTypeMaximum) {
    Builder zero(false);
    zero.header(kMicro, 0);
    EXPECT_EQ(read_all(zero.bytes).snapshot, 262'144u);
    Builder huge(false);
    huge.header(kMicro, 0xFFFF'FFFF);
    EXPECT_EQ(read_all(huge.bytes).snapshot, 262'144u);
}

TEST(PcapReader, OldVersionsSwapCaplenAndLen) {
    Builder v22(false);
    v22.header(kMicro, 65535, 1, 2, 2).record(1, 0, 1514, 3, "abc");
    Read r = read_all(v22.bytes);
    ASSERT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.data[0], "abc");
    EXPECT_EQ(r.frames[0].wire_len, 1514u);
    // 2.3: swapped only where caplen > len says so.
    Builder v23(true);
    v23.header(kMicro, 65535, 1, 2, 3).record(1, 0, 3, 1514, "abc").record(2, 0, 1514, 2, "de");
    r = read_all(v23.bytes);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[0].wire_len, 1514u);
    EXPECT_EQ(r.data[1], "de");
    EXPECT_EQ(r.frames[1].wire_len, 1514u);
}

TEST(PcapReader, PatchedMagicHasLongerRecordHeaders) {
    Builder b(false);
    b.header(kPatched, 50).record(1, 0, 3, 3, "abc", 8).record(2, 0, 2, 2, "de", 8);
    const Read r = read_all(b.bytes);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.data[0], "abc");
    EXPECT_EQ(r.data[1], "de");
    EXPECT_EQ(r.snapshot, 64u);  // Ethernet: 14 more for the header it made up
}

TEST(PcapReader, LinkTypesMapToDlt) {
    Builder raw(false);
    raw.header(kMicro, 65535, 101);
    EXPECT_EQ(read_all(raw.bytes).link_type, DLT_RAW);
    Builder sll(false);
    sll.header(kMicro, 65535, 113 | 0x0400'0000);  // FCS bits above the type
    EXPECT_EQ(read_all(sll.bytes).link_type, DLT_LINUX_SLL);
}

TEST(PcapReader, LinkTypesMapAsLibpcapMapsThem) {
    // Every LINKTYPE_ in and around the registry's range, and a few beyond:
    // the DLT_ sockeye reports is the one pcap_datalink() reports.
    std::vector<std::uint32_t> types;
    for (std::uint32_t t = 0; t <= 300; ++t) types.push_back(t);
    types.insert(types.end(), {1000, 65535, 0x03FF'FFFF});
    for (const std::uint32_t t : types) {
        Builder b(false);
        b.header(kMicro, 65535, t);
        std::FILE* f = fmemopen(b.bytes.data(), b.bytes.size(), "rb");
        ASSERT_NE(f, nullptr);
        char errbuf[PCAP_ERRBUF_SIZE] = {};
        pcap_t* p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
        ASSERT_NE(p, nullptr) << errbuf;
        EXPECT_EQ(read_all(b.bytes).link_type, pcap_datalink(p)) << "LINKTYPE " << t;
        EXPECT_EQ(dlt_of_linktype(t), pcap_datalink(p)) << "LINKTYPE " << t;
        pcap_close(p);
    }
}

TEST(PcapReader, LeavesRewrittenLinkTypesToLibpcap) {
    const bool host_big = std::endian::native == std::endian::big;
    Builder same(host_big);
    same.header(kMicro, 65535, 113);
    EXPECT_TRUE(PcapReader::reads_like_libpcap(same.bytes));
    Builder swapped(!host_big);
    swapped.header(kMicro, 65535, 113);
    EXPECT_FALSE(PcapReader::reads_like_libpcap(swapped.bytes));
    Builder ethernet(!host_big);
    ethernet.header(kMicro, 65535, 1);
    EXPECT_TRUE(PcapReader::reads_like_libpcap(ethernet.bytes));
    Builder usb(host_big);
    usb.header(kMicro, 65535, 220);
    EXPECT_FALSE(PcapReader::reads_like_libpcap(usb.bytes));
}

TEST(PcapReader, EmptyFileEndsAfterTheHeader) {
    Builder b(true);
    b.header(kNano);
    const Read r = read_all(b.bytes);
    EXPECT_EQ(r.start, PcapReader::Status::packet);
    EXPECT_TRUE(r.frames.empty());
    EXPECT_EQ(r.last, PcapReader::Status::end);
}

}  // namespace
}  // namespace sockeye::capture
