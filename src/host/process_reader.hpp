// A process's identity from /proc/PID: full name, executable, command line,
// user, parent chain and cgroup placement, as snapshot::ProcessInfo.
// Records are cached by (pid, start time, comm) so a reused pid or an exec()
// is noticed, and shared: every flow of a process points at one record.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "host/cgroup.hpp"
#include "host/container_names.hpp"
#include "host/user_table.hpp"
#include "snapshot/process_info.hpp"

namespace sockeye::host {

// The display name of a process (pure, for tests): the executable's base
// name, not the 15-character comm. Interpreters (python3, perl, node, sh...)
// are named after the script or module they run; multi-call binaries
// (busybox) after argv[0]; without an executable path (another user's
// process), after argv[0]; without a command line (kernel threads), comm.
std::string display_name(std::string_view exe, const std::vector<std::string>& argv,
                         std::string_view comm);
// "python3.11" -> true: interpreters whose script is the better name.
bool is_interpreter(std::string_view base);

// Fields of /proc/PID/stat: comm is between the first '(' and the last ')'.
struct ProcStat {
    std::string comm;
    int ppid = 0;
    std::uint64_t start_time = 0;  // clock ticks after boot
    std::uint64_t flags = 0;       // PF_* (PF_EXITING: the process is exiting)
};
std::optional<ProcStat> parse_proc_stat(std::string_view text);

class ProcessReader {
public:
    // `container_root` prefixes the container runtimes' state paths ("" for
    // the real ones; see host/container_names.hpp).
    explicit ProcessReader(std::string proc_root = "/proc", std::string passwd_path = "/etc/passwd",
                           std::string container_root = "");

    // The process now, from the cache when it is still the same process.
    // Null when the pid does not exist (any more).
    std::shared_ptr<const snapshot::ProcessInfo> get(int pid);
    // Drops cached records of pids that no longer exist.
    void prune();
    [[nodiscard]] std::size_t cached() const { return cache_.size(); }

    // Copies what the container runtime says of `where` into `info` (a
    // record built for a process that is gone: the kernel's owner record
    // kept its network namespace, whose container is known); false when it
    // names nothing.
    bool name_container(const CgroupPlacement& where, snapshot::ProcessInfo& info);

private:
    struct Cached {
        std::uint64_t start_time = 0;
        std::string comm;
        int ppid = 0;
        std::shared_ptr<const snapshot::ProcessInfo> info;  // null: only the name is known
        std::string name;
        // A container whose runtime did not name it yet: asked again (the
        // runtime's state is read at most once a second) until it does.
        std::optional<CgroupPlacement> unnamed;
    };

    // Reads the pid's own fields; `with_parents` adds the parent chain.
    const Cached* load(int pid, bool with_parents);
    std::shared_ptr<snapshot::ProcessInfo> read_info(int pid, const ProcStat& stat,
                                                     std::optional<CgroupPlacement>& unnamed);
    std::string pid_path(int pid, std::string_view file) const;

    std::string root_;
    UserTable users_;
    ContainerNames containers_;
    std::unordered_map<int, Cached> cache_;
};

}  // namespace sockeye::host
