#include "dpi/protocols/pop3.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/protocols/mail_auth.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint16_t kPop3Port = 110;

bool has_port(const ProbeContext& ctx) {
    return ctx.initiator_port == kPop3Port || ctx.responder_port == kPop3Port;
}

Verdict classify_server(const ProbeContext& ctx, std::span<const std::uint8_t> payload) {
    if (!text::could_begin_with(payload, "+OK")) return Verdict::no_match;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line)) {
        const auto head = payload.first(std::min<std::size_t>(payload.size(), 4));
        return text::is_prefix_of_ci(head, "+OK ") && text::first_line_pending(payload)
                   ? Verdict::need_more
                   : Verdict::no_match;
    }
    if (!text::is_text(line) || !text::starts_with_ci(line, "+OK")) return Verdict::no_match;
    // A bare "+OK" is also how Redis and others acknowledge a command; a POP3
    // greeting carries text (RFC 1939 section 4).
    if (line.size() > 4 && line[3] == ' ') return Verdict::match;
    return line.size() == 3 && has_port(ctx) ? Verdict::match : Verdict::no_match;
}

constexpr std::array<std::string_view, 5> kClientVerbs = {"CAPA", "STLS", "APOP", "USER", "AUTH"};

Verdict classify_client(const ProbeContext& ctx, std::span<const std::uint8_t> payload) {
    if (!text::could_begin_with_word(payload, kClientVerbs)) return Verdict::no_match;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line))
        return payload.size() < 64 && text::is_text(payload) ? Verdict::need_more
                                                             : Verdict::no_match;
    if (!text::is_text(line)) return Verdict::no_match;
    const auto verb = text::first_word(line);
    if (text::equals_ci(verb, "CAPA") || text::equals_ci(verb, "STLS") ||
        text::equals_ci(verb, "APOP"))
        return Verdict::match;
    // USER and AUTH are shared with FTP (and AUTH with SMTP): the server's
    // greeting decides, or the port when that was not seen.
    if (text::equals_ci(verb, "USER") || text::equals_ci(verb, "AUTH"))
        return has_port(ctx) ? Verdict::match : Verdict::need_more;
    return Verdict::no_match;
}

// Each returns true when its direction has nothing more to tell: the server
// once a CAPA listing ended ("."), the client once it starts TLS or logs in.
bool extract_server(std::span<const std::uint8_t> payload, snapshot::AppInfo& info) {
    bool done = false;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    std::vector<std::string> mechanisms;
    bool first = true;
    while (lines.next(line)) {
        if (first && text::starts_with_ci(line, "+OK")) {
            info.set_text("banner", text::copy_capped(text::trim(line.subspan(3))));
            first = false;
            continue;
        }
        first = false;
        // CAPA response lines (RFC 2449): "STLS", "SASL PLAIN LOGIN".
        if (text::equals(line, ".")) done = true;
        const auto word = text::first_word(line);
        if (text::equals_ci(word, "STLS")) {
            mail::set_starttls_offered(info);
        } else if (text::equals_ci(word, "SASL")) {
            mail::add_mechanisms(text::after_first_word(line), mechanisms);
        }
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
        if (text::equals_ci(verb, "STLS")) mail::set_starttls_requested(info);
        if (text::equals_ci(verb, "STLS") || text::equals_ci(verb, "AUTH") ||
            text::equals_ci(verb, "USER") || text::equals_ci(verb, "APOP"))
            done = true;
        if (text::equals_ci(verb, "AUTH") && !text::after_first_word(line).empty())
            mail::set_requested_mechanism(info, text::after_first_word(line));
    }
    return done;
}

}  // namespace

Verdict probe_pop3(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    static constexpr text::LineProtocol kSession{classify_client, classify_server,
                                                 extract_client, extract_server};
    return text::probe_line_protocol(kSession, ctx, payload, info);
}

}  // namespace sockeye::dpi
