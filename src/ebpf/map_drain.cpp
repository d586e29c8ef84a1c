#include "ebpf/map_drain.hpp"

#include <cerrno>

#include "ebpf/bpf_syscall.hpp"

namespace sockeye::ebpf {

MapDrain::MapDrain(std::size_t key_size, std::size_t value_size, std::size_t chunk)
    : key_size_(key_size), value_size_(value_size), chunk_(chunk == 0 ? 1 : chunk) {}

std::size_t MapDrain::drain(int map_fd, std::size_t max, const Each& each) {
    if (batched_) {
        const std::ptrdiff_t n = drain_batched(map_fd, max, each);
        if (n >= 0) return static_cast<std::size_t>(n);
        batched_ = false;
    }
    return drain_walk(map_fd, max, each);
}

std::ptrdiff_t MapDrain::drain_batched(int map_fd, std::size_t max, const Each& each) {
    keys_.resize(chunk_ * key_size_);
    values_.resize(chunk_ * value_size_);
    // The cursor is a u32 bucket index for hash maps; room for a u64.
    std::uint64_t cursor = 0;
    std::uint64_t next = 0;
    bool first = true;
    std::size_t n = 0;
    while (n < max) {
        auto count = static_cast<std::uint32_t>(chunk_);
        ++calls_;
        const int rc = map_lookup_and_delete_batch(map_fd, first ? nullptr : &cursor, &next,
                                                   keys_.data(), values_.data(), count);
        if (rc != 0 && rc != ENOENT && rc != ENOSPC) {
            // The command itself is missing: only on the very first call.
            if (first && n == 0 && (rc == EINVAL || rc == EOPNOTSUPP || rc == 524 /* ENOTSUPP */)) return -1;
            break;  // anything else: what came back so far; the next drain tries again
        }
        for (std::uint32_t i = 0; i < count; ++i) {
            each(keys_.data() + i * key_size_, values_.data() + i * value_size_);
        }
        n += count;
        if (rc == ENOENT) break;
        if (rc == ENOSPC) {
            // One bucket outgrew the chunk: finish this drain key by key.
            n += drain_walk(map_fd, max > n ? max - n : 0, each);
            break;
        }
        cursor = next;
        first = false;
    }
    return static_cast<std::ptrdiff_t>(n);
}

std::size_t MapDrain::drain_walk(int map_fd, std::size_t max, const Each& each) {
    // Keys first: deleting while walking would restart the walk (the next
    // key of a deleted key is the first key).
    std::vector<unsigned char> walked;
    std::vector<unsigned char> prev(key_size_);
    std::vector<unsigned char> key(key_size_);
    bool first = true;
    while (walked.size() / key_size_ < max) {
        ++calls_;
        if (map_next_key(map_fd, first ? nullptr : prev.data(), key.data()) != 0) break;
        walked.insert(walked.end(), key.begin(), key.end());
        prev = key;
        first = false;
    }
    std::vector<unsigned char> value(value_size_);
    std::size_t n = 0;
    for (std::size_t off = 0; off < walked.size(); off += key_size_) {
        const unsigned char* k = walked.data() + off;
        ++calls_;
        if (map_lookup(map_fd, k, value.data()) != 0) continue;  // evicted meanwhile
        ++calls_;
        map_delete(map_fd, k);
        each(k, value.data());
        ++n;
    }
    return n;
}

}  // namespace sockeye::ebpf
