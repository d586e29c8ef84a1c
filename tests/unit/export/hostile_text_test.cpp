// Every text writer of export/ fed names with every control character a
// terminal obeys: no control reaches the output except the writer's own line
// ends, and the output is valid UTF-8.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "export/event_log.hpp"
#include "export/jsonl.hpp"
#include "export/pcapng_writer.hpp"
#include "export/prometheus_metrics.hpp"
#include "export/summary_table.hpp"
#include "unit/support/hostile_text.hpp"

namespace sockeye::exports {
namespace {

using testing::expect_no_controls;
using testing::hostile_names;

// A snapshot where every text that can come from outside is `name`: DPI's
// domain and fields (HTTP Host, TLS SNI, DNS query), the process, the geo
// databases' names, the file or interface, anomaly kinds and export paths
// and errors.
snapshot::Snapshot snapshot_named(const std::string& name) {
    auto app = std::make_shared<snapshot::AppInfo>();
    app->protocol = "HTTP";
    app->domain = name;
    app->set_text("host", name);
    app->set_text("sni", name);
    app->set_list("cname", {name, name});

    auto process = std::make_shared<snapshot::ProcessInfo>();
    process->pid = 42;
    process->name = name;
    process->comm = name.substr(0, 15);
    process->exe = "/usr/bin/" + name;
    process->cmdline = name + " --flag";
    process->user = name;
    process->parents.push_back({1, name});
    process->container_kind = "docker";
    process->container = name;

    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = core::IpAddress::parse("10.0.0.1");
    f.destination_ip = core::IpAddress::parse("10.0.0.2");
    f.source_port = 40000;
    f.destination_port = 80;
    f.state = snapshot::FlowState::established;
    f.bytes_sent = 1000;
    f.bytes_received = 2000;
    f.packets_sent = 5;
    f.packets_received = 6;
    f.app = app;
    f.process = process;
    f.process_match = snapshot::ProcessMatch::exact;
    f.remote_link = std::make_shared<snapshot::LinkPeer>(snapshot::LinkPeer{{2, 0, 0, 0, 0, 1}, name});
    f.remote_geo = std::make_shared<snapshot::GeoInfo>(
        snapshot::GeoInfo{core::AddressScope::public_, name, name, 64500, name});

    snapshot::Snapshot snap;
    snap.flows.push_back(f);
    snap.source.name = name;
    snap.source.link_type = "EN10MB";
    snap.anomalies.emplace_back(name, 3);
    snapshot::InterfaceStats iface;
    iface.name = name;
    iface.rx_bytes = 10;
    snap.interfaces.push_back(iface);
    snapshot::ExportCounters e;
    e.name = name;
    e.path = name;
    e.error = name;
    snap.exports.push_back(e);
    snap.attribution.active = true;
    snap.attribution.method = name;
    snap.attribution.limitations.push_back(name);
    return snap;
}

TEST(HostileText, SummaryTable) {
    for (const auto& name : hostile_names()) {
        expect_no_controls(summary_table(snapshot_named(name)), "\n", "summary table");
    }
}

TEST(HostileText, JsonLines) {
    for (const auto& name : hostile_names()) {
        const auto snap = snapshot_named(name);
        std::string out;
        append_flow_json(out, snap.flows.front(), FlowJsonOptions{true});
        append_summary_json(out, snap);
        expect_no_controls(out, "\n", "JSON lines");
    }
}

TEST(HostileText, JsonEventLog) {
    for (const auto& name : hostile_names()) {
        const auto snap = snapshot_named(name);
        std::string out;
        const ServiceNamer service = [&](const snapshot::FlowRecord&) -> std::string_view { return name; };
        append_event_json(out, FlowEvent{FlowEventKind::opened, snap.flows.front()}, service);
        expect_no_controls(out, "\n", "event log");
    }
}

TEST(HostileText, PrometheusExposition) {
    for (const auto& name : hostile_names()) {
        PrometheusMetrics metrics;
        metrics.observe(snapshot_named(name));
        const std::string out = metrics.render();
        expect_no_controls(out, "\n", "Prometheus exposition");
        // The hostile text did reach the page (as a label value), defused.
        EXPECT_NE(out.find("PWNED"), std::string::npos);
    }
}

TEST(HostileText, PcapngPacketComment) {
    for (const auto& name : hostile_names()) {
        const auto snap = snapshot_named(name);
        const auto& f = snap.flows.front();
        const std::string comment =
            packet_comment(f.process.get(), PacketDirection::out, f.app.get(), f.remote_geo.get());
        expect_no_controls(comment, "", "pcapng comment");
        // Stricter than that: printable ASCII only, so key=value pairs split on spaces.
        for (const char c : comment) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << static_cast<int>(c);
    }
}

}  // namespace
}  // namespace sockeye::exports
