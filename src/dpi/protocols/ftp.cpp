#include "dpi/protocols/ftp.hpp"

#include <algorithm>
#include <array>
#include <optional>
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

// Up to `count` decimal numbers (0..65535) separated by commas, the
// first at or after `text`'s first digit: PASV's and PORT's
// "h1,h2,h3,h4,p1,p2".
bool comma_numbers(std::string_view text, std::array<unsigned, 6>& out) {
    std::size_t i = text.find_first_of("0123456789");
    for (std::size_t n = 0; n < out.size(); ++n) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
        unsigned v = 0;
        std::size_t digits = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits)
            v = v * 10 + static_cast<unsigned>(text[i] - '0');
        if (digits > 3 || v > 255) return false;
        out[n] = v;
        if (n + 1 < out.size()) {
            if (i >= text.size() || text[i] != ',') return false;
            ++i;
        }
    }
    return true;
}

// "h1,h2,h3,h4,p1,p2" as an IPv4 endpoint.
std::optional<ExpectedFlow> host_port(std::string_view text) {
    std::array<unsigned, 6> n{};
    if (!comma_numbers(text, n)) return std::nullopt;
    const std::uint8_t addr[4] = {static_cast<std::uint8_t>(n[0]), static_cast<std::uint8_t>(n[1]),
                                  static_cast<std::uint8_t>(n[2]), static_cast<std::uint8_t>(n[3])};
    const auto port = static_cast<std::uint16_t>(n[4] * 256 + n[5]);
    if (port == 0) return std::nullopt;
    return ExpectedFlow{core::IpAddress::v4(addr), port};
}

std::optional<std::uint16_t> port_number(std::string_view text) {
    if (text.empty() || text.size() > 5) return std::nullopt;
    unsigned v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v == 0 || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

// RFC 2428's "<d>proto<d>address<d>port<d>" (EPRT) and "(<d><d><d>port<d>)"
// (the EPSV reply, whose empty address means the control connection's
// server), with any delimiter character.
std::optional<ExpectedFlow> extended_endpoint(std::string_view text) {
    if (text.size() < 5) return std::nullopt;
    const char d = text[0];
    std::array<std::string_view, 3> parts;
    std::size_t at = 1;
    for (auto& part : parts) {
        const std::size_t end = text.find(d, at);
        if (end == std::string_view::npos) return std::nullopt;
        part = text.substr(at, end - at);
        at = end + 1;
    }
    const auto port = port_number(parts[2]);
    if (!port) return std::nullopt;
    if (parts[1].empty()) return ExpectedFlow{std::nullopt, *port};
    const auto address = core::IpAddress::parse(std::string(parts[1]));
    if (address.family == core::IpFamily::none) return std::nullopt;
    return ExpectedFlow{address, *port};
}

// The data connections this direction announces: the server's passive
// replies (227, 229) or the client's active commands (PORT, EPRT).
void announce_data_connections(const ProbeContext& ctx, std::span<const std::uint8_t> payload) {
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    while (lines.next(line)) {
        if (!text::is_text(line)) continue;
        std::optional<ExpectedFlow> flow;
        if (ctx.from_initiator) {
            const auto verb = text::first_word(line);
            const auto rest = text::as_view(text::trim(text::after_first_word(line)));
            if (text::equals_ci(verb, "PORT")) flow = host_port(rest);
            if (text::equals_ci(verb, "EPRT")) flow = extended_endpoint(rest);
        } else {
            const int code = text::reply_code(line);
            const std::string_view reply = text::as_view(line);
            if (code == 227) {
                flow = host_port(reply.substr(3));
            } else if (code == 229) {
                const std::size_t open = reply.find('(');
                const std::size_t close = reply.rfind(')');
                if (open != std::string_view::npos && close != std::string_view::npos && close > open)
                    flow = extended_endpoint(reply.substr(open + 1, close - open - 1));
            }
        }
        if (flow) ctx.expected_flows->push_back(*flow);
    }
}

}  // namespace

Verdict probe_ftp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) {
    static constexpr text::LineProtocol kSession{classify_client, classify_server,
                                                 extract_client, extract_server};
    const Verdict v = text::probe_line_protocol(kSession, ctx, payload, info);
    if (v != Verdict::no_match && ctx.phase == Phase::following && ctx.expected_flows != nullptr)
        announce_data_connections(ctx, payload);
    return v;
}

}  // namespace sockeye::dpi
