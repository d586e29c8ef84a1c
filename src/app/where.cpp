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
    return std::make_unique<pipeline::FlowSelection>(
        [where = std::move(where)](const snapshot::FlowRecord& flow, std::int64_t now_ns) {
            return where.matches_at(flow, now_ns);
        },
        reads_process, enricher);
}

snapshot::Snapshot where_view(const snapshot::Snapshot& snap, const filter::Filter& where) {
    snapshot::Snapshot out = snap;
    std::erase_if(out.flows,
                  [&](const snapshot::FlowRecord& f) { return !where.matches_at(f, snap.ts_ns); });
    return out;
}

}  // namespace sockeye::app
