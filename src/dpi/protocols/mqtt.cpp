#include "dpi/protocols/mqtt.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.hpp"
#include "dpi/protocols/text_lines.hpp"

namespace sockeye::dpi {
namespace {

constexpr std::size_t kMaxTopics = 32;
constexpr std::size_t kMaxPackets = 64;
constexpr std::uint8_t kConnect = 1;
constexpr std::uint8_t kConnack = 2;
constexpr std::uint8_t kPublish = 3;
constexpr std::uint8_t kSubscribe = 8;

enum class Read : std::uint8_t { ok, short_input, malformed };

// Remaining Length / Variable Byte Integer: 1-4 bytes, 7 bits each, low first.
Read read_varint(core::ByteReader& r, std::uint32_t& out) {
    out = 0;
    for (std::uint32_t i = 0; i < 4; ++i) {
        if (!r.has(1)) return Read::short_input;
        const std::uint8_t b = r.u8();
        out |= std::uint32_t{static_cast<std::uint8_t>(b & 0x7f)} << (7 * i);
        if ((b & 0x80) == 0) return Read::ok;
    }
    return Read::malformed;
}

std::span<const std::uint8_t> read_string(core::ByteReader& r) {
    const std::uint16_t n = r.u16_be();
    return r.take(n);
}

// Skips a v5 property block (its length, then that many bytes).
bool skip_properties(core::ByteReader& r) {
    std::uint32_t n = 0;
    return read_varint(r, n) == Read::ok && r.skip(n);
}

struct Connect {
    std::uint8_t level = 0;
    std::uint8_t flags = 0;
};

// Checks the CONNECT header up to the keep-alive. On match `body` reads the
// rest of the CONNECT (as much of it as has arrived) and `end` is where the
// packet ends in `payload`.
Verdict check_connect(std::span<const std::uint8_t> payload, Connect& out, core::ByteReader& body,
                      std::size_t& end) {
    core::ByteReader r(payload);
    if (!r.has(1)) return Verdict::need_more;
    if (r.u8() != (kConnect << 4)) return Verdict::no_match;  // flags must be 0
    std::uint32_t length = 0;
    const Read rl = read_varint(r, length);
    if (rl != Read::ok) return rl == Read::short_input ? Verdict::need_more : Verdict::no_match;
    if (length < 12) return Verdict::no_match;
    end = r.offset() + length;
    body = core::ByteReader(r.rest().first(std::min<std::size_t>(r.remaining(), length)));
    if (!body.has(2)) return Verdict::need_more;
    const std::uint16_t name_len = body.u16_be();
    if (name_len != 4 && name_len != 6) return Verdict::no_match;
    const std::string_view want = name_len == 4 ? "MQTT" : "MQIsdp";
    const auto got = body.rest().first(std::min<std::size_t>(body.remaining(), name_len));
    for (std::size_t i = 0; i < got.size(); ++i)
        if (got[i] != static_cast<std::uint8_t>(want[i])) return Verdict::no_match;
    if (!body.has(std::size_t{name_len} + 4)) return Verdict::need_more;
    body.skip(name_len);
    out.level = body.u8();
    out.flags = body.u8();
    body.u16_be();  // keep-alive
    const bool level_ok = name_len == 4 ? (out.level == 4 || out.level == 5) : out.level == 3;
    if (!level_ok || (out.flags & 0x01) != 0) return Verdict::no_match;
    const bool will = (out.flags & 0x04) != 0;
    const auto will_qos = (out.flags >> 3) & 0x03;
    if (will_qos == 3 || (!will && (out.flags & 0x38) != 0)) return Verdict::no_match;
    return Verdict::match;
}

const char* version_name(std::uint8_t level) {
    switch (level) {
        case 3: return "3.1";
        case 4: return "3.1.1";
        default: return "5.0";
    }
}

void add_topic(std::vector<std::string>& topics, std::span<const std::uint8_t> topic) {
    if (topic.empty() || topics.size() >= kMaxTopics) return;
    std::string t = text::copy_capped(topic);
    if (std::find(topics.begin(), topics.end(), t) == topics.end()) topics.push_back(std::move(t));
}

// The CONNECT payload: client id, will (properties, topic, payload), user.
void extract_connect(core::ByteReader& r, const Connect& c, snapshot::AppInfo& info) {
    info.set_text("version", version_name(c.level));
    if (c.level == 5 && !skip_properties(r)) return;
    const auto client_id = read_string(r);
    if (!r.ok()) return;
    info.set_text("client_id", text::copy_capped(client_id));
    if ((c.flags & 0x04) != 0) {
        if (c.level == 5 && !skip_properties(r)) return;
        read_string(r);
        read_string(r);
    }
    if ((c.flags & 0x80) != 0) {
        const auto user = read_string(r);
        if (r.ok()) info.set_text("username", text::copy_capped(user));
    }
}

std::uint8_t known_level(const snapshot::AppInfo& info) {
    const auto* f = info.find("version");
    return f != nullptr && f->text == "5.0" ? 5 : 4;
}

// Walks the complete packets of one direction (after the CONNECT for the
// client's), bounded in count.
void extract_packets(std::span<const std::uint8_t> payload, std::uint8_t level,
                     snapshot::AppInfo& info) {
    std::vector<std::string> topics;
    if (const auto* f = info.find("topics")) topics = f->list;
    core::ByteReader r(payload);
    for (std::size_t n = 0; n < kMaxPackets && r.has(2); ++n) {
        const std::uint8_t header = r.u8();
        std::uint32_t length = 0;
        if (read_varint(r, length) != Read::ok || !r.has(length)) break;
        core::ByteReader body(r.take(length));
        const auto type = static_cast<std::uint8_t>(header >> 4);
        if (type == kPublish) {
            add_topic(topics, read_string(body));
        } else if (type == kSubscribe && (header & 0x0f) == 0x02) {
            body.u16_be();
            if (level == 5 && !skip_properties(body)) continue;
            for (std::size_t i = 0; i < kMaxTopics && body.ok() && !body.empty(); ++i) {
                const auto topic = read_string(body);
                body.u8();
                if (body.ok()) add_topic(topics, topic);
            }
        } else if (type == kConnack && length >= 2) {
            body.u8();
            info.set_number("connack_code", body.u8());
        }
    }
    if (!topics.empty()) info.set_list("topics", std::move(topics));
}

}  // namespace

Verdict probe_mqtt(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info) {
    if (ctx.transport != Transport::tcp) return Verdict::no_match;
    const bool known = ctx.phase == Phase::following;
    if (!ctx.from_initiator) {
        // The client always speaks first; server bytes alone decide nothing.
        if (!known) return Verdict::no_match;
        extract_packets(payload, known_level(info), info);
        return Verdict::match_more;
    }
    Connect connect;
    core::ByteReader body;
    std::size_t end = 0;
    const Verdict v = check_connect(payload, connect, body, end);
    if (v != Verdict::match) return known ? Verdict::match : v;
    extract_connect(body, connect, info);
    if (end < payload.size()) extract_packets(payload.subspan(end), connect.level, info);
    // SUBSCRIBE and PUBLISH follow the CONNECT: keep reading (the detector's
    // depth limit bounds it).
    return Verdict::match_more;
}

}  // namespace sockeye::dpi
