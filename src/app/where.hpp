// --where EXPR: the terminal UI's filter language over every other output;
// and the [[alert]] rules, whose filters are in the same language.
// The exports get it in the pipeline (pipeline::FlowSelection, fed by
// ExportSet); the text outputs (--json, --summary, the plain table) judge
// the flows they print at the time they print them.
#pragma once

#include <cstdint>
#include <memory>

#include "app/cli.hpp"
#include "core/result.hpp"
#include "filter/filter.hpp"
#include "pipeline/alerts.hpp"
#include "pipeline/flow_selection.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::app {

// The exports' selection for options.where, or null when it is empty.
// `enricher` (may be null) completes frames' flows; it must outlive it.
core::Result<std::unique_ptr<pipeline::FlowSelection>> where_selection(const Options& options,
                                                                      pipeline::Enricher* enricher);

// The config's [[alert]] rules as the pipeline evaluates them, or null when
// there are none.
core::Result<std::unique_ptr<pipeline::AlertEngine>> alert_engine(const Options& options);

// `snap` with only the flows `where` matches at the snapshot's time; the
// counters stay the capture's.
snapshot::Snapshot where_view(const snapshot::Snapshot& snap, const filter::Filter& where);

}  // namespace sockeye::app
