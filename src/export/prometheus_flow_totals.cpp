#include "export/prometheus_flow_totals.hpp"

#include <algorithm>
#include <bit>

#include "core/tuple_hash.hpp"

namespace sockeye::exports {
namespace {

// Growth from `counted` to `now`; a count that went down belongs to a new
// flow under the same key (cannot happen with first_seen in the key, but a
// counter must never be credited a negative amount).
std::uint64_t growth(std::uint64_t now, std::uint64_t counted) {
    return now >= counted ? now - counted : now;
}

// A word at a time: this runs for every flow of every snapshot.
std::uint64_t hash_of(const snapshot::FlowId& id) {
    std::uint64_t h = core::mix64(static_cast<std::uint64_t>(id.first_seen_ns) ^
                                  (std::uint64_t{id.generation} << 1));
    h = core::mix64(h ^ (std::uint64_t{id.ip_proto} << 48) ^ (std::uint64_t{id.vlan} << 32) ^
                    (std::uint64_t{id.source_port} << 16) ^ id.destination_port);
    h = core::fold_address(h, id.source_ip);
    return core::fold_address(h, id.destination_ip);
}

constexpr std::size_t kMinIndex = 16;

std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }

}  // namespace

std::size_t attribution_status_of(const snapshot::FlowRecord& f, bool attribution_active) {
    if (f.process) return 0;
    if (f.unattributed == snapshot::UnattributedReason::none) return attribution_active ? 1 : 2;
    return 2 + static_cast<std::size_t>(f.unattributed);
}

std::string_view attribution_status_name(std::size_t status) {
    if (status == 0) return "attributed";
    if (status == 1) return "unknown";
    if (status == 2) return "off";
    return snapshot::unattributed_reason_name(static_cast<snapshot::UnattributedReason>(status - 2));
}

void TrafficCounts::add(const TrafficCounts& other) {
    tx_bytes += other.tx_bytes;
    rx_bytes += other.rx_bytes;
    tx_packets += other.tx_packets;
    rx_packets += other.rx_packets;
}

std::string FlowTotals::process_label(const snapshot::ProcessInfo& process) {
    std::string label = !process.name.empty() ? process.name
                        : !process.comm.empty() ? process.comm
                                                : std::string("unknown");
    if (label == kOtherProcess) label += " (process)";
    return label;
}

std::size_t FlowTotals::FlowSet::slot_of(const snapshot::FlowId& id, std::uint64_t hash) const {
    const std::size_t mask = index_.size() - 1;
    const std::uint32_t tag = tag_of(hash);
    for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
        const Slot& s = index_[i];
        if (s.at == 0) return i;
        if (s.tag != tag) continue;
        const Entry& e = at(s.at - 1);
        if (e.hash == hash && e.id == id) return i;
    }
}

FlowTotals::FlowSeen& FlowTotals::FlowSet::visit(const snapshot::FlowId& id, std::uint64_t hash) {
    if ((size_ + 1) * 2 > index_.size()) reindex();
    Slot& slot = index_[slot_of(id, hash)];
    if (slot.at != 0) {
        Entry& e = at(slot.at - 1);
        e.round = round_;
        return e.seen;
    }
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<Entry[]>(kChunk));
    Entry& e = at(size_++);
    e = {hash, id, FlowSeen{}, round_};
    slot = {static_cast<std::uint32_t>(size_), tag_of(hash)};
    return e.seen;
}

template <typename Dropped>
void FlowTotals::FlowSet::end_round(bool complete, Dropped dropped) {
    // Between complete rounds only ended flows leave, and they wait until
    // they are a quarter of the entries: one pass over every entry then,
    // not one per round.
    if (complete || (ended_ != 0 && ended_ * 4 >= size_)) {
        std::size_t kept = 0;
        ended_ = 0;
        for (std::size_t n = 0; n < size_; ++n) {
            Entry& e = at(n);
            if (e.round != round_ && (complete || e.seen.ended)) {
                dropped(e.seen);
                continue;
            }
            if (e.seen.ended) ++ended_;
            if (kept != n) at(kept) = e;
            ++kept;
        }
        if (kept != size_) {
            size_ = kept;
            // Chunks well past what the flows need go back (after a flood).
            const std::size_t needed = (size_ + kChunk - 1) / kChunk;
            while (chunks_.size() > 2 * needed + 1) chunks_.pop_back();
            reindex();
        }
    }
    ++round_;
}

void FlowTotals::FlowSet::reindex() {
    const std::size_t want = std::max(kMinIndex, std::bit_ceil((size_ + 1) * 2));
    if (index_.size() < want || index_.size() > 4 * want) {
        index_.assign(want, Slot{});
    } else {
        std::fill(index_.begin(), index_.end(), Slot{});
    }
    const std::size_t mask = index_.size() - 1;
    for (std::size_t n = 0; n < size_; ++n) {
        const std::uint64_t hash = at(n).hash;
        std::size_t i = static_cast<std::size_t>(hash) & mask;
        while (index_[i].at != 0) i = (i + 1) & mask;
        index_[i] = {static_cast<std::uint32_t>(n + 1), tag_of(hash)};
    }
}

