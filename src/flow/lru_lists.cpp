#include "flow/lru_lists.hpp"

namespace sockeye::flow {

LruLists::LruLists() {
    head_.fill(kNone);
    tail_.fill(kNone);
}

void LruLists::push_back(TimeoutClass c, std::uint32_t slot) {
    const std::size_t i = class_index(c);
    Node& n = nodes_[slot];
    n.prev = tail_[i];
    n.next = kNone;
    if (tail_[i] == kNone) head_[i] = slot;
    else nodes_[tail_[i]].next = slot;
    tail_[i] = slot;
}

void LruLists::unlink(TimeoutClass c, std::uint32_t slot) {
    const std::size_t i = class_index(c);
    Node& n = nodes_[slot];
    if (n.prev == kNone) head_[i] = n.next;
    else nodes_[n.prev].next = n.next;
    if (n.next == kNone) tail_[i] = n.prev;
    else nodes_[n.next].prev = n.prev;
    n = Node{};
}

void LruLists::touch(TimeoutClass from, TimeoutClass to, std::uint32_t slot) {
    // Bursts of one flow are common; its node is then already the tail.
    if (from == to && tail_[class_index(to)] == slot) return;
    unlink(from, slot);
    push_back(to, slot);
}

void LruLists::push_free(std::uint32_t slot) {
    nodes_[slot] = Node{kNone, free_head_};
    free_head_ = slot;
}

std::uint32_t LruLists::pop_free() {
    const std::uint32_t slot = free_head_;
    if (slot != kNone) {
        free_head_ = nodes_[slot].next;
        nodes_[slot] = Node{};
    }
    return slot;
}

}  // namespace sockeye::flow
