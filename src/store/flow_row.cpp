#include "store/flow_row.hpp"

#include <array>
#include <cmath>
#include <string_view>

#include "core/hex.hpp"
#include "export/json.hpp"

namespace sockeye::store {
namespace {

using snapshot::FlowRecord;

// In bind and read order.
constexpr std::array<std::string_view, 47> kColumns{
    "protocol", "source_ip", "source_port", "destination_ip", "destination_port", "vlan", "ip_proto",
    "state", "end_reason", "generation", "packets_sent", "packets_received", "bytes_sent",
    "bytes_received", "first_seen", "last_seen", "rtt_ms", "handshake_rtt_ms", "retransmits",
    "out_of_order", "duplicate_acks", "dpi_protocol", "dpi_domain", "dpi", "attributed", "pid",
    "process_name", "process_exe", "process_user", "container", "container_kind", "container_name",
    "container_image", "pod", "pod_namespace", "process_match",
    "unattributed_reason", "remote_name", "kernel_rtt_ms", "remote_mac", "remote_vendor",
    "remote_geo_scope", "remote_geo_country", "remote_geo_city", "remote_geo_asn",
    "remote_geo_organisation", "ended"};
// The flow's identity (snapshot::FlowId, with the addresses as text).
constexpr std::string_view kIdentity =
    "first_seen, source_ip, source_port, destination_ip, destination_port, ip_proto, vlan, generation";

bool is_identity(std::string_view column) {
    for (std::string_view c : {"first_seen", "source_ip", "source_port", "destination_ip",
                               "destination_port", "ip_proto", "vlan", "generation"})
        if (c == column) return true;
    return false;
}

std::int64_t as_int(std::uint64_t v) {
    return v > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(v);
}

// Durations are kept as --json prints them (milliseconds); -1 is unknown.
void bind_millis(Statement& s, int index, std::int64_t ns) {
    if (ns < 0) {
        s.bind_null(index);
    } else {
        s.bind(index, static_cast<double>(ns) / 1e6);
    }
}
std::int64_t read_millis(const Statement& s, int column) {
    if (s.is_null(column)) return -1;
    return std::llround(s.real(column) * 1e6);
}

// The DPI fields as one JSON object, in their order.
std::string dpi_object(const snapshot::AppInfo& app) {
    std::string out;
    exports::JsonObject obj(out);
    for (const auto& f : app.fields) {
        switch (f.kind) {
            case snapshot::AppField::Kind::text: obj.field(f.name, f.text); break;
            case snapshot::AppField::Kind::number: obj.field(f.name, f.number); break;
            case snapshot::AppField::Kind::list: obj.field(f.name, f.list); break;
        }
    }
    obj.close();
    return out;
}

// Reverse of the snapshot's name functions: the first value whose name matches.
template <typename Enum, typename NameOf>
Enum from_name(const std::string& text, NameOf name_of, int count, Enum fallback) {
    for (int i = 0; i < count; ++i) {
        const auto e = static_cast<Enum>(i);
        if (name_of(e) == text) return e;
    }
    return fallback;
}

bool parse_mac(const std::string& text, std::array<std::uint8_t, 6>& mac) {
    if (text.size() != 17) return false;
    for (std::size_t i = 0; i < 6; ++i) {
        unsigned v = 0;
        for (std::size_t j = 0; j < 2; ++j) {
            const char c = text[i * 3 + j];
            const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) return false;
            v = v * 16 + static_cast<unsigned>(d);
        }
        mac[i] = static_cast<std::uint8_t>(v);
    }
    return true;
}

// IpAddress::to_string()'s text (inet_ntop), the common IPv4 case without
// inet_ntop's sprintf: a third of the recorder's time went there. The text
// is part of a flow's identity in the table, so it must stay byte for byte
// what inet_ntop writes; IPv6 still goes through it.
void address_text(const core::IpAddress& ip, std::string& out) {
    if (!ip.is_v4()) {
        out = ip.to_string();
        return;
    }
    out.clear();
    for (std::size_t i = 0; i < 4; ++i) {
        const unsigned v = ip.bytes[i];
        if (i != 0) out += '.';
        if (v >= 100) out += static_cast<char>('0' + v / 100);
        if (v >= 10) out += static_cast<char>('0' + v / 10 % 10);
        out += static_cast<char>('0' + v % 10);
    }
}

}  // namespace

std::string connection_upsert_sql() {
    std::string names, params, updates;
    int n = 0;
    for (std::string_view c : kColumns) {
        if (n++ != 0) {
            names += ", ";
            params += ", ";
        }
        names += c;
        params += "?" + std::to_string(n);
        if (is_identity(c)) continue;
        if (!updates.empty()) updates += ", ";
        updates += std::string(c) + " = excluded." + std::string(c);
    }
    return "INSERT INTO connections (" + names + ") VALUES (" + params + ") ON CONFLICT (" +
           std::string(kIdentity) + ") DO UPDATE SET " + updates;
}