void FlowTotals::observe(const std::vector<snapshot::FlowRecord>& flows, bool complete,
                         bool attribution_active) {
    std::vector<ProcessTotals*> touched;
    for (const auto& flow : flows) {
        const snapshot::FlowId id = snapshot::FlowId::of(flow);
        FlowSeen& seen = flows_.visit(id, hash_of(id));
        count_growth(flow, seen, touched);
        classify(flow, seen);
        place(flow, seen, attribution_active);
        if (flow.end_reason != snapshot::EndReason::active && !seen.ended) {
            seen.ended = true;
            flows_.count_ended();
        }
    }
    // Flows that left were counted up to their last sighting.
    flows_.end_round(complete, [this](FlowSeen& seen) { unplace(seen); });
    // Rank with this round's growth, then credit it to the bucket each
    // process is in now.
    rank_top();
    for (const std::string& name : top_) {
        ProcessTotals& p = processes_.at(name);
        p.own.add(p.pending);
        p.pending = {};
    }
    for (ProcessTotals* p : touched) {
        other_.add(p->pending);  // zero for the top-N: credited just above
        p->pending = {};
        p->touched = false;
    }
}

void FlowTotals::count_growth(const snapshot::FlowRecord& flow, FlowSeen& seen,
                              std::vector<ProcessTotals*>& touched) {
    TrafficCounts delta;
    delta.tx_bytes = growth(flow.bytes_sent, seen.counted.tx_bytes);
    delta.rx_bytes = growth(flow.bytes_received, seen.counted.rx_bytes);
    delta.tx_packets = growth(flow.packets_sent, seen.counted.tx_packets);
    delta.rx_packets = growth(flow.packets_received, seen.counted.rx_packets);
    seen.counted = {flow.bytes_sent, flow.bytes_received, flow.packets_sent,
                    flow.packets_received};
    if (delta.bytes() == 0 && delta.tx_packets + delta.rx_packets == 0) return;
    if (limits_.countries) count_country(flow, delta);
    if (!flow.process) {
        unattributed_.add(delta);
        return;
    }
    std::string label = process_label(*flow.process);
    auto it = processes_.find(label);
    if (it == processes_.end()) {
        if (processes_.size() >= limits_.max_processes) {
            other_.add(delta);  // past the bound: never ranked, summed at once
            return;
        }
        it = processes_.emplace(std::move(label), ProcessTotals{}).first;
    }
    ProcessTotals& p = it->second;
    p.all_time.add(delta);
    p.pending.add(delta);
    if (!p.touched) {
        p.touched = true;
        touched.push_back(&p);
    }
}

std::string FlowTotals::country_label(const snapshot::FlowRecord& flow) {
    const snapshot::GeoInfo* geo = flow.remote_geo.get();
    if (geo == nullptr) return "unknown";
    if (geo->scope != core::AddressScope::public_) return std::string(core::scope_name(geo->scope));
    return geo->country.empty() ? std::string("unknown") : geo->country;
}

void FlowTotals::count_country(const snapshot::FlowRecord& flow, const TrafficCounts& delta) {
    std::string label = country_label(flow);
    auto it = countries_.find(label);
    if (it == countries_.end()) {
        // Past the bound (a database with odd codes): summed as "other".
        if (countries_.size() + 1 >= limits_.max_countries) label = std::string(kOtherProcess);
        it = countries_.try_emplace(std::move(label)).first;
    }
    it->second.add(delta);
}

void FlowTotals::place(const snapshot::FlowRecord& flow, FlowSeen& seen,
                       bool attribution_active) {
    unplace(seen);
    if (flow.end_reason != snapshot::EndReason::active) return;
    const auto protocol = static_cast<std::size_t>(flow.protocol);
    const auto state = static_cast<std::size_t>(flow.state);
    if (protocol < ActiveFlowCounts::kProtocols && state < ActiveFlowCounts::kStates) {
        ++active_.by_state[protocol][state];
        seen.protocol = static_cast<std::uint8_t>(protocol);
        seen.state = static_cast<std::uint8_t>(state);
    }
    const std::size_t status = attribution_status_of(flow, attribution_active);
    if (status < ActiveFlowCounts::kStatuses) {
        ++active_.by_status[status];
        seen.status = static_cast<std::uint8_t>(status);
    }
}

void FlowTotals::unplace(FlowSeen& seen) {
    if (seen.protocol != kNone) --active_.by_state[seen.protocol][seen.state];
    if (seen.status != kNone) --active_.by_status[seen.status];
    seen.protocol = seen.state = seen.status = kNone;
}

void FlowTotals::classify(const snapshot::FlowRecord& flow, FlowSeen& seen) {
    if (seen.classified || !flow.app || flow.app->protocol.empty()) return;
    seen.classified = true;
    auto it = classifications_.find(flow.app->protocol);
    if (it == classifications_.end()) {
        const bool room = classifications_.size() < limits_.max_applications;
        it = classifications_.emplace(room ? flow.app->protocol : std::string(kOtherProcess), 0)
                 .first;
    }
    ++it->second;
}

void FlowTotals::rank_top() {
    std::vector<std::pair<std::uint64_t, const std::string*>> ranked;
    ranked.reserve(processes_.size());
    for (const auto& [name, totals] : processes_) ranked.emplace_back(totals.all_time.bytes(), &name);
    const std::size_t n = std::min(limits_.top_processes, ranked.size());
    // Most bytes first; ties by name so the choice does not depend on hashing.
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                      [](const auto& a, const auto& b) {
                          return a.first != b.first ? a.first > b.first : *a.second < *b.second;
                      });
    top_.clear();
    for (std::size_t i = 0; i < n; ++i) top_.push_back(*ranked[i].second);
}

std::vector<FlowTotals::ProcessSeries> FlowTotals::process_series() const {
    std::vector<ProcessSeries> out;
    out.reserve(top_.size() + 1);
    for (const std::string& name : top_) out.push_back({name, processes_.at(name).own});
    if (other_.bytes() != 0 || other_.tx_packets + other_.rx_packets != 0)
        out.push_back({std::string(kOtherProcess), other_});
    return out;
}

}  // namespace sockeye::exports
