// Alerts: the config file's [[alert]] rules, evaluated on the packet thread
// on every snapshot the pipeline takes (so they work headless, in every
// mode), after the enricher named the processes. New alerts get the next
// sequence number and join the list of recent ones every snapshot carries
// (Snapshot::alerts); the exports take the ones they have not had
// (ExportSet), the terminal UI lists them.
//
// Conditions:
// - new_destination: a program talks to a destination it has not talked to
//   before in this run. The destination is the remote's name (the name DNS
//   gave it, else the server name the flow asked for, else its address), or
//   with `by` its AS number or its country (flows without one do not count).
// - new_ja4: a program sends a TLS ClientHello whose JA4 it has not sent
//   before in this run.
// - rate_above: a flow (or with per_program, a program's flows together)
//   above a rate, both directions counted, as the tables show it.
// - listening: a port opens for listening on this host (TCP listeners and
//   bound UDP sockets, Snapshot::listening, live only); those open when the
//   first listing was read are the baseline, not alerts.
//
// The rule's filter (the filter language, compiled by app/) limits the flows
// it looks at; for listening it sees a record with the socket's process and
// its local address and port as source. Each flow is judged once per rule
// for the new_* conditions, at the first snapshot with what it needs (its
// process when the filter or the condition reads it: a live flow whose
// owner is being looked up waits up to kProcessWaits snapshots; the JA4).
//
// Cooldown: after an alert, a rule stays quiet for the same subject (the
// program for new_* and per-program rates, the flow for a flow's rate, the
// port for listening) for that long in packet time; what it sees meanwhile is
// remembered, not alerted later. Memory is bounded: each rule remembers at
// most kMaxRemembered destinations or JA4s, and says no more "new" ones
// after that.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "snapshot/flow_id.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::pipeline {

enum class AlertCondition : std::uint8_t { new_destination, new_ja4, rate_above, listening };
enum class DestinationKey : std::uint8_t { name, asn, country };

std::string_view alert_condition_name(AlertCondition c);  // "new_destination", ...

struct AlertRule {
    std::string name;
    AlertCondition condition = AlertCondition::new_destination;
    // Null: every flow. Called with the snapshot's packet time.
    std::function<bool(const snapshot::FlowRecord&, std::int64_t now_ns)> filter;
    bool filter_reads_process = false;
    DestinationKey by = DestinationKey::name;  // new_destination
    double rate_above = 0;                     // rate_above: bytes per second
    bool per_program = false;                  // rate_above: the program's flows together
    std::int64_t cooldown_ns = 60'000'000'000;
};

class AlertEngine {
public:
    explicit AlertEngine(std::vector<AlertRule> rules);

    // Raises the alerts `snap` calls for and sets snap.alerts to the recent
    // ones. A snapshot that is not a delta lists every active flow.
    void evaluate(snapshot::Snapshot& snap);

    [[nodiscard]] const std::vector<AlertRule>& rules() const { return rules_; }

    static constexpr int kProcessWaits = 2;
    static constexpr std::size_t kMaxRemembered = 65536;

private:
    struct RuleState {
        std::unordered_set<std::string> seen;  // program '\n' destination or JA4
        std::unordered_set<snapshot::FlowId, snapshot::FlowIdHash> judged;
        std::unordered_map<std::string, std::int64_t> quiet_until;  // subject -> packet time
    };
    struct FlowRate {
        std::string program;
        double bytes_per_s = 0;
    };

    void judge_new(std::size_t r, const snapshot::FlowRecord& f, std::int64_t now);
    void judge_rates(std::size_t r, const snapshot::Snapshot& snap);
    void judge_listening(std::size_t r, const snapshot::Snapshot& snap);
    void update_rates(const snapshot::Snapshot& snap);
    // True when the rule may speak for `subject` now (and starts its cooldown).
    bool speak(std::size_t r, const std::string& subject, std::int64_t now);
    void raise(std::size_t r, std::string detail, const snapshot::FlowRecord& flow, double rate,
               std::int64_t now);
    [[nodiscard]] bool wanted(const AlertRule& rule, const snapshot::FlowRecord& f,
                              std::int64_t now) const;

    std::vector<AlertRule> rules_;
    std::vector<RuleState> states_;
    // Live flows waiting for their process: snapshots waited.
    std::unordered_map<snapshot::FlowId, int, snapshot::FlowIdHash> waiting_;
    bool reads_program_ = false;  // some rule needs the flows' process
    // Every active flow's latest rate (per-program rates add them up).
    std::unordered_map<snapshot::FlowId, FlowRate, snapshot::FlowIdHash> rates_;
    bool wants_rates_ = false;
    // Ports listening in the previous listing, "tcp/[addr]:port".
    std::unordered_set<std::string> listening_;
    bool listening_read_ = false;
    std::uint64_t ended_judged_ = 0;  // ended flows up to this end_sequence were judged
    std::deque<snapshot::Alert> recent_;
    std::uint64_t sequence_ = 0;
};

}  // namespace sockeye::pipeline
