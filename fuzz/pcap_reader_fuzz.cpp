// Fuzz target: the classic pcap reader alone, from memory, checked against
// libpcap on the same bytes. For every input libpcap reads the same way
// (PcapReader::reads_like_libpcap), both must open or refuse the file with
// the same message, hand out the same frames (timestamp, lengths, bytes)
// and stop the same way with the same message; any difference traps.
#include <pcap/pcap.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "capture/capture_time.hpp"
#include "capture/pcap_reader.hpp"

namespace {

using sockeye::capture::PcapReader;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

// What sockeye made of libpcap's frames before it had its own reader:
// seconds are unsigned 32-bit in the file, libpcap reads them signed.
std::int64_t libpcap_time_ns(const pcap_pkthdr& h) {
    return sockeye::capture::capture_time_ns(static_cast<std::uint32_t>(h.ts.tv_sec),
                                             h.ts.tv_usec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    sockeye::capture::MemoryInput input({data, size});
    PcapReader reader(input);
    const PcapReader::Status started = reader.start();

    // pcapng is not this reader's (FileSource sniffs it first); a few link
    // types libpcap rewrites; an empty file never reaches a reader.
    const bool pcapng = size >= 4 && data[0] == 0x0A && data[1] == 0x0D && data[2] == 0x0D &&
                        data[3] == 0x0A;
    const bool compare = size > 0 && !pcapng && PcapReader::reads_like_libpcap({data, size});
    pcap_t* p = nullptr;
    if (compare) {
        // fmemopen wants a writable buffer it does not own; it only reads it.
        std::FILE* f = fmemopen(const_cast<std::uint8_t*>(data), size, "rb");  // NOLINT
        if (f == nullptr) return 0;
        char errbuf[PCAP_ERRBUF_SIZE] = {};
        p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
        if (p == nullptr) {
            std::fclose(f);
            check(started != PcapReader::Status::packet);
            check(reader.error() == errbuf);
            return 0;
        }
        check(started == PcapReader::Status::packet);
        check(reader.link_type() == pcap_datalink(p));
        check(static_cast<int>(reader.snapshot()) == pcap_snapshot(p));
    }
    if (started != PcapReader::Status::packet) return 0;

    sockeye::core::RawFrame frame;
    std::uint64_t sum = 0;
    // Bounded: every record consumes at least its 16-byte header.
    for (;;) {
        const PcapReader::Status s = reader.next(frame);
        if (s == PcapReader::Status::packet) {
            // Touch what the reader hands out, so ASan sees any bad span.
            for (const std::uint8_t b : frame.bytes) sum += b;
            check(frame.ts_ns >= 0);
            check(frame.bytes.size() <= reader.snapshot());
        }
        if (p == nullptr) {
            if (s != PcapReader::Status::packet) break;
            continue;
        }
        pcap_pkthdr* h = nullptr;
        const std::uint8_t* bytes = nullptr;
        const int rc = pcap_next_ex(p, &h, &bytes);
        if (s == PcapReader::Status::packet) {
            check(rc == 1);
            check(frame.ts_ns == libpcap_time_ns(*h));
            check(frame.wire_len == h->len);
            check(frame.bytes.size() == h->caplen);
            check(h->caplen == 0 || std::memcmp(frame.bytes.data(), bytes, h->caplen) == 0);
            continue;
        }
        if (s == PcapReader::Status::end) {
            check(rc == PCAP_ERROR_BREAK);
        } else {
            check(rc == PCAP_ERROR);
            check(reader.error() == pcap_geterr(p));
        }
        break;
    }
    if (p != nullptr) pcap_close(p);
    // Keeps the reads above from being optimised away.
    asm volatile("" : : "r"(sum));
    return 0;
}
