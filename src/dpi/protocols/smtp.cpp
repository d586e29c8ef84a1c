#include "dpi/protocols/smtp.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/protocols/mail_auth.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::array<std::uint16_t, 4> kSmtpPorts = {25, 587, 2525, 465};
// EHLO reply keywords (RFC 5321 and its extensions) that only SMTP servers send.
constexpr std::array<std::string_view, 8> kEhloKeywords = {
    "STARTTLS", "PIPELINING", "8BITMIME", "SIZE", "AUTH", "ENHANCEDSTATUSCODES", "DSN", "SMTPUTF8"};

bool has_smtp_port(const ProbeContext& ctx) {
    return std::any_of(kSmtpPorts.begin(), kSmtpPorts.end(), [&](std::uint16_t p) {
        return ctx.initiator_port == p || ctx.responder_port == p;
    });
}

bool is_hello(std::span<const std::uint8_t> verb) {
    return text::equals_ci(verb, "EHLO") || text::equals_ci(verb, "HELO") ||
           text::equals_ci(verb, "LHLO");
}

// The text after a reply code: "250-AUTH PLAIN" -> "AUTH PLAIN".
std::span<const std::uint8_t> reply_text(std::span<const std::uint8_t> line) {
    return text::trim(line.subspan(std::min<std::size_t>(line.size(), 4)));
}

Verdict classify_server(const ProbeContext& ctx, std::span<const std::uint8_t> payload) {
    if (!text::could_begin_with(payload, "220")) return Verdict::no_match;  // the greeting's code
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line)) {
        const auto head = payload.first(std::min<std::size_t>(payload.size(), 4));
        const bool could =
            text::is_prefix_of_ci(head, "220 ") || text::is_prefix_of_ci(head, "220-");
        return could && text::first_line_pending(payload) ? Verdict::need_more : Verdict::no_match;
    }
    if (!text::is_text(line) || text::reply_code(line) != 220) return Verdict::no_match;
    if (text::contains_ci(line, "SMTP")) return Verdict::match;
    if (text::contains_ci(line, "FTP") || text::contains_ci(line, "IMAP") ||
        text::contains_ci(line, "POP3"))
        return Verdict::no_match;
    while (lines.next(line)) {
        if (!text::is_text(line) || text::reply_code(line) < 0) return Verdict::no_match;
        if (text::reply_code(line) != 250) continue;
        const auto keyword = text::first_word(reply_text(line));
        if (std::any_of(kEhloKeywords.begin(), kEhloKeywords.end(),
                        [&](std::string_view k) { return text::equals_ci(keyword, k); }))
            return Verdict::match;
    }
    if (has_smtp_port(ctx)) return Verdict::match;
    return text::first_line_pending(lines.rest()) ? Verdict::need_more : Verdict::no_match;
}

constexpr std::array<std::string_view, 3> kHellos = {"EHLO", "HELO", "LHLO"};

Verdict classify_client(const ProbeContext& /*ctx*/, std::span<const std::uint8_t> payload) {
    if (!text::could_begin_with_word(payload, kHellos)) return Verdict::no_match;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line)) {
        const auto head = payload.first(std::min<std::size_t>(payload.size(), 5));
        const bool could = text::is_prefix_of_ci(head, "EHLO ") ||
                           text::is_prefix_of_ci(head, "HELO ") ||
                           text::is_prefix_of_ci(head, "LHLO ");
        return could && text::first_line_pending(payload) ? Verdict::need_more : Verdict::no_match;
    }
    if (!text::is_text(line) || !is_hello(text::first_word(line)) ||
        text::after_first_word(line).empty())
        return Verdict::no_match;
    return Verdict::match;
}

// Each returns true when its direction has nothing more to tell: the server
// once its EHLO reply has ended, the client once it starts TLS,
// authenticates or sends mail.
bool extract_server(std::span<const std::uint8_t> payload, snapshot::AppInfo& info) {
    bool done = false;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    std::vector<std::string> mechanisms;
    bool first = true;
    while (lines.next(line)) {
        const int code = text::reply_code(line);
        if (code < 0) continue;
        const auto body = reply_text(line);
        if (first) {
            info.set_text("banner", text::copy_capped(body));
            first = false;
            continue;
        }
        if (code != 250) continue;
        if (line.size() < 4 || line[3] == ' ') done = true;
        const auto keyword = text::first_word(body);
        if (text::equals_ci(keyword, "STARTTLS")) mail::set_starttls_offered(info);
        // "AUTH PLAIN LOGIN", or the pre-standard "AUTH=PLAIN LOGIN".
        if (text::equals_ci(keyword, "AUTH"))
            mail::add_mechanisms(text::after_first_word(body), mechanisms);
        if (text::starts_with_ci(keyword, "AUTH=")) mail::add_mechanisms(body.subspan(5), mechanisms);
    }
    if (!mechanisms.empty()) info.set_list("auth_mechanisms", std::move(mechanisms));
    return done;
}

bool extract_client(std::span<const std::uint8_t> payload, snapshot::AppInfo& info) {
    bool done = false;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    while (lines.next(line)) {
        const auto verb = text::first_word(line);
        if (is_hello(verb)) {
            info.set_text("helo",
                          text::copy_capped(text::first_word(text::after_first_word(line))));
        } else if (text::equals_ci(verb, "STARTTLS")) {
            mail::set_starttls_requested(info);
            done = true;
        } else if (text::equals_ci(verb, "MAIL") || text::equals_ci(verb, "DATA")) {
            done = true;
        } else if (text::equals_ci(verb, "AUTH")) {
            mail::set_requested_mechanism(info, text::after_first_word(line));
            done = true;
        }
    }
    return done;
}

}  // namespace

Verdict probe_smtp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    static constexpr text::LineProtocol kSession{classify_client, classify_server,
                                                 extract_client, extract_server};
    return text::probe_line_protocol(kSession, ctx, payload, info);
}

}  // namespace sockeye::dpi
