#include "host/attributor.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <unordered_set>
#include <utility>

#include "ebpf/kernel_source.hpp"
#include "ebpf/owner_table.hpp"
#include "host/cgroup.hpp"
#include "host/conntrack.hpp"
#include "host/local_addresses.hpp"
#include "host/proc_sockets.hpp"
#include "host/process_reader.hpp"
#include "host/sock_diag.hpp"
#include "host/socket_index.hpp"
#include "host/thread_priority.hpp"
#include "host/user_table.hpp"
#include "host/visibility.hpp"

namespace sockeye::host {
namespace {

using Clock = std::chrono::steady_clock;
using snapshot::ProcessMatch;
using snapshot::UnattributedReason;

constexpr std::size_t kMaxBatch = 1024;
constexpr std::size_t kMaxRetries = 4096;
constexpr std::int64_t kProbeEverySeconds = 60;
// Nice value while waiting for and answering requests (see thread_priority.hpp).
constexpr int kBoostedNice = -15;
// Owner records drained from the kernel: read at most this many per pass,
// keep this many, each for as long as an idle attribution answer.
constexpr std::size_t kMaxDrain = 4096;
constexpr std::size_t kEbpfOwners = 65536;
constexpr std::int64_t kEbpfOwnerTtlSeconds = 300;
// Addresses of sockets in other network namespaces, remembered as long as
// their owner records; beyond this many the oldest are forgotten.
constexpr std::size_t kMaxGuestAddresses = 4096;
// Kernel RTTs refreshed per periodic pass: one exact sock_diag lookup each
// (a few microseconds), for attributed TCP sockets not yet seen closed.
// Beyond this many open sockets some keep an older estimate.
constexpr std::size_t kMaxRttRefresh = 512;

// tcp_info's tcpi_rtt is 0 until the socket has an RTT sample.
std::int64_t kernel_rtt_ns(const SocketEntry& s) {
    return s.kernel_srtt_us > 0 ? s.kernel_srtt_us * 1000 : -1;
}

std::int64_t seconds_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
}

Attribution unattributed(UnattributedReason reason) {
    return Attribution{nullptr, ProcessMatch::none, reason};
}

// What preload_ebpf() loaded, until an attributor takes it.
struct Preloaded {
    std::mutex mutex;
    bool done = false;
    bool loaded = false;
    bool taken = false;
    std::string btf_path;
    std::unique_ptr<ebpf::KernelSource> source;
    std::string reason;  // why it did not load
};

Preloaded& preloaded() {
    static Preloaded p;
    return p;
}

}  // namespace

bool preload_ebpf(const std::string& btf_path) {
    Preloaded& p = preloaded();
    std::lock_guard lock(p.mutex);
    if (!p.done) {
        ebpf::LoaderOptions loader;
        loader.btf_path = btf_path;
        auto loaded = ebpf::KernelSource::load(loader);
        if (loaded) {
            p.source = std::move(loaded).value();
        } else {
            p.reason = loaded.error().message;
        }
        p.btf_path = btf_path;
        p.loaded = p.source != nullptr;
        p.done = true;
    }
    return p.loaded;
}

bool capture_needs_immediate(bool processes, bool ebpf) {
    return processes && !(ebpf && preload_ebpf());
}

// Everything only the attribution thread touches.
struct ProcessAttributor::Worker {
    Worker(const AttributorOptions& o, ProcSockets::Interrupt requests_waiting)
        : procs(o.proc_root),
          reader(o.proc_root, o.passwd_path),
          proc_root(o.proc_root),
          busy(std::move(requests_waiting)),
          users(o.passwd_path) {}

    // Per pass (a batch of requests, or a periodic retry round): what has
    // already been fetched or scanned, so a pass does each at most once.
    struct Pass {
        SocketIndex bound;  // fresh listeners and UDP sockets
        bool have_listeners = false;
        bool have_udp = false;
        bool changed_scanned = false;
        bool full_scanned = false;
        bool ebpf_drained = false;
    };

