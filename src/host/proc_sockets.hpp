// Socket inode -> owning pid, from the "socket:[INODE]" links in
// /proc/PID/fd. Cached per pid and refreshed incrementally: new pids are
// scanned, dead ones dropped, and live ones rescanned only when their fd
// count moved or a lookup could not be answered otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sockeye::host {

struct SocketOwner {
    int pid = 0;
    int fd = 0;
};

// How hard find() may look before giving up.
enum class ScanDepth : std::uint8_t {
    new_pids,  // processes not seen before, and young ones (first seen within a few
               // seconds): where a short-lived client is; cheap
    changed,   // ... plus known processes whose number of open fds changed
    full,      // ... plus every known process (the socket's uid first)
};

class ProcSockets {
public:
    explicit ProcSockets(std::string proc_root = "/proc");

    // The cached owner, checked with one readlink that it still holds the
    // socket (fd numbers and inodes get reused).
    std::optional<SocketOwner> cached(std::uint64_t inode);
    // Says when to give up a long scan (more urgent work is waiting).
    using Interrupt = std::function<bool()>;

    // Looks for the owner of `inode`, newest pids first, stopping as soon as
    // it is found. `uid` (the socket's) orders the rescans of known pids.
    // The rescans of known pids stop early when `interrupt` says so.
    std::optional<SocketOwner> find(std::uint64_t inode, std::uint32_t uid, ScanDepth depth,
                                    const Interrupt& interrupt = {});
    // The periodic pass: drop dead pids, scan new ones and the changed ones
    // (until `interrupt` says to stop; the rest waits for the next pass).
    void refresh(const Interrupt& interrupt = {});

    // Pids whose fd directory could not be read (permission) at their last scan.
    [[nodiscard]] std::size_t unreadable_pids() const { return unreadable_; }
    // True when an unreadable process runs as `uid`: a socket of that uid we
    // could not find is probably one of them.
    [[nodiscard]] bool uid_has_unreadable(std::uint32_t uid) const;
    [[nodiscard]] std::size_t known_pids() const { return pids_.size(); }
    [[nodiscard]] std::size_t known_sockets() const { return inodes_.size(); }
    // Pid scans done so far (for tests and the status line).
    [[nodiscard]] std::uint64_t scans() const { return scans_; }

private:
    struct PidState {
        std::vector<std::uint64_t> inodes;
        std::uint32_t uid = 0;
        std::int64_t fd_count = -1;  // st_size of /proc/PID/fd (kernel >= 6.2), -1 unknown
        std::int64_t first_seen_ns = 0;  // steady clock
        bool readable = true;
    };

    // (Re)reads one pid's fd table; returns false when the pid is gone.
    bool scan_pid(int pid, std::uint64_t wanted, std::optional<SocketOwner>& hit,
                  const Interrupt& interrupt = {});
    void forget_pid(int pid);
    void sync_pid_list(std::vector<int>& new_pids);
    [[nodiscard]] std::int64_t fd_count(int pid) const;

    std::string root_;
    std::unordered_map<int, PidState> pids_;
    std::unordered_map<std::uint64_t, SocketOwner> inodes_;
    std::size_t unreadable_ = 0;
    bool bootstrapped_ = false;  // pids found by the first scan are not "young"
    std::uint64_t scans_ = 0;
};

// "socket:[12345]" -> 12345.
std::optional<std::uint64_t> socket_inode_of_link(std::string_view link);

}  // namespace sockeye::host
