// A fixed set of flows for the filter tests, each with a label, and a helper
// that compiles a filter and returns the labels of the flows it keeps.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/ip_address.hpp"
#include "filter/filter.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::filter::testing {

inline constexpr std::int64_t kSecond = 1'000'000'000;

struct LabelledFlow {
    std::string label;
    snapshot::FlowRecord flow;
};

inline std::shared_ptr<const snapshot::ProcessInfo> process(int pid, std::string name, std::string comm,
                                                            std::string user, std::uint32_t uid) {
    auto p = std::make_shared<snapshot::ProcessInfo>();
    p->pid = pid;
    p->name = std::move(name);
    p->comm = std::move(comm);
    p->user = std::move(user);
    p->uid = uid;
    return p;
}

// `p` placed in a container (or systemd unit, kind "systemd").
inline std::shared_ptr<const snapshot::ProcessInfo> in_container(
    std::shared_ptr<const snapshot::ProcessInfo> p, std::string kind, std::string id, std::string name = {},
    std::string image = {}, std::string pod = {}, std::string pod_namespace = {}) {
    auto c = std::make_shared<snapshot::ProcessInfo>(*p);
    c->container_kind = std::move(kind);
    c->container = std::move(id);
    c->container_name = std::move(name);
    c->container_image = std::move(image);
    c->pod = std::move(pod);
    c->pod_namespace = std::move(pod_namespace);
    return c;
}

inline std::shared_ptr<const snapshot::AppInfo> app(std::string protocol, std::string domain) {
    auto a = std::make_shared<snapshot::AppInfo>();
    a->protocol = std::move(protocol);
    a->domain = std::move(domain);
    return a;
}

inline snapshot::FlowRecord flow(snapshot::FlowProtocol proto, std::uint8_t ip_proto, const char* src,
                                 std::uint16_t sport, const char* dst, std::uint16_t dport) {
    snapshot::FlowRecord f;
    f.protocol = proto;
    f.ip_proto = ip_proto;
    f.source_ip = core::IpAddress::parse(src);
    f.destination_ip = core::IpAddress::parse(dst);
    f.source_port = sport;
    f.destination_port = dport;
    return f;
}

