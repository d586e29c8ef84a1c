#include "app/where.hpp"

#include <utility>

namespace sockeye::app {

core::Result<std::unique_ptr<pipeline::FlowSelection>> where_selection(const Options& options,
                                                                      pipeline::Enricher* enricher) {
    if (options.where.empty()) return std::unique_ptr<pipeline::FlowSelection>();
    auto compiled = filter::compile(options.where);
    if (!compiled) return core::Error{compiled.error().code, "--where: " + compiled.error().message};
    filter::Filter where = std::move(compiled).value();
    if (where.matches_everything()) return std::unique_ptr<pipeline::FlowSelection>();
    const bool reads_process = where.reads_process();
    // Frames of a flow are judged on its record; what only the enricher
    // adds costs a lookup per flow, so it is asked only when read.
    pipeline::Enricher* completes = where.reads_enrichment() ? enricher : nullptr;
    return std::make_unique<pipeline::FlowSelection>(
        [where = std::move(where)](const snapshot::FlowRecord& flow, std::int64_t now_ns) {
            return where.matches_at(flow, now_ns);
        },
        reads_process, completes);
}

core::Result<std::unique_ptr<pipeline::AlertEngine>> alert_engine(const Options& options) {
    if (options.alerts.empty()) return std::unique_ptr<pipeline::AlertEngine>();
    std::vector<pipeline::AlertRule> rules;
    for (const AlertConfig& a : options.alerts) {
        pipeline::AlertRule rule;
        rule.name = a.name;
        if (a.condition == "new_destination") rule.condition = pipeline::AlertCondition::new_destination;
        else if (a.condition == "new_ja4") rule.condition = pipeline::AlertCondition::new_ja4;
        else if (a.condition == "rate_above") rule.condition = pipeline::AlertCondition::rate_above;
        else if (a.condition == "listening") rule.condition = pipeline::AlertCondition::listening;
        else return core::Error{core::ErrorCode::usage, "alert '" + a.name + "': unknown condition '" + a.condition + "'"};
        rule.by = a.by == "asn"       ? pipeline::DestinationKey::asn
                  : a.by == "country" ? pipeline::DestinationKey::country
                                      : pipeline::DestinationKey::name;
        rule.rate_above = a.rate_above;
        rule.per_program = a.per_program;
        rule.cooldown_ns = a.cooldown_ns;
        auto compiled = filter::compile(a.filter);
        if (!compiled)
            return core::Error{compiled.error().code, "alert '" + a.name + "': filter: " + compiled.error().message};
        if (!compiled->matches_everything()) {
            rule.filter_reads_process = compiled->reads_process();
            rule.filter = [f = std::move(compiled).value()](const snapshot::FlowRecord& flow,
                                                           std::int64_t now_ns) {
                return f.matches_at(flow, now_ns);
            };
        }
        rules.push_back(std::move(rule));
    }
    return std::make_unique<pipeline::AlertEngine>(std::move(rules));
}

snapshot::Snapshot where_view(const snapshot::Snapshot& snap, const filter::Filter& where) {
    snapshot::Snapshot out = snap;
    std::erase_if(out.flows,
                  [&](const snapshot::FlowRecord& f) { return !where.matches_at(f, snap.ts_ns); });
    return out;
}

}  // namespace sockeye::app
