// Classic pcap (the libpcap savefile format), read record by record from a
// stream, each frame handed out in place (ByteInput::take), not copied.
//
// It reads what libpcap 1.10 reads and fails where libpcap fails, with
// libpcap's own messages (sockeye's goldens and users see them): both byte
// orders, microsecond and nanosecond magic, the patched-header variant
// (0xa1b2cd34), versions 2.0 to 2.4 (caplen and len swapped before 2.3,
// possibly at 2.3) and 543.0, the link type mapped from LINKTYPE_ to DLT_,
// a record longer than the file's snaplen cut to it, one longer than the
// link type allows refused. Files whose link type libpcap rewrites frame by
// frame (pseudo-headers in the writer's byte order, Linux USB lengths) are
// left to libpcap: reads_like_libpcap() says which.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "capture/byte_input.hpp"
#include "core/raw_frame.hpp"

namespace sockeye::capture {

inline constexpr std::size_t kPcapFileHeaderBytes = 24;

// A file's LINKTYPE_ value (pcap and pcapng alike) as the DLT_ value
// pcap_datalink() gives: the same number but for a few that predate the
// registry or differ by OS, mapped as libpcap maps them.
int dlt_of_linktype(std::uint32_t link_type);

class PcapReader {
public:
    enum class Status {
        packet,     // `out` holds one (start(): the header was read)
        end,        // the stream ended between two records
        truncated,  // the stream ended inside the header or a record; see error()
        error,      // malformed or unreadable; see error()
    };

    explicit PcapReader(ByteInput& input) : input_(input) {}

    // Reads the file header. Errors are libpcap's: "unknown file format"
    // when the magic is not pcap's, "truncated dump file; ..." and so on.
    Status start();
    // Sets the frame's ts_ns (clamped like every capture time,
    // capture_time.hpp), wire_len and bytes (valid until the next call);
    // leaves its other fields alone.
    Status next(core::RawFrame& out);
    // The next record is a valid one whose bytes are all buffered: next()
    // will hand it out without reading or moving the input, so the frames
    // handed out before stay valid.
    [[nodiscard]] bool next_is_buffered() const;

    // DLT_ value (what pcap_datalink() would say).
    [[nodiscard]] int link_type() const { return link_type_; }
    // The snapshot length records are cut to (the header's, or the link
    // type's maximum when the header's is 0 or absurd).
    [[nodiscard]] std::uint32_t snapshot() const { return snapshot_; }
    [[nodiscard]] const std::string& error() const { return error_; }

    // False when the file that starts with `head` (its first 24 bytes, or
    // fewer) has a link type whose frames libpcap rewrites as it reads
    // them; this reader hands out the bytes as stored, so those files stay
    // with libpcap. True for anything else, including files that are not
    // pcap at all (this reader then fails as libpcap would).
    static bool reads_like_libpcap(std::span<const std::uint8_t> head);

private:
    enum class Lengths : std::uint8_t { as_is, swapped, maybe_swapped };

    Status fail(Status status, std::string message);
    // A short read: the input's error if it has one, else `truncated_message`.
    Status read_failure(const std::string& truncated_message);

    ByteInput& input_;
    bool big_endian_ = false;
    bool swapped_ = false;  // the file's byte order is not this machine's
    bool nanoseconds_ = false;
    Lengths lengths_ = Lengths::as_is;
    std::size_t record_header_bytes_ = 16;
    int link_type_ = 0;
    std::uint32_t snapshot_ = 0;
    std::uint32_t max_caplen_ = 0;  // beyond it a record is refused, not cut
    std::string error_;
};

}  // namespace sockeye::capture
