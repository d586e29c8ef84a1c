#include "pipeline/engine.hpp"

#include <algorithm>
#include <bit>
#include <string>
#include <utility>

namespace sockeye::pipeline {
namespace {

constexpr std::int64_t kTickEveryNs = 1'000'000'000;
// The graph's history: ten minutes at the default interval of one second.
constexpr std::size_t kTrafficSamples = 600;
// More link types than any real capture mixes.
constexpr std::size_t kMaxLinkTypes = 16;

dpi::DetectorConfig detector_config(const flow::FlowTableConfig& flows) {
    dpi::DetectorConfig config;
    config.max_flows = flows.max_active_flows;
    return config;
}

}  // namespace

Engine::Engine(int link_type, EngineOptions options)
    : decoder_(link_type),
      table_(options.flows),
      detector_(options.dpi ? std::make_unique<dpi::Detector>(detector_config(options.flows))
                            : nullptr),
      on_new_flow_(std::move(options.on_new_flow)),
      traffic_(options.traffic_interval_ns, kTrafficSamples),
      link_addresses_(options.learn_link_addresses ? std::make_unique<LinkAddressBook>() : nullptr) {}

const decode::Decoder& Engine::other_decoder_for(int link_type) {
    for (const auto& d : other_decoders_)
        if (d.link_type() == link_type) return d;
    if (other_decoders_.size() < kMaxLinkTypes) return other_decoders_.emplace_back(link_type);
    spare_decoder_ = decode::Decoder(link_type);
    return spare_decoder_;
}

void Engine::process(const core::RawFrame& frame) {
    decoder_for(frame.link_type).decode(frame, frame_);
    account(frame, frame_, table_.observe(frame_));
}

void Engine::prepare(std::span<const core::RawFrame> frames) {
    const std::size_t n = std::min(frames.size(), kBatch);
    for (std::size_t i = 0; i < n; ++i) {
        const int link_type = frames[i].link_type;
        // Only the source's own decoder: another link type would be
        // remembered (snapshot source.link_type) before its frame counts.
        prepared_[i] = link_type == core::RawFrame::kSourceLinkType ||
                       link_type == decoder_.link_type();
        if (!prepared_[i]) continue;
        decoder_.decode(frames[i], batch_[i]);
        table_.look_ahead(batch_[i], lookahead_[i]);
    }
    // By now the first buckets have arrived: ask for the entries they name.
    for (std::size_t i = 0; i < n; ++i)
        if (prepared_[i]) table_.prefetch(lookahead_[i]);
}

void Engine::process_prepared(std::size_t i, const core::RawFrame& frame) {
    if (i >= kBatch || !prepared_[i]) {
        process(frame);
        return;
    }
    account(frame, batch_[i], table_.observe(batch_[i], lookahead_[i]));
}

void Engine::account(const core::RawFrame& frame, const decode::DecodedFrame& decoded,
                     const flow::FlowHandle& flow) {
    ++counters_.packets;
    counters_.bytes += decoded.wire_len;
    if (decoded.anomalies != 0) count_anomalies(decoded.anomalies);
    if (decoded.is_fragment) ++counters_.ip_fragments;
    if (link_addresses_) link_addresses_->observe(decoded);
    last_flow_ = flow;
    if (!flow) {
        ++counters_.unattributed;
        finish_frame(frame);
        return;
    }
    // Packet time never moves backwards for the engine (see finish_frame).
    traffic_.add(std::max(frame.ts_ns, last_ts_ns_), decoded.wire_len, flow.from_source);
    // ICMP too: an echo flow (identifier in its ports) can be attributed.
    if (flow.created && on_new_flow_ &&
        (decoded.transport == decode::Transport::tcp || decoded.transport == decode::Transport::udp ||
         decoded.transport == decode::Transport::icmp ||
         decoded.transport == decode::Transport::icmpv6)) {
        flow::FlowTable::Endpoints ends;
        if (table_.endpoints(flow, ends)) on_new_flow_(ends);
    }
    if (!frame.comment.empty()) {
        flow::FlowTable::Endpoints ends;
        if (table_.endpoints(flow, ends)) recorded_owners_.observe(frame.comment, ends);
    }
    if (detector_ && (decoded.transport == decode::Transport::tcp ||
                      decoded.transport == decode::Transport::udp)) {
        auto app = detector_->inspect({flow.slot, flow.serial, flow.from_initiator}, decoded);
        if (app) {
            remember_app(flow, app);
            table_.attach_app(flow, std::move(app));
        }
    }
    finish_frame(frame);
}

void Engine::finish_frame(const core::RawFrame& frame) {
    // Capture files can hold slightly out-of-order timestamps; time never
    // moves backwards for the engine.
    if (frame.ts_ns > last_ts_ns_) last_ts_ns_ = frame.ts_ns;
    if (last_ts_ns_ >= next_tick_ns_) tick(last_ts_ns_);
}

void Engine::remember_app(const flow::FlowHandle& flow,
                          const std::shared_ptr<const snapshot::AppInfo>& app) {
    if (flow.slot >= slot_apps_.size()) slot_apps_.resize(std::size_t{flow.slot} + 1);
    slot_apps_[flow.slot] = {flow.serial, app};
}

bool Engine::flow_annotation(const flow::FlowHandle& handle, FlowAnnotation& out) const {
    if (!handle || !table_.endpoints(handle, out.endpoints)) return false;
    out.app.reset();
    if (handle.slot < slot_apps_.size() && slot_apps_[handle.slot].serial == handle.serial)
        out.app = slot_apps_[handle.slot].app;
    return true;
}

bool Engine::flow_record(const flow::FlowHandle& handle, snapshot::FlowRecord& out) const {
    if (!table_.record(handle, last_ts_ns_, out)) return false;
    recorded_owners_.apply_flow(out);
    return true;
}

std::optional<MacAddress> Engine::link_address_of(const core::IpAddress& address) const {
    if (!link_addresses_) return std::nullopt;
    return link_addresses_->mac_of(address);
}

std::vector<std::string> Engine::sniffed_names(const core::IpAddress& address) const {
    if (!detector_) return {};
    return detector_->names_for(address);
}

void Engine::tick(std::int64_t now_ns) {
    table_.expire(now_ns);
    traffic_.advance(now_ns);
    next_tick_ns_ = now_ns + kTickEveryNs;
}

void Engine::count_anomalies(std::uint32_t mask) {
    while (mask != 0) {
        const auto bit = static_cast<std::size_t>(std::countr_zero(mask));
        ++anomaly_counts_[bit];
        mask &= mask - 1;
    }
}

void Engine::for_each_flow(const std::function<void(snapshot::FlowRecord&)>& visit) const {
    table_.for_each_record(last_ts_ns_, [&](snapshot::FlowRecord& r) {
        recorded_owners_.apply_flow(r);
        visit(r);
    });
}

snapshot::Snapshot Engine::snapshot(bool flows, std::uint64_t ended_after,
                                    flow::ActiveSince active) const {
    snapshot::Snapshot snap;
    snap.ts_ns = last_ts_ns_;
    snap.counters = counters_;
    snap.traffic = traffic_.samples();
    if (flows) {
        table_.snapshot_into(snap, last_ts_ns_, ended_after, active);
    } else {
        table_.fill_counters(snap.counters);
    }
    recorded_owners_.apply(snap);
    for (std::size_t i = 0; i < anomaly_counts_.size(); ++i) {
        if (anomaly_counts_[i] == 0) continue;
        snap.anomalies.emplace_back(
            std::string(decode::anomaly_name(static_cast<decode::Anomaly>(i))), anomaly_counts_[i]);
    }
    // Several link types (a merged pcapng) are listed in order of appearance.
    snap.source.link_type = decode::Decoder::link_type_name(decoder_.link_type());
    for (const auto& d : other_decoders_)
        snap.source.link_type += "," + decode::Decoder::link_type_name(d.link_type());
    return snap;
}

}  // namespace sockeye::pipeline