    Attribution resolve_request(const SocketTuple& t, Pass& pass);
    Attribution resolve_socket(const SocketEntry& s, ProcessMatch kind, Pass& pass);
    Attribution no_match(const SocketTuple& t) const;
    void load_bound(std::uint8_t proto, Pass& pass);
    bool is_local(const core::IpAddress& a) const;
    void retry(ProcessAttributor& self, std::int64_t now_s);
    void add_retry(const SocketTuple& t, std::int64_t until_s);
    snapshot::AttributionStatus describe(std::uint64_t dropped);
    void handle_batch(ProcessAttributor& self, const std::vector<Queued>& batch, std::int64_t now_s);
    void periodic(ProcessAttributor& self, std::int64_t now_s);
    // TCP listeners and unconnected UDP sockets, with their owners.
    std::vector<snapshot::ListeningSocket> read_listening();
    void drain_ebpf(std::int64_t now_s);
    void note_guest(const core::IpAddress& address, std::int64_t now_s);
    void expire_guests(std::int64_t now_s);
    [[nodiscard]] std::vector<core::IpAddress> guest_list() const;
    [[nodiscard]] bool is_guest(const core::IpAddress& a) const;
    void claim_guest_flows(ProcessAttributor& self);
    const CgroupPlacement& placement_of_namespace(std::uint32_t netns, std::int64_t now_s);
    Attribution owner_attribution(const ebpf::OwnerRecord& record, ProcessMatch match);
    std::optional<Attribution> from_ebpf(const SocketTuple& t);
    std::optional<Attribution> from_guest(const SocketTuple& t);
    std::optional<Attribution> from_guest_peer(const SocketTuple& t);
    std::optional<Attribution> from_guest_initiator(const SocketTuple& t);
    std::optional<Attribution> through_nat(const SocketTuple& t, Pass& pass);
    void refresh_kernel_rtt(ProcessAttributor& self);

    SockDiag diag;
    ProcSockets procs;
    ProcessReader reader;
    std::string proc_root;
    std::vector<core::IpAddress> local;
    std::optional<Privileges> privileges;
    std::optional<bool> other_fds_readable;
    std::int64_t probed_at = -kProbeEverySeconds;
    std::int64_t pruned_at = 0;
    // Listening sockets' owners by inode, from the previous listing (a
    // listener is looked up in /proc once, not at every refresh).
    std::unordered_map<std::uint64_t, std::shared_ptr<const snapshot::ProcessInfo>> listener_owners;
    struct Retry {
        SocketTuple tuple;
        std::int64_t until_s = 0;
    };
    std::vector<Retry> retries;
    std::unordered_set<SocketTuple, SocketTupleHash> retrying;
    std::uint64_t netlink_queries = 0;
    // True while requests wait in the queue: slow work (rescans of known
    // processes, retries) yields to them, as a short-lived client is only
    // visible for milliseconds.
    ProcSockets::Interrupt busy;

    // eBPF: the kernel's records (null source: userspace only).
    ebpf::KernelSource* kernel = nullptr;
    std::string ebpf_note;  // why eBPF is not used, for the status
    ebpf::OwnerTable owners{kEbpfOwners, kEbpfOwnerTtlSeconds};
    // Sockets of the machine's other network namespaces (containers), kept
    // apart from ours: a container's 127.0.0.1:80 or 0.0.0.0:53 is not ours.
    // Consulted only for flows with one of their addresses at an end (seen
    // on a bridge) or that NAT translated from one (see resolve_request).
    ebpf::OwnerTable guests{kEbpfOwners, kEbpfOwnerTtlSeconds};
    std::unordered_map<core::IpAddress, std::int64_t, core::IpAddressHash> guest_addresses;  // -> last seen
    std::optional<ConntrackClient> conntrack;  // opened by prepare(), before the sandbox
    // Which container a namespace belongs to, for owners that exited before
    // they were read (the record keeps their namespace, not their cgroup).
    struct NamespacePlacement {
        CgroupPlacement where;
        std::int64_t looked_s = 0;
    };
    std::unordered_map<std::uint32_t, NamespacePlacement> namespaces;
    std::vector<ebpf::OwnerRecord> drained;
    UserTable users;
    std::uint64_t ebpf_records = 0;
    std::uint64_t ebpf_matches = 0;
};

void ProcessAttributor::Worker::drain_ebpf(std::int64_t now_s) {
    if (kernel == nullptr) return;
    drained.clear();
    ebpf_records += kernel->drain(drained, kMaxDrain);
    for (const auto& r : drained) {
        if (kernel->in_own_namespace(r)) {
            owners.add(r, now_s);
        } else {
            guests.add(r, now_s);
            note_guest(r.local_ip, now_s);
        }
    }
}

void ProcessAttributor::Worker::note_guest(const core::IpAddress& address, std::int64_t now_s) {
    const core::IpAddress a = unmap_v4(address);
    // A namespace's loopback and wildcard addresses never reach our wire,
    // and an address the host itself has is the host's.
    if (a.family == core::IpFamily::none || is_loopback(a) || is_any_address(a) || is_local(a)) return;
    if (guest_addresses.size() >= kMaxGuestAddresses && !guest_addresses.contains(a)) {
        const auto oldest = std::min_element(guest_addresses.begin(), guest_addresses.end(),
                                             [](const auto& x, const auto& y) { return x.second < y.second; });
        guest_addresses.erase(oldest);
    }
    guest_addresses[a] = now_s;
}

