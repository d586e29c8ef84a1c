#include "host/proc_sockets.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <functional>
#include <memory>
#include <utility>

#include "host/proc_fs.hpp"
#include "core/unique_fd.hpp"

namespace sockeye::host {
namespace {

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

// A process first seen this recently may have been scanned before it opened
// the socket we look for (a client between fork and connect).
constexpr std::int64_t kYoungNs = 5'000'000'000;

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::optional<std::uint64_t> socket_inode_of_link(std::string_view link) {
    constexpr std::string_view kPrefix = "socket:[";
    if (link.size() <= kPrefix.size() + 1 || link.substr(0, kPrefix.size()) != kPrefix ||
        link.back() != ']') {
        return std::nullopt;
    }
    return parse_u64(link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1));
}

ProcSockets::ProcSockets(std::string proc_root) : root_(std::move(proc_root)) {}

std::int64_t ProcSockets::fd_count(int pid) const {
    struct stat st {};
    const std::string path = root_ + "/" + std::to_string(pid) + "/fd";
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<std::int64_t>(st.st_size);
}

void ProcSockets::forget_pid(int pid) {
    const auto it = pids_.find(pid);
    if (it == pids_.end()) return;
    for (const std::uint64_t inode : it->second.inodes) {
        const auto owner = inodes_.find(inode);
        if (owner != inodes_.end() && owner->second.pid == pid) inodes_.erase(owner);
    }
    if (!it->second.readable && unreadable_ > 0) --unreadable_;
    pids_.erase(it);
}

bool ProcSockets::scan_pid(int pid, std::uint64_t wanted, std::optional<SocketOwner>& hit,
                           const Interrupt& interrupt) {
    ++scans_;
    const std::string pid_dir = root_ + "/" + std::to_string(pid);
    struct stat pid_st {};
    if (::stat(pid_dir.c_str(), &pid_st) != 0) {
        forget_pid(pid);
        return false;
    }
    PidState state;
    state.uid = pid_st.st_uid;
    const auto previous = pids_.find(pid);
    state.first_seen_ns = previous != pids_.end() ? previous->second.first_seen_ns
                          : bootstrapped_        ? steady_ns()
                                                 : 0;
    core::UniqueFd dir_fd(::open((pid_dir + "/fd").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd.valid()) {
        const int err = errno;
        if (err == ENOENT) {
            forget_pid(pid);
            return false;
        }
        state.readable = false;  // EACCES: another user's process, no capability
    } else {
        struct stat fd_st {};
        if (::fstat(dir_fd.get(), &fd_st) == 0) state.fd_count = static_cast<std::int64_t>(fd_st.st_size);
        // fdopendir takes the descriptor over; readlinkat keeps each lookup
        // relative to it (no path rebuilding per fd).
        const int raw = ::dup(dir_fd.get());
        std::unique_ptr<DIR, DirCloser> dir(raw >= 0 ? ::fdopendir(raw) : nullptr);
        if (!dir && raw >= 0) ::close(raw);
        std::size_t entries = 0;
        while (dir) {
            const dirent* e = ::readdir(dir.get());
            if (e == nullptr) break;
            if (e->d_name[0] == '.') continue;
            // A process with thousands of fds takes milliseconds: give way to
            // waiting requests. The old state stays; the inodes read so far
            // are kept (cached() re-checks every hit anyway).
            if ((++entries & 63) == 0 && interrupt && interrupt()) return true;
            char link[64];
            const ssize_t n = ::readlinkat(dir_fd.get(), e->d_name, link, sizeof link);
            if (n <= 0 || static_cast<std::size_t>(n) >= sizeof link) continue;
            const auto inode = socket_inode_of_link(std::string_view(link, static_cast<std::size_t>(n)));
            if (!inode) continue;
            state.inodes.push_back(*inode);
            const auto fd = parse_u64(e->d_name);
            const SocketOwner owner{pid, fd ? static_cast<int>(*fd) : -1};
            auto [it, inserted] = inodes_.try_emplace(*inode, owner);
            // Shared sockets (fork, fd passing): the lowest pid, usually the parent.
            if (!inserted && it->second.pid != pid) {
                const bool owner_alive = pids_.count(it->second.pid) != 0;
                if (!owner_alive || pid < it->second.pid) it->second = owner;
            } else if (!inserted) {
                it->second = owner;
            }
            if (*inode == wanted) hit = owner;
        }
    }
    // Drop the inodes this pid no longer holds.
    if (const auto old = pids_.find(pid); old != pids_.end()) {
        std::sort(state.inodes.begin(), state.inodes.end());
        for (const std::uint64_t inode : old->second.inodes) {
            if (std::binary_search(state.inodes.begin(), state.inodes.end(), inode)) continue;
            const auto owner = inodes_.find(inode);
            if (owner != inodes_.end() && owner->second.pid == pid) inodes_.erase(owner);
        }
        if (!old->second.readable && unreadable_ > 0) --unreadable_;
    }
    if (!state.readable) ++unreadable_;
    pids_[pid] = std::move(state);
    return true;
}

void ProcSockets::sync_pid_list(std::vector<int>& new_pids) {
    std::vector<int> live = list_pids(root_);
    std::sort(live.begin(), live.end());
    std::vector<int> dead;
    for (const auto& [pid, state] : pids_) {
        if (!std::binary_search(live.begin(), live.end(), pid)) dead.push_back(pid);
    }
    for (const int pid : dead) forget_pid(pid);
    for (const int pid : live) {
        if (pids_.count(pid) == 0) new_pids.push_back(pid);
    }
    // Newest first: pids grow, and a short-lived client is the newest process.
    std::sort(new_pids.begin(), new_pids.end(), std::greater<>());
}

std::optional<SocketOwner> ProcSockets::cached(std::uint64_t inode) {
    const auto it = inodes_.find(inode);
    if (it == inodes_.end()) return std::nullopt;
    const SocketOwner owner = it->second;
    const std::string path = root_ + "/" + std::to_string(owner.pid) + "/fd/" + std::to_string(owner.fd);
    const auto link = read_link(path);
    if (link && socket_inode_of_link(*link) == inode) return owner;
    inodes_.erase(it);  // stale: the next find() rescans
    return std::nullopt;
}

namespace {

// A short-lived client has a handful of descriptors; a compiler server or a
// browser has thousands and costs milliseconds to read. Cheap ones first.
constexpr std::int64_t kSmallFdTable = 64;

struct Candidate {
    bool big = false;
    bool other_uid = false;
    int pid = 0;
    bool operator<(const Candidate& o) const {
        if (big != o.big) return !big;
        if (other_uid != o.other_uid) return !other_uid;
        return pid > o.pid;  // newest first
    }
};

}  // namespace

std::optional<SocketOwner> ProcSockets::find(std::uint64_t inode, std::uint32_t uid, ScanDepth depth,
                                             const Interrupt& interrupt) {
    if (auto hit = cached(inode)) return hit;
    std::optional<SocketOwner> hit;
    std::vector<int> new_pids;
    sync_pid_list(new_pids);

    // Pass 1: new processes, and young ones whose fd table changed since we
    // looked: where a client that is about to exit is.
    const std::int64_t now = steady_ns();
    std::vector<Candidate> fast;
    for (const int pid : new_pids) {
        struct stat st {};
        const std::string dir = root_ + "/" + std::to_string(pid);
        if (::stat(dir.c_str(), &st) != 0) continue;
        fast.push_back(Candidate{fd_count(pid) > kSmallFdTable, st.st_uid != uid, pid});
    }
    for (const auto& [pid, state] : pids_) {
        if (!state.readable || now - state.first_seen_ns >= kYoungNs) continue;
        const std::int64_t count = fd_count(pid);
        if (count >= 0 && count == state.fd_count) continue;
        fast.push_back(Candidate{count > kSmallFdTable, state.uid != uid, pid});
    }
    std::sort(fast.begin(), fast.end());
    for (const Candidate& c : fast) {
        scan_pid(c.pid, inode, hit, interrupt);
        if (hit) return hit;
    }
    bootstrapped_ = true;
    if (depth == ScanDepth::new_pids) return std::nullopt;

    // Pass 2: every other known process (only those whose fd count moved,
    // for `changed`).
    std::vector<Candidate> rest;
    rest.reserve(pids_.size());
    for (const auto& [pid, state] : pids_) {
        const bool scanned = std::any_of(fast.begin(), fast.end(), [pid = pid](const Candidate& c) { return c.pid == pid; });
        if (scanned) continue;
        const std::int64_t count = fd_count(pid);
        if (depth == ScanDepth::changed && count >= 0 && count == state.fd_count) continue;
        rest.push_back(Candidate{count > kSmallFdTable, state.uid != uid, pid});
    }
    std::sort(rest.begin(), rest.end());
    for (const Candidate& c : rest) {
        if (interrupt && interrupt()) return std::nullopt;
        scan_pid(c.pid, inode, hit, interrupt);
        if (hit) return hit;
    }
    return std::nullopt;
}

void ProcSockets::refresh(const Interrupt& interrupt) {
    std::optional<SocketOwner> unused;
    std::vector<int> new_pids;
    sync_pid_list(new_pids);
    for (const int pid : new_pids) scan_pid(pid, 0, unused);
    bootstrapped_ = true;
    std::vector<int> changed;
    for (const auto& [pid, state] : pids_) {
        // Without a count (kernels before 6.2) a periodic full rescan would
        // cost too much; misses trigger targeted rescans instead.
        if (!state.readable || state.fd_count < 0) continue;
        if (fd_count(pid) != state.fd_count) changed.push_back(pid);
    }
    for (const int pid : changed) {
        if (interrupt && interrupt()) return;
        scan_pid(pid, 0, unused, interrupt);
    }
}

bool ProcSockets::uid_has_unreadable(std::uint32_t uid) const {
    if (unreadable_ == 0) return false;
    for (const auto& [pid, state] : pids_) {
        if (!state.readable && state.uid == uid) return true;
    }
    return false;
}

}  // namespace sockeye::host
