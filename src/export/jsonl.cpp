#include "export/jsonl.hpp"

#include "export/json.hpp"

namespace sockeye::exports {
namespace {

void duration_ms_or_null(JsonObject& obj, std::string_view key, std::int64_t ns) {
    if (ns < 0) {
        obj.field_null(key);
    } else {
        obj.field_millis3(key, ns);
    }
}

// The dotted quad inet_ntop prints, without its cost and a std::string per
// address; IPv6 keeps IpAddress::to_string (RFC 5952 zero compression).
void ip_field(JsonObject& obj, std::string_view key, const core::IpAddress& ip) {
    if (!ip.is_v4()) {
        obj.field(key, ip.to_string());
        return;
    }
    char buf[16];
    std::size_t n = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (i != 0) buf[n++] = '.';
        const unsigned octet = ip.bytes[i];
        if (octet >= 100) buf[n++] = static_cast<char>('0' + octet / 100);
        if (octet >= 10) buf[n++] = static_cast<char>('0' + octet / 10 % 10);
        buf[n++] = static_cast<char>('0' + octet % 10);
    }
    obj.field(key, std::string_view(buf, n));
}

// dpi_protocol / dpi_domain (the reference tool's names) and one object with
// the protocol's own fields; nulls when DPI learnt nothing, so every line has
// the same keys.
void app_fields(JsonObject& obj, const snapshot::AppInfo* app) {
    if (app == nullptr || app->protocol.empty()) {
        obj.field_null("dpi_protocol").field_null("dpi_domain").field_null("dpi");
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

void text_or_null(JsonObject& obj, std::string_view key, std::string_view value) {
    if (value.empty()) {
        obj.field_null(key);
    } else {
        obj.field(key, value);
    }
}

// pid / process_name as the reference tool names them, then what it lacks.
void process_fields(JsonObject& obj, const snapshot::FlowRecord& f) {
    const snapshot::ProcessInfo* p = f.process.get();
    if (p == nullptr) {
        obj.field_null("pid").field_null("process_name").field_null("process_exe");
        obj.field_null("process_user").field_null("container");
        obj.field("process_match", "none")
            .field("unattributed_reason", snapshot::unattributed_reason_name(f.unattributed));
    } else {
        obj.field("pid", static_cast<std::int64_t>(p->pid)).field("process_name", p->name);
        text_or_null(obj, "process_exe", p->exe);
        text_or_null(obj, "process_user", p->user);
        text_or_null(obj, "container", p->container);
        obj.field("process_match", snapshot::process_match_name(f.process_match));
        obj.field_null("unattributed_reason");
    }
    text_or_null(obj, "remote_name", f.remote_name);
    duration_ms_or_null(obj, "kernel_rtt_ms", f.kernel_srtt_ns);
}

}  // namespace

void append_flow_json(std::string& out, const snapshot::FlowRecord& f, FlowJsonOptions options) {
    JsonObject obj(out);
    obj.field("type", "flow").field("protocol", snapshot::protocol_name(f.protocol));
    ip_field(obj, "source_ip", f.source_ip);
    obj.field("source_port", std::uint64_t{f.source_port});
    ip_field(obj, "destination_ip", f.destination_ip);
    obj.field("destination_port", std::uint64_t{f.destination_port})
        .field("vlan", std::uint64_t{f.vlan})
        .field("ip_proto", std::uint64_t{f.ip_proto})
        .field("state", snapshot::state_name(f.state))
        .field("end_reason", snapshot::end_reason_name(f.end_reason))
        .field("generation", f.generation)
        .field("packets_sent", f.packets_sent)
        .field("packets_received", f.packets_received)
        .field("bytes_sent", f.bytes_sent)
        .field("bytes_received", f.bytes_received)
        .field_time("first_seen", f.first_seen_ns)
        .field_time("last_seen", f.last_seen_ns);
    duration_ms_or_null(obj, "rtt_ms", f.srtt_ns);
    duration_ms_or_null(obj, "handshake_rtt_ms", f.handshake_rtt_ns);
    obj.field("retransmits", f.retransmits)
        .field("out_of_order", f.out_of_order)
        .field("duplicate_acks", f.duplicate_acks);
    app_fields(obj, f.app.get());
    if (options.process) process_fields(obj, f);
    obj.close();
    out += '\n';
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