void ProcessAttributor::Worker::expire_guests(std::int64_t now_s) {
    std::erase_if(guest_addresses, [&](const auto& g) { return now_s - g.second > kEbpfOwnerTtlSeconds; });
}

bool ProcessAttributor::Worker::is_guest(const core::IpAddress& a) const {
    return guest_addresses.contains(unmap_v4(a));
}

// New flows that had no local end when they arrived may have one now that
// the kernel's records named a container's address: answered here, the
// rest stay "not local" as they were.
void ProcessAttributor::Worker::claim_guest_flows(ProcessAttributor& self) {
    SocketTuple t;
    while (self.unclaimed_.try_pop(t)) {
        if (!is_guest(t.local_ip) && !is_guest(t.remote_ip)) continue;
        if (auto a = from_guest(t)) {
            self.publish(t, *a);
        } else if (auto b = from_guest_peer(t)) {
            self.publish(t, *b);
        }
    }
}

const CgroupPlacement& ProcessAttributor::Worker::placement_of_namespace(std::uint32_t netns, std::int64_t now_s) {
    NamespacePlacement& p = namespaces[netns];
    if (!p.where.kind.empty() || (p.looked_s != 0 && now_s - p.looked_s < 5)) return p.where;
    p.looked_s = now_s;
    // Any process still in the namespace tells its cgroup: a container's
    // first process lives as long as the container.
    DIR* dir = ::opendir(proc_root.c_str());
    if (dir == nullptr) return p.where;
    while (const dirent* e = ::readdir(dir)) {
        char* end = nullptr;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (pid <= 0 || *end != '\0') continue;
        struct stat ns {};
        const std::string path = proc_root + "/" + e->d_name + "/ns/net";
        if (::stat(path.c_str(), &ns) != 0 || ns.st_ino != netns) continue;
        CgroupPlacement where = read_cgroup(proc_root, static_cast<int>(pid));
        if (!where.kind.empty() && where.kind != "systemd") {
            p.where = std::move(where);
            break;
        }
    }
    ::closedir(dir);
    return p.where;
}

std::vector<core::IpAddress> ProcessAttributor::Worker::guest_list() const {
    std::vector<core::IpAddress> out;
    out.reserve(guest_addresses.size());
    for (const auto& g : guest_addresses) out.push_back(g.first);
    return out;
}

std::optional<Attribution> ProcessAttributor::Worker::from_ebpf(const SocketTuple& t) {
    const auto record = owners.find(t);
    if (!record) return std::nullopt;
    return owner_attribution(*record, ProcessMatch::ebpf);
}

std::optional<Attribution> ProcessAttributor::Worker::from_guest(const SocketTuple& t) {
    if (!is_guest(t.local_ip)) return std::nullopt;
    const auto record = guests.find(t);
    if (!record) return std::nullopt;
    return owner_attribution(*record, ProcessMatch::ebpf);
}

std::optional<Attribution> ProcessAttributor::Worker::from_guest_initiator(const SocketTuple& t) {
    if (!is_guest(t.remote_ip)) return std::nullopt;
    const SocketTuple reversed{t.ip_proto, t.remote_ip, t.remote_port, t.local_ip, t.local_port};
    const auto theirs = guests.find(reversed);
    // A record with a remote address is a connected socket: for TCP the
    // one that called connect(), i.e. the flow's initiator. When ours is
    // connected too (two connected UDP sockets) nothing tells: ours.
    if (!theirs || is_any_address(theirs->remote_ip)) return std::nullopt;
    if (const auto ours = owners.find(t); ours && !is_any_address(ours->remote_ip)) return std::nullopt;
    return owner_attribution(*theirs, ProcessMatch::ebpf);
}

std::optional<Attribution> ProcessAttributor::Worker::from_guest_peer(const SocketTuple& t) {
    if (!is_guest(t.remote_ip)) return std::nullopt;
    return from_guest(SocketTuple{t.ip_proto, t.remote_ip, t.remote_port, t.local_ip, t.local_port});
}

std::optional<Attribution> ProcessAttributor::Worker::through_nat(const SocketTuple& t, Pass& pass) {
    if (!conntrack || !is_local(t.local_ip) || is_loopback(t.local_ip)) return std::nullopt;
    const auto inner = conntrack->owner_of(t);
    if (!inner) return std::nullopt;
    std::optional<Attribution> found;
    if (auto record = owners.find(*inner)) {
        found = owner_attribution(*record, ProcessMatch::nat);
    } else if (auto guest = guests.find(*inner)) {
        found = owner_attribution(*guest, ProcessMatch::nat);
    } else if (inner->ip_proto == kProtoTcp && inner->remote_port != 0) {
        // Translated to a socket of our own namespace (a port forwarded to
        // a local service).
        ++netlink_queries;
        if (const auto s = diag.find_tcp(*inner); s && s->inode != 0) {
            found = resolve_socket(*s, ProcessMatch::nat, pass);
            if (!found->process) found.reset();
        }
    }
    return found;
}

