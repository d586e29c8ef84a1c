#include "export/jsonl.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/hex.hpp"
#include "export/json.hpp"

namespace sockeye::exports {
namespace {

// The part of a flow line whose keys are fixed and whose values are
// numbers, names from a fixed set and addresses, written with plain
// pointer stores into a buffer on the stack and appended at once: going
// through JsonObject key by key was most of the ~8,000 instructions a line
// cost. The longest it can be: the keys (about 270 bytes), 8 numbers of at
// most 20 digits, two quoted IPv6 addresses (at most 47 bytes each) and
// three names (at most 14 each).
class FixedFields {
public:
    // `text` goes out as is: a key with its quotes, colon and comma.
    template <std::size_t N>
    void raw(const char (&text)[N]) {
        std::memcpy(at_, text, N - 1);
        at_ += N - 1;
    }
    // A name from a fixed set of plain ASCII words ("TCP", "ESTABLISHED"),
    // which JSON takes as is.
    void name(std::string_view text) {
        *at_++ = '"';
        std::memcpy(at_, text.data(), text.size());
        at_ += text.size();
        *at_++ = '"';
    }
    void number(std::uint64_t value) {
        at_ = std::to_chars(at_, end(), value).ptr;
    }
    // The dotted quad inet_ntop prints, without its cost; IPv6 as
    // IpAddress::to_string (RFC 5952 zero compression): hex digits, colons
    // and dots only.
    void ip(const core::IpAddress& ip) {
        *at_++ = '"';
        if (ip.is_v4()) {
            for (std::size_t i = 0; i < 4; ++i) {
                if (i != 0) *at_++ = '.';
                const unsigned octet = ip.bytes[i];
                if (octet >= 100) *at_++ = static_cast<char>('0' + octet / 100);
                if (octet >= 10) *at_++ = static_cast<char>('0' + octet / 10 % 10);
                *at_++ = static_cast<char>('0' + octet % 10);
            }
        } else {
            const std::string text = ip.to_string();
            const std::size_t n = std::min(text.size(), kMaxAddress);
            std::memcpy(at_, text.data(), n);
            at_ += n;
        }
        *at_++ = '"';
    }
    void append_to(std::string& out) const {
        out.append(buffer_, static_cast<std::size_t>(at_ - buffer_));
    }

private:
    static constexpr std::size_t kMaxAddress = 45;  // INET6_ADDRSTRLEN - 1
    char* end() { return buffer_ + sizeof buffer_; }

