// The exports sockeye offers, one row per command-line option: adding an
// export means a new exports::Exporter, one row in export_table.cpp and its
// line in --help and the docs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "capture/packet_source.hpp"
#include "core/result.hpp"
#include "pipeline/export_set.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::app {

class SnapshotEnricher;

// Opens every export `options` asks for (possibly none), before the
// sandbox: files created, sockets bound, no thread started. Fails with the
// first export's error that cannot be opened. `enricher` (live, may be
// null) names the processes in packet comments; it must outlive the set.
core::Result<std::unique_ptr<pipeline::ExportSet>> open_exports(const Options& options,
                                                                const capture::PacketSource& source,
                                                                bool live, const SnapshotEnricher* enricher);

// One line per export for stderr at exit ("sockeye: pcap export to F: N
// written, M dropped; error"), so losses never go unnoticed.
std::string export_totals_text(const std::vector<snapshot::ExportCounters>& counters);
// Whether any export lost records: dropped from a full queue, or stopped on
// a write error (exit status 3 unless --export-loss-ok).
bool export_lost_records(const std::vector<snapshot::ExportCounters>& counters);

}  // namespace sockeye::app