Attribution ProcessAttributor::Worker::owner_attribution(const ebpf::OwnerRecord& record, ProcessMatch match) {
    ++ebpf_matches;
    // The full picture (exe, command line, parents) while the process is
    // still there and is the one the kernel saw; else what the kernel
    // recorded: a client that already exited still has a name.
    auto info = reader.get(static_cast<int>(record.tgid));
    if (!info || info->comm != record.comm || info->uid != record.uid) {
        auto own = std::make_shared<snapshot::ProcessInfo>();
        own->pid = static_cast<int>(record.tgid);
        own->name = record.comm;
        own->comm = record.comm;
        own->uid = record.uid;
        own->user = users.name(record.uid);
        if (kernel != nullptr && !kernel->in_own_namespace(record)) {
            const CgroupPlacement& where = placement_of_namespace(record.netns, seconds_now());
            own->container_kind = where.kind;
            own->container = where.id;
            if (!where.id.empty()) reader.name_container(where, *own);
        }
        info = std::move(own);
    }
    return Attribution{std::move(info), match, UnattributedReason::none};
}


bool ProcessAttributor::Worker::is_local(const core::IpAddress& a) const {
    const core::IpAddress u = unmap_v4(a);
    return is_loopback(u) || std::binary_search(local.begin(), local.end(), u);
}

void ProcessAttributor::Worker::load_bound(std::uint8_t proto, Pass& pass) {
    bool& have = proto == kProtoTcp ? pass.have_listeners : pass.have_udp;
    if (have) return;
    have = true;
    std::vector<SocketEntry> found;
    ++netlink_queries;
    // Listeners only for TCP: the kernel walks just the listening hash.
    diag.dump(proto, proto == kProtoTcp ? (1u << kTcpListen) : kAllStates, found);
    for (const auto& s : found) pass.bound.add(s);
}

Attribution ProcessAttributor::Worker::no_match(const SocketTuple& t) const {
    return unattributed(is_local(t.local_ip) ? UnattributedReason::no_socket
                                             : UnattributedReason::not_local);
}

Attribution ProcessAttributor::Worker::resolve_socket(const SocketEntry& s, ProcessMatch kind, Pass& pass) {
    if (s.inode == 0) return unattributed(UnattributedReason::no_socket);
    // New pids first: that is where a short-lived client is. Wider rescans at
    // most once per pass, and only counted as done when they ran to the end.
    auto owner = procs.find(s.inode, s.uid, ScanDepth::new_pids, busy);
    if (!owner && !pass.changed_scanned && !busy()) {
        owner = procs.find(s.inode, s.uid, ScanDepth::changed, busy);
        pass.changed_scanned = !owner && !busy();
    }
    if (!owner && !pass.full_scanned && !busy()) {
        owner = procs.find(s.inode, s.uid, ScanDepth::full, busy);
        pass.full_scanned = !owner && !busy();
    }
    if (!owner && !pass.full_scanned) {
        // Gave up early for waiting requests: not an answer yet; the
        // periodic pass retries it.
        return unattributed(UnattributedReason::pending);
    }
    if (!owner) {
        const bool hidden = procs.uid_has_unreadable(s.uid) ||
                            (privileges && privileges->euid != s.uid && !privileges->can_read_other_fds());
        return unattributed(hidden ? UnattributedReason::no_permission : UnattributedReason::no_socket);
    }
    auto info = reader.get(owner->pid);
    if (!info) return unattributed(UnattributedReason::no_socket);
    return Attribution{std::move(info), kind, UnattributedReason::none};
}

