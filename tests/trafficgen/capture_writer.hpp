// Writes classic pcap (microsecond, little-endian) or pcapng (SHB + one IDB +
// EPBs) files. Written here rather than through libpcap because the malformed
// scenarios need records libpcap's dumper would never produce.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

namespace sockeye::trafficgen {

enum class FileFormat : std::uint8_t { pcap, pcapng };

// pcap LINKTYPE_* values (tcpdump.org/linktypes.html).
enum class LinkType : std::uint16_t {
    null_bsd = 0,
    ethernet = 1,
    raw = 101,
    loop = 108,
    linux_sll = 113,
    linux_sll2 = 276,
};

class CaptureWriter {
public:
    static constexpr std::uint32_t kSnaplen = 262144;

    // Opens `path` and writes the file header; ok() tells whether that worked.
    CaptureWriter(const std::string& path, FileFormat format, LinkType link);

    [[nodiscard]] bool ok() const { return file_ != nullptr && !failed_; }

    // One record. `orig_len` is the length on the wire; 0 means data.size().
    void write(std::int64_t ts_ns, std::span<const std::uint8_t> data, std::uint32_t orig_len = 0);

    // Flushes and closes; false if any write failed.
    bool close();

    [[nodiscard]] std::uint64_t records() const { return records_; }

private:
    struct FileCloser {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };

    void put(std::span<const std::uint8_t> bytes);
    void put_u16(std::uint16_t v);
    void put_u32(std::uint32_t v);
    void write_pcap_header(LinkType link);
    void write_pcapng_header(LinkType link);

    std::unique_ptr<std::FILE, FileCloser> file_;
    FileFormat format_;
    bool failed_ = false;
    std::uint64_t records_ = 0;
};

}  // namespace sockeye::trafficgen
