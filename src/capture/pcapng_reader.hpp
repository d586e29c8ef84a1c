// pcapng, read block by block from a stream (draft-ietf-opsawg-pcapng).
//
// libpcap 1.10 insists that every interface of a file share the first one's
// link type and snaplen, so it rejects what mergecap writes; this reader
// keeps each interface's own link type, snaplen and timestamp resolution,
// and hands each packet out with them. Sections in either byte order, one
// after another (a new section header starts a new interface list); EPB,
// SPB and the obsolete PB carry packets; IDB describes interfaces; every
// other block (NRB, ISB, DSB, custom, ...) is skipped. Everything read is
// bounds-checked: a hostile file ends in an error, never a bad read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "capture/byte_input.hpp"

namespace sockeye::capture {

inline constexpr std::uint32_t kPcapngSectionHeader = 0x0A0D0D0A;
// A block longer than this is taken as corruption, not read (libpcap's
// limit is the same order); real packet blocks are at most a few hundred KiB.
inline constexpr std::uint32_t kPcapngMaxBlockBytes = 16u << 20;

struct PcapngInterface {
    int link_type = 0;
    std::uint32_t snaplen = 0;       // 0: no limit
    std::uint8_t tsresol = 6;        // if_tsresol as stored: 10^-n, or 2^-n with the top bit
    std::int64_t tsoffset_s = 0;     // if_tsoffset: seconds added to every timestamp
};

struct PcapngPacket {
    std::int64_t ts_ns = 0;          // clamped like every capture time (capture_time.hpp)
    std::uint32_t wire_len = 0;
    std::span<const std::uint8_t> bytes;  // valid until the next call
    std::uint32_t interface_id = 0;  // index within its section
    int link_type = 0;
    std::string_view comment;        // the first opt_comment; valid until the next call
};

// A timestamp in if_tsresol units as nanoseconds since the epoch, clamped
// to the capture time range.
std::int64_t pcapng_time_ns(std::uint64_t units, std::uint8_t tsresol, std::int64_t tsoffset_s);

class PcapngReader {
public:
    enum class Status {
        packet,     // `out` holds one
        end,        // the stream ended between two blocks
        truncated,  // the stream ended inside a block; see error()
        error,      // malformed; see error()
    };

    explicit PcapngReader(ByteInput& input) : input_(input) {}

    // Reads up to and including the first interface description, so the
    // first link type is known before any packet (libpcap does the same).
    // `end` for a file with no interface at all; truncated/error as next().
    Status start();
    Status next(PcapngPacket& out);

    // The first interface's link type; -1 when the file has none.
    [[nodiscard]] int first_link_type() const { return first_link_type_; }
    // The interfaces of the current section.
    [[nodiscard]] const std::vector<PcapngInterface>& interfaces() const { return interfaces_; }
    [[nodiscard]] const std::string& error() const { return error_; }
    // Offset of the block being read (where a truncation or error is).
    [[nodiscard]] std::uint64_t block_offset() const { return block_offset_; }

private:
    enum class Block { packet, interface, other };

    Status read_block(Block& kind, PcapngPacket& out);
    Status fail(Status status, std::string message);
    bool parse_section_header();
    bool parse_interface();
    bool parse_enhanced_packet(PcapngPacket& out);
    bool parse_simple_packet(PcapngPacket& out);
    bool parse_obsolete_packet(PcapngPacket& out);

    ByteInput& input_;
    bool big_endian_ = false;
    bool in_section_ = false;
    std::vector<PcapngInterface> interfaces_;
    int first_link_type_ = -1;
    std::vector<std::uint8_t> body_;  // the current block between its length fields
    std::uint64_t block_offset_ = 0;
    std::string error_;
};

}  // namespace sockeye::capture
