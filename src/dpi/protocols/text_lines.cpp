#include "dpi/protocols/text_lines.hpp"

#include <algorithm>

#include "core/hex.hpp"

namespace sockeye::dpi::text {
namespace {

constexpr std::uint8_t lower(std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + ('a' - 'A')) : c;
}

constexpr bool same_ci(std::uint8_t a, char b) {
    return lower(a) == lower(static_cast<std::uint8_t>(b));
}

constexpr bool is_space(std::uint8_t c) { return c == ' ' || c == '\t'; }

}  // namespace

bool LineReader::next(std::span<const std::uint8_t>& line) {
    if (lines_ >= kMaxLines) return false;
    // Stops at the first byte no text line holds, and after kMaxLineBytes:
    // binary payloads (most of what the text probes are offered) are turned
    // away after a few bytes instead of a scan of the whole packet.
    const std::size_t limit = std::min(reader_.remaining(), kMaxLineBytes + 2);
    for (std::size_t i = 0; i < limit; ++i) {
        const std::uint8_t c = reader_.peek_u8(i);
        if (c == '\n') {
            auto raw = reader_.take(i + 1).first(i);
            if (!raw.empty() && raw.back() == '\r') raw = raw.first(raw.size() - 1);
            line = raw;
            ++lines_;
            return true;
        }
        if (c == 0x7f || (c < 0x20 && c != '\t' && c != '\r')) return false;
    }
    return false;
}

bool is_text(std::span<const std::uint8_t> bytes) {
    for (const std::uint8_t c : bytes) {
        if (c == '\t' || c >= 0x20) {
            if (c == 0x7f) return false;
            continue;
        }
        return false;
    }
    return true;
}

