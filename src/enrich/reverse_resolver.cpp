#include "enrich/reverse_resolver.hpp"

#include <ares.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/socket_address.hpp"
#include "core/address_scope.hpp"
#include "enrich/host_name_text.hpp"
#include "enrich/name_cache.hpp"
#include "enrich/own_queries.hpp"
#include "enrich/rate_limiter.hpp"

namespace sockeye::enrich {
namespace {

using Clock = std::chrono::steady_clock;

// c-ares 1.18 closes its sockets whenever no query is left and opens a new
// one (a new random source port) for the next: at the default pace that is
// at most a few sockets a second, and records expire after the linger time.
constexpr std::size_t kMaxOwnSockets = 1024;
// Longest sleep of the resolver thread; request() and shutdown wake it sooner.
constexpr long kIdlePollMs = 1000;

void library_init() {
    static std::once_flag once;
    std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

// Answers that mean "this address has no (usable) name", as opposed to the
// server failing to answer. ares_gethostbyaddr reports every DNS failure as
// ARES_ENOTFOUND once its lookups are used up; only its timeout count tells a
// silent server from an NXDOMAIN.
bool definite_no_name(int status, int timeouts) {
    if (timeouts > 0) return false;
    return status == ARES_SUCCESS || status == ARES_ENOTFOUND || status == ARES_ENODATA ||
           status == ARES_EBADNAME;
}

}  // namespace

class ReverseResolver::Impl {
public:
    explicit Impl(const ResolverOptions& options)
        : options_(options),
          max_in_flight_(std::max<std::size_t>(options.max_in_flight, 1)),
          limiter_(options.queries_per_second, options.queries_per_second),
          cache_(options.max_cache_entries),
          own_(options.own_socket_linger, kMaxOwnSockets) {}
    ~Impl();

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    core::Result<void> init();
    void launch() {
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }

    void request(const core::IpAddress& address);
    std::optional<std::string> name(const core::IpAddress& address) const;
    bool is_own_query(snapshot::FlowProtocol protocol, std::uint16_t local_port,
                      const core::IpAddress& remote, std::uint16_t remote_port) const;
    ResolverStats stats() const;

private:
    struct Lookup {
        Impl* impl;
        core::IpAddress address;
    };

    bool in_scope(const core::IpAddress& address) const;
    void run();
    void start_lookups(Clock::time_point now);
    int poll_timeout_ms(Clock::time_point now);
    void process(const std::vector<pollfd>& fds);
    void wake();
    void finish(Lookup* lookup, int status, int timeouts, const hostent* host);

    static void on_host(void* arg, int status, int timeouts, hostent* host);
    static int on_socket_created(ares_socket_t fd, int type, void* data);
    static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable);

    const ResolverOptions options_;
    const std::size_t max_in_flight_;
    ares_channel channel_ = nullptr;
    int wake_fd_ = -1;
    std::thread thread_;

    // Resolver thread only.
    std::list<Lookup> in_flight_;  // stable addresses: c-ares holds pointers to them
    std::unordered_map<ares_socket_t, short> sockets_;  // c-ares' sockets -> poll events
    RateLimiter limiter_;

    // Shared with the callers of request(), name(), is_own_query(), stats().
    mutable std::mutex mutex_;
    bool stopping_ = false;
    std::deque<core::IpAddress> queue_;
    std::unordered_set<core::IpAddress, core::IpAddressHash> pending_;  // queued or in flight
    NameCache cache_;
    OwnQueryLog own_;
    ResolverStats stats_;
};

ReverseResolver::Impl::~Impl() {
    if (thread_.joinable()) {
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake();
        thread_.join();
    }
    // run() destroys the channel on its way out; this covers a failed init().
    if (channel_ != nullptr) ares_destroy(channel_);
    if (wake_fd_ >= 0) close(wake_fd_);
}

core::Result<void> ReverseResolver::Impl::init() {
    std::string lookups = options_.use_hosts_file ? "fb" : "b";
    ares_options opts{};
    opts.timeout = static_cast<int>(std::max<long long>(options_.timeout.count(), 1));
    opts.tries = std::max(options_.tries, 1);
    opts.lookups = lookups.data();
    opts.sock_state_cb = &Impl::on_socket_state;
    opts.sock_state_cb_data = this;
    const int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS | ARES_OPT_SOCK_STATE_CB;
    int rc = ares_init_options(&channel_, &opts, mask);
    if (rc != ARES_SUCCESS) {
        channel_ = nullptr;
        return core::Error{rc == ARES_ENOMEM ? core::ErrorCode::resource_exhausted : core::ErrorCode::io,
                           std::string("reverse DNS: cannot set up c-ares: ") + ares_strerror(rc)};
    }
    if (!options_.servers.empty()) {
        rc = ares_set_servers_ports_csv(channel_, options_.servers.c_str());
        if (rc != ARES_SUCCESS) {
            return core::Error{core::ErrorCode::usage, "reverse DNS: bad server list '" + options_.servers +
                                                           "': " + ares_strerror(rc)};
        }
    }
    ares_set_socket_callback(channel_, &Impl::on_socket_created, this);
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
        const int e = errno;
        return core::Error{core::error_code_for_errno(e),
                           std::string("reverse DNS: eventfd: ") + std::strerror(e)};
    }
    return {};
}

