#include "capture_writer.hpp"

#include <array>

namespace sockeye::trafficgen {

namespace {

constexpr std::uint32_t kPcapMagicMicros = 0xA1B2C3D4;
constexpr std::uint32_t kPcapngShb = 0x0A0D0D0A;
constexpr std::uint32_t kPcapngIdb = 0x00000001;
constexpr std::uint32_t kPcapngEpb = 0x00000006;
constexpr std::uint32_t kPcapngByteOrder = 0x1A2B3C4D;
constexpr std::int64_t kNsPerUs = 1000;
constexpr std::int64_t kUsPerS = 1000000;

std::uint32_t pad4(std::uint32_t n) { return (n + 3U) & ~3U; }

}  // namespace

CaptureWriter::CaptureWriter(const std::string& path, FileFormat format, LinkType link)
    : file_(std::fopen(path.c_str(), "wb")), format_(format) {
    if (!file_) {
        return;
    }
    // Large buffer: the benchmark scenario writes a million records.
    std::setvbuf(file_.get(), nullptr, _IOFBF, 1U << 20U);
    if (format_ == FileFormat::pcap) {
        write_pcap_header(link);
    } else {
        write_pcapng_header(link);
    }
}

void CaptureWriter::put(std::span<const std::uint8_t> bytes) {
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) {
        failed_ = true;
    }
}

// Both formats are written in little-endian byte order; readers detect it
// from the magic number.
void CaptureWriter::put_u16(std::uint16_t v) {
    const std::array<std::uint8_t, 2> b{static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8U)};
    put(b);
}

void CaptureWriter::put_u32(std::uint32_t v) {
    const std::array<std::uint8_t, 4> b{static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8U),
                                        static_cast<std::uint8_t>(v >> 16U),
                                        static_cast<std::uint8_t>(v >> 24U)};
    put(b);
}

void CaptureWriter::write_pcap_header(LinkType link) {
    put_u32(kPcapMagicMicros);
    put_u16(2);  // version 2.4
    put_u16(4);
    put_u32(0);  // thiszone
    put_u32(0);  // sigfigs
    put_u32(kSnaplen);
    put_u32(static_cast<std::uint32_t>(link));
}

void CaptureWriter::write_pcapng_header(LinkType link) {
    // Section Header Block without options: 28 bytes, section length unknown (-1).
    put_u32(kPcapngShb);
    put_u32(28);
    put_u32(kPcapngByteOrder);
    put_u16(1);
    put_u16(0);
    put_u32(0xFFFFFFFF);
    put_u32(0xFFFFFFFF);
    put_u32(28);
    // Interface Description Block without options: the default if_tsresol is
    // microseconds, which is what write() stores.
    put_u32(kPcapngIdb);
    put_u32(20);
    put_u16(static_cast<std::uint16_t>(link));
    put_u16(0);
    put_u32(kSnaplen);
    put_u32(20);
}

void CaptureWriter::write(std::int64_t ts_ns, std::span<const std::uint8_t> data, std::uint32_t orig_len) {
    if (!ok()) {
        return;
    }
    const auto caplen = static_cast<std::uint32_t>(data.size());
    const std::uint32_t wire_len = orig_len == 0 ? caplen : orig_len;
    const std::int64_t us = ts_ns / kNsPerUs;
    if (format_ == FileFormat::pcap) {
        put_u32(static_cast<std::uint32_t>(us / kUsPerS));
        put_u32(static_cast<std::uint32_t>(us % kUsPerS));
        put_u32(caplen);
        put_u32(wire_len);
        put(data);
    } else {
        const std::uint32_t total = 32U + pad4(caplen);
        const auto ts = static_cast<std::uint64_t>(us);
        put_u32(kPcapngEpb);
        put_u32(total);
        put_u32(0);  // interface id
        put_u32(static_cast<std::uint32_t>(ts >> 32U));
        put_u32(static_cast<std::uint32_t>(ts));
        put_u32(caplen);
        put_u32(wire_len);
        put(data);
        const std::array<std::uint8_t, 3> zeros{};
        put(std::span<const std::uint8_t>(zeros).first(pad4(caplen) - caplen));
        put_u32(total);
    }
    ++records_;
}

bool CaptureWriter::close() {
    if (!file_) {
        return false;
    }
    const bool flushed = std::fflush(file_.get()) == 0;
    file_.reset();
    return flushed && !failed_;
}

}  // namespace sockeye::trafficgen
