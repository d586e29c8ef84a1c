// The processes tab's rows: traffic summed per owning process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
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

// Rows per program (every process of one name; its pids below it when
// expanded), per process, per container (Docker/Podman container,
// Kubernetes pod; the host's processes together, unattributed flows
// together), or per remote host (its address; the programs talking to it).
// By program and by container the PID column counts processes, by host the
// programs; by container the User column shows the image, by host the
// country. `g` cycles them in order.
enum class ProcessGrouping : std::uint8_t { program, process, container, remote_host };
inline constexpr std::size_t kProcessGroupingCount = 4;

std::string_view process_column_title(ProcessColumn c, ProcessGrouping grouping = ProcessGrouping::program);
bool process_column_is_numeric(ProcessColumn c);

struct ProcessRow {
    // program_key(), process_key(), container_key() or remote_host_key(), by the grouping
    std::string key;
    std::string label;  // process_label(), container_label(), or the remote's name or address
    // Null for "unknown (...)"; by program: its first process; by container:
    // the first process seen in it (what names the container), null for the
    // host's and unattributed rows.
    std::shared_ptr<const snapshot::ProcessInfo> process;
    // By program and container: its processes, by bytes ("wget (7310)"), and
    // how many; by remote host: the programs talking to it.
    std::vector<std::string> members;
    std::size_t process_count = 0;
    double down = 0, up = 0;
    PeakRates peak;
    std::uint64_t total_down = 0, total_up = 0;
    std::size_t connections = 0;        // active flows
    std::vector<std::string> top_peers; // by bytes, at most 3 (by host: programs)
    // With geo databases: the public peers' countries ("DE") and networks
    // ("AS3320 Deutsche Telekom AG"), by bytes, at most 3 each (by host:
    // its own, as format_country() and format_network() say them).
    std::vector<std::string> top_countries;
    std::vector<std::string> top_networks;
    // By program: `member` rows are one process of the program row above
    // them, shown while it is `expanded`.
    bool member = false;
    bool expanded = false;
    bool marked = false;  // its totals moved while the table was paused (shown for a while after resume)
};

struct ProcessTableOptions {
    ProcessColumn sort = ProcessColumn::down;
    bool sort_reverse = false;
    TableSettings table;  // the toggles it shares with the overview (its sort is not used)
    const filter::Filter* filter = nullptr;
    const TrafficHistory* history = nullptr;  // for peaks
    ProcessGrouping grouping = ProcessGrouping::program;
    const std::set<std::string>* expanded = nullptr;  // by program: the program keys shown open
};

std::vector<ProcessRow> build_process_table(const snapshot::Snapshot& snap,
                                            const ProcessTableOptions& options);

}  // namespace sockeye::tui