bool first_line_pending(std::span<const std::uint8_t> bytes) {
    LineReader lines(bytes);
    std::span<const std::uint8_t> line;
    if (lines.next(line)) return true;
    return bytes.size() < kMaxLineBytes && is_text(bytes);
}

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view prefix) {
    if (bytes.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (bytes[i] != static_cast<std::uint8_t>(prefix[i])) return false;
    return true;
}

bool equals(std::span<const std::uint8_t> bytes, std::string_view word) {
    return bytes.size() == word.size() && starts_with(bytes, word);
}

bool starts_with_ci(std::span<const std::uint8_t> bytes, std::string_view prefix) {
    if (bytes.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (!same_ci(bytes[i], prefix[i])) return false;
    return true;
}

bool equals_ci(std::span<const std::uint8_t> bytes, std::string_view word) {
    return bytes.size() == word.size() && starts_with_ci(bytes, word);
}

bool contains_ci(std::span<const std::uint8_t> bytes, std::string_view needle) {
    if (needle.empty()) return true;
    if (bytes.size() < needle.size()) return false;
    for (std::size_t at = 0; at + needle.size() <= bytes.size(); ++at)
        if (starts_with_ci(bytes.subspan(at), needle)) return true;
    return false;
}

bool is_prefix_of_ci(std::span<const std::uint8_t> bytes, std::string_view word) {
    if (bytes.size() > word.size()) return false;
    for (std::size_t i = 0; i < bytes.size(); ++i)
        if (!same_ci(bytes[i], word[i])) return false;
    return true;
}

namespace {

std::span<const std::uint8_t> skip_leading_space(std::span<const std::uint8_t> bytes) {
    std::size_t n = 0;
    while (n < bytes.size() && is_space(bytes[n])) ++n;
    return bytes.subspan(n);
}

constexpr bool ends_word(std::uint8_t c) { return is_space(c) || c == '\r' || c == '\n'; }

}  // namespace

bool could_begin_with_word(std::span<const std::uint8_t> bytes,
                           std::span<const std::string_view> words) {
    bytes = skip_leading_space(bytes);
    if (bytes.empty()) return true;
    std::size_t longest = 0;
    for (const std::string_view w : words) longest = std::max(longest, w.size());
    // Find the end of the first word, looking no further than one byte past
    // the longest candidate: a longer word is none of them.
    const std::size_t look = std::min(bytes.size(), longest + 1);
    std::size_t end = 0;
    while (end < look && !ends_word(bytes[end])) ++end;
    const bool ended = end < look;
    if (!ended && bytes.size() > longest) return false;
    const auto head = bytes.first(ended ? end : bytes.size());
    const std::uint8_t first = lower(bytes[0]);
    for (const std::string_view w : words) {
        // Complete: same length; still growing: at least as long.
        if (ended ? w.size() != end : w.size() < bytes.size()) continue;
        if (w.empty() || lower(static_cast<std::uint8_t>(w[0])) != first) continue;
        if (is_prefix_of_ci(head, w)) return true;
    }
    return false;
}

bool could_begin_with(std::span<const std::uint8_t> bytes, std::string_view prefix) {
    return is_prefix_of_ci(bytes.first(std::min(bytes.size(), prefix.size())), prefix);
}

bool could_begin_with_short_word(std::span<const std::uint8_t> bytes, std::size_t max_word) {
    bytes = skip_leading_space(bytes);
    const std::size_t n = std::min(bytes.size(), max_word + 1);
    for (std::size_t i = 0; i < n; ++i)
        if (is_space(bytes[i])) return true;
    return bytes.size() <= max_word;
}

std::string_view as_view(std::span<const std::uint8_t> bytes) {
    // Byte-for-byte view of the same storage; char and uint8_t alias legally.
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::uint8_t> trim(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty() && is_space(bytes.front())) bytes = bytes.subspan(1);
    while (!bytes.empty() && is_space(bytes.back())) bytes = bytes.first(bytes.size() - 1);
    return bytes;
}

std::span<const std::uint8_t> first_word(std::span<const std::uint8_t> line) {
    line = trim(line);
    std::size_t n = 0;
    while (n < line.size() && !is_space(line[n])) ++n;
    return line.first(n);
}

std::span<const std::uint8_t> after_first_word(std::span<const std::uint8_t> line) {
    line = trim(line);
    std::size_t n = 0;
    while (n < line.size() && !is_space(line[n])) ++n;
    return trim(line.subspan(n));
}

int reply_code(std::span<const std::uint8_t> line) {
    if (line.size() < 3) return -1;
    int code = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        if (line[i] < '0' || line[i] > '9') return -1;
        code = code * 10 + (line[i] - '0');
    }
    if (line[0] < '1' || line[0] > '5') return -1;
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-') return -1;
    return code;
}

bool header_value(std::span<const std::uint8_t> line, std::string_view name,
                  std::span<const std::uint8_t>& value) {
    if (!starts_with_ci(line, name)) return false;
    auto rest = line.subspan(name.size());
    while (!rest.empty() && is_space(rest.front())) rest = rest.subspan(1);
    if (rest.empty() || rest.front() != ':') return false;
    value = trim(rest.subspan(1));
    return true;
}

std::string copy_capped(std::span<const std::uint8_t> bytes, std::size_t cap) {
    if (bytes.size() > cap) bytes = bytes.first(cap);
    std::string out;
    out.reserve(bytes.size());
    for (const std::uint8_t c : bytes) out.push_back(static_cast<char>(c));
    return out;
}

std::string upper_copy_capped(std::span<const std::uint8_t> bytes, std::size_t cap) {
    std::string out = copy_capped(bytes, cap);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
    return out;
}

std::string hex(std::span<const std::uint8_t> bytes, std::size_t cap) {
    return core::hex(bytes.first(std::min(bytes.size(), cap)));
}

Verdict probe_line_protocol(const LineProtocol& protocol, const ProbeContext& ctx,
                            std::span<const std::uint8_t> payload, snapshot::AppInfo& info) {
    if (ctx.transport != Transport::tcp) return Verdict::no_match;
    if (ctx.phase == Phase::detecting) {
        const Verdict v = ctx.from_initiator ? protocol.classify_client(ctx, payload)
                                             : protocol.classify_server(ctx, payload);
        if (v != Verdict::match) return v;
    }
    // Commands and replies keep coming: follow the direction (the detector's
    // depth limit bounds it) until the extractor says it is done.
    const bool done = ctx.from_initiator ? protocol.extract_client(payload, info)
                                         : protocol.extract_server(payload, info);
    return done ? Verdict::match : Verdict::match_more;
}

}  // namespace sockeye::dpi::text
