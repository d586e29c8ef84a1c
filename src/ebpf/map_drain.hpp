// Reads a hash map's entries and deletes them, in bulk where the kernel
// can: BPF_MAP_LOOKUP_AND_DELETE_BATCH returns whole buckets, hundreds of
// entries per system call, where the key-by-key walk needs three calls per
// entry (next key, lookup, delete) and one more that fails at the end.
// Kernels before 5.6 (no batch command for hash maps) get that walk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace sockeye::ebpf {

class MapDrain {
public:
    // Entry sizes as the map was created with; `chunk`: entries per batch
    // call (a bucket larger than that is read by the walk instead).
    MapDrain(std::size_t key_size, std::size_t value_size, std::size_t chunk = 256);

    using Each = std::function<void(const void* key, const void* value)>;
    // Calls `each` for every entry read, each deleted from the map; stops
    // once `max` were read (a batch call may return a few more: they are
    // deleted already, so they are passed on too). Returns how many.
    std::size_t drain(int map_fd, std::size_t max, const Each& each);

    // False once the kernel refused the batch command: key-by-key from then on.
    [[nodiscard]] bool batched() const { return batched_; }
    // For tests: the walk, as on a kernel without the batch command.
    void use_walk() { batched_ = false; }
    // bpf() calls made so far.
    [[nodiscard]] std::uint64_t calls() const { return calls_; }

private:
    // -1: the kernel has no batch command (fall back); else entries read.
    std::ptrdiff_t drain_batched(int map_fd, std::size_t max, const Each& each);
    std::size_t drain_walk(int map_fd, std::size_t max, const Each& each);

    std::size_t key_size_;
    std::size_t value_size_;
    std::size_t chunk_;
    bool batched_ = true;
    std::uint64_t calls_ = 0;
    std::vector<unsigned char> keys_;
    std::vector<unsigned char> values_;
};

}  // namespace sockeye::ebpf