    char buffer_[640];
    char* at_ = buffer_;
};

void duration_ms_or_null(JsonObject& obj, std::string_view key, std::int64_t ns) {
    if (ns < 0) {
        obj.field_null(key);
    } else {
        obj.field_millis3(key, ns);
    }
}

// dpi_protocol / dpi_domain (the reference tool's names) and one object with
// the protocol's own fields; nulls when DPI learnt nothing, so every line has
// the same keys.
void app_fields(std::string& out, JsonObject& obj, const snapshot::AppInfo* app) {
    if (app == nullptr || app->protocol.empty()) {
        out += ",\"dpi_protocol\":null,\"dpi_domain\":null,\"dpi\":null";
        return;
    }
    obj.field("dpi_protocol", app->protocol);
    if (app->domain.empty()) {
        obj.field_null("dpi_domain");
    } else {
        obj.field("dpi_domain", app->domain);
    }
    obj.open_nested("dpi");
    for (const auto& f : app->fields) {
        switch (f.kind) {
            case snapshot::AppField::Kind::text: obj.field(f.name, f.text); break;
            case snapshot::AppField::Kind::number: obj.field(f.name, f.number); break;
            case snapshot::AppField::Kind::list: obj.field(f.name, f.list); break;
        }
    }
    obj.close_nested();
}

// A peer on a local network: its MAC and the maker of its interface.
void link_fields(JsonObject& obj, const snapshot::LinkPeer& link) {
    obj.field("remote_mac", core::colon_hex(link.mac));
    obj.field_or_null("remote_vendor", link.vendor);
}

// pid / process_name as the reference tool names them, then what it lacks.
void process_fields(JsonObject& obj, const snapshot::FlowRecord& f) {
    const snapshot::ProcessInfo* p = f.process.get();
    if (p == nullptr) {
        obj.field_null("pid").field_null("process_name").field_null("process_exe");
        obj.field_null("process_user").field_null("container");
        obj.field_null("container_name").field_null("container_image").field_null("pod").field_null("pod_namespace");
        obj.field("process_match", "none")
            .field("unattributed_reason", snapshot::unattributed_reason_name(f.unattributed));
    } else {
        obj.field("pid", static_cast<std::int64_t>(p->pid)).field("process_name", p->name);
        obj.field_or_null("process_exe", p->exe);
        obj.field_or_null("process_user", p->user);
        obj.field_or_null("container", p->container);
        obj.field_or_null("container_name", p->container_name);
        obj.field_or_null("container_image", p->container_image);
        obj.field_or_null("pod", p->pod).field_or_null("pod_namespace", p->pod_namespace);
        obj.field("process_match", snapshot::process_match_name(f.process_match));
        obj.field_null("unattributed_reason");
    }
    obj.field_or_null("remote_name", f.remote_name);
    duration_ms_or_null(obj, "kernel_rtt_ms", f.kernel_srtt_ns);
    if (f.remote_link) {
        link_fields(obj, *f.remote_link);
    } else {
        obj.field_null("remote_mac").field_null("remote_vendor");
    }
}

}  // namespace

void append_flow_json(std::string& out, const snapshot::FlowRecord& f, FlowJsonOptions options) {
    JsonObject obj(out);
    obj.field("type", "flow");  // the fields below follow it, each after a comma
    FixedFields fixed;
    fixed.raw(",\"protocol\":");
    fixed.name(snapshot::protocol_name(f.protocol));
    fixed.raw(",\"source_ip\":");
    fixed.ip(f.source_ip);
    fixed.raw(",\"source_port\":");
    fixed.number(f.source_port);
    fixed.raw(",\"destination_ip\":");
    fixed.ip(f.destination_ip);
    fixed.raw(",\"destination_port\":");
    fixed.number(f.destination_port);
    fixed.raw(",\"vlan\":");
    fixed.number(f.vlan);
    fixed.raw(",\"ip_proto\":");
    fixed.number(f.ip_proto);
    fixed.raw(",\"state\":");
    fixed.name(snapshot::state_name(f.state));
    fixed.raw(",\"end_reason\":");
    fixed.name(snapshot::end_reason_name(f.end_reason));
    fixed.raw(",\"generation\":");
    fixed.number(f.generation);
    fixed.raw(",\"packets_sent\":");
    fixed.number(f.packets_sent);
    fixed.raw(",\"packets_received\":");
    fixed.number(f.packets_received);
    fixed.raw(",\"bytes_sent\":");
    fixed.number(f.bytes_sent);
    fixed.raw(",\"bytes_received\":");
    fixed.number(f.bytes_received);
    fixed.append_to(out);
    obj.field_time("first_seen", f.first_seen_ns).field_time("last_seen", f.last_seen_ns);
    duration_ms_or_null(obj, "rtt_ms", f.srtt_ns);
    duration_ms_or_null(obj, "handshake_rtt_ms", f.handshake_rtt_ns);
    FixedFields counts;
    counts.raw(",\"retransmits\":");
    counts.number(f.retransmits);
    counts.raw(",\"out_of_order\":");
    counts.number(f.out_of_order);
    counts.raw(",\"duplicate_acks\":");
    counts.number(f.duplicate_acks);
    counts.append_to(out);
    app_fields(out, obj, f.app.get());
    if (options.process) {
        process_fields(obj, f);
    } else if (f.remote_link) {
        // Capture files: only peers whose frames showed their MAC have one.
        link_fields(obj, *f.remote_link);
    }
    if (f.remote_geo) append_geo_json(obj, *f.remote_geo);
    obj.close();
    out += '\n';
}

void append_geo_json(JsonObject& obj, const snapshot::GeoInfo& g) {
    obj.open_nested("remote_geo");
    obj.field("scope", core::scope_name(g.scope));
    obj.field_or_null("country", g.country);
    obj.field_or_null("city", g.city);
    if (g.asn == 0) {
        obj.field_null("asn");
    } else {
        obj.field("asn", static_cast<std::uint64_t>(g.asn));
    }
    obj.field_or_null("organisation", g.organisation);
    obj.close_nested();
}

void append_summary_json(std::string& out, const snapshot::Snapshot& snap) {
    const auto& c = snap.counters;
    JsonObject obj(out);
    obj.field("type", "summary")
        .field("packets", c.packets)
        .field("bytes", c.bytes)
        .field("flows", c.flows)
        .field("active_flows", c.active_flows)
        .field("evictions", c.evictions)
        .field("history_dropped", c.history_dropped)
        .field("ip_fragments", c.ip_fragments)
        .field("unattributed", c.unattributed);
    obj.open_nested("anomalies");
    for (const auto& [kind, count] : snap.anomalies) obj.field(kind, count);
    obj.close_nested();
    obj.field("link_type", snap.source.link_type).field("complete", snap.source.complete);
    obj.close();
    out += '\n';
}

std::string snapshot_to_jsonl(const snapshot::Snapshot& snap) {
    std::string out;
    out.reserve(snap.flows.size() * 420 + 512);
    const FlowJsonOptions options{snap.attribution.active};
    for (const auto& f : snap.flows) append_flow_json(out, f, options);
    append_summary_json(out, snap);
    return out;
}

void JsonlStream::flow(const snapshot::FlowRecord& flow) {
    append_flow_json(buffer_, flow, options_);
    if (buffer_.size() >= 256 * 1024) flush();
}

bool JsonlStream::finish(const snapshot::Snapshot& summary) {
    append_summary_json(buffer_, summary);
    flush();
    if (std::fflush(out_) != 0) failed_ = true;
    return !failed_;
}

void JsonlStream::flush() {
    if (!failed_ && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size())
        failed_ = true;
    buffer_.clear();
}

}  // namespace sockeye::exports