bool ReverseResolver::Impl::in_scope(const core::IpAddress& address) const {
    switch (core::scope_of(address)) {
        // Test networks number themselves from the documentation ranges and
        // may serve PTR records for them.
        case core::AddressScope::public_:
        case core::AddressScope::documentation: return true;
        case core::AddressScope::private_:
        case core::AddressScope::loopback:
        case core::AddressScope::link_local:
        case core::AddressScope::cgnat: return options_.resolve_local;
        case core::AddressScope::unspecified:
        case core::AddressScope::multicast:
        case core::AddressScope::reserved: return false;
    }
    return false;
}

void ReverseResolver::Impl::request(const core::IpAddress& address) {
    if (!in_scope(address)) return;
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ || pending_.count(address) != 0) return;
        const NameCache::Entry* entry = cache_.find(address);
        if (entry != nullptr && Clock::now() < entry->expires) return;
        if (queue_.size() >= options_.max_queued) {
            ++stats_.dropped;
            return;
        }
        queue_.push_back(address);
        pending_.insert(address);
        ++stats_.requested;
    }
    wake();
}

std::optional<std::string> ReverseResolver::Impl::name(const core::IpAddress& address) const {
    const std::lock_guard lock(mutex_);
    const NameCache::Entry* entry = cache_.find(address);
    if (entry == nullptr || entry->name.empty()) return std::nullopt;
    return entry->name;
}

bool ReverseResolver::Impl::is_own_query(snapshot::FlowProtocol protocol, std::uint16_t local_port,
                                         const core::IpAddress& remote, std::uint16_t remote_port) const {
    const std::lock_guard lock(mutex_);
    return own_.matches(protocol, local_port, remote, remote_port, Clock::now());
}

ResolverStats ReverseResolver::Impl::stats() const {
    const std::lock_guard lock(mutex_);
    return stats_;
}

void ReverseResolver::Impl::wake() {
    const std::uint64_t one = 1;
    const ssize_t written = write(wake_fd_, &one, sizeof one);
    (void)written;  // the counter is already non-zero if this fails (EAGAIN)
}

void ReverseResolver::Impl::run() {
    std::vector<pollfd> fds;
    for (;;) {
        {
            const std::lock_guard lock(mutex_);
            if (stopping_) break;
        }
        start_lookups(Clock::now());
        fds.clear();
        fds.push_back(pollfd{wake_fd_, POLLIN, 0});
        for (const auto& [fd, events] : sockets_) fds.push_back(pollfd{fd, events, 0});
        if (poll(fds.data(), fds.size(), poll_timeout_ms(Clock::now())) < 0) {
            for (pollfd& p : fds) p.revents = 0;  // EINTR: only timeouts to process
        }
        if ((fds.front().revents & POLLIN) != 0) {
            std::uint64_t count = 0;
            const ssize_t got = read(wake_fd_, &count, sizeof count);
            (void)got;
        }
        process(fds);
    }
    // Calls every pending callback with ARES_EDESTRUCTION and closes the sockets.
    ares_destroy(channel_);
    channel_ = nullptr;
}

