#include "sandbox/capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sockeye::sandbox {
namespace {

// Version 3 headers carry two 32-bit words per set (capabilities 0-63).
constexpr int kWords = 2;

constexpr const char* kNames[] = {
    "cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid",
    "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable",
    "cap_net_bind_service", "cap_net_broadcast", "cap_net_admin", "cap_net_raw",
    "cap_ipc_lock", "cap_ipc_owner", "cap_sys_module", "cap_sys_rawio", "cap_sys_chroot",
    "cap_sys_ptrace", "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot", "cap_sys_nice",
    "cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod", "cap_lease",
    "cap_audit_write", "cap_audit_control", "cap_setfcap", "cap_mac_override",
    "cap_mac_admin", "cap_syslog", "cap_wake_alarm", "cap_block_suspend", "cap_audit_read",
    "cap_perfmon", "cap_bpf", "cap_checkpoint_restore"};
constexpr int kNamedCaps = static_cast<int>(sizeof kNames / sizeof kNames[0]);

std::uint64_t join(std::uint32_t low, std::uint32_t high) {
    return (std::uint64_t{high} << 32) | low;
}

core::Error errno_error(const char* what) {
    const int e = errno;
    return {core::error_code_for_errno(e), std::string(what) + ": " + std::strerror(e)};
}

}  // namespace

std::optional<CapSets> read_capabilities() {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[kWords] = {};
    if (::syscall(SYS_capget, &header, data) != 0) return std::nullopt;
    return CapSets{join(data[0].effective, data[1].effective),
                   join(data[0].permitted, data[1].permitted),
                   join(data[0].inheritable, data[1].inheritable)};
}

bool write_capabilities(const CapSets& sets) {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[kWords] = {};
    for (int i = 0; i < kWords; ++i) {
        const int shift = 32 * i;
        data[i].effective = static_cast<std::uint32_t>(sets.effective >> shift);
        data[i].permitted = static_cast<std::uint32_t>(sets.permitted >> shift);
        data[i].inheritable = static_cast<std::uint32_t>(sets.inheritable >> shift);
    }
    return ::syscall(SYS_capset, &header, data) == 0;
}

int last_capability() {
    std::FILE* f = std::fopen("/proc/sys/kernel/cap_last_cap", "re");
    int last = -1;
    if (f != nullptr) {
        if (std::fscanf(f, "%d", &last) != 1) last = -1;
        std::fclose(f);
    }
    // Older kernels lack the file; probing the bounding set finds the end.
    if (last < 0 || last > 63) {
        last = 0;
        while (last < 63 && ::prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) ++last;
    }
    return last;
}

bool in_bounding_set(int cap) { return ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1; }

std::string capability_names(std::uint64_t mask) {
    std::string out;
    for (int c = 0; c < 64; ++c) {
        if ((mask & cap_bit(c)) == 0) continue;
        if (!out.empty()) out += ',';
        out += c < kNamedCaps ? std::string(kNames[c]) : "cap_" + std::to_string(c);
    }
    return out.empty() ? "none" : out;
}

core::Result<void> restrict_capabilities(std::uint64_t keep, bool& bounding_dropped) {
    bounding_dropped = false;
    const auto current = read_capabilities();
    if (!current) return errno_error("capget");
    // Ambient capabilities would survive a (forbidden anyway) exec; clear them.
    // EINVAL: kernel older than 4.3, which has no ambient set to clear.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return errno_error("clearing the ambient set");
    if ((current->effective & cap_bit(cap::kSetpcap)) != 0) {
        const int last = last_capability();
        for (int c = 0; c <= last; ++c) {
            if ((keep & cap_bit(c)) != 0 || !in_bounding_set(c)) continue;
            if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0)
                return errno_error("dropping from the bounding set");
        }
        bounding_dropped = true;
    }
    CapSets next;
    next.permitted = current->permitted & keep;
    next.effective = next.permitted;
    next.inheritable = 0;
    if (!write_capabilities(next)) return errno_error("capset");
    return {};
}

}  // namespace sockeye::sandbox
