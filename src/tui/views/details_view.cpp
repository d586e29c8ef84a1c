// Everything known about one connection: tuple and state, traffic, TCP
// health, every DPI field and the owning process with its parents.
#include <algorithm>

#include "core/hex.hpp"
#include "enrich/service_names.hpp"
#include "tui/format.hpp"
#include "tui/history.hpp"
#include "tui/views/views.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

using snapshot::FlowRecord;

void add(std::vector<DetailLine>& out, std::string label, std::string value) {
    out.push_back({std::move(label), std::move(value), false});
}
void section(std::vector<DetailLine>& out, std::string title) {
    out.push_back({std::move(title), "", true});
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string s;
    for (const auto& i : items) {
        if (!s.empty()) s += sep;
        s += i;
    }
    return s;
}

void connection(std::vector<DetailLine>& out, const FlowRecord& f, const ViewState& state,
                std::int64_t now_ns) {
    section(out, "Connection");
    add(out, "protocol", std::string(snapshot::protocol_name(f.protocol)) + " (IP proto " +
                             std::to_string(f.ip_proto) + ")");
    add(out, "local", format_endpoint(f.source_ip, f.source_port, f.protocol));
    add(out, "remote", format_endpoint(f.destination_ip, f.destination_port, f.protocol));
    add(out, "remote name", f.remote_name.empty() ? "-" : f.remote_name);
    if (const snapshot::LinkPeer* link = f.remote_link.get()) {
        const std::string mac = core::colon_hex(link->mac);
        add(out, "hardware", link->vendor.empty() ? mac : mac + " (" + link->vendor + ")");
    }
    if (const snapshot::GeoInfo* g = f.remote_geo.get()) {
        if (g->scope != core::AddressScope::public_) {
            add(out, "address range", format_country(*g));
        } else {
            add(out, "country", g->country.empty() ? "-" : g->country);
            if (!g->city.empty()) add(out, "city", g->city);
            const std::string network = format_network(*g);
            add(out, "network", network.empty() ? "-" : network);
        }
    }
    const std::string_view service = enrich::flow_service(f);
    add(out, "service", service.empty() ? "-" : std::string(service));
    if (f.vlan != 0) add(out, "vlan", std::to_string(f.vlan));
    add(out, "state", std::string(snapshot::state_name(f.state)));
    add(out, "ended", f.end_reason == snapshot::EndReason::active
                          ? "no"
                          : std::string(snapshot::end_reason_name(f.end_reason)));
    if (f.generation > 0) add(out, "generation", std::to_string(f.generation));
    add(out, "first seen", format_clock(f.first_seen_ns) + " UTC");
    add(out, "last seen", format_clock(f.last_seen_ns) + " (" +
                              format_duration(now_ns - f.last_seen_ns) + " ago)");
    add(out, "duration", format_duration(f.last_seen_ns - f.first_seen_ns));
    if (f.end_reason == snapshot::EndReason::active && f.idle_timeout_ns > 0) {
        const std::int64_t left = f.idle_timeout_ns - (now_ns - f.last_seen_ns);
        add(out, "idle timeout", format_duration(f.idle_timeout_ns) + " (" +
                                     format_duration(left) + " left)");
    }
    if (!state.details_live) add(out, "note", "no longer in the table");
}

void traffic(std::vector<DetailLine>& out, const FlowRecord& f, Units units) {
    section(out, "Traffic");
    add(out, "down", format_rate(f.received_bytes_per_s, units) + ", " +
                          format_bytes(f.bytes_received, units) +
                         " in " + std::to_string(f.packets_received) + " packets");
    add(out, "up", format_rate(f.sent_bytes_per_s, units) + ", " +
                        format_bytes(f.bytes_sent, units) + " in " +
                       std::to_string(f.packets_sent) + " packets");
}

void tcp(std::vector<DetailLine>& out, const FlowRecord& f) {
    if (f.protocol != snapshot::FlowProtocol::tcp) return;
    section(out, "TCP");
    add(out, "handshake RTT", format_rtt(f.handshake_rtt_ns));
    add(out, "smoothed RTT", format_rtt(f.srtt_ns));
    if (f.kernel_srtt_ns >= 0) add(out, "kernel RTT", format_rtt(f.kernel_srtt_ns));
    add(out, "retransmits", std::to_string(f.retransmits));
    add(out, "out of order", std::to_string(f.out_of_order));
    add(out, "dup acks", std::to_string(f.duplicate_acks));
}

void application(std::vector<DetailLine>& out, const FlowRecord& f) {
    section(out, "Application");
    if (!f.app || f.app->protocol.empty()) {
        add(out, "protocol", "unknown");
        return;
    }
    add(out, "protocol", f.app->protocol);
    if (!f.app->domain.empty()) add(out, "domain", f.app->domain);
    for (const auto& field : f.app->fields) {
        switch (field.kind) {
            case snapshot::AppField::Kind::text: add(out, field.name, field.text); break;
            case snapshot::AppField::Kind::number:
                add(out, field.name, std::to_string(field.number));
                break;
            case snapshot::AppField::Kind::list: add(out, field.name, join(field.list, ", ")); break;
        }
    }
}

