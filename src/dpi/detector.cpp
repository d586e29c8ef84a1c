// Per-flow DPI state and the probe driver (semantics in probe.hpp).
//
// State lives in a table indexed by the flow table's slot. A slot holds a
// serial (to notice reuse), a status and, only while a flow is being
// inspected, a heap FlowState with the stream buffers and the AppInfo under
// construction. Once a flow is classified and both directions are done, or
// given up on, the FlowState is freed and the slot only says "finished":
// later frames of that flow cost a bounds check and two compares.
#include "dpi/detector.hpp"

#include <algorithm>
#include <array>
#include <bit>

#include "dpi/expectations.hpp"
#include "dpi/name_table.hpp"
#include "dpi/registry.hpp"
#include "dpi/stream_reassembler.hpp"

namespace sockeye::dpi {
namespace {

using ProbeMask = std::uint64_t;
constexpr int kUnclassified = -1;

enum class SlotStatus : std::uint8_t { empty, active, finished };

struct Direction {
    explicit Direction(std::size_t cap) : stream(cap) {}
    StreamReassembler stream;    // TCP only
    std::uint32_t packets = 0;   // payload packets seen
    std::int64_t first_ts_ns = 0;
    ProbeMask candidates = 0;    // probes still possible (while unclassified)
    bool done = false;
};

struct FlowState {
    FlowState(Transport t, std::size_t cap, ProbeMask probes) : transport(t), dir{Direction(cap), Direction(cap)} {
        dir[0].candidates = probes;
        dir[1].candidates = probes;
    }
    Transport transport;
    std::uint16_t initiator_port = 0;
    std::uint16_t responder_port = 0;
    core::IpAddress initiator_ip;
    core::IpAddress responder_ip;  // the server a connection this flow announces defaults to
    std::array<Direction, 2> dir;  // [initiator, responder]
    ProbeMask hinted = 0;  // probes whose port hints name one of the flow's ports
    int classified = kUnclassified;  // registry index of the entry that classified the flow
    std::uint32_t packets_after_match = 0;
    // A stateful entry's parser for this flow (see FlowParser), the entry,
    // and the stateful entries that turned the flow down.
    std::unique_ptr<FlowParser> parser;
    int parser_entry = kUnclassified;
    ProbeMask parsers_rejected = 0;
    std::uint32_t parser_packets = 0;  // fed since the parser classified the flow
    // The initiator's SYN was seen, so the direction that sends payload
    // first is known for sure (a capture that starts mid-flow cannot tell).
    bool handshake_seen = false;
    snapshot::AppInfo info;
    bool dirty = false;
};

struct Slot {
    std::uint64_t serial = 0;
    SlotStatus status = SlotStatus::empty;
    std::unique_ptr<FlowState> state;
};

bool same_fields(const snapshot::AppInfo& a, const snapshot::AppInfo& b) {
    if (a.protocol != b.protocol || a.domain != b.domain || a.fields.size() != b.fields.size())
        return false;
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
        const auto& x = a.fields[i];
        const auto& y = b.fields[i];
        if (x.name != y.name || x.kind != y.kind || x.text != y.text || x.number != y.number ||
            x.list != y.list)
            return false;
    }
    return true;
}

}  // namespace

struct Detector::Impl {
    explicit Impl(DetectorConfig c)
        : config(c), names(c.max_dns_names), scratch(kProbeScratchBytes) {
        const auto probes = probe_registry();
        for (std::size_t i = 0; i < probes.size() && i < kMaxProbes; ++i) {
            const ProbeMask bit = ProbeMask{1} << i;
            const bool tcp = probes[i].transport == Transport::tcp;
            if (probes[i].stateful()) {
                (tcp ? tcp_parsers : udp_parsers) |= bit;
                continue;  // not a candidate of the stateless passes
            }
            (tcp ? tcp_probes : udp_probes) |= bit;
            for (const std::uint16_t port : probes[i].ports) {
                if (port == 0) continue;
                auto it = std::lower_bound(port_hints.begin(), port_hints.end(), port, port_less);
                if (it == port_hints.end() || it->port != port) it = port_hints.insert(it, PortHint{port, 0});
                it->probes |= bit;
            }
        }
    }

