#include "capture/pcap_reader.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <bit>
#include <climits>
#include <cstring>

#include "capture/capture_time.hpp"
#include "core/byte_reader.hpp"

namespace sockeye::capture {
namespace {

// The three magic numbers libpcap reads (pcap-savefile(5)).
constexpr std::uint32_t kMicroMagic = 0xA1B2C3D4;
constexpr std::uint32_t kNanoMagic = 0xA1B23C4D;
// Alexey Kuznetzov's patched libpcap: 8 more bytes per record header.
constexpr std::uint32_t kPatchedMagic = 0xA1B2CD34;
constexpr std::size_t kRecordHeaderBytes = 16;
constexpr std::size_t kPatchedRecordHeaderBytes = 24;
constexpr std::uint32_t kVersionMajor = 2;
constexpr std::uint32_t kVersionMinor = 4;
// libpcap's MAXIMUM_SNAPLEN: the largest record most link types may have.
constexpr std::uint32_t kMaximumSnaplen = 262'144;
constexpr std::uint32_t kLinkTypeMask = 0x03FF'FFFF;  // the rest are FCS flags

bool is_magic(std::uint32_t m) { return m == kMicroMagic || m == kNanoMagic || m == kPatchedMagic; }

std::uint32_t load32(std::span<const std::uint8_t> bytes, bool big_endian) {
    core::ByteReader r(bytes);
    return big_endian ? r.u32_be() : r.u32_le();
}

// The byte order the magic says, or false when it is not pcap's.
bool read_magic(std::span<const std::uint8_t> four, bool& big_endian, std::uint32_t& magic) {
    for (const bool be : {false, true}) {
        const std::uint32_t m = load32(four, be);
        if (is_magic(m)) {
            big_endian = be;
            magic = m;
            return true;
        }
    }
    return false;
}

// Past this a record is taken as damage, not cut (libpcap's limits).
std::uint32_t max_snaplen_for(int dlt) {
    switch (dlt) {
        case DLT_DBUS: return 128u << 20;
        case DLT_EBHSCR: return 8u << 20;
        case DLT_USBPCAP: return 1u << 20;
        default: return kMaximumSnaplen;
    }
}

std::string truncated(const char* what, std::size_t wanted, std::size_t got) {
    return "truncated dump file; tried to read " + std::to_string(wanted) + " " + what +
           ", only got " + std::to_string(got);
}

}  // namespace

int dlt_of_linktype(std::uint32_t link_type) {
    switch (link_type) {
        case 100: return DLT_ATM_RFC1483;
        case 101: return DLT_RAW;
        case 102: return DLT_SLIP_BSDOS;
        case 103: return DLT_PPP_BSDOS;
        case 106: return DLT_ATM_CLIP;
        case 246: return DLT_PFSYNC;
        case 258: return DLT_PKTAP;
        default: return static_cast<int>(link_type);
    }
}

bool PcapReader::reads_like_libpcap(std::span<const std::uint8_t> head) {
    bool big_endian = false;
    std::uint32_t magic = 0;
    if (head.size() < kPcapFileHeaderBytes || !read_magic(head.first(4), big_endian, magic)) {
        return true;
    }
    const int dlt = dlt_of_linktype(load32(head.subspan(20, 4), big_endian) & kLinkTypeMask);
    if (dlt == DLT_USB_LINUX_MMAPPED) return false;  // lengths fixed up on every record
    // Pseudo-headers stored in the writer's byte order are swapped to the reader's.
    const bool swapped = big_endian != (std::endian::native == std::endian::big);
    if (!swapped) return true;
    switch (dlt) {
        case DLT_PFLOG:
        case DLT_LINUX_SLL:
        case DLT_LINUX_SLL2:
        case DLT_USB_LINUX:
        case DLT_NFLOG: return false;
        default: return true;
    }
}

PcapReader::Status PcapReader::fail(Status status, std::string message) {
    error_ = std::move(message);
    return status;
}

PcapReader::Status PcapReader::read_failure(const std::string& truncated_message) {
    if (!input_.error().empty()) return fail(Status::error, "error reading dump file: " + input_.error());
    return fail(Status::truncated, truncated_message);
}

PcapReader::Status PcapReader::start() {
    std::uint32_t magic = 0;
    {
        const auto four = input_.take(4);
        if (four.size() < 4) return read_failure(truncated("file header bytes", 4, four.size()));
        if (!read_magic(four, big_endian_, magic)) return fail(Status::error, "unknown file format");
    }
    const auto rest = input_.take(kPcapFileHeaderBytes - 4);
    if (rest.size() < kPcapFileHeaderBytes - 4) {
        // libpcap counts what it got after the magic, not the magic itself.
        return read_failure(truncated("file header bytes", kPcapFileHeaderBytes, rest.size()));
    }
    core::ByteReader r(rest);
    const std::uint32_t major = big_endian_ ? r.u16_be() : r.u16_le();
    const std::uint32_t minor = big_endian_ ? r.u16_be() : r.u16_le();
    r.skip(8);  // thiszone, sigfigs: always zero, never used
    const std::uint32_t snaplen = big_endian_ ? r.u32_be() : r.u32_le();
    const std::uint32_t link_type = big_endian_ ? r.u32_be() : r.u32_le();
    if (major < kVersionMajor) return fail(Status::error, "archaic pcap savefile format");
    // 2.0 to 2.4, and DG/UX tcpdump's 543.0.
    if (!((major == kVersionMajor && minor <= kVersionMinor) || (major == 543 && minor == 0))) {
        return fail(Status::error, "unsupported pcap savefile version " + std::to_string(major) +
                                       "." + std::to_string(minor));
    }
    link_type_ = dlt_of_linktype(link_type & kLinkTypeMask);
    max_caplen_ = max_snaplen_for(link_type_);
    snapshot_ = snaplen == 0 || snaplen > INT_MAX ? max_caplen_ : snaplen;
    nanoseconds_ = magic == kNanoMagic;
    swapped_ = big_endian_ != (std::endian::native == std::endian::big);
    // caplen and len traded places at 2.3; some 2.3 writers did not follow.
    if (major == 543 || minor < 3) lengths_ = Lengths::swapped;
    else if (minor == 3) lengths_ = Lengths::maybe_swapped;
    if (magic == kPatchedMagic) {
        record_header_bytes_ = kPatchedRecordHeaderBytes;
        // That libpcap prepended a made-up Ethernet header to cooked captures.
        if (link_type_ == DLT_EN10MB) snapshot_ = snapshot_ <= INT_MAX - 14 ? snapshot_ + 14 : INT_MAX;
    } else {
        record_header_bytes_ = kRecordHeaderBytes;
    }
    return Status::packet;
}

bool PcapReader::next_is_buffered() const {
    const auto view = input_.buffered();
    if (view.size() < record_header_bytes_) return false;
    std::uint32_t field[4];
    std::memcpy(field, view.data(), sizeof field);
    if (swapped_) {
        for (std::uint32_t& f : field) f = __builtin_bswap32(f);
    }
    std::uint32_t caplen = field[2];
    const std::uint32_t len = field[3];
    if (lengths_ == Lengths::swapped || (lengths_ == Lengths::maybe_swapped && caplen > len))
        caplen = len;
    return caplen <= max_caplen_ && view.size() - record_header_bytes_ >= caplen;
}

PcapReader::Status PcapReader::next(core::RawFrame& out) {
    const auto head = input_.take(record_header_bytes_);
    if (head.size() < record_header_bytes_) [[unlikely]] {
        if (head.empty() && input_.error().empty()) return Status::end;
        return read_failure(truncated("header bytes", record_header_bytes_, head.size()));
    }
    // The size was checked once above, so the four fields are plain loads.
    std::uint32_t field[4];
    std::memcpy(field, head.data(), sizeof field);
    if (swapped_) {
        for (std::uint32_t& f : field) f = __builtin_bswap32(f);
    }
    const std::uint32_t seconds = field[0];
    // As libpcap reads it: signed in the reader's byte order (a negative
    // fraction clamps to zero), unsigned once byte-swapped.
    std::int64_t fraction = swapped_ ? std::int64_t{field[1]}
                                     : std::int64_t{static_cast<std::int32_t>(field[1])};
    std::uint32_t caplen = field[2];
    std::uint32_t len = field[3];
    if (!nanoseconds_) fraction *= 1000;
    if (lengths_ == Lengths::swapped || (lengths_ == Lengths::maybe_swapped && caplen > len))
        [[unlikely]] {
        std::swap(caplen, len);
    }
    if (caplen > max_caplen_) [[unlikely]] {
        return fail(Status::error,
                    "invalid packet capture length " + std::to_string(caplen) + ", bigger than " +
                        (caplen > snapshot_ ? "snaplen of " + std::to_string(snapshot_)
                                            : "maximum of " + std::to_string(max_caplen_)));
    }
    // Bytes past the snapshot length are read and dropped (a writer that
    // ignored its own snaplen): the frame is cut to it.
    const auto data = input_.take(caplen);
    if (data.size() < caplen) [[unlikely]] {
        const bool before_snapshot = caplen > snapshot_ && data.size() < snapshot_;
        return read_failure(truncated("captured bytes", before_snapshot ? snapshot_ : caplen,
                                      data.size()));
    }
    out.ts_ns = capture_time_ns(seconds, fraction);
    out.wire_len = len;
    out.bytes = data.first(std::min(caplen, snapshot_));
    return Status::packet;
}

}  // namespace sockeye::capture
