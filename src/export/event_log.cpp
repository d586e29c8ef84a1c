#include "export/event_log.hpp"

#include <cstring>
#include <utility>

#include "export/json.hpp"
#include "export/jsonl.hpp"

namespace sockeye::exports {
namespace {

std::string_view event_name(FlowEventKind kind) {
    return kind == FlowEventKind::opened ? "new_connection" : "connection_closed";
}

}  // namespace

namespace {

// What an event says of its flow, after its own fields.
void append_flow_fields(JsonObject& obj, const snapshot::FlowRecord& f, const ServiceNamer& service) {
    obj.field("protocol", snapshot::protocol_name(f.protocol))
        .field("source_ip", f.source_ip.to_string())
        .field("source_port", std::uint64_t{f.source_port})
        .field("destination_ip", f.destination_ip.to_string())
        .field("destination_port", std::uint64_t{f.destination_port});
    if (const snapshot::ProcessInfo* p = f.process.get()) {
        obj.field("pid", static_cast<std::int64_t>(p->pid)).field("process_name", p->name);
        obj.field_or_null("process_user", p->user);
        obj.field_or_null("container", p->container);
        obj.field_or_null("container_name", p->container_name);
        obj.field_or_null("container_image", p->container_image);
        obj.field_or_null("pod", p->pod).field_or_null("pod_namespace", p->pod_namespace);
    } else {
        obj.field_null("pid").field_null("process_name");
        obj.field_null("process_user").field_null("container");
        obj.field_null("container_name").field_null("container_image").field_null("pod").field_null("pod_namespace");
    }
    obj.field_or_null("service_name", service ? service(f) : std::string_view());
    const snapshot::AppInfo* app = f.app.get();
    if (app != nullptr && !app->protocol.empty()) {
        obj.field("dpi_protocol", app->protocol);
        obj.field_or_null("dpi_domain", app->domain);
    } else {
        obj.field_null("dpi_protocol").field_null("dpi_domain");
    }
    obj.field_or_null("remote_name", f.remote_name);
    if (f.remote_geo) append_geo_json(obj, *f.remote_geo);
    obj.field("state", snapshot::state_name(f.state));
}

}  // namespace

void append_event_json(std::string& out, const FlowEvent& event, const ServiceNamer& service) {
    const snapshot::FlowRecord& f = event.flow;
    const bool closed = event.kind == FlowEventKind::closed;
    JsonObject obj(out);
    obj.field("timestamp", rfc3339_utc_micros(closed ? f.last_seen_ns : f.first_seen_ns))
        .field("event", event_name(event.kind));
    append_flow_fields(obj, f, service);
    if (closed) {
        obj.field("end_reason", snapshot::end_reason_name(f.end_reason))
            .field("bytes_sent", f.bytes_sent)
            .field("bytes_received", f.bytes_received)
            .field("packets_sent", f.packets_sent)
            .field("packets_received", f.packets_received)
            .field_fixed3("duration_secs",
                          static_cast<double>(f.last_seen_ns - f.first_seen_ns) / 1e9);
    }
    obj.close();
    out += '\n';
}

void append_alert_json(std::string& out, const snapshot::Alert& alert, const ServiceNamer& service) {
    JsonObject obj(out);
    obj.field("timestamp", rfc3339_utc_micros(alert.ts_ns))
        .field("event", "alert")
        .field("rule", alert.rule)
        .field("condition", alert.condition)
        .field("detail", alert.detail)
        .field_or_null("program", alert.program);
    if (alert.condition == "rate_above") {
        obj.field_fixed3("rate_bytes_per_s", alert.rate);
    } else {
        obj.field_null("rate_bytes_per_s");
    }
    append_flow_fields(obj, alert.flow, service);
    obj.close();
    out += '\n';
}

core::Result<std::unique_ptr<JsonEventLog>> JsonEventLog::open(const std::string& path,
                                                               ServiceNamer service,
                                                               AsyncWriterOptions options) {
    auto sink = FileSink::open(path);
    if (!sink) return std::move(sink).error();
    std::unique_ptr<JsonEventLog> log(new JsonEventLog());
    log->path_ = path;
    log->service_ = std::move(service);
    log->writer_ = std::make_unique<AsyncWriter<std::string>>(
        "json-log", std::move(sink).value(), [](std::string& line, std::string& out) { out += line; },
        std::string(), options);
    return log;
}

void JsonEventLog::add(const snapshot::Alert& alert) {
    std::string line;
    append_alert_json(line, alert, service_);
    const std::size_t cost = line.size();
    writer_->push(std::move(line), cost);
}

void JsonEventLog::add(const FlowEvent& event) {
    std::string line;
    append_event_json(line, event, service_);
    const std::size_t cost = line.size();
    writer_->push(std::move(line), cost);
}

}  // namespace sockeye::exports