    struct PortHint {
        std::uint16_t port = 0;
        ProbeMask probes = 0;
    };
    static bool port_less(const PortHint& h, std::uint16_t p) { return h.port < p; }

    // The probes a port hints at: one binary search in a table built once,
    // instead of walking every probe's ports for each new flow.
    [[nodiscard]] ProbeMask hinted_by(std::uint16_t port) const {
        const auto it = std::lower_bound(port_hints.begin(), port_hints.end(), port, port_less);
        return it != port_hints.end() && it->port == port ? it->probes : 0;
    }

    std::shared_ptr<const snapshot::AppInfo> inspect(const FlowRef& flow,
                                                     const decode::DecodedFrame& frame);
    [[gnu::noinline]] std::shared_ptr<const snapshot::AppInfo> inspect_active(
        const FlowRef& flow, const decode::DecodedFrame& frame);
    Slot* slot_for(const FlowRef& flow);
    FlowState& state_for(Slot& slot, const FlowRef& flow, const decode::DecodedFrame& frame);
    bool feed_stream(FlowState& st, Direction& d, const decode::DecodedFrame& frame);
    ProbeContext context_for(const FlowState& st, int side, const decode::DecodedFrame& frame);
    bool run_parser(FlowState& st, const ProbeContext& ctx, std::span<const std::uint8_t> payload);
    void detect(FlowState& st, int side, ProbeContext ctx, std::span<const std::uint8_t> data);
    void follow(FlowState& st, int side, ProbeContext ctx, std::span<const std::uint8_t> data);
    void keep_learned_names();
    void keep_announced(const FlowState& st, const ProbeEntry& entry, std::int64_t ts_ns);
    std::shared_ptr<const snapshot::AppInfo> expected(Slot& slot, const FlowRef& flow,
                                                      const decode::DecodedFrame& frame);
    bool depth_reached(const Direction& d) const;
    void close_direction(Direction& d);
    std::shared_ptr<const snapshot::AppInfo> settle(Slot& slot);
    void finish(Slot& slot, bool gave_up);

    DetectorConfig config;
    NameTable names;
    DetectorStats stats;
    std::vector<Slot> slots;
    ProbeMask tcp_probes = 0;   // stateless entries
    ProbeMask udp_probes = 0;
    ProbeMask tcp_parsers = 0;  // stateful entries
    ProbeMask udp_parsers = 0;
    // What a probe call borrows: its scratch memory, and the names it
    // learnt, kept only when its result is.
    std::vector<std::uint8_t> scratch;
    std::vector<LearnedName> learned;
    std::vector<ExpectedFlow> announced;
    snapshot::AppInfo parser_probe_info;  // what a stateful entry's probe is given, stays empty
    ExpectationTable expectations;
    std::vector<PortHint> port_hints;  // sorted by port
};

Slot* Detector::Impl::slot_for(const FlowRef& flow) {
    if (flow.slot >= config.max_flows) return nullptr;
    if (flow.slot >= slots.size()) {
        // Grow on demand so a detector for a small capture stays small.
        const std::size_t want = std::max<std::size_t>(flow.slot + 1, slots.size() * 2);
        slots.resize(std::min(want, config.max_flows));
    }
    return &slots[flow.slot];
}

