#include "dpi/protocols/ftp.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::size_t kMaxListItems = 32;
constexpr std::uint16_t kFtpPort = 21;

// Commands only FTP uses; USER, PASS, LIST, RETR, QUIT, ... are shared with
// POP3 and decide nothing on their own.
constexpr std::array<std::string_view, 26> kFtpOnlyCommands = {
    "FEAT", "SYST", "OPTS", "PASV", "EPSV", "PWD",  "XPWD", "CWD",  "CDUP",
    "TYPE", "EPRT", "PORT", "STOR", "MLSD", "MLST", "NLST", "SIZE", "MDTM",
    "MKD",  "RMD",  "PBSZ", "PROT", "ACCT", "STRU", "MODE", "ALLO"};
constexpr std::array<std::string_view, 14> kSharedCommands = {
    "USER", "PASS", "LIST", "RETR", "QUIT", "NOOP", "DELE",
    "REST", "ABOR", "HELP", "STAT", "AUTH", "RNFR", "RNTO"};
// Reply codes SMTP never sends.
constexpr std::array<int, 14> kFtpOnlyReplies = {125, 150, 200, 215, 226, 227, 229,
                                                 230, 234, 257, 331, 332, 350, 425};

bool has_port(const ProbeContext& ctx, std::uint16_t port) {
    return ctx.initiator_port == port || ctx.responder_port == port;
}

template <std::size_t N>
bool is_one_of(std::span<const std::uint8_t> word, const std::array<std::string_view, N>& set) {
    return std::any_of(set.begin(), set.end(),
                       [&](std::string_view s) { return text::equals_ci(word, s); });
}

bool mentions_other_mail_protocol(std::span<const std::uint8_t> line) {
    return text::contains_ci(line, "SMTP") || text::contains_ci(line, "IMAP") ||
           text::contains_ci(line, "POP3");
}

// A partial first reply line that can still become "220 " / "220-".
bool could_be_banner(std::span<const std::uint8_t> partial) {
    return partial.size() < text::kMaxLineBytes && text::is_text(partial) &&
           (text::is_prefix_of_ci(partial.first(std::min<std::size_t>(partial.size(), 4)),
                                  "220 ") ||
            text::is_prefix_of_ci(partial.first(std::min<std::size_t>(partial.size(), 4)), "220-"));
}

Verdict classify_server(const ProbeContext& ctx, std::span<const std::uint8_t> payload) {
    if (!text::could_begin_with(payload, "220")) return Verdict::no_match;  // the greeting's code
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line)) return could_be_banner(payload) ? Verdict::need_more : Verdict::no_match;
    if (!text::is_text(line) || text::reply_code(line) != 220) return Verdict::no_match;
    if (mentions_other_mail_protocol(line)) return Verdict::no_match;
    if (text::contains_ci(line, "FTP")) return Verdict::match;
    do {
        if (!text::is_text(line)) return Verdict::no_match;
        const int code = text::reply_code(line);
        if (code < 0 && !(line.size() > 0 && line[0] == ' ')) return Verdict::no_match;
        if (std::find(kFtpOnlyReplies.begin(), kFtpOnlyReplies.end(), code) !=
            kFtpOnlyReplies.end())
            return Verdict::match;
        if (mentions_other_mail_protocol(line)) return Verdict::no_match;
    } while (lines.next(line));
    if (has_port(ctx, kFtpPort)) return Verdict::match;
    return text::first_line_pending(lines.rest()) ? Verdict::need_more : Verdict::no_match;
}

Verdict classify_client(const ProbeContext& ctx, std::span<const std::uint8_t> payload) {
    // The first line's verb decides before any scan for the line's end.
    if (!text::could_begin_with_word(payload, kFtpOnlyCommands) &&
        !text::could_begin_with_word(payload, kSharedCommands))
        return Verdict::no_match;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    bool any = false;
    while (lines.next(line)) {
        any = true;
        const auto verb = text::first_word(line);
        if (!text::is_text(line)) return Verdict::no_match;
        if (is_one_of(verb, kFtpOnlyCommands)) return Verdict::match;
        if (text::equals_ci(verb, "AUTH")) {
            const auto arg = text::after_first_word(line);
            if (text::starts_with_ci(arg, "TLS") || text::starts_with_ci(arg, "SSL"))
                return Verdict::match;
            continue;
        }
        if (!is_one_of(verb, kSharedCommands)) return Verdict::no_match;
    }
    if (any && has_port(ctx, kFtpPort)) return Verdict::match;
    const auto rest = lines.rest();
    if (!any && !(rest.size() < 64 && text::is_text(rest))) return Verdict::no_match;
    return text::first_line_pending(rest) ? Verdict::need_more : Verdict::no_match;
}

void add_unique(std::vector<std::string>& list, std::string value) {
    if (list.size() >= kMaxListItems) return;
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// Each returns true when nothing more can be learnt from its direction: after
// AUTH TLS / reply 234 the control connection is encrypted.
bool extract_client(std::span<const std::uint8_t> payload, snapshot::AppInfo& info) {
    bool upgraded = false;
    std::vector<std::string> commands;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    while (lines.next(line)) {
        const auto verb = text::first_word(line);
        if (verb.empty() || verb.size() > 8 || !text::is_text(verb)) continue;
        add_unique(commands, text::upper_copy_capped(verb));
        if (text::equals_ci(verb, "AUTH")) upgraded = true;
        if (text::equals_ci(verb, "USER"))
            info.set_text("user", text::copy_capped(text::after_first_word(line)));
    }
    if (!commands.empty()) info.set_list("commands", std::move(commands));
    return upgraded;
}

bool extract_server(std::span<const std::uint8_t> payload, snapshot::AppInfo& info) {
    bool upgraded = false;
    std::vector<std::string> codes;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    bool first = true;
    while (lines.next(line)) {
        const int code = text::reply_code(line);
        if (code < 0) continue;
        if (first) {
            info.set_text("banner",
                          text::copy_capped(text::trim(line.subspan(line.size() > 3 ? 4 : 3))));
            first = false;
        }
        if (code == 234) upgraded = true;
        add_unique(codes, std::to_string(code));
    }
    if (!codes.empty()) info.set_list("reply_codes", std::move(codes));
    return upgraded;
}

}  // namespace

Verdict probe_ftp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) {
    static constexpr text::LineProtocol kSession{classify_client, classify_server,
                                                 extract_client, extract_server};
    return text::probe_line_protocol(kSession, ctx, payload, info);
}

}  // namespace sockeye::dpi
