#include "capture/file_source.hpp"
#include "capture/pcap_handle.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <fstream>
#include <vector>

#include "unit/support/result_value.hpp"

namespace sockeye::capture {
namespace {

namespace fs = std::filesystem;

class FileSourceTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sockeye_capture_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path write(const std::string& name, const std::vector<std::uint8_t>& bytes) {
        const fs::path p = dir_ / name;
        std::ofstream out(p, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()),  // NOLINT: test file I/O
                  static_cast<std::streamsize>(bytes.size()));
        return p;
    }

    fs::path dir_;
};

void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {  // little-endian
    for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}
void put16(std::vector<std::uint8_t>& v, std::uint16_t x) {
    v.push_back(static_cast<std::uint8_t>(x));
    v.push_back(static_cast<std::uint8_t>(x >> 8));
}

// The source, or null after a test failure that says why not.
std::unique_ptr<FileSource> open_or_fail(const std::string& path, const std::string& filter = "") {
    auto opened = FileSource::open(path, filter);
    if (!opened) {
        ADD_FAILURE() << opened.error().message;
        return nullptr;
    }
    return std::move(opened).value();
}

// Why `path` does not open (an internal error if it does, which the test's
// code check then reports).
core::Error open_error(const std::string& path, const std::string& filter = "") {
    auto opened = FileSource::open(path, filter);
    if (opened) return {core::ErrorCode::internal, "opened"};
    return std::move(opened).error();
}

// Classic pcap, microsecond magic, the given link type.
std::vector<std::uint8_t> pcap_header(std::uint32_t linktype) {
    std::vector<std::uint8_t> v;
    put32(v, 0xa1b2c3d4);
    put16(v, 2);
    put16(v, 4);
    put32(v, 0);
    put32(v, 0);
    put32(v, 65535);
    put32(v, linktype);
    return v;
}

void add_record(std::vector<std::uint8_t>& v, std::uint32_t sec, std::uint32_t usec,
                std::uint32_t caplen, std::uint32_t len) {
    put32(v, sec);
    put32(v, usec);
    put32(v, caplen);
    put32(v, len);
    for (std::uint32_t i = 0; i < caplen; ++i) v.push_back(static_cast<std::uint8_t>(i));
}