FlowState& Detector::Impl::state_for(Slot& slot, const FlowRef& flow,
                                     const decode::DecodedFrame& frame) {
    if (slot.status == SlotStatus::empty || slot.serial != flow.serial) {
        if (slot.state) finish(slot, false);  // the previous flow of this slot ended
        slot.serial = flow.serial;
        slot.status = SlotStatus::active;
    }
    if (!slot.state) {
        const bool tcp = frame.transport == decode::Transport::tcp;
        slot.state = std::make_unique<FlowState>(tcp ? Transport::tcp : Transport::udp,
                                                 tcp ? config.stream_prefix_bytes : 0,
                                                 tcp ? tcp_probes : udp_probes);
        FlowState& st = *slot.state;
        st.initiator_port = flow.from_initiator ? frame.src_port : frame.dst_port;
        st.responder_port = flow.from_initiator ? frame.dst_port : frame.src_port;
        st.initiator_ip = flow.from_initiator ? frame.src_ip : frame.dst_ip;
        st.responder_ip = flow.from_initiator ? frame.dst_ip : frame.src_ip;
        st.hinted = hinted_by(st.initiator_port) | hinted_by(st.responder_port);
        ++stats.live_states;
    }
    return *slot.state;
}

bool Detector::Impl::depth_reached(const Direction& d) const {
    return d.packets >= config.max_packets_per_direction || d.stream.full();
}

void Detector::Impl::close_direction(Direction& d) {
    d.done = true;
    stats.buffered_bytes -= d.stream.buffered_bytes();
    d.stream.release();
}

// Adds a TCP segment; true when the in-order prefix grew.
bool Detector::Impl::feed_stream(FlowState& st, Direction& d, const decode::DecodedFrame& frame) {
    (void)st;
    const std::size_t before = d.stream.buffered_bytes();
    if (stats.buffered_bytes + frame.payload.size() > config.max_buffer_bytes) {
        close_direction(d);
        return false;
    }
    const bool grew = d.stream.add(frame.tcp.seq, frame.tcp.flags, frame.payload);
    stats.buffered_bytes = stats.buffered_bytes - before + d.stream.buffered_bytes();
    return grew;
}

std::shared_ptr<const snapshot::AppInfo> Detector::inspect(const FlowRef& flow,
                                                           const decode::DecodedFrame& frame) {
    return impl_->inspect(flow, frame);
}

std::shared_ptr<const snapshot::AppInfo> Detector::Impl::inspect(
    const FlowRef& flow, const decode::DecodedFrame& frame) {
    // The common case, kept small so it stays a handful of instructions: a
    // flow whose inspection is over.
    if (flow.slot < slots.size()) {
        const Slot& s = slots[flow.slot];
        if (s.status == SlotStatus::finished && s.serial == flow.serial) return nullptr;
    }
    if (frame.transport != decode::Transport::tcp && frame.transport != decode::Transport::udp)
        return nullptr;
    return inspect_active(flow, frame);
}

