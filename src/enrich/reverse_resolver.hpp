// Asynchronous reverse DNS (PTR) for the addresses of the connection table,
// with c-ares on a thread of its own: request() and name() never block on the
// network, so the engine and the TUI never wait for a DNS server.
//
// Results are cached (positive and negative, bounded), queries are paced
// (queries per second and at most N at once) and the sockets of our own
// queries are remembered so the app can hide them from the table.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/ip_address.hpp"
#include "core/result.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::enrich {

struct ResolverOptions {
    // c-ares server list ("127.0.0.1:5353,[::1]:53"); empty: /etc/resolv.conf.
    std::string servers;
    std::chrono::milliseconds timeout{2000};  // per try and server
    int tries = 2;
    unsigned queries_per_second = 20;  // 0: unpaced
    std::size_t max_in_flight = 8;
    std::size_t max_queued = 512;  // further requests are dropped until there is room
    std::size_t max_cache_entries = 8192;
    std::chrono::seconds positive_ttl{3600};
    std::chrono::seconds negative_ttl{600};  // the server said there is no name
    std::chrono::seconds failure_ttl{60};    // timeout, refused, server failure
    // Private, loopback and link-local addresses: a LAN DNS server may know
    // them, but a user may not want them sent to it.
    bool resolve_local = true;
    // Look in /etc/hosts before asking DNS (c-ares "fb" order) or not ("b").
    bool use_hosts_file = true;
    // How long a closed query socket still counts for is_own_query().
    std::chrono::seconds own_socket_linger{300};
};

struct ResolverStats {
    std::uint64_t requested = 0;  // request() calls that queued a lookup
    std::uint64_t dropped = 0;    // requests refused because the queue was full
    std::uint64_t started = 0;    // lookups handed to c-ares
    std::uint64_t named = 0;      // lookups that gave a usable name
    std::uint64_t not_found = 0;  // no PTR record (or an unusable name)
    std::uint64_t failed = 0;     // timeouts and server errors
    std::size_t in_flight_peak = 0;
};

// "c-ares 1.18.1": the resolver library linked in, for --version.
std::string resolver_library_version();

class ReverseResolver {
public:
    // Starts the resolver thread. Fails (one line) for a bad server list
    // (ErrorCode::usage) or when c-ares cannot be set up.
    static core::Result<std::unique_ptr<ReverseResolver>> start(const ResolverOptions& options);
    // The same in two steps, so a sandbox can be applied in between: open()
    // sets c-ares up (reads /etc/resolv.conf) without a thread; launch()
    // starts the thread (idempotent). request() before launch() only queues.
    static core::Result<std::unique_ptr<ReverseResolver>> open(const ResolverOptions& options);
    void launch();
    // Stops the thread; lookups still in flight are abandoned.
    ~ReverseResolver();

    ReverseResolver(const ReverseResolver&) = delete;
    ReverseResolver& operator=(const ReverseResolver&) = delete;

    // Asks for the name of `address` unless it is cached and fresh, already
    // pending, or out of scope. Never blocks on I/O.
    void request(const core::IpAddress& address);
    // The cached name, also after its TTL ran out (request() refreshes it);
    // nullopt while unknown or when the address has no name.
    [[nodiscard]] std::optional<std::string> name(const core::IpAddress& address) const;
    // True for a flow that is one of the resolver's own DNS queries.
    [[nodiscard]] bool is_own_query(snapshot::FlowProtocol protocol, std::uint16_t local_port,
                                    const core::IpAddress& remote, std::uint16_t remote_port) const;
    [[nodiscard]] ResolverStats stats() const;

private:
    class Impl;

    explicit ReverseResolver(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> impl_;
};

}  // namespace sockeye::enrich
