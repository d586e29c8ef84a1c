#include "pipeline/alerts.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <utility>

namespace sockeye::pipeline {
namespace {

std::string program_of(const snapshot::FlowRecord& f) { return f.process ? f.process->name : std::string(); }

// "example.com:8080" -> "example.com", "[2001:db8::1]:80" -> "2001:db8::1":
// an HTTP Host names the port too, which is not another destination.
std::string without_port(const std::string& host) {
    const auto colon = host.rfind(':');
    if (colon == std::string::npos || colon + 1 == host.size() ||
        host.find_first_not_of("0123456789", colon + 1) != std::string::npos)
        return host;
    if (host.front() == '[' && colon > 0 && host[colon - 1] == ']') return host.substr(1, colon - 2);
    if (host.find(':') != colon) return host;  // a bare IPv6 address
    return host.substr(0, colon);
}

// The destination a new_destination rule keys on; empty: the flow has none.
std::string destination_of(const snapshot::FlowRecord& f, DestinationKey by) {
    switch (by) {
        case DestinationKey::name:
            if (!f.remote_name.empty()) return f.remote_name;
            if (f.app && !f.app->domain.empty()) return without_port(f.app->domain);
            return f.destination_ip.to_string();
        case DestinationKey::asn:
            if (f.remote_geo && f.remote_geo->asn != 0) return "AS" + std::to_string(f.remote_geo->asn);
            return {};
        case DestinationKey::country:
            if (f.remote_geo && !f.remote_geo->country.empty()) return f.remote_geo->country;
            return {};
    }
    return {};
}

std::string ja4_of(const snapshot::FlowRecord& f) {
    if (!f.app) return {};
    const snapshot::AppField* field = f.app->find("ja4");
    return field != nullptr ? field->text : std::string();
}

double rate_of(const snapshot::FlowRecord& f) { return f.sent_bytes_per_s + f.received_bytes_per_s; }

// "12.5 MB/s": decimal units, as the tables show rates.
std::string rate_text(double bytes_per_s) {
    static constexpr const char* kUnits[] = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
    std::size_t unit = 0;
    while (bytes_per_s >= 1000 && unit + 1 < std::size(kUnits)) {
        bytes_per_s /= 1000;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", bytes_per_s, kUnits[unit]);
    return text;
}

std::string flow_subject(const snapshot::FlowRecord& f) {
    return std::to_string(f.ip_proto) + " " + f.source_ip.to_string() + " " +
           std::to_string(f.source_port) + " " + f.destination_ip.to_string() + " " +
           std::to_string(f.destination_port) + " " + std::to_string(f.first_seen_ns);
}

std::string listening_key(const snapshot::ListeningSocket& s) {
    return std::string(s.ip_proto == 6 ? "tcp" : "udp") + "/" +
           (s.address.is_v6() ? "[" + s.address.to_string() + "]" : s.address.to_string()) + ":" +
           std::to_string(s.port);
}

}  // namespace

std::string_view alert_condition_name(AlertCondition c) {
    switch (c) {
        case AlertCondition::new_destination: return "new_destination";
        case AlertCondition::new_ja4: return "new_ja4";
        case AlertCondition::rate_above: return "rate_above";
        case AlertCondition::listening: return "listening";
    }
    return "unknown";
}

AlertEngine::AlertEngine(std::vector<AlertRule> rules)
    : rules_(std::move(rules)), states_(rules_.size()) {
    for (const auto& r : rules_) {
        if (r.condition == AlertCondition::rate_above && r.per_program) wants_rates_ = true;
        if (r.filter_reads_process || r.condition != AlertCondition::listening) reads_program_ = true;
    }
}

bool AlertEngine::wanted(const AlertRule& rule, const snapshot::FlowRecord& f, std::int64_t now) const {
    return !rule.filter || rule.filter(f, now);
}

bool AlertEngine::speak(std::size_t r, const std::string& subject, std::int64_t now) {
    auto& quiet = states_[r].quiet_until;
    // Cooldowns that are over are forgotten now and then (a rule per flow
    // would otherwise keep one per flow it ever alerted on).
    if (quiet.size() >= kMaxRemembered)
        std::erase_if(quiet, [now](const auto& q) { return q.second <= now; });
    const auto it = quiet.find(subject);
    if (it != quiet.end() && now < it->second) return false;
    quiet[subject] = now + rules_[r].cooldown_ns;
    return true;
}

void AlertEngine::raise(std::size_t r, std::string detail, const snapshot::FlowRecord& flow,
                        double rate, std::int64_t now) {
    snapshot::Alert a;
    a.sequence = ++sequence_;
    a.ts_ns = now;
    a.rule = rules_[r].name;
    a.condition = std::string(alert_condition_name(rules_[r].condition));
    a.detail = std::move(detail);
    a.program = program_of(flow);
    a.rate = rate;
    a.flow = flow;
    recent_.push_back(std::move(a));
    while (recent_.size() > snapshot::kRecentAlerts) recent_.pop_front();
}

void AlertEngine::judge_new(std::size_t r, const snapshot::FlowRecord& f, std::int64_t now) {
    const AlertRule& rule = rules_[r];
    RuleState& state = states_[r];
    const snapshot::FlowId id = snapshot::FlowId::of(f);
    if (state.judged.contains(id)) return;
    std::string what = rule.condition == AlertCondition::new_ja4 ? ja4_of(f) : destination_of(f, rule.by);
    // No JA4 yet: the ClientHello may still come.
    if (what.empty() && rule.condition == AlertCondition::new_ja4 && f.end_sequence == 0) return;
    if (f.end_sequence == 0) state.judged.insert(id);
    if (what.empty() || !wanted(rule, f, now)) return;
    const std::string program = program_of(f);
    std::string key = program + '\n' + what;
    if (state.seen.contains(key) || state.seen.size() >= kMaxRemembered) return;
    state.seen.insert(std::move(key));
    if (speak(r, program, now)) raise(r, std::move(what), f, 0, now);
}

void AlertEngine::update_rates(const snapshot::Snapshot& snap) {
    if (!snap.delta) rates_.clear();
    for (const auto& f : snap.flows) {
        const snapshot::FlowId id = snapshot::FlowId::of(f);
        if (f.end_sequence != 0) {
            rates_.erase(id);
            continue;
        }
        rates_[id] = FlowRate{program_of(f), rate_of(f)};
    }
}

void AlertEngine::judge_rates(std::size_t r, const snapshot::Snapshot& snap) {
    const AlertRule& rule = rules_[r];
    if (!rule.per_program) {
        for (const auto& f : snap.flows) {
            if (f.end_sequence != 0) continue;
            const double rate = rate_of(f);
            if (rate <= rule.rate_above || !wanted(rule, f, snap.ts_ns)) continue;
            if (speak(r, flow_subject(f), snap.ts_ns)) raise(r, rate_text(rate), f, rate, snap.ts_ns);
        }
        return;
    }
    // The filter picks the flows that count; their programs' totals are
    // compared. A flow of each program over the threshold stands for it.
    std::unordered_map<std::string, double> totals;
    std::unordered_map<std::string, const snapshot::FlowRecord*> example;
    for (const auto& f : snap.flows) {
        if (f.end_sequence != 0 || !f.process || !wanted(rule, f, snap.ts_ns)) continue;
        example.emplace(f.process->name, &f);
    }
    for (const auto& [id, fr] : rates_)
        if (example.contains(fr.program)) totals[fr.program] += fr.bytes_per_s;
    for (const auto& [program, total] : totals) {
        if (total <= rule.rate_above) continue;
        if (speak(r, program, snap.ts_ns)) raise(r, rate_text(total), *example[program], total, snap.ts_ns);
    }
}

void AlertEngine::judge_listening(std::size_t r, const snapshot::Snapshot& snap) {
    for (const auto& s : snap.listening) {
        const std::string key = listening_key(s);
        if (listening_.contains(key)) continue;
        snapshot::FlowRecord f;
        f.ip_proto = s.ip_proto;
        f.protocol = s.ip_proto == 6 ? snapshot::FlowProtocol::tcp : snapshot::FlowProtocol::udp;
        f.source_ip = s.address;
        f.source_port = s.port;
        f.process = s.process;
        f.first_seen_ns = f.last_seen_ns = snap.ts_ns;
        if (!wanted(rules_[r], f, snap.ts_ns)) continue;
        if (speak(r, key, snap.ts_ns)) raise(r, key, f, 0, snap.ts_ns);
    }
}

void AlertEngine::evaluate(snapshot::Snapshot& snap) {
    const std::int64_t now = snap.ts_ns;
    if (wants_rates_) update_rates(snap);
    std::uint64_t last_ended = ended_judged_;
    for (const auto& f : snap.flows) {
        // An ended flow is judged in the first snapshot that lists it (the
        // watchers' list the whole history every time).
        if (f.end_sequence != 0) {
            if (f.end_sequence <= ended_judged_) continue;
            last_ended = std::max(last_ended, f.end_sequence);
        }
        if (reads_program_ && f.unattributed == snapshot::UnattributedReason::pending) {
            const snapshot::FlowId id = snapshot::FlowId::of(f);
            int& waited = waiting_[id];
            if (waited++ < kProcessWaits) continue;
            waiting_.erase(id);
        }
        for (std::size_t r = 0; r < rules_.size(); ++r) {
            const AlertCondition c = rules_[r].condition;
            if (c == AlertCondition::new_destination || c == AlertCondition::new_ja4) judge_new(r, f, now);
        }
    }
    for (std::size_t r = 0; r < rules_.size(); ++r) {
        if (rules_[r].condition == AlertCondition::rate_above) judge_rates(r, snap);
        if (rules_[r].condition == AlertCondition::listening && snap.listening_read && listening_read_)
            judge_listening(r, snap);
    }
    if (snap.listening_read) {
        listening_.clear();
        for (const auto& s : snap.listening) listening_.insert(listening_key(s));
        listening_read_ = true;
    }
    // Flows that ended, or that a complete snapshot no longer lists, are
    // judged no more.
    for (const auto& f : snap.flows) {
        if (f.end_sequence == 0) continue;
        const snapshot::FlowId id = snapshot::FlowId::of(f);
        waiting_.erase(id);
        for (auto& state : states_) state.judged.erase(id);
    }
    if (!snap.delta) {
        std::unordered_set<snapshot::FlowId, snapshot::FlowIdHash> listed;
        for (const auto& f : snap.flows)
            if (f.end_sequence == 0) listed.insert(snapshot::FlowId::of(f));
        for (auto& state : states_)
            std::erase_if(state.judged, [&](const auto& id) { return !listed.contains(id); });
        std::erase_if(waiting_, [&](const auto& w) { return !listed.contains(w.first); });
    }
    ended_judged_ = last_ended;
    snap.alerts.assign(recent_.begin(), recent_.end());
}

}  // namespace sockeye::pipeline