void process(std::vector<DetailLine>& out, const FlowRecord& f) {
    section(out, "Process");
    if (!f.process) {
        add(out, "owner", process_label(f));
        return;
    }
    const auto& p = *f.process;
    add(out, "name", p.name);
    add(out, "pid", std::to_string(p.pid));
    if (!p.comm.empty() && p.comm != p.name) add(out, "comm", p.comm);
    add(out, "user", p.user.empty() ? std::to_string(p.uid) : p.user + " (" + std::to_string(p.uid) + ")");
    add(out, "exe", p.exe.empty() ? "-" : p.exe);
    if (!p.cmdline.empty()) add(out, "command", p.cmdline);
    add(out, "matched by", std::string(snapshot::process_match_name(f.process_match)));
    if (const std::string container = format_container(p); !container.empty()) add(out, "container", container);
    if (!p.container_image.empty()) add(out, "image", p.container_image);
    if (const std::string pod = format_pod(p); !pod.empty()) add(out, "pod", pod);
    // The chain reads from the process up: curl ← bash ← sshd ← systemd.
    for (std::size_t i = 0; i < p.parents.size(); ++i) {
        add(out, i == 0 ? "parents" : "",
            std::string(i == 0 ? "" : "← ") + p.parents[i].name + " (" +
                std::to_string(p.parents[i].pid) + ")");
    }
}

using Section = std::vector<DetailLine>;

std::vector<Section> split_sections(const std::vector<DetailLine>& lines) {
    std::vector<Section> out;
    for (const auto& l : lines) {
        if (l.title || out.empty()) out.emplace_back();
        out.back().push_back(l);
    }
    return out;
}

// Draws `lines` from `skip` down into `r`; long values wrap under themselves.
void draw_column(Buffer& buf, Rect r, const std::vector<DetailLine>& lines, std::size_t skip,
                 const Theme& theme) {
    constexpr int kLabel = 15;
    int y = r.y;
    for (std::size_t i = skip; i < lines.size() && y < r.y + r.height; ++i) {
        const auto& l = lines[i];
        if (l.title) {
            if (i != skip) ++y;
            if (y >= r.y + r.height) break;
            draw_text(buf, r.x, y++, r.width, l.label, theme.accent);
            continue;
        }
        draw_text(buf, r.x + 1, y, kLabel, l.label, theme.muted);
        const int value_w = r.width - kLabel - 2;
        auto wrapped = wrap_text(l.value, value_w);
        if (wrapped.empty()) wrapped.emplace_back();
        for (const auto& part : wrapped) {
            if (y >= r.y + r.height) break;
            draw_text(buf, r.x + kLabel + 2, y++, value_w, part, theme.base);
        }
    }
}

}  // namespace

std::vector<DetailLine> detail_lines(const FlowRecord& f, const ViewState& state,
                                     std::int64_t now_ns) {
    std::vector<DetailLine> out;
    connection(out, f, state, now_ns);
    traffic(out, f, units_of(state.table));
    tcp(out, f);
    application(out, f);
    process(out, f);
    return out;
}

void draw_details(Buffer& buf, Rect area, const ViewState& state, const snapshot::Snapshot& snap) {
    const Theme& theme = *state.theme;
    if (!state.details) {
        draw_text(buf, area.x + 2, area.y + 1, area.width - 4,
                  "no connection selected: pick one on the overview and press Enter",
                  theme.muted);
        return;
    }
    const auto lines = detail_lines(*state.details, state, snap.ts_ns);
    const Rect inner{area.x + 1, area.y, area.width - 2, area.height};
    if (inner.width < 76) {
        draw_column(buf, inner, lines, std::min(state.details_scroll, lines.size()), theme);
        return;
    }
    // Wide enough for two columns: whole sections, split where the two
    // sides come out most even. Both scroll together.
    const auto sections = split_sections(lines);
    std::size_t best = 1;
    std::size_t best_height = lines.size();
    for (std::size_t split = 1; split < sections.size(); ++split) {
        std::size_t left_n = 0, right_n = 0;
        for (std::size_t i = 0; i < sections.size(); ++i)
            (i < split ? left_n : right_n) += sections[i].size() + 1;
        const std::size_t height = std::max(left_n, right_n);
        if (height < best_height) {
            best_height = height;
            best = split;
        }
    }
    std::vector<DetailLine> left, right;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        auto& dest = i < best ? left : right;
        dest.insert(dest.end(), sections[i].begin(), sections[i].end());
    }
    const int half = inner.width / 2;
    draw_column(buf, {inner.x, inner.y, half - 1, inner.height}, left,
                std::min(state.details_scroll, left.size()), theme);
    draw_column(buf, {inner.x + half + 1, inner.y, inner.width - half - 1, inner.height}, right,
                std::min(state.details_scroll, right.size()), theme);
}

}  // namespace sockeye::tui
