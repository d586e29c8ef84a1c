// Cumulative traffic per process (and DPI classifications per application)
// from successive snapshots, for the Prometheus counters.
//
// A snapshot only holds the flows that are open or ended recently, so summing
// the flows of each snapshot would make a process's bytes drop when its flows
// fall off the history. Instead each flow's counts are remembered, and only
// what grew since the previous snapshot is added to its owner's totals:
// totals never go down, closed flows' bytes stay counted.
//
// The same per-flow memory keeps the active-flow gauges (by protocol and
// state, by attribution status): each flow's bucket is remembered, so a
// snapshot that carries only the flows that changed (Snapshot::delta)
// updates the counts, and a flow absent from it stays counted where it was.
// A complete snapshot (a keyframe) also drops the flows it does not carry.
//
// Label cardinality is bounded: the `top_processes` processes with the most
// bytes (all time) get their own series, the rest are summed as "other".
// So that every series stays monotonic while the top-N changes, growth is
// credited to the bucket its process is in when it is counted: a process
// that enters the top-N starts its own series then (its earlier bytes stay
// in "other"), one that leaves it stops showing and its growth goes to
// "other"; if it comes back its series continues from where it stopped.
//
// Per-country totals (Limits::countries, --metrics-countries) sum the same
// growth by where each flow's remote is: its ISO country code from the geo
// databases, the range of an address never looked up ("private",
// "loopback", "link-local", ...), or "unknown" (no databases, or they do not
// say). Off by default for its cardinality: a few hundred codes at most,
// bounded by max_countries (past it: "other").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "snapshot/flow_id.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::exports {

struct TrafficCounts {
    std::uint64_t tx_bytes = 0, rx_bytes = 0;      // tx: source -> destination (live: sent)
    std::uint64_t tx_packets = 0, rx_packets = 0;  // rx: destination -> source (live: received)
    [[nodiscard]] std::uint64_t bytes() const { return tx_bytes + rx_bytes; }
    void add(const TrafficCounts& other);
};

// The label of the bucket that sums every process outside the top-N.
constexpr std::string_view kOtherProcess = "other";

// Active flows by protocol x state and by attribution status.
struct ActiveFlowCounts {
    static constexpr std::size_t kProtocols = 6;  // snapshot::FlowProtocol
    static constexpr std::size_t kStates = 11;    // snapshot::FlowState
    static_assert(static_cast<std::size_t>(snapshot::FlowProtocol::other) + 1 == kProtocols);
    static_assert(static_cast<std::size_t>(snapshot::FlowState::active) + 1 == kStates);
    // "attributed", "unknown", "off", then one per UnattributedReason but none.
    static constexpr std::size_t kStatuses = 8;
    static_assert(static_cast<std::size_t>(snapshot::UnattributedReason::pending) + 3 == kStatuses);
    std::array<std::array<std::uint64_t, kStates>, kProtocols> by_state{};  // [protocol][state]
    std::array<std::uint64_t, kStatuses> by_status{};
};

// The index into ActiveFlowCounts::by_status of an active flow. "off":
// capture files and --no-processes; "unknown": not looked up yet.
std::size_t attribution_status_of(const snapshot::FlowRecord& f, bool attribution_active);
// "attributed", "unknown", "off", "offline", "not_local", ...
std::string_view attribution_status_name(std::size_t status);

class FlowTotals {
public:
    struct Limits {
        std::size_t top_processes = 20;
        // Distinct process names remembered; growth of names past it goes to "other".
        std::size_t max_processes = 4096;
        // Distinct application names; more go to "other".
        std::size_t max_applications = 64;
        // Totals per remote country (see above), with at most this many labels.
        bool countries = false;
        std::size_t max_countries = 300;
    };

    FlowTotals() : FlowTotals(Limits{}) {}
    explicit FlowTotals(Limits limits) : limits_(limits) {}

    // Adds the growth of every flow since the previous call. `complete`:
    // `flows` holds every active flow (flows not in it are gone); else only
    // those that changed (the others keep their counts and buckets).
    // `attribution_active` tells "unknown" from "off" for flows with
    // neither a process nor a reason.
    void observe(const std::vector<snapshot::FlowRecord>& flows, bool complete = true,
                 bool attribution_active = false);
    // The active flows as of the last observe().
    [[nodiscard]] const ActiveFlowCounts& active() const { return active_; }
    // Flows remembered (active, or ended and seen in the last call).
    [[nodiscard]] std::size_t tracked() const { return flows_.size(); }