Attribution ProcessAttributor::Worker::resolve_request(const SocketTuple& t, Pass& pass) {
    if (kernel != nullptr) {
        // What the kernel saw at connect()/send() first: it outlives the
        // process. Drained once per pass.
        if (!pass.ebpf_drained) {
            drain_ebpf(seconds_now());
            pass.ebpf_drained = true;
        }
        // A container's own address, seen on its bridge: its socket is in
        // the container's namespace, out of sock_diag's sight.
        if (auto a = from_guest(t)) return *a;
        // Both ends on this machine, the host's and a container's: named
        // after the end that started it, as a loopback flow is.
        if (auto a = from_guest_initiator(t)) return *a;
        if (auto a = from_ebpf(t)) return *a;
    }
    // ICMP echo flows are named by the eBPF records only (ping sockets,
    // and raw sockets' echo requests): sock_diag has no ICMP family, and a
    // raw ICMP socket carries no identifier for /proc to match.
    if (is_icmp(t.ip_proto)) return no_match(t);
    if (t.ip_proto == kProtoTcp && t.remote_port != 0) {
        ++netlink_queries;
        // The kernel's own lookup: established (or half-open) socket first,
        // else the listener that would take the connection.
        if (const auto s = diag.find_tcp(t); s && s->inode != 0) {
            if (s->state == kTcpListen) return resolve_socket(*s, ProcessMatch::listener, pass);
            Attribution a = resolve_socket(*s, ProcessMatch::exact, pass);
            a.kernel_srtt_ns = kernel_rtt_ns(*s);
            return a;
        }
    }
    load_bound(t.ip_proto, pass);
    const SocketMatch m = pass.bound.match(t);
    if (m.socket != nullptr) return resolve_socket(*m.socket, m.kind, pass);
    // No socket of ours: our end may be a translation of a container's
    // (masquerade), or, with a container at the other end and nothing of
    // ours on this one, the flow is the container's.
    if (auto a = through_nat(t, pass)) return *a;
    if (auto a = from_guest_peer(t)) return *a;
    return no_match(t);
}

void ProcessAttributor::Worker::add_retry(const SocketTuple& t, std::int64_t until_s) {
    if (retries.size() >= kMaxRetries || !retrying.insert(t).second) return;
    retries.push_back(Retry{t, until_s});
}

void ProcessAttributor::Worker::retry(ProcessAttributor& self, std::int64_t now_s) {
    if (retries.empty()) return;
    Pass pass;
    std::vector<Retry> keep;
    for (const Retry& r : retries) {
        if (busy()) {  // new flows first; the rest is retried next time
            keep.push_back(r);
            continue;
        }
        {
            std::shared_lock lock(self.cache_mutex_);
            if (self.cache_.has_process(r.tuple)) {
                retrying.erase(r.tuple);
                continue;
            }
        }
        Attribution a = resolve_request(r.tuple, pass);
        if (a.process) {
            self.publish(r.tuple, a);
            retrying.erase(r.tuple);
        } else if (now_s < r.until_s) {
            if (a.reason != UnattributedReason::pending) self.publish(r.tuple, a);
            keep.push_back(r);
        } else {
            if (a.reason == UnattributedReason::pending) a.reason = UnattributedReason::no_socket;
            self.publish(r.tuple, a);
            retrying.erase(r.tuple);
        }
    }
    retries = std::move(keep);
}

snapshot::AttributionStatus ProcessAttributor::Worker::describe(std::uint64_t dropped) {
    snapshot::AttributionStatus st;
    st.active = diag.valid() || kernel != nullptr;
    st.method = kernel != nullptr ? "eBPF (" + kernel->description() + ") + sock_diag + /proc"
                                  : "sock_diag + /proc";
    VisibilityFacts facts;
    facts.privileges = privileges;
    facts.other_fds_readable = other_fds_readable;
    facts.sock_diag_error = diag.valid() ? 0 : diag.open_error();
    facts.unreadable_pids = procs.unreadable_pids();
    facts.dropped_requests = dropped;
    st.limitations = describe_limitations(facts);
    if (!ebpf_note.empty()) st.limitations.push_back(ebpf_note);
    if (conntrack && (conntrack->refused() == EPERM || conntrack->refused() == EACCES)) {
        st.limitations.push_back(
            "flows translated by NAT (containers behind a bridge) are not traced to their sockets: "
            "conntrack needs cap_net_admin");
    }
    return st;
}

ProcessAttributor::ProcessAttributor(AttributorOptions options)
    : options_(std::move(options)),
      queue_(options_.queue_capacity),
      cache_(options_.cache_capacity, options_.idle_ttl.count()) {
    status_.method = "sock_diag + /proc";
}

ProcessAttributor::~ProcessAttributor() { stop(); }

void ProcessAttributor::prepare() {
    if (worker_) return;
    // Before the first request: until then nothing can be ruled out.
    local_set_.update(read_addresses());
    std::string note = load_ebpf();
    worker_ = std::make_unique<Worker>(options_, [this] { return !queue_.empty(); });
    worker_->kernel = ebpf_.get();
    worker_->ebpf_note = std::move(note);
    // Flows translated by NAT (containers behind a bridge) are traced back
    // to their sockets through conntrack, whose socket is opened now.
    worker_->conntrack.emplace();
    // What attribution cannot see is known before the first packet, so the
    // modes without a side panel can say so at start-up. The attribution
    // thread keeps these privileges inside the sandbox.
    worker_->privileges = read_privileges(options_.proc_root);
    if (worker_->privileges) {
        worker_->other_fds_readable =
            probe_other_users_fds(options_.proc_root, worker_->privileges->euid);
    }
    std::lock_guard lock(status_mutex_);
    status_ = worker_->describe(0);
}