TEST_F(FileSourceTest, ReadsRecordsWithNanosecondTimestamps) {
    auto bytes = pcap_header(1);
    add_record(bytes, 1'700'000'000, 250'000, 60, 1514);
    add_record(bytes, 1'700'000'001, 0, 42, 42);
    auto src = open_or_fail(write("ok.pcap", bytes).string());
    ASSERT_TRUE(src);
    EXPECT_EQ(src->link_type(), 1);
    core::RawFrame f;
    ASSERT_EQ(src->next(f), NextStatus::frame);
    EXPECT_EQ(f.ts_ns, 1'700'000'000'250'000'000);
    EXPECT_EQ(f.wire_len, 1514u);
    EXPECT_EQ(f.bytes.size(), 60u);
    ASSERT_EQ(src->next(f), NextStatus::frame);
    EXPECT_EQ(src->next(f), NextStatus::end);
    EXPECT_FALSE(src->truncated());
}

// Batches: every frame of a batch stays valid until the next call, across
// the read buffer's refills (the file is several buffers long), and a file
// cut short still ends with its error after the last whole record.
TEST_F(FileSourceTest, BatchesHandOutFramesThatStayValidTogether) {
    constexpr std::uint32_t kRecords = 5000;
    auto bytes = pcap_header(1);
    for (std::uint32_t n = 0; n < kRecords; ++n) {
        const std::uint32_t caplen = 200 + (n * 37) % 1300;
        put32(bytes, n);
        put32(bytes, 0);
        put32(bytes, caplen);
        put32(bytes, caplen);
        for (std::uint32_t i = 0; i < caplen; ++i) bytes.push_back(static_cast<std::uint8_t>(n + i));
    }
    bytes.resize(bytes.size() - 100);  // the last record is cut short
    auto src = testing::value_or_fail(FileSource::open(write("many.pcap", bytes).string(), ""));
    ASSERT_TRUE(src);
    std::array<core::RawFrame, 16> batch;
    std::uint32_t seen = 0;
    std::size_t largest = 0;
    NextStatus status = NextStatus::frame;
    for (int calls = 0; calls < 10'000; ++calls) {
        std::size_t count = 0;
        status = src->next_batch(batch, count);
        if (status != NextStatus::frame) {
            EXPECT_EQ(count, 0U);
            break;
        }
        ASSERT_GE(count, 1U);
        largest = std::max(largest, count);
        // Checked only now that the whole batch was handed out.
        for (std::size_t k = 0; k < count; ++k, ++seen) {
            const core::RawFrame& f = batch[k];
            ASSERT_EQ(f.ts_ns, std::int64_t{seen} * 1'000'000'000) << seen;
            ASSERT_EQ(f.bytes.size(), 200 + (seen * 37) % 1300) << seen;
            for (std::size_t i = 0; i < f.bytes.size(); ++i)
                ASSERT_EQ(f.bytes[i], static_cast<std::uint8_t>(seen + i)) << seen << " byte " << i;
        }
    }
    EXPECT_EQ(seen, kRecords - 1);
    EXPECT_EQ(largest, batch.size());
    EXPECT_EQ(status, NextStatus::error);
    EXPECT_TRUE(src->truncated());
    EXPECT_NE(src->error().find("truncated after 4999 packets"), std::string::npos) << src->error();
}

TEST_F(FileSourceTest, TruncatedRecordSaysHowFarItGot) {
    auto bytes = pcap_header(1);
    add_record(bytes, 1, 0, 60, 60);
    add_record(bytes, 2, 0, 60, 60);
    bytes.resize(bytes.size() - 20);  // cut the second record short
    auto src = open_or_fail(write("cut.pcap", bytes).string());
    ASSERT_TRUE(src);
    core::RawFrame f;
    ASSERT_EQ(src->next(f), NextStatus::frame);
    ASSERT_EQ(src->next(f), NextStatus::error);
    EXPECT_TRUE(src->truncated());
    EXPECT_NE(src->error().find("truncated after 1 packets"), std::string::npos) << src->error();
}

TEST_F(FileSourceTest, ClearErrorsForBadFiles) {
    core::Error error = open_error((dir_ / "missing.pcap").string());
    EXPECT_EQ(error.code, core::ErrorCode::not_found);
    EXPECT_NE(error.message.find("No such file or directory"), std::string::npos) << error.message;

    error = open_error(dir_.string());
    EXPECT_EQ(error.code, core::ErrorCode::bad_format);
    EXPECT_NE(error.message.find("is a directory"), std::string::npos) << error.message;

    error = open_error(write("empty.pcap", {}).string());
    EXPECT_EQ(error.code, core::ErrorCode::bad_format);
    EXPECT_NE(error.message.find("is empty"), std::string::npos) << error.message;

    error = open_error(write("text.pcap", std::vector<std::uint8_t>(64, 'x')).string());
    EXPECT_EQ(error.code, core::ErrorCode::bad_format);
    EXPECT_NE(error.message.find("is not a pcap or pcapng capture file"), std::string::npos)
        << error.message;

    auto header = pcap_header(1);
    header.resize(10);
    error = open_error(write("short.pcap", header).string());
    EXPECT_EQ(error.code, core::ErrorCode::bad_format);
    EXPECT_NE(error.message.find("truncated"), std::string::npos) << error.message;
}

// Classic pcap seconds are unsigned 32-bit: 2040 and 2106 are not 1970.
TEST_F(FileSourceTest, PcapSecondsPast2038) {
    auto bytes = pcap_header(1);
    add_record(bytes, 2'208'988'800, 5, 1, 1);        // 2040-01-01T00:00:00Z
    add_record(bytes, 4'294'967'295, 999'999, 1, 1);  // 2106-02-07T06:28:15Z, the last second
    auto src = open_or_fail(write("late.pcap", bytes).string());
    ASSERT_TRUE(src);
    core::RawFrame f;
    ASSERT_EQ(src->next(f), NextStatus::frame);
    EXPECT_EQ(f.ts_ns, 2'208'988'800'000'005'000);
    ASSERT_EQ(src->next(f), NextStatus::frame);
    EXPECT_EQ(f.ts_ns, 4'294'967'295'999'999'000);
}

// pcapng with two interfaces of different link types (what libpcap 1.10
// refuses): each frame carries its own; a filter applies per link type.
TEST_F(FileSourceTest, PcapngFramesCarryTheirInterfacesLinkType) {
    std::vector<std::uint8_t> b;
    auto block = [&b](std::uint32_t type, const std::vector<std::uint8_t>& body) {
        put32(b, type);
        put32(b, static_cast<std::uint32_t>(body.size() + 12));
        b.insert(b.end(), body.begin(), body.end());
        put32(b, static_cast<std::uint32_t>(body.size() + 12));
    };
    std::vector<std::uint8_t> shb;
    put32(shb, 0x1A2B3C4D);
    put16(shb, 1);
    put16(shb, 0);
    put32(shb, 0xFFFFFFFF);
    put32(shb, 0xFFFFFFFF);
    block(0x0A0D0D0A, shb);
    for (std::uint16_t link : {std::uint16_t{1}, std::uint16_t{101}}) {
        std::vector<std::uint8_t> idb;
        put16(idb, link);
        put16(idb, 0);
        put32(idb, 0);
        block(1, idb);
    }
    auto epb = [&block](std::uint32_t interface, const std::vector<std::uint8_t>& data) {
        std::vector<std::uint8_t> body;
        put32(body, interface);
        put32(body, 0);
        put32(body, 1'000'000);
        put32(body, static_cast<std::uint32_t>(data.size()));
        put32(body, static_cast<std::uint32_t>(data.size()));
        body.insert(body.end(), data.begin(), data.end());
        while (body.size() % 4 != 0) body.push_back(0);
        block(6, body);
    };
    std::vector<std::uint8_t> arp(14, 0x02);
    arp[12] = 0x08;
    arp[13] = 0x06;
    std::vector<std::uint8_t> ipv4(20, 0);
    ipv4[0] = 0x45;
    ipv4[9] = 17;  // UDP
    epb(0, arp);
    epb(1, ipv4);
    const auto path = write("mixed.pcapng", b).string();
    auto src = open_or_fail(path);
    ASSERT_TRUE(src);
    EXPECT_EQ(src->link_type(), 1);
    core::RawFrame f;
    ASSERT_EQ(src->next(f), NextStatus::frame);
    EXPECT_EQ(f.link_type, 1);
    EXPECT_EQ(f.ts_ns, 1'000'000'000);
    ASSERT_EQ(src->next(f), NextStatus::frame);
    EXPECT_EQ(f.link_type, DLT_RAW);  // LINKTYPE_RAW (101) in the file, as libpcap maps it
    EXPECT_EQ(f.interface_id, 1);
    EXPECT_EQ(src->next(f), NextStatus::end);

    auto udp = open_or_fail(path, "udp");
    ASSERT_TRUE(udp);
    ASSERT_EQ(udp->next(f), NextStatus::frame);
    EXPECT_EQ(f.link_type, DLT_RAW);
    EXPECT_EQ(udp->next(f), NextStatus::end);

    // Cut inside the last block: truncated, after the frame before it.
    b.resize(b.size() - 6);
    auto cut = open_or_fail(write("cut.pcapng", b).string());
    ASSERT_TRUE(cut);
    ASSERT_EQ(cut->next(f), NextStatus::frame);
    EXPECT_EQ(cut->next(f), NextStatus::error);
    EXPECT_TRUE(cut->truncated());
    EXPECT_NE(cut->error().find("truncated after 1 packets"), std::string::npos) << cut->error();
}

// A pipe cannot seek: the format is sniffed from bytes read, not re-read.
TEST_F(FileSourceTest, ReadsFromAPipe) {
    auto bytes = pcap_header(1);
    add_record(bytes, 1'700'000'000, 0, 60, 60);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ASSERT_EQ(::write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    ::close(fds[1]);
    auto src = open_or_fail("/dev/fd/" + std::to_string(fds[0]));
    ::close(fds[0]);
    ASSERT_TRUE(src);
    core::RawFrame f;
    ASSERT_EQ(src->next(f), NextStatus::frame);
    EXPECT_EQ(f.bytes.size(), 60u);
    EXPECT_EQ(src->next(f), NextStatus::end);
}

TEST_F(FileSourceTest, DevZeroIsNotACaptureRatherThanEmpty) {
    const core::Error error = open_error("/dev/zero");
    EXPECT_EQ(error.code, core::ErrorCode::bad_format);
    EXPECT_NE(error.message.find("is not a pcap or pcapng capture file"), std::string::npos)
        << error.message;
}

// The code, not the wording, tells the command line the user's input is at
// fault; for every reader a file may go through.
TEST_F(FileSourceTest, BadFilterIsReported) {
    core::Error error = open_error(write("f.pcap", pcap_header(1)).string(), "tcp port");
    EXPECT_EQ(error.code, core::ErrorCode::bad_filter);
    EXPECT_EQ(error.message.rfind("bad filter expression 'tcp port'", 0), 0u) << error.message;

    // Linux USB, memory-mapped (220): frames libpcap rewrites, so libpcap reads the file.
    error = open_error(write("sll.pcap", pcap_header(220)).string(), "tcp port");
    EXPECT_EQ(error.code, core::ErrorCode::bad_filter);
    EXPECT_EQ(error.message.rfind("bad filter expression 'tcp port'", 0), 0u) << error.message;
}

TEST_F(FileSourceTest, FilterSelectsFrames) {
    // Two Ethernet frames: ARP (0x0806) and IPv4 (0x0800) headers only.
    auto bytes = pcap_header(1);
    for (std::uint16_t ethertype : {std::uint16_t{0x0806}, std::uint16_t{0x0800}}) {
        put32(bytes, 1);
        put32(bytes, 0);
        put32(bytes, 14);
        put32(bytes, 14);
        for (int i = 0; i < 12; ++i) bytes.push_back(0x02);
        bytes.push_back(static_cast<std::uint8_t>(ethertype >> 8));
        bytes.push_back(static_cast<std::uint8_t>(ethertype));
    }
    auto src = open_or_fail(write("arp.pcap", bytes).string(), "arp");
    ASSERT_TRUE(src);
    core::RawFrame f;
    ASSERT_EQ(src->next(f), NextStatus::frame);
    EXPECT_EQ(f.bytes[12], 0x08);
    EXPECT_EQ(f.bytes[13], 0x06);
    EXPECT_EQ(src->next(f), NextStatus::end);
}

// Timestamps a hostile file can name are clamped to [1970, 2106] (what
// classic pcap's unsigned seconds reach): the engine adds timeouts and tick
// intervals to them, which must not overflow int64.
TEST(ToRawFrame, ClampsTimestampsToARangeWithHeadroom) {
    const std::uint8_t byte = 0;
    pcap_pkthdr header{};
    header.caplen = header.len = 1;
    header.ts.tv_sec = std::numeric_limits<decltype(header.ts.tv_sec)>::max();
    header.ts.tv_usec = 999'999;
    EXPECT_EQ(to_raw_frame(header, &byte).ts_ns, 4'294'967'295'000'999'999);
    header.ts.tv_sec = -5;
    EXPECT_EQ(to_raw_frame(header, &byte).ts_ns, 999'999);
    header.ts.tv_sec = 1'700'000'000;
    header.ts.tv_usec = 1'500'000'000;  // an out-of-range fraction
    EXPECT_EQ(to_raw_frame(header, &byte).ts_ns, 1'700'000'000'999'999'999);
    // The headroom left: more than a century of nanoseconds.
    EXPECT_GT(std::numeric_limits<std::int64_t>::max() - 4'294'967'295'999'999'999,
              std::int64_t{100} * 365 * 24 * 3600 * 1'000'000'000);
}

}  // namespace
}  // namespace sockeye::capture
