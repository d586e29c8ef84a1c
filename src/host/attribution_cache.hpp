// The attributor's answers, sticky: once a tuple was attributed the answer
// stays (the process may be long gone by the time the UI asks), bounded in
// size and forgotten after a while without use.
//
// Not synchronised by itself: the attributor reads under a shared lock and
// writes under an exclusive one. The "last used" stamp is atomic so readers
// can refresh it under the shared lock.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "host/socket_tuple.hpp"

namespace sockeye::host {

class AttributionCache {
public:
    AttributionCache(std::size_t capacity, std::int64_t idle_ttl_s);

    // The stored answer; refreshes its last-used time to `now_s`.
    std::optional<Attribution> find(const SocketTuple& key, std::int64_t now_s) const;
    [[nodiscard]] bool has_process(const SocketTuple& key) const;
    [[nodiscard]] bool contains(const SocketTuple& key) const { return map_.count(key) != 0; }
    // Stores (or replaces) an answer. At capacity, the least recently used
    // eighth is evicted first.
    void put(const SocketTuple& key, const Attribution& value, std::int64_t now_s);
    // Up to `max` TCP tuples with a process whose socket was not yet found
    // closed: the sockets whose kernel RTT is worth refreshing.
    [[nodiscard]] std::vector<SocketTuple> open_tcp_sockets(std::size_t max) const;
    // Sets a stored answer's kernel RTT (no-op when the tuple is not held).
    void set_kernel_rtt(const SocketTuple& key, std::int64_t srtt_ns);
    // The tuple's socket is closed: its last RTT stays, and it is no longer
    // listed by open_tcp_sockets() (until a new answer is put).
    void mark_closed(const SocketTuple& key);
    // Drops answers unused for longer than the idle ttl; returns how many.
    std::size_t expire(std::int64_t now_s);

    [[nodiscard]] std::size_t size() const { return map_.size(); }
    [[nodiscard]] std::size_t capacity() const { return capacity_; }
    [[nodiscard]] std::uint64_t evicted() const { return evicted_; }

private:
    struct Slot {
        Slot(const Attribution& v, std::int64_t t) : value(v), last_used(t) {}
        Attribution value;
        mutable std::atomic<std::int64_t> last_used;
        bool closed = false;
    };

    void evict_oldest();

    std::unordered_map<SocketTuple, Slot, SocketTupleHash> map_;
    std::size_t capacity_;
    std::int64_t ttl_s_;
    std::uint64_t evicted_ = 0;
};

}  // namespace sockeye::host
