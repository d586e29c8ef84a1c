#include "app/snapshot_enricher.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "enrich/reverse_resolver.hpp"
#include "geo/geo_databases.hpp"
#include "host/attributor.hpp"
#include "host/interface_stats.hpp"
#include "host/local_addresses.hpp"
#include "host/neighbours.hpp"
#include "vendor/oui.hpp"

namespace sockeye::app {
namespace {

// A power of two above the flow table's default history of ended flows
// (10,000), so every ended flow it keeps has a place of its own.
constexpr std::size_t kEndedOwners = std::size_t{1} << 14U;

// Neighbours come and go slowly; a dump costs a netlink round trip.
constexpr auto kNeighbourRefresh = std::chrono::seconds(5);
constexpr std::size_t kMaxLinkPeers = 4096;

host::SocketTuple tuple_of(std::uint8_t ip_proto, const core::IpAddress& source_ip,
                           std::uint16_t source_port, const core::IpAddress& destination_ip,
                           std::uint16_t destination_port) {
    // Live flows are oriented local -> remote, so the source is our socket.
    host::SocketTuple t;
    t.ip_proto = ip_proto;
    t.local_ip = source_ip;
    t.local_port = source_port;
    t.remote_ip = destination_ip;
    t.remote_port = destination_port;
    return t;
}

}  // namespace

SnapshotEnricher::SnapshotEnricher(const Options& options, bool live, bool reverse_dns)
    : live_(live) {
    if (!live_) return;
    if (options.processes) {
        host::AttributorOptions attribution;
        attribution.ebpf = options.ebpf;  // loaded by prepare(), before the sandbox
        // Listening alerts compare the host's listening sockets over time;
        // the terminal UI lists them (its Listening tab).
        attribution.list_listening =
            options.output == OutputMode::interactive ||
            std::any_of(options.alerts.begin(), options.alerts.end(),
                        [](const AlertConfig& a) { return a.condition == "listening"; });
        attributor_ = std::make_unique<host::ProcessAttributor>(attribution);
        attributor_->prepare();
    }
    interfaces_ = std::make_unique<host::InterfaceStatsReader>();
    neighbours_ = std::make_unique<host::NeighbourTable>();  // its socket before the sandbox
    if (reverse_dns && options.resolve) {
        enrich::ResolverOptions resolver_options;
        resolver_options.servers = options.dns_server;
        auto resolver = enrich::ReverseResolver::open(resolver_options);
        if (resolver) {
            resolver_ = std::move(resolver).value();
        } else {
            notes_.push_back("reverse DNS is off: " + resolver.error().message);
        }
    }
}

void SnapshotEnricher::start_attribution() {
    if (attributor_) attributor_->start();
}

void SnapshotEnricher::start_resolver() {
    if (resolver_) resolver_->launch();
}

void SnapshotEnricher::set_geo(std::unique_ptr<geo::GeoDatabases> geo) {
    geo_ = std::move(geo);
    geo_missing_ = geo_ ? geo_->missing() : std::vector<std::string>{};
}

SnapshotEnricher::~SnapshotEnricher() {
    if (attributor_) attributor_->stop();
}

std::vector<std::string> SnapshotEnricher::attribution_limitations() const {
    if (!attributor_) return {};
    return attributor_->status().limitations;
}

void SnapshotEnricher::on_new_flow(const flow::FlowTable::Endpoints& flow) {
    if (!attributor_ || !host::is_attributable(flow.ip_proto, flow.source_port)) return;
    attributor_->request(tuple_of(flow.ip_proto, flow.source_ip, flow.source_port,
                                  flow.destination_ip, flow.destination_port));
}

std::shared_ptr<const snapshot::ProcessInfo> SnapshotEnricher::owner_of(
    const flow::FlowTable::Endpoints& flow) const {
    if (!attributor_ || !host::is_attributable(flow.ip_proto, flow.source_port)) return nullptr;
    return attributor_
        ->lookup(tuple_of(flow.ip_proto, flow.source_ip, flow.source_port, flow.destination_ip,
                          flow.destination_port))
        .process;
}

std::shared_ptr<const snapshot::GeoInfo> SnapshotEnricher::geo_of(const core::IpAddress& address) const {
    if (!geo_) return nullptr;
    return std::make_shared<const snapshot::GeoInfo>(geo_->lookup_uncached(address));
}

bool SnapshotEnricher::settled_owner(snapshot::FlowRecord& flow) const {
    if (flow.end_sequence == 0 || ended_owners_.empty()) return false;
    const EndedOwner& o = ended_owners_[flow.end_sequence & (kEndedOwners - 1)];
    if (o.end_sequence != flow.end_sequence) return false;
    flow.process = o.process;
    flow.process_match = o.match;
    flow.kernel_srtt_ns = o.kernel_srtt_ns;
    flow.unattributed = snapshot::UnattributedReason::none;
    return true;
}

void SnapshotEnricher::settle_owner(const snapshot::FlowRecord& flow) {
    if (flow.end_sequence == 0 || !flow.process) return;
    if (ended_owners_.empty()) ended_owners_.resize(kEndedOwners);
    ended_owners_[flow.end_sequence & (kEndedOwners - 1)] = {
        flow.end_sequence, flow.process, flow.process_match, flow.kernel_srtt_ns};
}

void SnapshotEnricher::attribute(snapshot::FlowRecord& flow) {
    if (!live_) {
        flow.unattributed = snapshot::UnattributedReason::offline;
        return;
    }
    if (!attributor_) return;
    if (!host::is_attributable(flow.ip_proto, flow.source_port)) {
        flow.unattributed = snapshot::UnattributedReason::no_socket;
        return;
    }
    if (settled_owner(flow)) return;
    const host::Attribution a = attributor_->lookup(tuple_of(
        flow.ip_proto, flow.source_ip, flow.source_port, flow.destination_ip, flow.destination_port));
    flow.process = a.process;
    flow.process_match = a.match;
    flow.kernel_srtt_ns = a.kernel_srtt_ns;
    flow.unattributed = a.process ? snapshot::UnattributedReason::none : a.reason;
    if (!flow.process && a.reason != snapshot::UnattributedReason::pending && flow.app &&
        flow.app->announced_by) {
        inherit_owner(flow, *flow.app->announced_by);
    }
    settle_owner(flow);
}

// A data connection whose socket is already gone (or never was this
// host's to see) belongs to whoever runs the connection that announced it.
void SnapshotEnricher::inherit_owner(snapshot::FlowRecord& flow,
                                     const snapshot::Announcer& announcer) const {
    const host::Attribution owner = attributor_->lookup_connection(flow.ip_proto, announcer);
    if (!owner.process) return;
    flow.process = owner.process;
    flow.process_match = snapshot::ProcessMatch::announced;
    flow.unattributed = snapshot::UnattributedReason::none;
}

void SnapshotEnricher::name_remote(snapshot::FlowRecord& flow, const pipeline::Engine& engine) const {
    // What this machine itself looked up beats what a PTR record claims.
    if (auto sniffed = engine.sniffed_names(flow.destination_ip); !sniffed.empty()) {
        flow.remote_name = std::move(sniffed.front());
        return;
    }
    if (!resolver_ || flow.destination_ip.family == core::IpFamily::none) return;
    // request() returns at once when the name is fresh or pending; otherwise
    // it queues a (re)lookup, and the stale name shows meanwhile.
    resolver_->request(flow.destination_ip);
    if (auto name = resolver_->name(flow.destination_ip)) flow.remote_name = std::move(*name);
}

void SnapshotEnricher::refresh_neighbours() {
    if (!neighbours_ || !neighbours_->valid()) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - neighbours_read_ < kNeighbourRefresh) return;
    neighbours_read_ = now;
    neighbours_->refresh();  // on failure the last table stays
}