std::string ProcessAttributor::load_ebpf() {
    std::string line;
    std::string note;
    if (!options_.ebpf) {
        line = "userspace (--no-ebpf)";
    } else {
        std::string reason;
        bool adopted = false;
        {
            Preloaded& p = preloaded();
            std::lock_guard lock(p.mutex);
            if (p.done && !p.taken && p.btf_path == options_.btf_path) {
                // Taken once: a second attributor loads its own.
                ebpf_ = std::move(p.source);
                reason = std::move(p.reason);
                p.taken = true;
                adopted = true;
            }
        }
        if (!adopted) {
            ebpf::LoaderOptions loader;
            loader.btf_path = options_.btf_path;
            auto loaded = ebpf::KernelSource::load(loader);
            if (loaded) {
                ebpf_ = std::move(loaded).value();
            } else {
                reason = loaded.error().message;
            }
        }
        if (ebpf_) {
            line = "eBPF (" + ebpf_->description() + ")";
        } else {
            line = "userspace (eBPF unavailable: " + reason + ")";
            note = "eBPF attribution unavailable: " + reason;
        }
    }
    std::lock_guard lock(status_mutex_);
    ebpf_status_ = line;
    if (ebpf_) status_.method = "eBPF (" + ebpf_->description() + ") + sock_diag + /proc";
    if (!note.empty()) status_.limitations.push_back(note);
    return note;
}

std::string ProcessAttributor::ebpf_status() const {
    std::lock_guard lock(status_mutex_);
    return ebpf_status_;
}

void ProcessAttributor::start() {
    if (thread_.joinable()) return;
    stopping_.store(false);
    now_s_.store(seconds_now());
    prepare();
    thread_ = std::thread([this] { run(); });
}

void ProcessAttributor::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(wake_mutex_);
        stopping_.store(true);
    }
    wake_.notify_one();
    thread_.join();
    std::lock_guard lock(status_mutex_);
    status_.active = false;
}

bool ProcessAttributor::enqueue(const SocketTuple& tuple, bool from_lookup) const {
    if (!queue_.try_push(Queued{tuple, from_lookup})) {
        if (!from_lookup) dropped_.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    accepted_.fetch_add(1, std::memory_order_relaxed);
    // Pairs with the fence in run(): either the thread sees the new entry
    // before it sleeps, or we see it sleeping and wake it.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (sleeping_.load(std::memory_order_relaxed)) {
        std::lock_guard lock(wake_mutex_);
        wake_.notify_one();
    }
    return true;
}

bool ProcessAttributor::can_attribute(const SocketTuple& tuple) const {
    // ICMP echo flows only with eBPF (ebpf_ is set by prepare(), before
    // any request): nothing else names a ping socket's owner, so without it
    // they are answered at once instead of queued (a ping flood is no load).
    return is_attributable(tuple.ip_proto, tuple.local_port) &&
           (!is_icmp(tuple.ip_proto) || ebpf_ != nullptr);
}

bool ProcessAttributor::is_foreign(const SocketTuple& t) const {
    // Live flows are oriented local -> remote, and a flow with neither end
    // local by its first packet: local_ip is where that packet came from.
    return !local_set_.may_be_local(t.ip_proto, t.local_ip, t.remote_ip);
}

InterfaceAddresses ProcessAttributor::read_addresses() const {
    return options_.address_source ? options_.address_source() : interface_addresses();
}

void ProcessAttributor::request(const SocketTuple& tuple) {
    if (!can_attribute(tuple)) return;
    const SocketTuple t = normalized(tuple);
    if (is_foreign(t)) {
        // A capture of someone else's traffic (a router, a bridge, a mirror
        // port) is mostly such flows: a query each would cost more than
        // the whole packet path. With the kernel's records one may still
        // turn out to be a container's, named by them within a second:
        // kept aside in a bounded queue (dropped when full) until then.
        not_local_.fetch_add(1, std::memory_order_relaxed);
        if (ebpf_ != nullptr) unclaimed_.try_push(t);
        return;
    }
    enqueue(t, false);
}

Attribution ProcessAttributor::lookup(const SocketTuple& tuple) const {
    if (!can_attribute(tuple)) return unattributed(UnattributedReason::no_socket);
    const SocketTuple t = normalized(tuple);
    if (is_foreign(t)) return unattributed(UnattributedReason::not_local);
    {
        std::shared_lock lock(cache_mutex_);
        if (auto a = cache_.find(t, now_s_.load(std::memory_order_relaxed))) return *a;
    }
    // Never asked, or the request was dropped: ask now. Drops here are not
    // counted; the UI asks again at its next refresh.
    if (thread_.joinable()) enqueue(t, true);
    return unattributed(UnattributedReason::pending);
}

