// Linux capabilities of the calling thread, read and dropped with raw
// capget/capset/prctl: the static musl binary has no libcap, and the
// interface is three small syscalls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace sockeye::sandbox {

// Capability numbers from linux/capability.h; only the ones sockeye names.
namespace cap {
constexpr int kChown = 0;
constexpr int kDacOverride = 1;
constexpr int kDacReadSearch = 2;
constexpr int kKill = 5;
constexpr int kSetgid = 6;
constexpr int kSetuid = 7;
constexpr int kSetpcap = 8;
constexpr int kNetAdmin = 12;
constexpr int kNetRaw = 13;
constexpr int kSysPtrace = 19;
constexpr int kSysAdmin = 21;
constexpr int kSysNice = 23;
}  // namespace cap

constexpr std::uint64_t cap_bit(int cap) { return std::uint64_t{1} << cap; }

struct CapSets {
    std::uint64_t effective = 0;
    std::uint64_t permitted = 0;
    std::uint64_t inheritable = 0;
};

// The calling thread's sets; nullopt (errno set) when capget fails.
std::optional<CapSets> read_capabilities();
// Replaces the calling thread's sets; false (errno set) on failure.
bool write_capabilities(const CapSets& sets);

// Highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap).
int last_capability();
// True when `cap` is still in the calling thread's bounding set.
bool in_bounding_set(int cap);

// "cap_net_admin,cap_sys_ptrace" for a mask; "none" when empty.
std::string capability_names(std::uint64_t mask);

// Leaves only `keep` in the permitted and effective sets: clears the
// inheritable and ambient sets and drops everything else from the bounding
// set. The bounding drop needs cap_setpcap; without it the bounding set
// stays (`bounding_dropped` false), which is harmless once no_new_privs and
// seccomp make exec impossible. The error names the step that failed, coded
// by its errno.
core::Result<void> restrict_capabilities(std::uint64_t keep, bool& bounding_dropped);

}  // namespace sockeye::sandbox