std::shared_ptr<const snapshot::LinkPeer> SnapshotEnricher::link_peer_of(
    const core::IpAddress& ip, const pipeline::Engine& engine) {
    std::optional<host::LinkAddress> mac;
    if (neighbours_) {
        // Flows streamed at exit come without a snapshot before them.
        if (neighbours_read_ == std::chrono::steady_clock::time_point{}) refresh_neighbours();
        mac = neighbours_->mac_of(ip);
    } else {
        mac = engine.link_address_of(ip);
    }
    if (!mac) return nullptr;
    std::uint64_t key = 0;
    for (const std::uint8_t b : *mac) key = key << 8 | b;
    if (const auto it = link_peers_.find(key); it != link_peers_.end()) return it->second;
    if (link_peers_.size() >= kMaxLinkPeers) link_peers_.clear();  // refilled on demand
    auto peer = std::make_shared<const snapshot::LinkPeer>(snapshot::LinkPeer{*mac, vendor::vendor_of(*mac)});
    link_peers_.emplace(key, peer);
    return peer;
}

bool SnapshotEnricher::is_own_query(const snapshot::FlowRecord& flow) const {
    return resolver_ && resolver_->is_own_query(flow.protocol, flow.source_port,
                                                flow.destination_ip, flow.destination_port);
}

