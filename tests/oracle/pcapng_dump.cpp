// Prints every frame of a capture file, one line each:
//   ts_ns wire_len cap_len link_type fnv1a64(bytes)
// then "status end" or "status error <message>". With --libpcap the file is
// read by libpcap (pcap_next_ex, nanosecond precision), else by sockeye's
// FileSource (its own pcapng and pcap readers), so
// pcapng_reader_crosscheck.py can compare the two frame by frame.
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>

#include "capture/capture_time.hpp"
#include "capture/file_source.hpp"

namespace {

std::uint64_t fnv1a(std::span<const std::uint8_t> bytes) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const std::uint8_t b : bytes) {
        h ^= b;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void line(std::int64_t ts_ns, std::uint32_t wire_len, std::span<const std::uint8_t> bytes,
          int link_type) {
    std::printf("%lld %u %zu %d %016llx\n", static_cast<long long>(ts_ns), wire_len, bytes.size(),
                link_type, static_cast<unsigned long long>(fnv1a(bytes)));
}

bool is_pcapng(const char* path) {
    unsigned char magic[4] = {};
    std::FILE* f = std::fopen(path, "rb");
    if (f == nullptr) return false;
    const bool ng = std::fread(magic, 1, 4, f) == 4 && magic[0] == 0x0A && magic[1] == 0x0D &&
                    magic[2] == 0x0D && magic[3] == 0x0A;
    std::fclose(f);
    return ng;
}

int with_libpcap(const char* path) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == nullptr) {
        std::printf("status error %s\n", errbuf);
        return 0;
    }
    // Classic pcap stores seconds as unsigned 32 bits, which libpcap reads
    // signed (2038 and later come out negative): taken back as unsigned and
    // clamped, as sockeye always has.
    const bool classic = !is_pcapng(path);
    pcap_pkthdr* h = nullptr;
    const std::uint8_t* data = nullptr;
    int rc = 0;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        const std::int64_t ts =
            classic ? sockeye::capture::capture_time_ns(static_cast<std::uint32_t>(h->ts.tv_sec),
                                                        h->ts.tv_usec)
                    : static_cast<std::int64_t>(h->ts.tv_sec) * 1'000'000'000 + h->ts.tv_usec;
        line(ts, h->len, {data, h->caplen}, pcap_datalink(p));
    }
    if (rc == PCAP_ERROR_BREAK) {
        std::printf("status end\n");
    } else {
        std::printf("status error %s\n", pcap_geterr(p));
    }
    pcap_close(p);
    return 0;
}

int with_sockeye(const char* path) {
    auto opened = sockeye::capture::FileSource::open(path, "");
    if (!opened) {
        std::printf("status error %s\n", opened.error().message.c_str());
        return 0;
    }
    const auto source = std::move(opened).value();
    sockeye::core::RawFrame f;
    for (;;) {
        const auto s = source->next(f);
        if (s == sockeye::capture::NextStatus::frame) {
            line(f.ts_ns, f.wire_len, f.bytes, f.link_type);
        } else if (s == sockeye::capture::NextStatus::end) {
            std::printf("status end\n");
            return 0;
        } else {
            std::printf("status error %s\n", source->error().c_str());
            return 0;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--libpcap") == 0) return with_libpcap(argv[2]);
    if (argc == 2) return with_sockeye(argv[1]);
    std::fprintf(stderr, "usage: pcapng-dump [--libpcap] FILE\n");
    return 2;
}