void bind_flow(Statement& s, const FlowRecord& f, bool attributed, FlowTexts& texts) {
    int i = 0;
    auto next = [&i] { return ++i; };
    s.bind_static(next(), snapshot::protocol_name(f.protocol));
    address_text(f.source_ip, texts.source_ip);
    s.bind_static(next(), texts.source_ip);
    s.bind(next(), std::int64_t{f.source_port});
    address_text(f.destination_ip, texts.destination_ip);
    s.bind_static(next(), texts.destination_ip);
    s.bind(next(), std::int64_t{f.destination_port});
    s.bind(next(), std::int64_t{f.vlan});
    s.bind(next(), std::int64_t{f.ip_proto});
    s.bind_static(next(), snapshot::state_name(f.state));
    s.bind_static(next(), snapshot::end_reason_name(f.end_reason));
    s.bind(next(), std::int64_t{f.generation});
    s.bind(next(), as_int(f.packets_sent));
    s.bind(next(), as_int(f.packets_received));
    s.bind(next(), as_int(f.bytes_sent));
    s.bind(next(), as_int(f.bytes_received));
    s.bind(next(), f.first_seen_ns);
    s.bind(next(), f.last_seen_ns);
    bind_millis(s, next(), f.srtt_ns);
    bind_millis(s, next(), f.handshake_rtt_ns);
    s.bind(next(), std::int64_t{f.retransmits});
    s.bind(next(), std::int64_t{f.out_of_order});
    s.bind(next(), std::int64_t{f.duplicate_acks});
    const snapshot::AppInfo* app = f.app && !f.app->protocol.empty() ? f.app.get() : nullptr;
    if (app != nullptr) {
        s.bind_static(next(), app->protocol);
        s.bind_static_or_null(next(), app->domain);
        texts.dpi = dpi_object(*app);
        s.bind_static(next(), texts.dpi);
    } else {
        s.bind_null(next());
        s.bind_null(next());
        s.bind_null(next());
    }
    s.bind(next(), std::int64_t{attributed ? 1 : 0});
    if (const snapshot::ProcessInfo* p = f.process.get()) {
        s.bind(next(), std::int64_t{p->pid});
        s.bind_static(next(), p->name);
        s.bind_static_or_null(next(), p->exe);
        s.bind_static_or_null(next(), p->user);
        s.bind_static_or_null(next(), p->container);
        s.bind_static_or_null(next(), p->container_kind);
        s.bind_static_or_null(next(), p->container_name);
        s.bind_static_or_null(next(), p->container_image);
        s.bind_static_or_null(next(), p->pod);
        s.bind_static_or_null(next(), p->pod_namespace);
    } else {
        for (int k = 0; k < 10; ++k) s.bind_null(next());
    }
    s.bind_static(next(), snapshot::process_match_name(f.process_match));
    s.bind_static(next(), snapshot::unattributed_reason_name(f.unattributed));
    s.bind_static_or_null(next(), f.remote_name);
    bind_millis(s, next(), f.kernel_srtt_ns);
    if (f.remote_link) {
        texts.mac = core::colon_hex(f.remote_link->mac);
        s.bind_static(next(), texts.mac);
        s.bind_static_or_null(next(), f.remote_link->vendor);
    } else {
        s.bind_null(next());
        s.bind_null(next());
    }
    if (const snapshot::GeoInfo* g = f.remote_geo.get()) {
        s.bind_static(next(), core::scope_name(g->scope));
        s.bind_static_or_null(next(), g->country);
        s.bind_static_or_null(next(), g->city);
        if (g->asn == 0) {
            s.bind_null(next());
        } else {
            s.bind(next(), std::int64_t{g->asn});
        }
        s.bind_static_or_null(next(), g->organisation);
    } else {
        for (int k = 0; k < 5; ++k) s.bind_null(next());
    }
    s.bind(next(), std::int64_t{f.end_reason != snapshot::EndReason::active ? 1 : 0});
}

std::string connection_select_sql() {
    std::string names;
    for (std::string_view c : kColumns) {
        if (!names.empty()) names += ", ";
        names += c;
    }
    return "SELECT " + names + " FROM connections";
}