std::shared_ptr<const snapshot::AppInfo> Detector::Impl::inspect_active(
    const FlowRef& flow, const decode::DecodedFrame& frame) {
    const bool tcp = frame.transport == decode::Transport::tcp;
    Slot* slot = slot_for(flow);
    if (slot == nullptr) return nullptr;
    const bool syn = tcp && (frame.tcp.flags & decode::tcp_flag::kSyn) != 0;
    if (frame.payload.empty() && !syn) return nullptr;
    if (!expectations.empty() && (slot->status == SlotStatus::empty || slot->serial != flow.serial)) {
        if (auto out = expected(*slot, flow, frame)) return out;
    }

    FlowState& st = state_for(*slot, flow, frame);
    if (syn && flow.from_initiator && (frame.tcp.flags & decode::tcp_flag::kAck) == 0)
        st.handshake_seen = true;
    ++stats.inspected_packets;
    const int side = flow.from_initiator ? 0 : 1;
    Direction& d = st.dir[static_cast<std::size_t>(side)];
    if (d.done) {
        if (!frame.payload.empty()) ++st.packets_after_match;
        return settle(*slot);
    }
    bool fresh_bytes = !frame.payload.empty();
    // A direction's first segment, in order: the probes read it where it
    // lies, and it is copied into the stream only if they want more (most
    // flows are told apart by their first segment, so most never allocate).
    const bool in_place = tcp && st.classified == kUnclassified &&
                          d.stream.starts_empty(frame.tcp.seq, frame.tcp.flags, frame.payload);
    if (in_place) {
        // The stream takes the segment after the probes ran (below).
    } else if (tcp) {
        const std::size_t before = d.stream.data().size();
        fresh_bytes = feed_stream(st, d, frame) && !d.done;
        // Growth past the detection window shows an unclassified flow's
        // probes nothing new: no probe call, and the direction is exhausted.
        if (st.classified == kUnclassified && before >= config.detection_window_bytes) {
            fresh_bytes = false;
            close_direction(d);
        }
    }
    if (frame.payload.empty()) return nullptr;
    ++d.packets;
    if (d.first_ts_ns == 0) d.first_ts_ns = frame.ts_ns;
    if (st.classified != kUnclassified) ++st.packets_after_match;

    const bool parsers = (tcp ? tcp_parsers : udp_parsers) != 0 &&
                         (st.classified == kUnclassified || st.classified == st.parser_entry);
    if (parsers || fresh_bytes) {
        const ProbeContext ctx = context_for(st, side, frame);
        if (parsers && run_parser(st, ctx, frame.payload)) return settle(*slot);
        if (fresh_bytes) {
            const auto data = tcp && !in_place ? d.stream.data() : frame.payload;
            if (st.classified == kUnclassified) {
                const auto window =
                    tcp ? data.first(std::min(data.size(), config.detection_window_bytes)) : data;
                detect(st, side, ctx, window);
            } else {
                follow(st, side, ctx, data);
            }
        }
    }
    if (in_place && !d.done) feed_stream(st, d, frame);
    if (!d.done && depth_reached(d)) close_direction(d);
    return settle(*slot);
}

// What a probe or parser call gets for this packet of `side` (the
// packet's direction has already been counted).
ProbeContext Detector::Impl::context_for(const FlowState& st, int side,
                                         const decode::DecodedFrame& frame) {
    ProbeContext ctx;
    ctx.transport = st.transport;
    ctx.from_initiator = side == 0;
    ctx.initiator_port = st.initiator_port;
    ctx.responder_port = st.responder_port;
    ctx.packet_index = st.dir[static_cast<std::size_t>(side)].packets - 1;
    ctx.ts_ns = frame.ts_ns;
    ctx.peer_first_ts_ns = st.dir[static_cast<std::size_t>(1 - side)].first_ts_ns;
    ctx.truncated = frame.cap_len < frame.wire_len;
    ctx.scratch = scratch;
    ctx.learned_names = &learned;
    ctx.expected_flows = &announced;
    return ctx;
}

// A stateful entry's parser, made for the flow when that entry's probe
// says the flow may be its protocol, sees each payload packet before the
// stateless probes. True when a parser owns this packet (the stateless
// probes are not tried on it).
bool Detector::Impl::run_parser(FlowState& st, const ProbeContext& ctx,
                                std::span<const std::uint8_t> payload) {
    const auto probes = probe_registry();
    if (!st.parser) {
        const ProbeMask open = (st.transport == Transport::tcp ? tcp_parsers : udp_parsers) &
                               ~st.parsers_rejected;
        for (ProbeMask left = open; left != 0 && !st.parser; left &= left - 1) {
            const auto i = static_cast<std::size_t>(std::countr_zero(left));
            // The probe only answers "may be"; it writes nothing.
            if (probes[i].fn(ctx, payload, parser_probe_info) == Verdict::no_match) continue;
            st.parser = probes[i].make_parser();
            st.parser_entry = static_cast<int>(i);
        }
        if (!st.parser) return false;
    }
    // The parser writes into the flow's AppInfo directly: it leaves it
    // untouched on no_match and says when it changed it, so no copy of the
    // AppInfo is made per packet.
    const Verdict v = st.parser->parse(ctx, payload, st.info);
    if (v == Verdict::no_match) {
        st.parser.reset();
        st.parsers_rejected |= ProbeMask{1} << st.parser_entry;
        // A flow this parser classified stays classified; settle() ends it.
        return st.classified == st.parser_entry;
    }
    if (st.parser->info_changed()) st.dirty = true;
    if (is_match(v) && st.classified == kUnclassified) {
        st.classified = st.parser_entry;
        st.info.protocol = std::string(probes[static_cast<std::size_t>(st.parser_entry)].name);
        st.dirty = true;
        ++stats.classified_flows;
    }
    return true;
}

