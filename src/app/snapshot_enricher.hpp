// Adds to an engine snapshot what only the machine can tell: the process
// behind each flow, names of remote hosts, interface counters and what
// attribution cannot see. Owns the background helpers that find those out
// (the process attributor and the reverse resolver), so the packet thread
// only ever asks and reads caches.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/cli.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/pipeline.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::host {
class ProcessAttributor;
class InterfaceStatsReader;
class NeighbourTable;
}  // namespace sockeye::host
namespace sockeye::enrich {
class ReverseResolver;
}  // namespace sockeye::enrich
namespace sockeye::geo {
class GeoDatabases;
}  // namespace sockeye::geo

namespace sockeye::app {

class SnapshotEnricher final : public pipeline::Enricher {
public:
    // `live`: a live capture on this machine (files get sniffed names only).
    // `reverse_dns`: look names up (only worth it when someone watches the
    // snapshots over time; also needs options.resolve). Problems starting a
    // helper are not fatal: they become notes in the attribution status.
    // Opens the helpers' handles (sock_diag socket, c-ares channel) but
    // starts no thread: the sandbox comes between (see sandbox_setup.hpp).
    SnapshotEnricher(const Options& options, bool live, bool reverse_dns);
    ~SnapshotEnricher() override;
    SnapshotEnricher(const SnapshotEnricher&) = delete;
    SnapshotEnricher& operator=(const SnapshotEnricher&) = delete;

    // The process-attribution thread. It reads other processes' /proc/PID/fd,
    // which a Landlock domain forbids: start it through sandbox::apply()'s
    // start_unconfined (or before any sandbox). No-op without attribution.
    void start_attribution();
    // The reverse-DNS thread, after the sandbox. Idempotent.
    void start_resolver();
    // Country, city and network of every remote address, from these
    // databases (opened before the sandbox); without them flows carry no
    // remote_geo.
    void set_geo(std::unique_ptr<geo::GeoDatabases> geo);
    [[nodiscard]] bool geo_active() const { return geo_ != nullptr; }
    [[nodiscard]] bool attributes() const { return attributor_ != nullptr; }
    [[nodiscard]] bool resolves() const { return resolver_ != nullptr; }
    // What process attribution cannot see (known from start-up on), one
    // sentence each; empty when it sees everything or is off.
    [[nodiscard]] std::vector<std::string> attribution_limitations() const;

    // Packet thread, on each new TCP/UDP flow: ask for its owner now, while
    // a short-lived process still holds the socket.
    void on_new_flow(const flow::FlowTable::Endpoints& flow);

    // Any thread (export writers): the process owning a live TCP/UDP flow
    // as attribution knows it now; null when unknown or not asked yet.
    [[nodiscard]] std::shared_ptr<const snapshot::ProcessInfo> owner_of(
        const flow::FlowTable::Endpoints& flow) const;

    // Any thread (export writers): where `address` is, without the packet
    // thread's cache; null when geo is off.
    [[nodiscard]] std::shared_ptr<const snapshot::GeoInfo> geo_of(const core::IpAddress& address) const;

    // Packet thread, for each snapshot.
    void enrich(snapshot::Snapshot& snap, const pipeline::Engine& engine) override;
    bool enrich_flow(snapshot::FlowRecord& flow, const pipeline::Engine& engine) override;

private:
    void attribute(snapshot::FlowRecord& flow);
    void inherit_owner(snapshot::FlowRecord& flow, const snapshot::Announcer& announcer) const;
    // An ended flow's owner, once found, is final: kept by end_sequence
    // and never looked up again while the flow stays in the history.
    bool settled_owner(snapshot::FlowRecord& flow) const;
    void settle_owner(const snapshot::FlowRecord& flow);
    void name_remote(snapshot::FlowRecord& flow, const pipeline::Engine& engine) const;
    // The remote's MAC and vendor: live from the neighbour table (read at
    // most every kNeighbourRefresh), for files from what the engine learned
    // of the frames' source MACs.
    void refresh_neighbours();
    [[nodiscard]] std::shared_ptr<const snapshot::LinkPeer> link_peer_of(const core::IpAddress& ip,
                                                                       const pipeline::Engine& engine);
    [[nodiscard]] bool is_own_query(const snapshot::FlowRecord& flow) const;

    bool live_;
    std::unique_ptr<host::ProcessAttributor> attributor_;
    std::unique_ptr<host::InterfaceStatsReader> interfaces_;
    std::unique_ptr<enrich::ReverseResolver> resolver_;
    std::unique_ptr<geo::GeoDatabases> geo_;
    std::unique_ptr<host::NeighbourTable> neighbours_;  // live only
    std::chrono::steady_clock::time_point neighbours_read_{};
    // One LinkPeer per MAC seen, so the vendor is looked up once; bounded.
    std::unordered_map<std::uint64_t, std::shared_ptr<const snapshot::LinkPeer>> link_peers_;
    std::vector<std::string> geo_missing_;  // kinds of database not found
    std::vector<std::string> notes_;  // helpers that could not start, and why
    struct EndedOwner {
        std::uint64_t end_sequence = 0;  // 0: free
        std::shared_ptr<const snapshot::ProcessInfo> process;
        snapshot::ProcessMatch match = snapshot::ProcessMatch::none;
        std::int64_t kernel_srtt_ns = -1;
    };
    // Indexed by end_sequence modulo its size; allocated with the first
    // owner found. Sequences are consecutive, so the newest ended flows
    // never collide while they fit.
    std::vector<EndedOwner> ended_owners_;
};

// The engine settings of a run: flow cap and DPI from the options; with a
// live `enricher` (null for files; it must outlive the engine) the machine's
// addresses, so flows are oriented local -> remote (files: by initiator), and
// the new-flow hook that asks for each flow's process.
pipeline::EngineOptions engine_options_for(const Options& options, SnapshotEnricher* enricher);

}  // namespace sockeye::app