void ReverseResolver::Impl::process(const std::vector<pollfd>& fds) {
    bool any = false;
    for (std::size_t i = 1; i < fds.size(); ++i) {
        const short revents = fds[i].revents;
        if (revents == 0) continue;
        any = true;
        const bool readable = (revents & (POLLIN | POLLERR | POLLHUP)) != 0;
        const bool writable = (revents & POLLOUT) != 0;
        ares_process_fd(channel_, readable ? fds[i].fd : ARES_SOCKET_BAD,
                        writable ? fds[i].fd : ARES_SOCKET_BAD);
    }
    // No socket ready: let c-ares handle its timeouts (retries, next server).
    if (!any) ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

void ReverseResolver::Impl::start_lookups(Clock::time_point now) {
    std::vector<core::IpAddress> batch;
    {
        const std::lock_guard lock(mutex_);
        while (!queue_.empty() && in_flight_.size() + batch.size() < max_in_flight_ &&
               limiter_.try_acquire(now)) {
            batch.push_back(queue_.front());
            queue_.pop_front();
        }
        stats_.started += batch.size();
        stats_.in_flight_peak = std::max(stats_.in_flight_peak, in_flight_.size() + batch.size());
    }
    for (const core::IpAddress& address : batch) {
        in_flight_.push_back(Lookup{this, address});
        const bool v4 = address.is_v4();
        // May call on_host() before it returns (an /etc/hosts hit).
        ares_gethostbyaddr(channel_, address.bytes.data(), v4 ? 4 : 16, v4 ? AF_INET : AF_INET6,
                           &Impl::on_host, &in_flight_.back());
    }
}

int ReverseResolver::Impl::poll_timeout_ms(Clock::time_point now) {
    long wait_ms = kIdlePollMs;
    {
        const std::lock_guard lock(mutex_);
        if (!queue_.empty() && in_flight_.size() < max_in_flight_) {
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(limiter_.wait(now));
            wait_ms = std::min<long>(wait_ms, static_cast<long>(wait.count()));
        }
    }
    timeval max_tv{wait_ms / 1000, (wait_ms % 1000) * 1000};
    timeval tv{};
    const timeval* t = ares_timeout(channel_, &max_tv, &tv);
    const long ms = static_cast<long>(t->tv_sec) * 1000 + (static_cast<long>(t->tv_usec) + 999) / 1000;
    return static_cast<int>(std::clamp<long>(ms, 0, kIdlePollMs));
}

void ReverseResolver::Impl::finish(Lookup* lookup, int status, int timeouts, const hostent* host) {
    const core::IpAddress address = lookup->address;
    in_flight_.remove_if([lookup](const Lookup& l) { return &l == lookup; });
    std::optional<std::string> name;
    if (status == ARES_SUCCESS && host != nullptr && host->h_name != nullptr)
        name = clean_host_name(host->h_name);
    const Clock::time_point now = Clock::now();
    const std::lock_guard lock(mutex_);
    pending_.erase(address);
    if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) return;
    if (name) {
        cache_.put(address, std::move(*name), now + options_.positive_ttl);
        ++stats_.named;
    } else if (definite_no_name(status, timeouts)) {
        cache_.put(address, {}, now + options_.negative_ttl);
        ++stats_.not_found;
    } else {
        cache_.put(address, {}, now + options_.failure_ttl);
        ++stats_.failed;
    }
}

void ReverseResolver::Impl::on_host(void* arg, int status, int timeouts, hostent* host) {
    auto* lookup = static_cast<Lookup*>(arg);
    lookup->impl->finish(lookup, status, timeouts, host);
}

// Runs right after c-ares connected a new socket to a server: the kernel has
// picked the local port by then.
int ReverseResolver::Impl::on_socket_created(ares_socket_t fd, int type, void* data) {
    auto* self = static_cast<Impl*>(data);
    const auto local = core::local_endpoint(fd);
    const auto remote = core::remote_endpoint(fd);
    if (local && remote) {
        const auto protocol = type == SOCK_STREAM ? snapshot::FlowProtocol::tcp : snapshot::FlowProtocol::udp;
        const std::lock_guard lock(self->mutex_);
        self->own_.opened(fd, protocol, local->port, remote->address, remote->port, Clock::now());
    }
    return ARES_SUCCESS;
}

// c-ares reports (0, 0) just before it closes a socket.
void ReverseResolver::Impl::on_socket_state(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<Impl*>(data);
    if (readable == 0 && writable == 0) {
        self->sockets_.erase(fd);
        const std::lock_guard lock(self->mutex_);
        self->own_.closed(fd, Clock::now());
        return;
    }
    self->sockets_[fd] = static_cast<short>((readable != 0 ? POLLIN : 0) | (writable != 0 ? POLLOUT : 0));
}

// --- ReverseResolver -------------------------------------------------------------

core::Result<std::unique_ptr<ReverseResolver>> ReverseResolver::start(const ResolverOptions& options) {
    auto resolver = open(options);
    if (resolver) (*resolver)->launch();
    return resolver;
}

core::Result<std::unique_ptr<ReverseResolver>> ReverseResolver::open(const ResolverOptions& options) {
    library_init();
    auto impl = std::make_unique<Impl>(options);
    if (auto ready = impl->init(); !ready) return std::move(ready).error();
    return std::unique_ptr<ReverseResolver>(new ReverseResolver(std::move(impl)));
}

void ReverseResolver::launch() { impl_->launch(); }

ReverseResolver::ReverseResolver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReverseResolver::~ReverseResolver() = default;

void ReverseResolver::request(const core::IpAddress& address) { impl_->request(address); }

std::optional<std::string> ReverseResolver::name(const core::IpAddress& address) const {
    return impl_->name(address);
}

bool ReverseResolver::is_own_query(snapshot::FlowProtocol protocol, std::uint16_t local_port,
                                   const core::IpAddress& remote, std::uint16_t remote_port) const {
    return impl_->is_own_query(protocol, local_port, remote, remote_port);
}

ResolverStats ReverseResolver::stats() const { return impl_->stats(); }

}  // namespace sockeye::enrich

namespace sockeye::enrich {

std::string resolver_library_version() { return std::string("c-ares ") + ares_version(nullptr); }

}  // namespace sockeye::enrich
