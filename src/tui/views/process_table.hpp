// The processes tab's rows: traffic summed per owning process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "filter/filter.hpp"
#include "snapshot/snapshot.hpp"
#include "tui/history.hpp"
#include "tui/ui_options.hpp"

namespace sockeye::tui {

enum class ProcessColumn : std::uint8_t {
    name, pid, user, down, up, peak_down, peak_up, total_down, total_up, connections, peers,
};
inline constexpr std::size_t kProcessColumnCount = 11;
std::string_view process_column_title(ProcessColumn c);
bool process_column_is_numeric(ProcessColumn c);

struct ProcessRow {
    std::string key;    // process_key()
    std::string label;  // process_label()
    std::shared_ptr<const snapshot::ProcessInfo> process;  // null for "unknown (...)"
    double down = 0, up = 0;
    PeakRates peak;
    std::uint64_t total_down = 0, total_up = 0;
    std::size_t connections = 0;        // active flows
    std::vector<std::string> top_peers; // by bytes, at most 3
    // With geo databases: the public peers' countries ("DE") and networks
    // ("AS3320 Deutsche Telekom AG"), by bytes, at most 3 each.
    std::vector<std::string> top_countries;
    std::vector<std::string> top_networks;
};

struct ProcessTableOptions {
    ProcessColumn sort = ProcessColumn::down;
    bool sort_reverse = false;
    TableSettings table;  // the toggles it shares with the overview (its sort is not used)
    const filter::Filter* filter = nullptr;
    const TrafficHistory* history = nullptr;  // for peaks
};

std::vector<ProcessRow> build_process_table(const snapshot::Snapshot& snap,
                                            const ProcessTableOptions& options);

}  // namespace sockeye::tui