Attribution ProcessAttributor::lookup_connection(std::uint8_t ip_proto,
                                                  const snapshot::Announcer& c) const {
    Attribution a = lookup(SocketTuple{ip_proto, c.ip_a, c.port_a, c.ip_b, c.port_b});
    if (a.process) return a;
    Attribution b = lookup(SocketTuple{ip_proto, c.ip_b, c.port_b, c.ip_a, c.port_a});
    return b.process || a.reason == UnattributedReason::not_local ? b : a;
}

void ProcessAttributor::publish(const SocketTuple& tuple, const Attribution& answer) {
    (answer.process ? attributed_ : unattributed_).fetch_add(1, std::memory_order_relaxed);
    std::unique_lock lock(cache_mutex_);
    // Sticky: a later failure (the socket is gone) never replaces a name.
    if (!answer.process && cache_.has_process(tuple)) return;
    cache_.put(tuple, answer, now_s_.load(std::memory_order_relaxed));
}

std::optional<std::vector<snapshot::ListeningSocket>> ProcessAttributor::listening() const {
    std::lock_guard lock(status_mutex_);
    return listening_;
}

snapshot::AttributionStatus ProcessAttributor::status() const {
    std::lock_guard lock(status_mutex_);
    return status_;
}

AttributorCounters ProcessAttributor::counters() const {
    AttributorCounters c;
    c.requests = accepted_.load();
    c.dropped = dropped_.load();
    c.not_local = not_local_.load();
    c.attributed = attributed_.load();
    c.unattributed = unattributed_.load();
    {
        std::shared_lock lock(cache_mutex_);
        c.cached = cache_.size();
    }
    std::lock_guard lock(status_mutex_);
    c.netlink_queries = netlink_queries_;
    c.pid_scans = pid_scans_;
    c.ebpf_records = ebpf_records_;
    c.ebpf_matches = ebpf_matches_;
    return c;
}