    struct ProcessSeries {
        std::string process;
        TrafficCounts counts;
    };
    // The current top-N (most bytes first), then "other" once it counted anything.
    [[nodiscard]] std::vector<ProcessSeries> process_series() const;
    // Flow traffic with no owning process (capture files, not local, ...).
    [[nodiscard]] const TrafficCounts& unattributed() const { return unattributed_; }
    // Distinct process names seen (at most Limits::max_processes).
    [[nodiscard]] std::size_t process_count() const { return processes_.size(); }
    // Flow traffic per remote country (Limits::countries), by label.
    [[nodiscard]] const std::map<std::string, TrafficCounts>& countries() const { return countries_; }
    // The label a flow's remote gets in countries().
    static std::string country_label(const snapshot::FlowRecord& flow);
    // Flows DPI classified, per application protocol, each flow counted once.
    [[nodiscard]] const std::map<std::string, std::uint64_t>& classifications() const {
        return classifications_;
    }

    // The label a flow's process gets: its name, else comm, else "unknown";
    // a process really named "other" is told apart from the bucket.
    static std::string process_label(const snapshot::ProcessInfo& process);

private:
    static constexpr std::uint8_t kNone = 0xFF;
    struct FlowSeen {
        TrafficCounts counted;  // what was already added to a total
        bool classified = false;
        bool ended = false;     // its ended record came: forgotten once absent
        // Where it counts in active_ (kNone: nowhere, e.g. ended).
        std::uint8_t protocol = kNone, state = kNone, status = kNone;
    };
    // The flows of the last observe(), each with what was counted of it:
    // open addressing over entries kept in fixed-size chunks, so a round
    // costs no allocation per flow and the set grows without reallocating
    // (and leaving behind) one block of megabytes. Flows that left the
    // snapshot are dropped in one sequential pass at the end of the round,
    // not erased one by one.
    class FlowSet {
    public:
        // The entry of `id` (added as new when absent), marked seen in
        // this round.
        FlowSeen& visit(const snapshot::FlowId& id, std::uint64_t hash);
        // Drops the entries the round did not visit, all of them when
        // `complete`, else those that ended (at times, not every round:
        // the pass is over every entry); `dropped` sees each one first.
        // The next round begins.
        template <typename Dropped>
        void end_round(bool complete, Dropped dropped);
        // An entry of this round whose flow ended.
        void count_ended() { ++ended_; }
        [[nodiscard]] std::size_t size() const { return size_; }

    private:
        struct Entry {
            std::uint64_t hash = 0;
            snapshot::FlowId id;
            FlowSeen seen;
            std::uint32_t round = 0;
        };
        // A place of the index: the entry + 1 (0 = free) and the upper half
        // of its hash, so most probes need not read the entry itself.
        struct Slot {
            std::uint32_t at = 0;
            std::uint32_t tag = 0;
        };
        [[nodiscard]] std::size_t slot_of(const snapshot::FlowId& id, std::uint64_t hash) const;
        // Rebuilds the index for the entries, at most half full.
        void reindex();

        static constexpr std::size_t kChunkShift = 9;  // 512 entries a chunk
        static constexpr std::size_t kChunk = std::size_t{1} << kChunkShift;
        Entry& at(std::size_t n) { return chunks_[n >> kChunkShift][n & (kChunk - 1)]; }
        [[nodiscard]] const Entry& at(std::size_t n) const {
            return chunks_[n >> kChunkShift][n & (kChunk - 1)];
        }

        std::vector<std::unique_ptr<Entry[]>> chunks_;
        std::size_t size_ = 0;  // entries in use, the first ones of the chunks
        std::vector<Slot> index_;  // a power of two long
        std::uint32_t round_ = 1;
        std::size_t ended_ = 0;  // entries marked ended since the last pass
    };

    struct ProcessTotals {
        TrafficCounts all_time;  // ranks the top-N
        TrafficCounts own;       // credited while in the top-N: its own series
        TrafficCounts pending;   // growth of this round, not credited yet
        bool touched = false;
    };

    void count_growth(const snapshot::FlowRecord& flow, FlowSeen& seen,
                      std::vector<ProcessTotals*>& touched);
    void classify(const snapshot::FlowRecord& flow, FlowSeen& seen);
    void count_country(const snapshot::FlowRecord& flow, const TrafficCounts& delta);
    // Moves the flow's place in active_ to where its record puts it.
    void place(const snapshot::FlowRecord& flow, FlowSeen& seen, bool attribution_active);
    void unplace(FlowSeen& seen);
    void rank_top();

    Limits limits_;
    FlowSet flows_;
    std::unordered_map<std::string, ProcessTotals> processes_;
    std::vector<std::string> top_;  // current top-N, most bytes first
    TrafficCounts other_;
    TrafficCounts unattributed_;
    std::map<std::string, std::uint64_t> classifications_;
    std::map<std::string, TrafficCounts> countries_;
    ActiveFlowCounts active_;
};

}  // namespace sockeye::exports
