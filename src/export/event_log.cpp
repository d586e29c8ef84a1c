#include "export/event_log.hpp"

#include <cstring>
#include <utility>

#include "export/json.hpp"

namespace sockeye::exports {
namespace {

void text_or_null(JsonObject& obj, std::string_view key, std::string_view value) {
    if (value.empty()) {
        obj.field_null(key);
    } else {
        obj.field(key, value);
    }
}

std::string_view event_name(FlowEventKind kind) {
    return kind == FlowEventKind::opened ? "new_connection" : "connection_closed";
}

}  // namespace

std::vector<FlowEvent> FlowEventTracker::update(const snapshot::Snapshot& snap) {
    std::vector<FlowEvent> opened;
    std::vector<FlowEvent> closed;
    std::unordered_map<Key, bool, KeyHash> now_ended;
    std::unordered_map<Key, snapshot::FlowRecord, KeyHash> still_open;
    std::unordered_map<Key, int, KeyHash> still_deferred;
    for (const auto& f : snap.flows) {
        const Key k = key_of(f);
        const bool was_open = open_.count(k) != 0;
        if (f.end_reason == snapshot::EndReason::active) {
            if (!was_open && f.process == nullptr &&
                f.unattributed == snapshot::UnattributedReason::pending) {
                const auto d = deferred_.find(k);
                const int waited = d == deferred_.end() ? 0 : d->second;
                if (waited < max_deferrals_) {
                    still_deferred.emplace(k, waited + 1);
                    continue;
                }
            }
            if (!was_open) opened.push_back({FlowEventKind::opened, f});
            still_open.insert_or_assign(k, f);
            continue;
        }
        now_ended.emplace(k, true);
        if (ended_.count(k) != 0) continue;  // reported in an earlier round
        if (!was_open) opened.push_back({FlowEventKind::opened, f});
        closed.push_back({FlowEventKind::closed, f});
        open_.erase(k);
    }
    // Open last time, absent now: it ended and already left the history.
    for (auto& [k, record] : open_) {
        if (still_open.count(k) == 0 && now_ended.count(k) == 0)
            closed.push_back({FlowEventKind::closed, std::move(record)});
    }
    open_ = std::move(still_open);
    deferred_ = std::move(still_deferred);
    ended_ = std::move(now_ended);
    opened.reserve(opened.size() + closed.size());
    for (auto& e : closed) opened.push_back(std::move(e));
    return opened;
}

void append_event_json(std::string& out, const FlowEvent& event, const ServiceNamer& service) {
    const snapshot::FlowRecord& f = event.flow;
    const bool closed = event.kind == FlowEventKind::closed;
    JsonObject obj(out);
    obj.field("timestamp", rfc3339_utc_micros(closed ? f.last_seen_ns : f.first_seen_ns))
        .field("event", event_name(event.kind))
        .field("protocol", snapshot::protocol_name(f.protocol))
        .field("source_ip", f.source_ip.to_string())
        .field("source_port", std::uint64_t{f.source_port})
        .field("destination_ip", f.destination_ip.to_string())
        .field("destination_port", std::uint64_t{f.destination_port});
    if (const snapshot::ProcessInfo* p = f.process.get()) {
        obj.field("pid", static_cast<std::int64_t>(p->pid)).field("process_name", p->name);
        text_or_null(obj, "process_user", p->user);
        text_or_null(obj, "container", p->container);
    } else {
        obj.field_null("pid").field_null("process_name");
        obj.field_null("process_user").field_null("container");
    }
    text_or_null(obj, "service_name", service ? service(f) : std::string_view());
    const snapshot::AppInfo* app = f.app.get();
    if (app != nullptr && !app->protocol.empty()) {
        obj.field("dpi_protocol", app->protocol);
        text_or_null(obj, "dpi_domain", app->domain);
    } else {
        obj.field_null("dpi_protocol").field_null("dpi_domain");
    }
    text_or_null(obj, "remote_name", f.remote_name);
    obj.field("state", snapshot::state_name(f.state));
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

std::unique_ptr<JsonEventLog> JsonEventLog::open(const std::string& path, ServiceNamer service,
                                                 AsyncWriterOptions options, std::string& error) {
    auto sink = FileSink::open(path, error);
    if (!sink) return nullptr;
    std::unique_ptr<JsonEventLog> log(new JsonEventLog());
    log->service_ = std::move(service);
    log->writer_ = std::make_unique<AsyncWriter<std::string>>(
        "json-log", std::move(sink), [](std::string& line, std::string& out) { out += line; },
        std::string(), options);
    return log;
}

void JsonEventLog::add(const FlowEvent& event) {
    std::string line;
    append_event_json(line, event, service_);
    const std::size_t cost = line.size();
    writer_->push(std::move(line), cost);
}

}  // namespace sockeye::exports