bool ProcessAttributor::wait_idle(std::chrono::milliseconds timeout) const {
    const std::uint64_t target = accepted_.load();
    const auto deadline = Clock::now() + timeout;
    while (handled_.load() < target) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

void ProcessAttributor::Worker::handle_batch(ProcessAttributor& self, const std::vector<Queued>& batch,
                                             std::int64_t now_s) {
    Pass pass;
    std::unordered_set<SocketTuple, SocketTupleHash> seen;
    for (const Queued& item : batch) {
        const SocketTuple& tuple = item.tuple;
        if (!seen.insert(tuple).second) continue;
        bool known = false;
        {
            // A new flow (request) deserves a fresh look unless it has a
            // name; a lookup() only fills a gap. Failures are retried by
            // the periodic pass either way.
            std::shared_lock lock(self.cache_mutex_);
            known = item.from_lookup ? self.cache_.contains(tuple) : self.cache_.has_process(tuple);
        }
        if (known) continue;
        const Attribution a = resolve_request(tuple, pass);
        self.publish(tuple, a);
        if (!a.process) add_retry(tuple, now_s + self.options_.retry_window.count());
    }
}

void ProcessAttributor::Worker::refresh_kernel_rtt(ProcessAttributor& self) {
    if (!diag.valid()) return;
    std::vector<SocketTuple> tuples;
    {
        std::shared_lock lock(self.cache_mutex_);
        tuples = self.cache_.open_tcp_sockets(kMaxRttRefresh);
    }
    for (const SocketTuple& t : tuples) {
        if (busy()) return;  // new flows first
        ++netlink_queries;
        const auto s = diag.find_tcp(t);
        std::unique_lock lock(self.cache_mutex_);
        // A socket that is gone (or only a TIME_WAIT stub, which carries no
        // tcp_info) keeps its last estimate and is not asked about again.
        if (!s || s->inode == 0 || s->state == kTcpListen) {
            self.cache_.mark_closed(t);
        } else if (const std::int64_t rtt = kernel_rtt_ns(*s); rtt >= 0) {
            self.cache_.set_kernel_rtt(t, rtt);
        }
    }
}

std::vector<snapshot::ListeningSocket> ProcessAttributor::Worker::read_listening() {
    std::vector<SocketEntry> found;
    netlink_queries += 2;
    diag.dump(kProtoTcp, 1u << kTcpListen, found);
    diag.dump(kProtoUdp, 1u << kTcpClose, found);
    std::vector<snapshot::ListeningSocket> out;
    std::unordered_map<std::uint64_t, std::shared_ptr<const snapshot::ProcessInfo>> found_owners;
    Pass pass;
    for (const auto& s : found) {
        // A UDP socket with a peer is a client's.
        if (s.ip_proto == kProtoUdp && s.remote_port != 0) continue;
        snapshot::ListeningSocket l;
        l.ip_proto = s.ip_proto;
        l.address = s.local_ip;
        l.port = s.local_port;
        if (s.inode != 0) {
            if (const auto known = listener_owners.find(s.inode); known != listener_owners.end()) {
                l.process = known->second;
            } else if (auto a = resolve_socket(s, ProcessMatch::listener, pass); a.process) {
                l.process = std::move(a.process);
            }
            if (l.process) found_owners.emplace(s.inode, l.process);
        }
        out.push_back(std::move(l));
    }
    listener_owners = std::move(found_owners);
    return out;
}

void ProcessAttributor::Worker::periodic(ProcessAttributor& self, std::int64_t now_s) {
    // Polled with the other refreshes rather than followed on rtnetlink: a
    // flow of a just-added address is at worst answered "not local" for one
    // interval, and as that answer is not cached, its next lookup asks (the
    // kernel's owner records are kept for minutes).
    InterfaceAddresses addresses = self.read_addresses();
    local = addresses.own;
    std::sort(local.begin(), local.end());
    // Keep the kernel map from filling up with flows nobody asked about.
    drain_ebpf(now_s);
    owners.expire(now_s);
    guests.expire(now_s);
    expire_guests(now_s);
    addresses.guests = guest_list();
    self.local_set_.update(std::move(addresses));
    claim_guest_flows(self);
    std::erase_if(namespaces, [&](const auto& n) { return now_s - n.second.looked_s > kEbpfOwnerTtlSeconds; });
    procs.refresh(busy);
    retry(self, now_s);
    refresh_kernel_rtt(self);
    {
        std::unique_lock lock(self.cache_mutex_);
        self.cache_.expire(now_s);
    }
    if (now_s - pruned_at >= 30) {
        reader.prune();
        pruned_at = now_s;
    }
    if (privileges && now_s - probed_at >= kProbeEverySeconds) {
        other_fds_readable = probe_other_users_fds(proc_root, privileges->euid);
        probed_at = now_s;
    }
    std::optional<std::vector<snapshot::ListeningSocket>> listening;
    if (self.options_.list_listening) listening = read_listening();
    std::lock_guard lock(self.status_mutex_);
    if (listening) self.listening_ = std::move(listening);
    self.status_ = describe(self.dropped_.load());
    self.netlink_queries_ = netlink_queries;
    self.pid_scans_ = procs.scans();
    self.ebpf_records_ = ebpf_records;
    self.ebpf_matches_ = ebpf_matches;
}

void ProcessAttributor::run() {
    Worker& w = *worker_;
    w.privileges = read_privileges(options_.proc_root);
    ThreadPriority priority;
    const int base_nice = priority.current();
    // The boost is for answering requests; a thread flooded with them (a
    // port scan) falls back to normal priority for the rest of the second.
    const auto boost_budget = std::chrono::milliseconds(250);
    auto budget_window = Clock::now();
    Clock::duration boosted_for{};
    auto next_refresh = Clock::now();
    std::vector<Queued> batch;
    batch.reserve(kMaxBatch);
    while (!stopping_.load()) {
        const std::int64_t now_s = seconds_now();
        now_s_.store(now_s, std::memory_order_relaxed);
        if (Clock::now() - budget_window >= std::chrono::seconds(1)) {
            budget_window = Clock::now();
            boosted_for = {};
        }
        const bool boost = boosted_for < boost_budget;
        priority.set(boost ? kBoostedNice : base_nice);

        batch.clear();
        Queued q;
        while (batch.size() < kMaxBatch && queue_.try_pop(q)) batch.push_back(q);
        if (!batch.empty()) {
            const auto started = Clock::now();
            w.handle_batch(*this, batch, now_s);
            handled_.fetch_add(batch.size());
            if (boost) boosted_for += Clock::now() - started;
            continue;  // drain the queue before anything slower
        }
        if (Clock::now() >= next_refresh) {
            priority.set(base_nice);  // bulk work at normal priority
            w.periodic(*this, now_s);
            next_refresh = Clock::now() + options_.refresh_interval;
            continue;
        }
        std::unique_lock lock(wake_mutex_);
        sleeping_.store(true, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (queue_.empty() && !stopping_.load()) wake_.wait_until(lock, next_refresh);
        sleeping_.store(false, std::memory_order_relaxed);
    }
}

}  // namespace sockeye::host
