#include "dpi/protocols/ssdp.hpp"

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::uint16_t kSsdpPort = 1900;

// Header name -> field name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kHeaders = {{
    {"HOST", "host"},
    {"ST", "st"},
    {"NT", "nt"},
    {"NTS", "nts"},
    {"USN", "usn"},
    {"SERVER", "server"},
    {"USER-AGENT", "user_agent"},
    {"LOCATION", "location"},
}};

constexpr std::array<std::string_view, 3> kStartWords = {"M-SEARCH", "NOTIFY", "HTTP/1.1"};

}  // namespace

Verdict probe_ssdp(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    const bool known = ctx.phase == Phase::following;
    const Verdict fail = known ? Verdict::match : Verdict::no_match;
    if (ctx.transport != Transport::udp) return fail;
    // Every start line accepted below begins with one of these words: other
    // datagrams are turned away before a scan for the line's end.
    if (!text::could_begin_with_word(payload, kStartWords)) return fail;
    text::LineReader lines(payload);
    std::span<const std::uint8_t> line;
    if (!lines.next(line) || !text::is_text(line)) return fail;
    const char* method = nullptr;
    if (text::equals_ci(line, "M-SEARCH * HTTP/1.1"))
        method = "M-SEARCH";
    else if (text::equals_ci(line, "NOTIFY * HTTP/1.1"))
        method = "NOTIFY";
    else if (text::starts_with_ci(line, "HTTP/1.1 200"))
        method = "response";
    else
        return fail;
    // A plain HTTP answer over UDP is SSDP only when it speaks SSDP's headers
    // (or comes from its port).
    bool ssdp_headers = false;
    std::array<std::span<const std::uint8_t>, kHeaders.size()> values{};
    while (lines.next(line)) {
        if (line.empty()) break;
        for (std::size_t i = 0; i < kHeaders.size(); ++i) {
            std::span<const std::uint8_t> value;
            if (!text::header_value(line, kHeaders[i].first, value)) continue;
            values[i] = value;
            if (i == 0 || i == 1 || i == 3) ssdp_headers = true;
        }
    }
    const bool port = ctx.initiator_port == kSsdpPort || ctx.responder_port == kSsdpPort;
    if (method[0] == 'r' && !ssdp_headers && !port) return fail;
    info.set_text("method", method);
    for (std::size_t i = 0; i < kHeaders.size(); ++i)
        if (!values[i].empty()) info.set_text(kHeaders[i].second, text::copy_capped(values[i]));
    return Verdict::match;
}

}  // namespace sockeye::dpi
