#include "host/interface_stats.hpp"

#include <algorithm>
#include <utility>

#include "host/proc_fs.hpp"

namespace sockeye::host {
namespace {

std::uint64_t read_counter(const std::string& dir, const char* name) {
    const auto text = read_file(dir + name, 64);
    if (!text) return 0;
    return parse_u64(trim(*text)).value_or(0);
}

double rate(std::uint64_t now, std::uint64_t before, double seconds) {
    if (now < before || seconds <= 0) return 0;
    return static_cast<double>(now - before) / seconds;
}

}  // namespace

InterfaceStatsReader::InterfaceStatsReader(std::string sys_root) : root_(std::move(sys_root)) {}

std::vector<snapshot::InterfaceStats> InterfaceStatsReader::read(std::int64_t monotonic_ns) {
    const std::string net = root_ + "/class/net/";
    std::vector<std::string> names = list_dir(net);
    std::sort(names.begin(), names.end());
    std::vector<snapshot::InterfaceStats> out;
    std::unordered_map<std::string, std::deque<Reading>> seen;
    for (const auto& name : names) {
        const std::string dir = net + name + "/statistics/";
        snapshot::InterfaceStats s;
        s.name = name;
        s.rx_bytes = read_counter(dir, "rx_bytes");
        s.tx_bytes = read_counter(dir, "tx_bytes");
        s.rx_packets = read_counter(dir, "rx_packets");
        s.tx_packets = read_counter(dir, "tx_packets");
        s.rx_errors = read_counter(dir, "rx_errors");
        s.tx_errors = read_counter(dir, "tx_errors");
        s.rx_dropped = read_counter(dir, "rx_dropped");
        s.tx_dropped = read_counter(dir, "tx_dropped");
        std::deque<Reading> history;
        if (const auto it = readings_.find(name); it != readings_.end()) history = std::move(it->second);
        // The base: the newest reading at least a window old, else the oldest.
        while (history.size() > 1 && history[1].at_ns <= monotonic_ns - snapshot::kRateWindowNs)
            history.pop_front();
        if (!history.empty()) {
            const Reading& base = history.front();
            const double dt = static_cast<double>(monotonic_ns - base.at_ns) / 1e9;
            s.rx_bytes_per_s = rate(s.rx_bytes, base.rx_bytes, dt);
            s.tx_bytes_per_s = rate(s.tx_bytes, base.tx_bytes, dt);
            // A reset counter starts the history over.
            if (s.rx_bytes < base.rx_bytes || s.tx_bytes < base.tx_bytes) history.clear();
        }
        history.push_back(Reading{monotonic_ns, s.rx_bytes, s.tx_bytes});
        seen[name] = std::move(history);
        out.push_back(std::move(s));
    }
    readings_ = std::move(seen);  // interfaces that vanished are forgotten
    return out;
}

}  // namespace sockeye::host
