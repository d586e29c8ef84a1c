#include "tui/widgets/side_panel.hpp"

#include <string>

#include "tui/format.hpp"
#include "tui/widgets/text.hpp"

namespace sockeye::tui {
namespace {

// Writes lines top-down and stops at the bottom of the panel.
class PanelWriter {
public:
    PanelWriter(Buffer& buf, Rect r, const Theme& theme) : buf_(buf), r_(r), theme_(theme) {}

    [[nodiscard]] bool full() const { return y_ >= r_.height; }

    void title(std::string_view text) {
        if (y_ > 0) ++y_;  // a blank line between sections
        if (full()) return;
        draw_text(buf_, r_.x, r_.y + y_++, r_.width, text, theme_.accent);
    }
    void pair(std::string_view label, const std::string& value, Style value_style) {
        if (full()) return;
        const int y = r_.y + y_++;
        draw_text(buf_, r_.x, y, r_.width, label, theme_.muted);
        const int w = std::min(text_width(value), r_.width - text_width(label) - 1);
        if (w > 0) draw_text(buf_, r_.x + r_.width - w, y, w, value, value_style, true);
    }
    void pair(std::string_view label, const std::string& value) { pair(label, value, theme_.base); }
    // One line, cut with an ellipsis when it does not fit.
    void line(std::string_view text, Style style) {
        if (full()) return;
        draw_text(buf_, r_.x, r_.y + y_++, r_.width, "  " + std::string(text), style);
    }
    void wrapped(std::string_view text, Style style) {
        for (const auto& line : wrap_text(text, r_.width - 2)) {
            if (full()) return;
            draw_text(buf_, r_.x, r_.y + y_++, r_.width, "  " + line, style);
        }
    }
    void bullet(std::string_view text, Style style) {
        bool first = true;
        for (const auto& line : wrap_text(text, r_.width - 2)) {
            if (full()) return;
            draw_text(buf_, r_.x, r_.y + y_++, r_.width, (first ? "• " : "  ") + line, style);
            first = false;
        }
    }

private:
    Buffer& buf_;
    Rect r_;
    const Theme& theme_;
    int y_ = 0;
};

void interfaces(PanelWriter& w, const snapshot::Snapshot& snap, const Theme& theme, Units units) {
    w.title("Interfaces");
    if (snap.interfaces.empty()) {
        w.wrapped(snap.source.name.empty() ? "none" : "file: " + snap.source.name, theme.muted);
        return;
    }
    for (const auto& i : snap.interfaces) {
        w.pair(i.name, "↓" + format_rate(i.rx_bytes_per_s, units) + " ↑" + format_rate(i.tx_bytes_per_s, units));
        const std::uint64_t drops = i.rx_dropped + i.tx_dropped;
        const std::uint64_t errors = i.rx_errors + i.tx_errors;
        if (drops + errors > 0) {
            w.pair("  drops/errors", format_count(drops) + "/" + format_count(errors), theme.error);
        }
    }
}

void capture(PanelWriter& w, const snapshot::Snapshot& snap, const Theme& theme, Units units) {
    w.title("Capture");
    switch (snap.source.state) {
        case snapshot::CaptureState::running: break;
        case snapshot::CaptureState::end_of_file:
            w.pair("state", snap.source.complete ? "end of file" : "end of file (truncated)",
                   snap.source.complete ? theme.base : theme.error);
            break;
        case snapshot::CaptureState::stopped:
            w.pair("state", "stopped", theme.base);
            if (!snap.source.state_note.empty()) w.wrapped(snap.source.state_note, theme.muted);
            break;
        case snapshot::CaptureState::failed:
            w.pair("state", "failed", theme.error);
            w.bullet(snap.source.state_note, theme.error);
            break;
    }
    w.pair("packets", format_count(snap.counters.packets));
    w.pair("bytes", format_bytes(snap.counters.bytes, units));
    const auto& c = snap.capture;
    w.pair("dropped", format_count(c.dropped), c.dropped > 0 ? theme.error : theme.good);
    w.pair("if dropped", format_count(c.interface_dropped),
           c.interface_dropped > 0 ? theme.error : theme.good);
    w.pair("flows active", format_count(snap.counters.active_flows));
}

void tcp_health(PanelWriter& w, const snapshot::Snapshot& snap, const Theme& theme) {
    std::uint64_t retransmits = 0, out_of_order = 0, dup_acks = 0;
    for (const auto& f : snap.flows) {
        retransmits += f.retransmits;
        out_of_order += f.out_of_order;
        dup_acks += f.duplicate_acks;
    }
    w.title("TCP health");
    w.pair("retransmits", format_count(retransmits), retransmits > 0 ? theme.error : theme.good);
    w.pair("out of order", format_count(out_of_order), out_of_order > 0 ? theme.error : theme.good);
    w.pair("dup acks", format_count(dup_acks), dup_acks > 0 ? theme.error : theme.good);
}

void attribution(PanelWriter& w, const snapshot::Snapshot& snap, const Theme& theme) {
    w.title("Attribution");
    const auto& a = snap.attribution;
    if (!a.active) {
        w.wrapped("attribution off", theme.muted);
    } else {
        w.line(a.method.empty() ? "active" : a.method, theme.good);
    }
    for (const auto& l : a.limitations) w.bullet(l, theme.error);
}

// Only when an export is on: what it wrote, what it lost and why it stopped.
void exports(PanelWriter& w, const snapshot::Snapshot& snap, const Theme& theme) {
    if (snap.exports.empty()) return;
    w.title("Exports");
    for (const auto& e : snap.exports) {
        w.pair(e.name, format_count(e.written), theme.base);
        if (e.dropped > 0) w.pair("  dropped", format_count(e.dropped), theme.error);
        if (!e.error.empty()) w.bullet(e.error, theme.error);
    }
}

// What the start-up sandbox enforces; its gaps in the error colour.
void sandbox(PanelWriter& w, const snapshot::Snapshot& snap, const Theme& theme) {
    const auto& s = snap.sandbox;
    if (s.summary.empty()) return;
    w.title("Sandbox");
    w.wrapped(s.summary, s.not_enforced.empty() ? theme.good : theme.error);
    for (const auto& gap : s.not_enforced) w.bullet(gap, theme.error);
}

}  // namespace

void draw_side_panel(Buffer& buf, Rect r, const snapshot::Snapshot& snap, const Theme& theme,
                     Units units) {
    if (r.width < 12 || r.height <= 0) return;
    buf.fill(r, Cell{U' ', theme.base});
    for (int y = r.y; y < r.y + r.height; ++y) buf.set(r.x, y, Cell{U'│', theme.border});
    PanelWriter w(buf, {r.x + 2, r.y, r.width - 3, r.height}, theme);
    interfaces(w, snap, theme, units);
    capture(w, snap, theme, units);
    tcp_health(w, snap, theme);
    attribution(w, snap, theme);
    exports(w, snap, theme);
    sandbox(w, snap, theme);
}

}  // namespace sockeye::tui
