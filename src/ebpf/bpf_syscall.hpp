// Thin wrappers over the bpf(2) system call: the few commands sockeye uses
// (create a map, load a program, attach it, read and delete map entries),
// with file descriptors owned by RAII and failures as text plus errno.
// No libbpf: it would bring libelf and zlib into the static musl build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "core/unique_fd.hpp"
#include "ebpf/bpf_insn.hpp"

namespace sockeye::ebpf {

// Owns one fd (map, program or link); closing a link's fd detaches it.

struct BpfError {
    int errno_value = 0;
    std::string text;  // "BPF_PROG_LOAD: Permission denied", plus the verifier log's tail
};

struct MapSpec {
    std::uint32_t type = 0;  // BPF_MAP_TYPE_*
    std::uint32_t key_size = 0;
    std::uint32_t value_size = 0;
    std::uint32_t max_entries = 0;
    std::string name;  // at most 15 characters are kept
};

struct ProgSpec {
    std::uint32_t type = 0;  // BPF_PROG_TYPE_*
    std::span<const Insn> insns;
    std::string license = "Dual MIT/GPL";
    std::string name;
    std::uint32_t expected_attach_type = 0;
    std::uint32_t attach_btf_id = 0;
};

core::UniqueFd map_create(const MapSpec& spec, BpfError& error);
// On a verifier refusal, loads again with the log on and puts its last
// lines into the error text.
core::UniqueFd prog_load(const ProgSpec& spec, BpfError& error);
// Attaches a BPF_PROG_TYPE_RAW_TRACEPOINT program to a tracepoint by name;
// needs no tracefs.
core::UniqueFd raw_tracepoint_open(const std::string& tracepoint, int prog_fd, BpfError& error);

// Map access: 0 or an errno value (ENOENT: no such key / no more keys).
int map_lookup(int map_fd, const void* key, void* value);
int map_update(int map_fd, const void* key, const void* value, std::uint64_t flags = 0);
int map_delete(int map_fd, const void* key);
// The key after `key`, or the first one with `key` == nullptr.
int map_next_key(int map_fd, const void* key, void* next_key);
// BPF_MAP_LOOKUP_AND_DELETE_BATCH (hash maps: kernel 5.6+): copies up to
// `count` entries, from whole buckets starting at the cursor `in_batch`
// (nullptr: the first), into `keys` and `values`, deletes them, and sets
// `count` to how many and `out_batch` to the cursor to go on from (a u32
// for hash maps; give it 8 bytes). 0: more may follow; ENOENT: the walk is
// done (the `count` entries of this call still came back); ENOSPC: one
// bucket holds more than `count`; EINVAL or EOPNOTSUPP: no such command
// for this kernel or map type.
int map_lookup_and_delete_batch(int map_fd, const void* in_batch, void* out_batch, void* keys,
                                void* values, std::uint32_t& count);

// "Operation not permitted (EPERM)".
std::string errno_text(int errno_value);

}  // namespace sockeye::ebpf