core::Result<StoredFlow> FlowRowReader::read(const Statement& s) {
    StoredFlow stored;
    FlowRecord& f = stored.flow;
    int i = -1;
    auto next = [&i] { return ++i; };
    auto u16 = [&s](int c) { return static_cast<std::uint16_t>(s.int64(c)); };
    auto u32 = [&s](int c) { return static_cast<std::uint32_t>(s.int64(c)); };
    auto u64 = [&s](int c) { return static_cast<std::uint64_t>(s.int64(c)); };
    const std::string protocol = s.text(next());
    f.protocol = from_name(protocol, snapshot::protocol_name, 6, snapshot::FlowProtocol::other);
    f.source_ip = core::IpAddress::parse(s.text(next()));
    f.source_port = u16(next());
    f.destination_ip = core::IpAddress::parse(s.text(next()));
    f.destination_port = u16(next());
    f.vlan = u16(next());
    f.ip_proto = static_cast<std::uint8_t>(s.int64(next()));
    f.state = from_name(s.text(next()), snapshot::state_name, 11, snapshot::FlowState::active);
    f.end_reason = from_name(s.text(next()), snapshot::end_reason_name, 5, snapshot::EndReason::active);
    f.generation = u32(next());
    f.packets_sent = u64(next());
    f.packets_received = u64(next());
    f.bytes_sent = u64(next());
    f.bytes_received = u64(next());
    f.first_seen_ns = s.int64(next());
    f.last_seen_ns = s.int64(next());
    f.srtt_ns = read_millis(s, next());
    f.handshake_rtt_ns = read_millis(s, next());
    f.retransmits = u32(next());
    f.out_of_order = u32(next());
    f.duplicate_acks = u32(next());
    const int dpi_protocol = next();
    const int dpi_domain = next();
    const int dpi = next();
    if (!s.is_null(dpi_protocol)) {
        auto app = std::make_shared<snapshot::AppInfo>();
        app->protocol = s.text(dpi_protocol);
        app->domain = s.text(dpi_domain);
        if (!s.is_null(dpi)) {
            if (!each_.valid()) {
                auto st = db_.prepare("SELECT key, type, value FROM json_each(?1)");
                if (!st) return std::move(st).error();
                each_ = std::move(st).value();
            }
            each_.bind(1, s.text(dpi));
            for (;;) {
                auto row = each_.step("cannot read a stored DPI object");
                if (!row) return std::move(row).error();
                if (!*row) break;
                const std::string key = each_.text(0);
                const std::string type = each_.text(1);
                if (type == "integer") {
                    app->set_number(key, each_.int64(2));
                } else if (type == "array") {
                    if (!items_.valid()) {
                        auto st = db_.prepare("SELECT value FROM json_each(?1)");
                        if (!st) return std::move(st).error();
                        items_ = std::move(st).value();
                    }
                    std::vector<std::string> list;
                    items_.bind(1, each_.text(2));
                    for (;;) {
                        auto item = items_.step("cannot read a stored DPI list");
                        if (!item) return std::move(item).error();
                        if (!*item) break;
                        list.push_back(items_.text(0));
                    }
                    items_.reset();
                    app->set_list(key, std::move(list));
                } else {
                    app->set_text(key, each_.text(2));
                }
            }
            each_.reset();
        }
        f.app = std::move(app);
    }
    stored.attributed = s.int64(next()) != 0;
    const int pid = next();
    const int name = next(), exe = next(), user = next(), container = next(), kind = next();
    const int container_name = next(), image = next(), pod = next(), pod_namespace = next();
    if (!s.is_null(pid)) {
        auto p = std::make_shared<snapshot::ProcessInfo>();
        p->pid = static_cast<int>(s.int64(pid));
        p->name = s.text(name);
        p->exe = s.text(exe);
        p->user = s.text(user);
        p->container = s.text(container);
        p->container_kind = s.text(kind);
        p->container_name = s.text(container_name);
        p->container_image = s.text(image);
        p->pod = s.text(pod);
        p->pod_namespace = s.text(pod_namespace);
        f.process = std::move(p);
    }
    f.process_match = from_name(s.text(next()), snapshot::process_match_name, 8, snapshot::ProcessMatch::none);
    f.unattributed = from_name(s.text(next()), snapshot::unattributed_reason_name, 6,
                               snapshot::UnattributedReason::none);
    f.remote_name = s.text(next());
    f.kernel_srtt_ns = read_millis(s, next());
    const int mac = next(), vendor = next();
    if (!s.is_null(mac)) {
        auto link = std::make_shared<snapshot::LinkPeer>();
        if (parse_mac(s.text(mac), link->mac)) {
            link->vendor = s.text(vendor);
            f.remote_link = std::move(link);
        }
    }
    const int scope = next(), country = next(), city = next(), asn = next(), org = next();
    if (!s.is_null(scope)) {
        auto g = std::make_shared<snapshot::GeoInfo>();
        g->scope = from_name(s.text(scope), core::scope_name, 9, core::AddressScope::public_);
        g->country = s.text(country);
        g->city = s.text(city);
        g->asn = u32(asn);
        g->organisation = s.text(org);
        f.remote_geo = std::move(g);
    }
    return stored;
}

}  // namespace sockeye::store