void Detector::Impl::keep_learned_names() {
    for (const LearnedName& n : learned) names.add(n.address, n.name);
    learned.clear();
}

void Detector::Impl::keep_announced(const FlowState& st, const ProbeEntry& entry,
                                    std::int64_t ts_ns) {
    if (!entry.expects.empty()) {
        const ExpectationTable::Expected expected{
            entry.expects,
            snapshot::Announcer{st.initiator_ip, st.responder_ip, st.initiator_port, st.responder_port}};
        for (const ExpectedFlow& e : announced)
            expectations.add(e.address.value_or(st.responder_ip), e.port, expected, ts_ns);
    }
    announced.clear();
}

// A new flow that another flow announced is classified by that, at its
// first packet, with nothing left to inspect. Either side may be the one
// announced: live flows are oriented local -> remote, not by who opened them.
std::shared_ptr<const snapshot::AppInfo> Detector::Impl::expected(Slot& slot, const FlowRef& flow,
                                                                 const decode::DecodedFrame& frame) {
    auto expected = expectations.take(frame.dst_ip, frame.dst_port, frame.ts_ns);
    if (!expected) expected = expectations.take(frame.src_ip, frame.src_port, frame.ts_ns);
    if (!expected) return nullptr;
    slot.serial = flow.serial;
    ++stats.classified_flows;
    finish(slot, false);  // also frees what the slot's previous flow left
    auto info = std::make_shared<snapshot::AppInfo>();
    info->protocol = std::string(expected->protocol);
    info->announced_by = expected->announcer;
    return info;
}

void Detector::Impl::detect(FlowState& st, int side, ProbeContext ctx,
                            std::span<const std::uint8_t> data) {
    Direction& d = st.dir[static_cast<std::size_t>(side)];
    const auto probes = probe_registry();
    // Unclassified, so st.info is still empty: one empty AppInfo serves every
    // probe, emptied again only when a probe left something in it.
    ctx.phase = Phase::detecting;
    snapshot::AppInfo found;
    // Two passes over the candidates: those hinted by the ports, then the rest.
    for (const ProbeMask pass : {d.candidates & st.hinted, d.candidates & ~st.hinted}) {
        for (ProbeMask left = pass; left != 0; left &= left - 1) {
            const auto i = static_cast<std::size_t>(std::countr_zero(left));
            const ProbeMask bit = ProbeMask{1} << i;
            if (!found.domain.empty() || !found.fields.empty()) found = snapshot::AppInfo{};
            learned.clear();
            announced.clear();
            const Verdict v = probes[i].fn(ctx, data, found);
            if (v == Verdict::no_match) {
                d.candidates &= ~bit;
            } else if (is_match(v)) {
                st.classified = static_cast<int>(i);
                st.info = std::move(found);
                st.info.protocol = std::string(probes[i].name);
                st.dirty = true;
                keep_learned_names();
                keep_announced(st, probes[i], ctx.ts_ns);
                ++stats.classified_flows;
                if (v == Verdict::match) close_direction(d);
                return;
            }
        }
    }
    learned.clear();
    announced.clear();
    if (d.candidates == 0) close_direction(d);
}

