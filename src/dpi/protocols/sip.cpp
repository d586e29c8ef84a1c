#include "dpi/protocols/sip.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::string_view kVersion = "SIP/2.0";
// A TCP message whose header block has not ended by then is taken as is.
constexpr std::size_t kMaxHeaderBytes = 4096;

constexpr std::array<std::string_view, 14> kMethods = {
    "INVITE",    "ACK",    "BYE",     "CANCEL", "REGISTER", "OPTIONS", "PRACK",
    "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO",   "REFER",    "MESSAGE", "UPDATE"};

// Field name, long header name, compact form (RFC 3261 section 7.3.3).
struct Header {
    std::string_view field;
    std::string_view name;
    std::string_view compact;
};
constexpr std::array<Header, 5> kHeaders = {{
    {"from", "From", "f"},
    {"to", "To", "t"},
    {"call_id", "Call-ID", "i"},
    {"user_agent", "User-Agent", ""},
    {"server", "Server", ""},
}};

enum class StartLine : std::uint8_t { none, request, status };

StartLine classify_line(std::span<const std::uint8_t> line) {
    if (!text::is_text(line)) return StartLine::none;
    const auto first = text::first_word(line);
    if (text::equals(first, kVersion)) {
        return text::reply_code(text::after_first_word(line)) >= 100 ? StartLine::status
                                                                     : StartLine::none;
    }
    const bool method = std::any_of(kMethods.begin(), kMethods.end(),
                                    [&](std::string_view m) { return text::equals(first, m); });
    if (!method) return StartLine::none;
    const auto rest = text::after_first_word(line);
    const auto uri = text::first_word(rest);
    const bool uri_ok = text::starts_with_ci(uri, "sip:") || text::starts_with_ci(uri, "sips:") ||
                        text::starts_with_ci(uri, "tel:");
    return uri_ok && text::equals(text::after_first_word(rest), kVersion) ? StartLine::request
                                                                          : StartLine::none;
}

// A partial first line on a TCP stream that may still become a start line.
bool could_start(std::span<const std::uint8_t> partial) {
    if (!text::is_text(partial) || partial.size() > 256) return false;
    const auto word = text::first_word(partial);
    if (text::is_prefix_of_ci(word, kVersion)) return true;
    return std::any_of(kMethods.begin(), kMethods.end(),
                       [&](std::string_view m) { return text::is_prefix_of_ci(word, m); });
}

void extract(std::span<const std::uint8_t> payload, StartLine kind, snapshot::AppInfo& info) {
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    lines.next(line);
    if (kind == StartLine::request) {
        info.set_text("method", text::copy_capped(text::first_word(line)));
    } else {
        const auto rest = text::after_first_word(line);
        info.set_number("status", text::reply_code(rest));
        info.set_text("reason", text::copy_capped(text::after_first_word(rest)));
    }
    while (lines.next(line) && !line.empty()) {
        for (const Header& h : kHeaders) {
            std::span<const std::uint8_t> value;
            if (text::header_value(line, h.name, value) ||
                (!h.compact.empty() && text::header_value(line, h.compact, value)))
                info.set_text(h.field, text::copy_capped(value));
        }
    }
}

bool header_complete(std::span<const std::uint8_t> payload) {
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    while (lines.next(line))
        if (line.empty()) return true;
    return false;
}

}  // namespace

Verdict probe_sip(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    const bool tcp = ctx.transport == Transport::tcp;
    // TCP keep-alives (RFC 5626) are bare CRLFs before a message.
    while (tcp && payload.size() >= 2 && payload[0] == '\r' && payload[1] == '\n')
        payload = payload.subspan(2);
    if (!known && !text::could_begin_with_word(payload, kMethods) &&
        !text::could_begin_with_word(payload, std::array<std::string_view, 1>{kVersion}))
        return Verdict::no_match;  // no start line can follow these first bytes
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line)) {
        if (known) return Verdict::match;
        return tcp && could_start(payload) ? Verdict::need_more : Verdict::no_match;
    }
    const StartLine kind = classify_line(line);
    if (kind == StartLine::none) return known ? Verdict::match : Verdict::no_match;
    if (tcp && !known && !header_complete(payload) && payload.size() < kMaxHeaderBytes)
        return Verdict::need_more;
    extract(payload, kind, info);
    return Verdict::match;
}

}  // namespace sockeye::dpi
