#include "dpi/protocols/ssh.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "core/byte_reader.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::string_view kPrefix = "SSH-";
constexpr std::size_t kMaxBanner = 255;        // RFC 4253 4.2, CR LF included
constexpr std::uint32_t kMaxPacket = 35'000;   // RFC 4253 6.1
constexpr std::uint8_t kMsgKexinit = 20;
constexpr std::size_t kMaxNames = 32;

std::string key(bool client, std::string_view name) {
    return std::string(client ? "client_" : "server_") + std::string(name);
}

// Splits a comma-separated name-list into a list field, bounded.
void add_name_list(std::span<const std::uint8_t> list, const std::string& field,
                   snapshot::AppInfo& info) {
    std::vector<std::string> names;
    std::string current;
    for (const std::uint8_t c : list) {
        if (c == ',') {
            if (names.size() < kMaxNames) names.push_back(current);
            current.clear();
        } else if (current.size() < 64) {
            current.push_back(static_cast<char>(c));
        }
    }
    if (!list.empty() && names.size() < kMaxNames) names.push_back(current);
    info.set_list(field, std::move(names));
}

// The binary packet after the banner. match when read (or not a KEXINIT),
// match_more while incomplete.
Verdict read_kexinit(std::span<const std::uint8_t> rest, bool client, snapshot::AppInfo& info) {
    core::ByteReader r(rest);
    const std::uint32_t packet_length = r.u32_be();
    if (!r.ok()) return Verdict::match_more;
    if (packet_length > kMaxPacket || packet_length < 2) return Verdict::match;
    if (r.remaining() < packet_length) return Verdict::match_more;
    core::ByteReader p(r.take(packet_length));
    const std::uint8_t padding = p.u8();
    if (p.u8() != kMsgKexinit || padding >= packet_length) return Verdict::match;
    p.skip(16);  // cookie
    constexpr std::string_view kLists[] = {"kex",   "host_key", "ciphers", "",
                                           "macs", "",         "compression"};
    for (const std::string_view name : kLists) {
        const auto list = p.take(p.u32_be());
        if (!p.ok()) return Verdict::match;
        if (!name.empty()) add_name_list(list, key(client, name), info);
    }
    return Verdict::match;
}

}  // namespace

Verdict probe_ssh(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) {
    const std::size_t n = std::min(payload.size(), kPrefix.size());
    for (std::size_t i = 0; i < n; ++i)
        if (payload[i] != static_cast<std::uint8_t>(kPrefix[i])) return Verdict::no_match;
    const auto head = payload.first(std::min(payload.size(), kMaxBanner));
    const auto nl = std::find(head.begin(), head.end(), std::uint8_t{'\n'});
    if (nl == head.end()) return payload.size() >= kMaxBanner ? Verdict::no_match : Verdict::need_more;

    std::string banner(head.begin(), nl);
    if (!banner.empty() && banner.back() == '\r') banner.pop_back();
    // SSH-protoversion-softwareversion SP comments
    const std::size_t dash = banner.find('-', kPrefix.size());
    if (dash == std::string::npos) return Verdict::no_match;
    const std::string software = banner.substr(dash + 1, banner.find(' ', dash + 1) - dash - 1);

    const bool client = ctx.from_initiator;
    info.set_text(key(client, "banner"), banner);
    info.set_text(key(client, "software"), software);
    const auto after = static_cast<std::size_t>(nl - head.begin()) + 1;
    return read_kexinit(payload.subspan(after), client, info);
}

}  // namespace sockeye::dpi