// https: curl fetching www.example.com over TLS; big, slow RTT, 40 s old;
//   in Docker container "web-frontend" (nginx:1.25).
// dns: systemd-resolved asking 1.1.1.1; tiny, no RTT; in Kubernetes pod
//   kube-system/coredns-5d78c9869d-x7k2p, container "coredns".
// ssh: an sshd server flow (service on the source port), root; systemd unit ssh.service.
// quic: IPv6 QUIC to a ULA address, no process known.
// icmp: a ping, nothing else known.
inline std::vector<LabelledFlow> fixture_flows() {
    using snapshot::FlowProtocol;
    using snapshot::FlowState;
    std::vector<LabelledFlow> flows;

    auto https = flow(FlowProtocol::tcp, 6, "192.168.1.10", 51000, "93.184.216.34", 443);
    https.state = FlowState::established;
    https.process = in_container(process(4242, "curl", "curl", "alice", 1000), "docker",
                                 "3f4e8a9b2c1d0e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f",
                                 "web-frontend", "nginx:1.25");
    https.app = app("TLS", "www.example.com");
    https.remote_name = "example.com";
    https.bytes_sent = 500'000;
    https.bytes_received = 1'000'000;
    https.packets_sent = 400;
    https.packets_received = 800;
    https.srtt_ns = 120'000'000;  // 120 ms
    https.sent_bytes_per_s = 5'000;
    https.received_bytes_per_s = 15'000;
    https.first_seen_ns = 0;
    https.last_seen_ns = 40 * kSecond;
    https.retransmits = 3;
    https.remote_geo = std::make_shared<snapshot::GeoInfo>(
        snapshot::GeoInfo{core::AddressScope::public_, "US", "Los Angeles", 15133, "EDGECAST"});
    flows.push_back({"https", https});

    auto dns = flow(FlowProtocol::udp, 17, "192.168.1.10", 40000, "1.1.1.1", 53);
    dns.state = FlowState::active;
    dns.process = in_container(process(812, "systemd-resolved", "systemd-resolve", "systemd-resolve", 990),
                               "kubernetes", "0a1b2c3d-0000-1111-2222-333344445555", "coredns", "",
                               "coredns-5d78c9869d-x7k2p", "kube-system");
    dns.app = app("DNS", "example.org");
    dns.bytes_sent = 80;
    dns.bytes_received = 120;
    dns.packets_sent = 1;
    dns.packets_received = 1;
    dns.first_seen_ns = 50 * kSecond;
    dns.last_seen_ns = 50 * kSecond;
    dns.remote_geo = std::make_shared<snapshot::GeoInfo>(
        snapshot::GeoInfo{core::AddressScope::public_, "AU", "", 13335, "CLOUDFLARENET"});
    flows.push_back({"dns", dns});

    auto ssh = flow(FlowProtocol::tcp, 6, "10.0.0.5", 22, "10.0.0.99", 50000);
    ssh.state = FlowState::established;
    ssh.process = in_container(process(1, "sshd", "sshd", "root", 0), "systemd", "ssh.service");
    ssh.bytes_sent = 40'000;
    ssh.bytes_received = 9'000;
    ssh.packets_sent = 60;
    ssh.packets_received = 50;
    ssh.srtt_ns = 500'000;  // 0.5 ms
    ssh.first_seen_ns = 10 * kSecond;
    ssh.last_seen_ns = 20 * kSecond;
    ssh.vlan = 7;
    ssh.remote_link = std::make_shared<snapshot::LinkPeer>(
        snapshot::LinkPeer{{0xb8, 0x27, 0xeb, 0x01, 0x02, 0x03}, "Raspberry Pi"});
    ssh.remote_geo = std::make_shared<snapshot::GeoInfo>(
        snapshot::GeoInfo{core::AddressScope::private_, "", "", 0, ""});
    flows.push_back({"ssh", ssh});

    auto quic = flow(FlowProtocol::udp, 17, "2001:db8::1", 55555, "fd00::abcd", 443);
    quic.state = FlowState::active;
    quic.app = app("QUIC", "cdn.example.net");
    quic.bytes_sent = 3'000'000;
    quic.bytes_received = 2'000'000;
    quic.packets_sent = 3000;
    quic.packets_received = 2500;
    quic.sent_bytes_per_s = 1'500'000;
    quic.received_bytes_per_s = 1'048'576;
    quic.first_seen_ns = 30 * kSecond;
    quic.last_seen_ns = 45 * kSecond;
    quic.unattributed = snapshot::UnattributedReason::not_local;
    flows.push_back({"quic", quic});

    auto icmp = flow(FlowProtocol::icmp, 1, "10.0.0.1", 7, "8.8.8.8", 0);
    icmp.state = FlowState::closed;
    icmp.bytes_sent = 98;
    icmp.bytes_received = 98;
    icmp.packets_sent = 1;
    icmp.packets_received = 1;
    icmp.first_seen_ns = 5 * kSecond;
    icmp.last_seen_ns = 6 * kSecond;
    flows.push_back({"icmp", icmp});
    return flows;
}

// The labels of the fixture flows `text` keeps, in fixture order, joined by
// spaces ("https quic"); "error: <describe>" when it does not compile.
inline std::string kept(std::string_view text, std::int64_t now_ns = -1) {
    const auto r = compile(text);
    if (!r) return "error: " + r.error().message;
    std::string out;
    for (const auto& f : fixture_flows()) {
        const bool keep = now_ns < 0 ? r->matches(f.flow) : r->matches_at(f.flow, now_ns);
        if (!keep) continue;
        if (!out.empty()) out += ' ';
        out += f.label;
    }
    return out;
}

// The error of a filter that must not compile ("" when it compiled).
inline std::string error_of(std::string_view text) {
    const auto r = compile(text);
    if (r) return "";
    EXPECT_EQ(r.error().code, core::ErrorCode::bad_filter) << text;
    return r.error().message;
}

// The byte offset an error names last ("... at 5"); npos when it names none.
inline std::size_t error_position(const std::string& message) {
    const auto at = message.rfind(" at ");
    if (at == std::string::npos) return std::string::npos;
    return static_cast<std::size_t>(std::stoul(message.substr(at + 4)));
}

}  // namespace sockeye::filter::testing
