// The userspace side of eBPF attribution: the records drained from the
// kernel map, keyed by socket tuple, bounded in size and forgotten after a
// while. A flow is matched exactly first; an unconnected UDP socket or an
// ICMP ping socket (no remote address in its record; a ping socket's port is
// its echo identifier) is matched by local address and port, and one bound
// to every address by port alone. A raw ICMP socket's record (taken from its
// echo request) is a complete tuple: matched exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "core/ip_address.hpp"
#include "core/socket_tuple.hpp"
#include "ebpf/owner_record.hpp"

namespace sockeye::ebpf {

class OwnerTable {
public:
    OwnerTable(std::size_t capacity, std::int64_t ttl_s);

    // Newer records replace older ones for the same key. At capacity, the
    // oldest eighth is evicted first.
    void add(const OwnerRecord& record, std::int64_t now_s);
    // The owner of a flow seen from its local side (addresses unmapped).
    [[nodiscard]] std::optional<OwnerRecord> find(const core::SocketTuple& flow) const;
    std::size_t expire(std::int64_t now_s);
    [[nodiscard]] std::size_t size() const { return map_.size(); }

private:
    struct Slot {
        OwnerRecord record;
        std::int64_t added_s = 0;
    };
    void evict_oldest();

    std::unordered_map<core::SocketTuple, Slot, core::SocketTupleHash> map_;
    std::size_t capacity_;
    std::int64_t ttl_s_;
};

}  // namespace sockeye::ebpf
