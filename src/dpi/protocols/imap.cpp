#include "dpi/protocols/imap.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/protocols/mail_auth.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::size_t kMaxTagBytes = 32;
constexpr std::size_t kMaxCapabilities = 48;

constexpr std::array<std::string_view, 15> kClientCommands = {
    "CAPABILITY", "LOGIN", "AUTHENTICATE", "STARTTLS", "ID",     "NOOP",      "LOGOUT", "SELECT",
    "EXAMINE",    "LIST",  "LSUB",         "STATUS",   "ENABLE", "NAMESPACE", "IDLE"};

bool is_greeting(std::span<const std::uint8_t> line) {
    for (const std::string_view g :
         {std::string_view("* OK"), std::string_view("* PREAUTH"), std::string_view("* BYE")}) {
        if (!text::starts_with_ci(line, g)) continue;
        if (line.size() == g.size() || line[g.size()] == ' ') return true;
    }
    return false;
}

bool could_be_greeting(std::span<const std::uint8_t> partial) {
    const auto head = partial.first(std::min<std::size_t>(partial.size(), 5));
    return text::is_prefix_of_ci(head, "* OK ") || text::is_prefix_of_ci(head, "* PRE") ||
           text::is_prefix_of_ci(head, "* BYE");
}

// IMAP tags are atoms; '*' and '+' mark untagged and continuation lines.
bool is_tag(std::span<const std::uint8_t> word) {
    if (word.empty() || word.size() > kMaxTagBytes || !text::is_text(word)) return false;
    return std::none_of(word.begin(), word.end(), [](std::uint8_t c) {
        return c == '*' || c == '+' || c == '(' || c == ')' || c == '{' || c == '"' || c == '%' ||
               c == '\\' || c >= 0x80;
    });
}

Verdict classify_server(const ProbeContext& /*ctx*/, std::span<const std::uint8_t> payload) {
    if (!text::could_begin_with(payload, "* ")) return Verdict::no_match;  // untagged greeting
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line))
        return could_be_greeting(payload) && text::first_line_pending(payload) ? Verdict::need_more
                                                                               : Verdict::no_match;
    return text::is_text(line) && is_greeting(line) ? Verdict::match : Verdict::no_match;
}

Verdict classify_client(const ProbeContext& /*ctx*/, std::span<const std::uint8_t> payload) {
    // A command line starts with a tag of at most kMaxTagBytes and a space.
    if (!text::could_begin_with_short_word(payload, kMaxTagBytes)) return Verdict::no_match;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line))
        return payload.size() < 64 && text::is_text(payload) ? Verdict::need_more
                                                             : Verdict::no_match;
    if (!text::is_text(line) || !is_tag(text::first_word(line))) return Verdict::no_match;
    const auto command = text::first_word(text::after_first_word(line));
    const bool known = std::any_of(kClientCommands.begin(), kClientCommands.end(),
                                   [&](std::string_view c) { return text::equals_ci(command, c); });
    return known ? Verdict::match : Verdict::no_match;
}

// Capability atoms from "[CAPABILITY a b c]" in a greeting or "* CAPABILITY a b c".
std::span<const std::uint8_t> capability_list(std::span<const std::uint8_t> line) {
    for (std::size_t at = 0; at + 11 <= line.size(); ++at) {
        if (!text::starts_with_ci(line.subspan(at), "CAPABILITY ")) continue;
        auto list = line.subspan(at + 11);
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i] == ']') return list.first(i);
        return list;
    }
    return {};
}

// Each returns true when its direction has nothing more to tell: the server
// once capabilities were listed, the client once it starts TLS or logs in.
bool extract_server(std::span<const std::uint8_t> payload, snapshot::AppInfo& info) {
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    std::vector<std::string> capabilities;
    std::vector<std::string> mechanisms;
    bool first = true;
    while (lines.next(line)) {
        if (first && is_greeting(line)) {
            info.set_text("banner", text::copy_capped(text::after_first_word(line)));
        }
        first = false;
        auto list = capability_list(line);
        for (std::size_t i = 0; i < kMaxCapabilities && !list.empty(); ++i) {
            const auto atom = text::first_word(list);
            if (atom.empty()) break;
            std::string name = text::upper_copy_capped(atom, 64);
            if (text::starts_with_ci(atom, "AUTH=") && mechanisms.size() < kMaxCapabilities)
                mechanisms.push_back(name.substr(5));
            if (capabilities.size() < kMaxCapabilities &&
                std::find(capabilities.begin(), capabilities.end(), name) == capabilities.end())
                capabilities.push_back(std::move(name));
            list = text::after_first_word(list);
        }
    }
    const bool listed = !capabilities.empty();
    const bool offered =
        std::find(capabilities.begin(), capabilities.end(), "STARTTLS") != capabilities.end();
    if (offered) mail::set_starttls_offered(info);
    if (!capabilities.empty()) info.set_list("capabilities", std::move(capabilities));
    if (!mechanisms.empty()) info.set_list("auth_mechanisms", std::move(mechanisms));
    return listed;
}

bool extract_client(std::span<const std::uint8_t> payload, snapshot::AppInfo& info) {
    bool done = false;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    while (lines.next(line)) {
        if (!is_tag(text::first_word(line))) continue;
        const auto rest = text::after_first_word(line);
        const auto command = text::first_word(rest);
        if (text::equals_ci(command, "STARTTLS")) mail::set_starttls_requested(info);
        if (text::equals_ci(command, "STARTTLS") || text::equals_ci(command, "LOGIN") ||
            text::equals_ci(command, "AUTHENTICATE"))
            done = true;
        if (text::equals_ci(command, "AUTHENTICATE"))
            mail::set_requested_mechanism(info, text::after_first_word(rest));
    }
    return done;
}

}  // namespace

Verdict probe_imap(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    static constexpr text::LineProtocol kSession{classify_client, classify_server,
                                                 extract_client, extract_server};
    return text::probe_line_protocol(kSession, ctx, payload, info);
}

}  // namespace sockeye::dpi
