// A fixed engine state for the UI tests: flows of every kind the views must
// show (TLS with SNI, HTTP, DNS, QUIC, unattributed, ended, ICMP), processes
// with parents and containers, interface and capture counters. Rates vary by
// tick so the graph has a history; tick 0 is the state the goldens show.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "snapshot/snapshot.hpp"

namespace sockeye::tui::testing {

inline constexpr std::int64_t kSecond = 1'000'000'000;
// 2023-11-14 22:14:20 UTC.
inline constexpr std::int64_t kNow = 1'700'000'060 * kSecond;

inline core::IpAddress ip(const std::string& text) { return core::IpAddress::parse(text); }

inline std::shared_ptr<const snapshot::ProcessInfo> process(
    int pid, std::string name, std::string exe, std::string cmdline, std::uint32_t uid,
    std::string user, std::vector<snapshot::ParentProcess> parents, std::string container_kind = "",
    std::string container = "", std::string container_name = "", std::string container_image = "") {
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = pid;
    p->name = name;
    p->comm = name.substr(0, 15);
    p->exe = std::move(exe);
    p->cmdline = std::move(cmdline);
    p->uid = uid;
    p->user = std::move(user);
    p->parents = std::move(parents);
    p->container_kind = std::move(container_kind);
    p->container = std::move(container);
    p->container_name = std::move(container_name);
    p->container_image = std::move(container_image);
    return p;
}

struct Processes {
    std::shared_ptr<const snapshot::ProcessInfo> curl = process(
        4242, "curl", "/usr/bin/curl", "curl -sS https://example.com/", 1000, "alice",
        {{4200, "bash"}, {1000, "sshd"}, {1, "systemd"}});
    std::shared_ptr<const snapshot::ProcessInfo> wget = process(
        7310, "wget", "/usr/bin/wget", "wget http://deb.debian.org/debian/README", 0, "root",
        {{7300, "sh"}, {7001, "containerd-shim"}, {1, "systemd"}}, "docker",
        "3f2a9c1b7d4e5f60718293a4b5c6d7e8f901a2b3c4d5e6f708192a3b4c5d6e7f", "fetcher", "debian:12");
    std::shared_ptr<const snapshot::ProcessInfo> resolved = process(
        512, "systemd-resolved", "/usr/lib/systemd/systemd-resolved", "/usr/lib/systemd/systemd-resolved",
        991, "systemd-resolve", {{1, "systemd"}}, "systemd", "systemd-resolved.service");
    std::shared_ptr<const snapshot::ProcessInfo> firefox = process(
        3100, "firefox-esr", "/usr/lib/firefox-esr/firefox-esr", "/usr/lib/firefox-esr/firefox-esr",
        1000, "alice", {{2900, "gnome-shell"}, {1500, "systemd"}, {1, "systemd"}});
};

// Base rates scaled by a factor that depends on the tick, so a series of
// snapshots draws a recognisable curve.
inline double tick_factor(int tick) {
    static const double kPattern[] = {1.0, 0.6, 0.3, 0.5, 0.9, 1.4, 1.8, 1.2, 0.7, 0.4,
                                      0.2, 0.4, 0.8, 1.1, 1.6, 2.0, 1.5, 1.0, 0.8, 0.9};
    const int n = static_cast<int>(sizeof kPattern / sizeof kPattern[0]);
    return kPattern[((tick % n) + n) % n];
}

inline snapshot::FlowRecord tcp_flow(const std::string& src, std::uint16_t sport, const std::string& dst,
                                     std::uint16_t dport) {
    snapshot::FlowRecord f;
    f.protocol = snapshot::FlowProtocol::tcp;
    f.ip_proto = 6;
    f.source_ip = ip(src);
    f.destination_ip = ip(dst);
    f.source_port = sport;
    f.destination_port = dport;
    f.state = snapshot::FlowState::established;
    f.idle_timeout_ns = 300 * kSecond;
    return f;
}

inline snapshot::FlowRecord udp_flow(const std::string& src, std::uint16_t sport, const std::string& dst,
                                     std::uint16_t dport) {
    snapshot::FlowRecord f = tcp_flow(src, sport, dst, dport);
    f.protocol = snapshot::FlowProtocol::udp;
    f.ip_proto = 17;
    f.state = snapshot::FlowState::active;
    f.idle_timeout_ns = 60 * kSecond;
    return f;
}

// The flows and counters at `tick` seconds before kNow, without the traffic series.
inline std::shared_ptr<snapshot::Snapshot> make_state_at(int tick) {
    static const Processes procs;
    const double k = tick_factor(tick);
    const std::int64_t now = kNow - tick * kSecond;
    auto snap = std::make_shared<snapshot::Snapshot>();
    snap->ts_ns = now;
    auto& flows = snap->flows;

    {  // TLS with SNI, curl.
        auto f = tcp_flow("192.168.1.10", 51544, "93.184.216.34", 443);
        f.first_seen_ns = kNow - 42 * kSecond;
        f.last_seen_ns = now;
        f.packets_sent = 310, f.packets_received = 1180;
        f.bytes_sent = 24'500, f.bytes_received = 1'640'000;
        f.sent_bytes_per_s = 20'000 * k, f.received_bytes_per_s = 1'500'000 * k;
        f.handshake_rtt_ns = 11'800'000, f.srtt_ns = 12'300'000;
        f.retransmits = 2, f.duplicate_acks = 3;
        auto app = std::make_shared<snapshot::AppInfo>();
        app->protocol = "TLS";
        app->domain = "example.com";
        app->set_text("sni", "example.com");
        app->set_text("version", "TLS 1.3");
        app->set_list("alpn", {"h2", "http/1.1"});
        app->set_text("cipher", "TLS_AES_128_GCM_SHA256");
        app->set_text("ja3", "771,4865-4866-4867,0-23-65281,29-23-24,0");
        f.app = app;
        f.process = procs.curl;
        f.process_match = snapshot::ProcessMatch::exact;
        f.remote_name = "example.com";
        flows.push_back(f);
    }
    {  // HTTP from a container.
        auto f = tcp_flow("172.17.0.2", 40000, "151.101.2.132", 80);
        f.first_seen_ns = kNow - 30 * kSecond;
        f.last_seen_ns = now - 2 * kSecond;
        f.packets_sent = 12, f.packets_received = 40;
        f.bytes_sent = 1'200, f.bytes_received = 52'000;
        f.sent_bytes_per_s = 150 * k, f.received_bytes_per_s = 48'000 * k;
        f.handshake_rtt_ns = 21'000'000, f.srtt_ns = 23'400'000;
        auto app = std::make_shared<snapshot::AppInfo>();
        app->protocol = "HTTP";
        app->domain = "deb.debian.org";
        app->set_text("method", "GET");
        app->set_text("path", "/debian/README");
        app->set_number("status", 200);
        app->set_text("user_agent", "Wget/1.21.3");
        app->set_text("content_type", "text/plain");
        f.app = app;
        f.process = procs.wget;
        f.process_match = snapshot::ProcessMatch::exact;
        f.remote_name = "deb.debian.org";
        flows.push_back(f);
    }
    {  // DNS through systemd-resolved.
        auto f = udp_flow("192.168.1.10", 53000, "1.1.1.1", 53);
        f.first_seen_ns = kNow - 45 * kSecond;
        f.last_seen_ns = now - 20 * kSecond;
        f.packets_sent = 2, f.packets_received = 2;
        f.bytes_sent = 150, f.bytes_received = 230;
        f.sent_bytes_per_s = 5 * k, f.received_bytes_per_s = 8 * k;
        auto app = std::make_shared<snapshot::AppInfo>();
        app->protocol = "DNS";
        app->domain = "example.com";
        app->set_text("query_type", "A");
        app->set_text("rcode", "NOERROR");
        app->set_list("answers", {"93.184.216.34"});
        f.app = app;
        f.process = procs.resolved;
        f.process_match = snapshot::ProcessMatch::wildcard;
        f.remote_name = "one.one.one.one";
        flows.push_back(f);
    }
    {  // QUIC over IPv6, firefox.
        auto f = udp_flow("2001:db8::10", 55000, "2606:4700::6810:84e5", 443);
        f.first_seen_ns = kNow - 50 * kSecond;
        f.last_seen_ns = now;
        f.packets_sent = 900, f.packets_received = 2600;
        f.bytes_sent = 95'000, f.bytes_received = 3'400'000;
        f.sent_bytes_per_s = 40'000 * k, f.received_bytes_per_s = 2'200'000 * k;
        auto app = std::make_shared<snapshot::AppInfo>();
        app->protocol = "QUIC";
        app->domain = "cloudflare.com";
        app->set_text("version", "1");
        app->set_text("sni", "cloudflare.com");
        app->set_list("alpn", {"h3"});
        f.app = app;
        f.process = procs.firefox;
        f.process_match = snapshot::ProcessMatch::exact;
        f.remote_name = "cloudflare.com";
        flows.push_back(f);
    }
    {  // TLS, firefox again, idle for a while: fades.
        auto f = tcp_flow("192.168.1.10", 51600, "140.82.112.3", 443);
        f.first_seen_ns = kNow - 55 * kSecond;
        f.last_seen_ns = kNow - 240 * kSecond / 5;
        f.packets_sent = 20, f.packets_received = 25;
        f.bytes_sent = 3'100, f.bytes_received = 9'800;
        f.handshake_rtt_ns = 95'000'000, f.srtt_ns = 101'500'000;
        f.out_of_order = 1;
        auto app = std::make_shared<snapshot::AppInfo>();
        app->protocol = "TLS";
        app->domain = "github.com";
        app->set_text("sni", "github.com");
        f.app = app;
        f.process = procs.firefox;
        f.process_match = snapshot::ProcessMatch::exact;
        f.remote_name = "lb-140-82-112-3-iad.github.com";
        f.idle_timeout_ns = 60 * kSecond;
        flows.push_back(f);
    }
    {  // No socket matched: unattributed.
        auto f = tcp_flow("192.168.1.10", 45678, "203.0.113.7", 8443);
        f.state = snapshot::FlowState::syn_sent;
        f.first_seen_ns = kNow - 3 * kSecond;
        f.last_seen_ns = now - kSecond;
        f.packets_sent = 3;
        f.bytes_sent = 180;
        f.unattributed = snapshot::UnattributedReason::no_socket;
        flows.push_back(f);
    }
    {  // ICMP echo, the owner could not be read.
        snapshot::FlowRecord f;
        f.protocol = snapshot::FlowProtocol::icmp;
        f.ip_proto = 1;
        f.source_ip = ip("192.168.1.10");
        f.destination_ip = ip("8.8.8.8");
        f.source_port = 7;
        f.first_seen_ns = kNow - 10 * kSecond;
        f.last_seen_ns = now;
        f.packets_sent = 10, f.packets_received = 10;
        f.bytes_sent = 980, f.bytes_received = 980;
        f.sent_bytes_per_s = 98, f.received_bytes_per_s = 98;
        f.idle_timeout_ns = 30 * kSecond;
        f.unattributed = snapshot::UnattributedReason::no_permission;
        f.remote_name = "dns.google";
        flows.push_back(f);
    }
    {  // An ended flow of curl (shown with t).
        auto f = tcp_flow("192.168.1.10", 51500, "93.184.216.34", 443);
        f.state = snapshot::FlowState::closed;
        f.end_reason = snapshot::EndReason::fin;
        f.idle_timeout_ns = 0;
        f.first_seen_ns = kNow - 58 * kSecond;
        f.last_seen_ns = kNow - 57 * kSecond;
        f.packets_sent = 12, f.packets_received = 14;
        f.bytes_sent = 2'000, f.bytes_received = 8'000;
        f.handshake_rtt_ns = 12'000'000;
        f.process = procs.curl;
        f.process_match = snapshot::ProcessMatch::exact;
        f.remote_name = "example.com";
        flows.push_back(f);
    }

    snap->counters.packets = 5'312;
    snap->counters.bytes = 5'260'000;
    snap->counters.flows = 8;
    snap->counters.active_flows = 7;
    snap->capture.received = 5'315;
    snap->capture.dropped = 3;
    snap->source.name = "eth0";
    snap->source.link_type = "EN10MB";
    snapshot::InterfaceStats eth0;
    eth0.name = "eth0";
    eth0.rx_bytes = 5'100'000, eth0.tx_bytes = 130'000;
    eth0.rx_bytes_per_s = 3'750'000 * k, eth0.tx_bytes_per_s = 61'000 * k;
    eth0.rx_dropped = 4;
    snapshot::InterfaceStats lo;
    lo.name = "lo";
    lo.rx_bytes_per_s = lo.tx_bytes_per_s = 1'200;
    snap->interfaces = {eth0, lo};
    snap->attribution.active = true;
    snap->attribution.method = "sock_diag + /proc";
    snap->attribution.limitations = {
        "Other users' processes are hidden: grant cap_sys_ptrace to see them."};
    return snap;
}

// How many seconds of traffic series the fixture's engine has seen.
inline constexpr int kHistoryTicks = 40;

// The fixed state at `tick` seconds before kNow (0 = the golden state), with
// the engine's traffic series: one sample per second since kHistoryTicks
// before kNow, each the active flows' rates at that second.
inline std::shared_ptr<const snapshot::Snapshot> make_snapshot(int tick = 0) {
    auto snap = make_state_at(tick);
    for (int t = kHistoryTicks - 1; t >= tick; --t) {
        const auto state = make_state_at(t);
        snapshot::TrafficSample sample{state->ts_ns, 0, 0};
        for (const auto& f : state->flows) {
            if (f.end_reason != snapshot::EndReason::active) continue;
            sample.down += f.received_bytes_per_s;
            sample.up += f.sent_bytes_per_s;
        }
        snap->traffic.push_back(sample);
    }
    return snap;
}

// `flows` active TCP flows over 50 processes, for the benchmark.
inline std::shared_ptr<const snapshot::Snapshot> make_big_snapshot(int flows) {
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    std::vector<std::shared_ptr<const snapshot::ProcessInfo>> procs;
    for (int p = 0; p < 50; ++p)
        procs.push_back(process(10'000 + p, "worker-" + std::to_string(p), "/usr/bin/worker",
                                "worker --id " + std::to_string(p), 1000, "alice", {{1, "systemd"}}));
    snap->flows.clear();
    for (int i = 0; i < flows; ++i) {
        auto f = tcp_flow("10.0.0.1", static_cast<std::uint16_t>(20'000 + i),
                          "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250),
                          static_cast<std::uint16_t>(i % 3 == 0 ? 443 : 8080));
        f.first_seen_ns = kNow - (i % 300) * kSecond;
        f.last_seen_ns = kNow - (i % 40) * kSecond;
        f.bytes_received = static_cast<std::uint64_t>(1000 + i * 37);
        f.bytes_sent = static_cast<std::uint64_t>(500 + i * 11);
        f.received_bytes_per_s = (i * 7919) % 100'000;
        f.sent_bytes_per_s = (i * 104'729) % 20'000;
        f.srtt_ns = (i % 90 + 1) * 1'000'000;
        f.process = procs[static_cast<std::size_t>(i % 50)];
        f.process_match = snapshot::ProcessMatch::exact;
        if (i % 2 == 0) f.remote_name = "host-" + std::to_string(i) + ".example.net";
        auto app = std::make_shared<snapshot::AppInfo>();
        app->protocol = i % 3 == 0 ? "TLS" : "HTTP";
        app->domain = "svc" + std::to_string(i % 17) + ".example.net";
        f.app = app;
        snap->flows.push_back(std::move(f));
    }
    return snap;
}

}  // namespace sockeye::tui::testing
