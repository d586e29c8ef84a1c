// Idle order of the active flows: one intrusive doubly linked list per
// timeout class, over slab slot numbers. Each list is kept in last-seen
// order (a touched flow moves to the back), so expiry pops heads in
// O(expired) and the idlest flow overall is the oldest of the few heads.
// Free slab slots are chained through the same nodes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "flow/huge_page_allocator.hpp"

namespace sockeye::flow {

enum class TimeoutClass : std::uint8_t {
    tcp_handshake,
    tcp_established,
    tcp_closing,
    udp,
    icmp,
    other,
};
inline constexpr std::size_t kTimeoutClasses = 6;

constexpr std::size_t class_index(TimeoutClass c) { return static_cast<std::size_t>(c); }

class LruLists {
public:
    static constexpr std::uint32_t kNone = 0xFFFF'FFFFU;

    LruLists();
    void reserve(std::size_t slots) { nodes_.reserve(slots); }
    // Makes room for slot number `slots - 1` (the slab grew by one).
    void grow_to(std::size_t slots) { nodes_.resize(slots); }

    void push_back(TimeoutClass c, std::uint32_t slot);
    void unlink(TimeoutClass c, std::uint32_t slot);
    // Marks `slot` as just used; `to` may differ from `from` when the flow's
    // timeout class changed.
    void touch(TimeoutClass from, TimeoutClass to, std::uint32_t slot);
    [[nodiscard]] std::uint32_t front(TimeoutClass c) const { return head_[class_index(c)]; }

    void push_free(std::uint32_t slot);
    std::uint32_t pop_free();  // kNone when no freed slot is waiting

    [[nodiscard]] std::size_t memory_bytes() const { return nodes_.capacity() * sizeof(Node); }

private:
    struct Node {
        std::uint32_t prev = kNone;
        std::uint32_t next = kNone;
    };

    std::vector<Node, HugePageAllocator<Node>> nodes_;
    std::array<std::uint32_t, kTimeoutClasses> head_{};
    std::array<std::uint32_t, kTimeoutClasses> tail_{};
    std::uint32_t free_head_ = kNone;
};

}  // namespace sockeye::flow