void Detector::Impl::follow(FlowState& st, int side, ProbeContext ctx,
                            std::span<const std::uint8_t> data) {
    Direction& d = st.dir[static_cast<std::size_t>(side)];
    const auto& probe = probe_registry()[static_cast<std::size_t>(st.classified)];
    ctx.phase = Phase::following;
    snapshot::AppInfo updated = st.info;
    learned.clear();
    announced.clear();
    const Verdict v = probe.fn(ctx, data, updated);
    if (v != Verdict::no_match && !same_fields(updated, st.info)) {
        st.info = std::move(updated);
        st.dirty = true;
        keep_learned_names();
    }
    // Announcements count whenever the probe's answer stands (announcing
    // an endpoint again only refreshes it).
    if (v != Verdict::no_match) keep_announced(st, probe, ctx.ts_ns);
    learned.clear();
    announced.clear();
    if (v == Verdict::match || v == Verdict::no_match) close_direction(d);
}

// Publishes a changed AppInfo and frees the state of a flow with nothing
// left to learn.
std::shared_ptr<const snapshot::AppInfo> Detector::Impl::settle(Slot& slot) {
    FlowState& st = *slot.state;
    std::shared_ptr<const snapshot::AppInfo> out;
    if (st.dirty && st.classified != kUnclassified) {
        st.dirty = false;
        out = std::make_shared<const snapshot::AppInfo>(st.info);
    }
    const bool both_done = st.dir[0].done && st.dir[1].done;
    if (st.classified == kUnclassified) {
        // Unclassified: give up once a direction used its depth without a
        // match, or no probe is left for either direction.
        const bool exhausted = (st.dir[0].done && st.dir[0].candidates != 0) ||
                               (st.dir[1].done && st.dir[1].candidates != 0);
        // The initiator spoke first and every probe turned its bytes away:
        // a client-first protocol would have matched them, and a
        // server-first one does not start with the client talking, so the
        // responder's bytes are not worth a run of every probe (on bulk
        // traffic that run was a third of DPI's cost).
        const bool client_first_unknown =
            st.dir[0].done && st.dir[0].candidates == 0 && st.dir[1].packets == 0;
        // The mirror case once the handshake was seen: the responder spoke
        // first, so a server-first protocol would have matched its bytes,
        // and a client-first one does not start with the server talking
        // (bulk downloads were paying for a second run of every probe).
        // Without the SYN the "responder" may be a mid-flow server whose
        // client is about to send a recognisable request: keep waiting.
        const bool server_first_unknown = st.handshake_seen && st.dir[1].done &&
                                          st.dir[1].candidates == 0 && st.dir[0].packets == 0;
        if (both_done || exhausted || client_first_unknown || server_first_unknown)
            finish(slot, true);
    } else if (st.classified == st.parser_entry) {
        const std::uint32_t budget = probe_registry()[static_cast<std::size_t>(st.classified)].max_packets;
        if (!st.parser || st.parser->finished() || ++st.parser_packets > budget)
            finish(slot, false);
    } else if (both_done || st.packets_after_match > 2 * config.max_packets_per_direction) {
        finish(slot, false);
    }
    return out;
}

void Detector::Impl::finish(Slot& slot, bool gave_up) {
    if (slot.state) {
        for (auto& d : slot.state->dir) stats.buffered_bytes -= d.stream.buffered_bytes();
        slot.state.reset();
        --stats.live_states;
    }
    if (gave_up) ++stats.gave_up_flows;
    slot.status = SlotStatus::finished;
}

Detector::Detector(DetectorConfig config) : impl_(std::make_unique<Impl>(config)) {}
Detector::~Detector() = default;

std::vector<std::string> Detector::names_for(const core::IpAddress& address) const {
    return impl_->names.names_for(address);
}

const DetectorStats& Detector::stats() const { return impl_->stats; }

}  // namespace sockeye::dpi
