// Fills a history store with synthetic ended connections through the real
// recorder (store::Recorder: the schema, the upserts, the usage rows), for
// timing `sockeye report` and `sockeye history` over a large store.
//
//   sockeye-store-fill OUT.db COUNT [DAYS] [END_UNIX_SECONDS]
//
// COUNT connections spread evenly over the DAYS (default 30) before END
// (default now), written in transactions of 2000 (an export interval's
// worth on a busy host). Deterministic: the same arguments give the same
// rows. The mix: 60 process names, 3000 remote host names, 12 applications,
// 40 countries. Hosts are drawn with a skew (a few get most connections);
// a host mostly goes with one process and one application, as on a desktop.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "store/recorder.hpp"

namespace {

using sockeye::snapshot::FlowRecord;

constexpr std::int64_t kSecondNs = 1'000'000'000;
constexpr std::size_t kBatch = 2000;

// Index in [0, n) with small ones more likely (about 1/(i+1)).
std::size_t skewed(std::mt19937_64& rng, std::size_t n) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double x = std::pow(static_cast<double>(n) + 1.0, u(rng)) - 1.0;
    const auto i = static_cast<std::size_t>(x);
    return i < n ? i : n - 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT.db COUNT [DAYS] [END_UNIX_SECONDS]\n", argv[0]);
        return 2;
    }
    const std::string path = argv[1];
    const std::uint64_t count = std::strtoull(argv[2], nullptr, 10);
    const std::int64_t days = argc > 3 ? std::strtoll(argv[3], nullptr, 10) : 30;
    const std::int64_t end_s =
        argc > 4 ? std::strtoll(argv[4], nullptr, 10)
                 : std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    if (count == 0 || days <= 0) {
        std::fprintf(stderr, "COUNT and DAYS must be positive\n");
        return 2;
    }
    auto recorder = sockeye::store::Recorder::open(path);
    if (!recorder) {
        std::fprintf(stderr, "%s\n", recorder.error().message.c_str());
        return 1;
    }
    std::vector<std::shared_ptr<sockeye::snapshot::ProcessInfo>> processes;
    for (int i = 0; i < 60; ++i) {
        auto p = std::make_shared<sockeye::snapshot::ProcessInfo>();
        p->pid = 1000 + i;
        p->name = "proc-" + std::to_string(i);
        p->exe = "/usr/bin/" + p->name;
        p->user = "user";
        processes.push_back(std::move(p));
    }
    const char* app_names[] = {"TLS", "QUIC", "DNS", "HTTP", "SSH", "NTP", "MQTT", "STUN", "DHCP", "SNMP", "OpenVPN", "WireGuard"};
    std::vector<std::shared_ptr<sockeye::snapshot::AppInfo>> apps;
    for (const char* a : app_names) {
        auto app = std::make_shared<sockeye::snapshot::AppInfo>();
        app->protocol = a;
        apps.push_back(std::move(app));
    }
    std::vector<std::shared_ptr<sockeye::snapshot::GeoInfo>> geos;
    for (int i = 0; i < 40; ++i) {
        auto g = std::make_shared<sockeye::snapshot::GeoInfo>();
        g->country = std::string{static_cast<char>('A' + i / 26), static_cast<char>('A' + i % 26)};
        g->asn = 64500 + static_cast<std::uint32_t>(i);
        g->organisation = "AS " + std::to_string(g->asn);
        geos.push_back(std::move(g));
    }
    std::mt19937_64 rng(18);
    const std::int64_t span_ns = days * 86'400 * kSecondNs;
    const std::int64_t start_ns = end_s * kSecondNs - span_ns;
    std::vector<FlowRecord> batch;
    batch.reserve(kBatch);
    std::uniform_int_distribution<std::uint64_t> bytes(40, 200'000);
    for (std::uint64_t i = 0; i < count; ++i) {
        FlowRecord f;
        const std::size_t host = skewed(rng, 3000);
        f.protocol = sockeye::snapshot::FlowProtocol::tcp;
        f.ip_proto = 6;
        f.source_ip = sockeye::core::IpAddress::parse("192.168.1.10");
        f.destination_ip = sockeye::core::IpAddress::parse(
            "203.0." + std::to_string(host / 250) + "." + std::to_string(host % 250 + 1));
        f.source_port = static_cast<std::uint16_t>(32768 + i % 28000);
        f.destination_port = 443;
        f.state = sockeye::snapshot::FlowState::closed;
        f.end_reason = sockeye::snapshot::EndReason::fin;
        f.first_seen_ns = start_ns + static_cast<std::int64_t>(static_cast<double>(span_ns) *
                                                               (static_cast<double>(i) / static_cast<double>(count)));
        f.last_seen_ns = f.first_seen_ns + 2 * kSecondNs;
        f.bytes_sent = bytes(rng) / 10;
        f.bytes_received = bytes(rng);
        f.packets_sent = 2 + f.bytes_sent / 1400;
        f.packets_received = 2 + f.bytes_received / 1400;
        // A host is mostly talked to by one process and one application.
        f.process = processes[rng() % 10 == 0 ? skewed(rng, processes.size()) : host * 7 % processes.size()];
        f.app = apps[host % 10 < 7 ? 0 : host % apps.size()];
        f.remote_name = "host-" + std::to_string(host) + ".example";
        f.remote_geo = geos[host % geos.size()];
        batch.push_back(std::move(f));
        if (batch.size() == kBatch || i + 1 == count) {
            if (auto r = (*recorder)->write(batch, true); !r) {
                std::fprintf(stderr, "%s\n", r.error().message.c_str());
                return 1;
            }
            batch.clear();
        }
    }
    return 0;
}