bool SnapshotEnricher::enrich_flow(snapshot::FlowRecord& flow, const pipeline::Engine& engine) {
    // Our own reverse-DNS queries are not the user's traffic.
    if (resolver_ && is_own_query(flow)) return false;
    attribute(flow);
    name_remote(flow, engine);
    if (geo_) flow.remote_geo = geo_->lookup(flow.destination_ip);
    // Live: the kernel's neighbour table; files: what the frames showed.
    flow.remote_link = link_peer_of(flow.destination_ip, engine);
    return true;
}

void SnapshotEnricher::enrich(snapshot::Snapshot& snap, const pipeline::Engine& engine) {
    refresh_neighbours();
    // The same per-flow step as streamed flows; the flows it leaves out
    // close up in place.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < snap.flows.size(); ++i) {
        if (!enrich_flow(snap.flows[i], engine)) continue;
        if (kept != i) snap.flows[kept] = std::move(snap.flows[i]);
        ++kept;
    }
    snap.flows.resize(kept);
    snap.geo_active = geo_ != nullptr;
    snap.geo_missing = geo_missing_;
    if (!live_) return;
    if (interfaces_) {
        const auto now = std::chrono::steady_clock::now().time_since_epoch();
        snap.interfaces = interfaces_->read(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
    }
    if (attributor_) {
        snap.attribution = attributor_->status();
        if (auto listening = attributor_->listening()) {
            snap.listening = std::move(*listening);
            snap.listening_read = true;
        }
    } else {
        snap.attribution.active = false;
        snap.attribution.limitations.push_back("process attribution is off (--no-processes)");
    }
    for (const auto& note : notes_) snap.attribution.limitations.push_back(note);
}

pipeline::EngineOptions engine_options_for(const Options& options, SnapshotEnricher* enricher) {
    pipeline::EngineOptions engine_options;
    engine_options.flows.max_active_flows = options.max_flows;
    engine_options.dpi = options.dpi;
    // One graph point per UI refresh, in packet time.
    engine_options.traffic_interval_ns = std::int64_t{options.refresh_ms} * 1'000'000;
    if (enricher != nullptr) {
        engine_options.flows.local_addresses = host::local_addresses();
        engine_options.on_new_flow = [enricher](const flow::FlowTable::Endpoints& f) {
            enricher->on_new_flow(f);
        };
    }
    // A file brings no neighbour table: its frames show who speaks from which MAC.
    engine_options.learn_link_addresses = !options.read_file.empty();
    return engine_options;
}

}  // namespace sockeye::app
