#include "dpi/protocols/http.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "core/byte_reader.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::size_t kMaxValue = 255;
constexpr std::size_t kMaxLine = 8'192;
constexpr int kMaxHeaders = 64;

constexpr std::array<std::string_view, 9> kMethods = {
    "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "};
constexpr std::string_view kResponse = "HTTP/1.";
constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// 1 = `text` starts with `token`, 0 = `text` is a proper prefix of it
// (more bytes could still match), -1 = it cannot.
int starts_with(std::string_view text, std::string_view token) {
    const std::size_t n = std::min(text.size(), token.size());
    if (text.substr(0, n) != token.substr(0, n)) return -1;
    return text.size() >= token.size() ? 1 : 0;
}

std::string capped(std::string_view v) { return std::string(v.substr(0, kMaxValue)); }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view trim(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
        v.remove_suffix(1);
    return v;
}

// Next line without its CR LF; false when no complete line is left.
bool next_line(std::string_view& text, std::string_view& line) {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) return false;
    line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    text.remove_prefix(end + 1);
    return true;
}

// Reads headers up to the empty line. Returns true when the header block is
// complete.
bool read_headers(std::string_view& text, snapshot::AppInfo& info, bool request) {
    std::string_view line;
    for (int i = 0; i < kMaxHeaders; ++i) {
        if (!next_line(text, line)) return false;
        if (line.empty()) return true;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (request && iequals(name, "host")) {
            info.domain = capped(value);
            info.set_text("host", info.domain);
        } else if (request && iequals(name, "user-agent")) {
            info.set_text("user_agent", capped(value));
        } else if (!request && iequals(name, "server")) {
            info.set_text("server", capped(value));
        }
    }
    return true;  // enough headers read
}

Verdict request(std::string_view text, std::string_view method, snapshot::AppInfo& info) {
    std::string_view line;
    if (!next_line(text, line)) return text.size() > kMaxLine ? Verdict::no_match : Verdict::need_more;
    // METHOD SP request-target SP HTTP/1.x
    const std::size_t last_space = line.rfind(' ');
    if (last_space == std::string_view::npos || last_space <= method.size()) return Verdict::no_match;
    if (starts_with(line.substr(last_space + 1), "HTTP/1.") != 1) return Verdict::no_match;
    info.set_text("method", capped(method.substr(0, method.size() - 1)));
    info.set_text("path", capped(line.substr(method.size(), last_space - method.size())));
    return read_headers(text, info, true) ? Verdict::match : Verdict::match_more;
}

Verdict response(std::string_view text, snapshot::AppInfo& info) {
    std::string_view line;
    if (!next_line(text, line)) return text.size() > kMaxLine ? Verdict::no_match : Verdict::need_more;
    // HTTP/1.x SP 3DIGIT SP reason
    if (line.size() < 12 || line[8] != ' ') return Verdict::no_match;
    int status = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9') return Verdict::no_match;
        status = status * 10 + (line[i] - '0');
    }
    info.set_number("status", status);
    return read_headers(text, info, false) ? Verdict::match : Verdict::match_more;
}

}  // namespace

Verdict probe_http(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    (void)ctx;
    const std::string_view text = text::as_view(payload);
    // Every method and the status line start with one of these (case
    // matters): most payloads are turned away by their first byte.
    if (!text.empty() && std::string_view("GPHDOCT").find(text.front()) == std::string_view::npos)
        return Verdict::no_match;
    bool maybe = false;
    for (const auto method : kMethods) {
        const int s = starts_with(text, method);
        if (s == 1) return request(text, method, info);
        maybe = maybe || s == 0;
    }
    const int s = starts_with(text, kResponse);
    if (s == 1) return response(text, info);
    return (maybe || s == 0) ? Verdict::need_more : Verdict::no_match;
}

Verdict probe_http2(const ProbeContext& /*ctx*/, std::span<const std::uint8_t> payload,
                    snapshot::AppInfo& /*info*/) {
    switch (starts_with(text::as_view(payload), kPreface)) {
        case 1: return Verdict::match;
        case 0: return Verdict::need_more;
        default: return Verdict::no_match;
    }
}

}  // namespace sockeye::dpi
