// Small helpers for the line-oriented protocols (FTP, SMTP, IMAP, POP3, SIP,
// SSDP): splitting a stream prefix into CRLF lines and comparing ASCII
// case-insensitively, all over byte spans so no text is copied until a field
// is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/byte_reader.hpp"
#include "dpi/probe.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi::text {

// Strings copied into AppInfo are capped so hostile traffic cannot grow a
// flow record: names and header values to this many bytes.
inline constexpr std::size_t kMaxTextBytes = 255;
// Lines longer than this are not the control protocols probed here.
inline constexpr std::size_t kMaxLineBytes = 2048;
// Upper bound on lines any probe walks in one call.
inline constexpr std::size_t kMaxLines = 128;

// Yields LF-terminated text lines (CR stripped) from the front of a buffer;
// an unterminated tail is left in rest(). A control byte (other than tab or
// CR) or a line longer than kMaxLineBytes ends the reading: next() is false.
class LineReader {
public:
    explicit LineReader(std::span<const std::uint8_t> bytes) : reader_(bytes) {}
    // False when no complete line remains (or the line cap was reached).
    bool next(std::span<const std::uint8_t>& line);
    [[nodiscard]] std::span<const std::uint8_t> rest() const { return reader_.rest(); }

private:
    core::ByteReader reader_;
    std::size_t lines_ = 0;
};

// Printable ASCII, tab and bytes >= 0x80 (UTF-8 in banners and display
// names); any other control byte means "not a text protocol line".
bool is_text(std::span<const std::uint8_t> bytes);
// The first line of `bytes` is complete, or the unterminated prefix is
// still short text that could become one.
bool first_line_pending(std::span<const std::uint8_t> bytes);

// Exact (case-sensitive) comparisons, for binary protocols' ASCII tokens.
bool equals(std::span<const std::uint8_t> bytes, std::string_view word);
bool starts_with(std::span<const std::uint8_t> bytes, std::string_view prefix);

bool starts_with_ci(std::span<const std::uint8_t> bytes, std::string_view prefix);
bool equals_ci(std::span<const std::uint8_t> bytes, std::string_view word);
bool contains_ci(std::span<const std::uint8_t> bytes, std::string_view needle);
// Whether `bytes` is a prefix of `word` (case-insensitive): a partial line
// that may still grow into it.
bool is_prefix_of_ci(std::span<const std::uint8_t> bytes, std::string_view word);

// Gates that let a probe turn a payload away from its first bytes, before
// LineReader scans for a whole line (probes see bulk data far more often
// than their protocol: scanning 2 KiB of it per probe per segment was most
// of DPI's cost). Each is true whenever the full check could still pass.
//
// The first word (leading spaces and tabs skipped, ended by a space, tab, CR
// or LF) is, or may still grow into, one of `words` (case-insensitive).
bool could_begin_with_word(std::span<const std::uint8_t> bytes,
                           std::span<const std::string_view> words);
// The first bytes are, or may still grow into, `prefix` (case-insensitive).
bool could_begin_with(std::span<const std::uint8_t> bytes, std::string_view prefix);
// A first word of at most `max_word` bytes ends (space or tab) within the
// bytes seen, or the bytes seen are still shorter than that.
bool could_begin_with_short_word(std::span<const std::uint8_t> bytes, std::size_t max_word);

// The bytes as characters (a view, no copy).
std::string_view as_view(std::span<const std::uint8_t> bytes);
std::span<const std::uint8_t> trim(std::span<const std::uint8_t> bytes);
// The first space-delimited token and what follows it (leading spaces trimmed).
std::span<const std::uint8_t> first_word(std::span<const std::uint8_t> line);
std::span<const std::uint8_t> after_first_word(std::span<const std::uint8_t> line);

// A three-digit reply code followed by ' ', '-' or the end of the line
// (FTP/SMTP style); -1 otherwise.
int reply_code(std::span<const std::uint8_t> line);
// For "Name: value" header lines whose name equals `name` (case-insensitive):
// sets `value` to the trimmed value.
bool header_value(std::span<const std::uint8_t> line, std::string_view name,
                  std::span<const std::uint8_t>& value);

std::string copy_capped(std::span<const std::uint8_t> bytes, std::size_t cap = kMaxTextBytes);
std::string upper_copy_capped(std::span<const std::uint8_t> bytes, std::size_t cap = kMaxTextBytes);
// Lower-case hex of at most `cap` bytes.
std::string hex(std::span<const std::uint8_t> bytes, std::size_t cap = 128);

// The session shape FTP, SMTP, IMAP and POP3 share: classify the flow from
// whichever side speaks first, then extract fields from each direction until
// its extractor says nothing more can come (e.g. after STARTTLS).
struct LineProtocol {
    Verdict (*classify_client)(const ProbeContext&, std::span<const std::uint8_t>);
    Verdict (*classify_server)(const ProbeContext&, std::span<const std::uint8_t>);
    // True when this direction is done.
    bool (*extract_client)(std::span<const std::uint8_t>, snapshot::AppInfo&);
    bool (*extract_server)(std::span<const std::uint8_t>, snapshot::AppInfo&);
};

// A ProbeFn body for such a protocol (TCP only).
Verdict probe_line_protocol(const LineProtocol& protocol, const ProbeContext& ctx,
                            std::span<const std::uint8_t> payload, snapshot::AppInfo& info);

}  // namespace sockeye::dpi::text
