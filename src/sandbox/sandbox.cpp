#include "sandbox/sandbox.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>

#include "sandbox/capabilities.hpp"
#include "sandbox/landlock.hpp"
#include "sandbox/leak_check_hook.hpp"
#include "sandbox/no_new_privs.hpp"
#include "sandbox/privileges.hpp"
#include "sandbox/seccomp.hpp"

namespace sockeye::sandbox {
namespace {

int count_threads() {
    DIR* dir = ::opendir("/proc/self/task");
    if (dir == nullptr) return 0;
    int n = 0;
    while (const dirent* e = ::readdir(dir)) {
        if (e->d_name[0] != '.') ++n;
    }
    ::closedir(dir);
    return n;
}

// While still root, keep what the uid switch itself needs.
constexpr std::uint64_t kSwitchCaps =
    cap_bit(cap::kSetuid) | cap_bit(cap::kSetgid) | cap_bit(cap::kSetpcap);

void add_layer(SandboxReport& report, const char* name, std::string brief, bool enforced) {
    report.layers.push_back(LayerState{name, std::move(brief), enforced});
}

void capabilities_layer(std::uint64_t keep, bool switching, SandboxReport& report) {
    bool bounding = false;
    const auto restricted = restrict_capabilities(keep | (switching ? kSwitchCaps : 0), bounding);
    if (!restricted) {
        report.not_enforced.push_back("capabilities: " + restricted.error().message);
        add_layer(report, "capabilities", "capabilities", false);
        return;
    }
    add_layer(report, "capabilities", "capabilities", true);
    if (switching) return;  // reported after the switch, with the final set
    // Without cap_setpcap the bounding set stays; it only limits what exec
    // could grant, and no_new_privs (next) already forbids that.
    report.enforced.push_back("capabilities: kept " + capability_names(keep) +
                              (bounding ? "" : " (bounding set unchanged: no cap_setpcap)"));
}

void root_layer(std::uint64_t keep, SandboxReport& report) {
    const DropTarget target = default_target();
    const auto dropped = drop_root(target.account, keep);
    if (!dropped) {
        report.not_enforced.push_back("running as root: " + dropped.error().message);
        add_layer(report, "root", "root", false);
        bool bounding = false;  // at least give back cap_setuid and friends
        (void)restrict_capabilities(keep, bounding);  // a failure here is already reported above
        return;
    }
    const std::string uid = "uid " + std::to_string(target.account.uid);
    add_layer(report, "root", uid, true);
    report.enforced.push_back("root dropped: " + uid + " gid " +
                              std::to_string(target.account.gid) + " (" + target.why + ")");
    const auto sets = read_capabilities();
    report.enforced.push_back("capabilities: kept " +
                              capability_names(sets ? sets->permitted : keep));
}

std::string port_list(const std::vector<std::uint16_t>& ports) {
    std::string s;
    for (const std::uint16_t p : ports) s += (s.empty() ? "" : ",") + std::to_string(p);
    return s;
}

void add_ports(std::vector<std::uint16_t>& to, const std::vector<std::uint16_t>& from) {
    for (const std::uint16_t p : from) {
        if (std::find(to.begin(), to.end(), p) == to.end()) to.push_back(p);
    }
}

std::string network_text(const LandlockPolicy& policy) {
    const std::string connect =
        policy.tcp_connect_ports.empty()
            ? "no TCP connect"
            : "TCP connect only to port " + port_list(policy.tcp_connect_ports);
    const std::string bind = policy.tcp_bind_ports.empty()
                                 ? "no TCP bind"
                                 : "TCP bind only to port " + port_list(policy.tcp_bind_ports);
    return "; " + connect + ", " + bind;
}

LandlockPolicy landlock_policy(const SandboxRequest& request) {
    LandlockPolicy policy =
        monitor_policy(request.config_path, request.write_paths, request.reverse_dns);
    add_ports(policy.tcp_connect_ports, request.tcp_connect_ports);
    add_ports(policy.tcp_bind_ports, request.tcp_bind_ports);
    policy.signals_outside = request.allow_kill;
    return policy;
}

void landlock_layer(const SandboxRequest& request, const LandlockPolicy& policy,
                    PreparedLandlock& prepared, const std::string& note, SandboxReport& report) {
    const auto restricted = restrict_landlock(prepared);
    if (!restricted) {
        report.not_enforced.push_back(restricted.error().message);
        add_layer(report, "landlock", "landlock", false);
        return;
    }
    const LandlockStatus& r = *restricted;
    std::string line = "landlock ABI " + std::to_string(r.abi) +
                       ": read-only /proc, /sys, config; writes only to " +
                       (request.write_paths.empty() ? std::string("nothing")
                                                    : std::to_string(request.write_paths.size()) +
                                                          " export path(s)");
    if (r.network) line += network_text(policy);
    if (r.scoped && policy.signals_outside) line += "; signals not scoped (--allow-kill)";
    report.enforced.push_back(line + note);
    const std::string brief = "landlock ABI " + std::to_string(r.abi);
    if (!r.network) {
        report.not_enforced.push_back("landlock network rules: need ABI 4 (kernel 6.7+)");
        add_layer(report, "landlock", brief + " (files only)", false);
        return;
    }
    add_layer(report, "landlock", brief, true);
}

}  // namespace

std::uint64_t needed_capabilities(const SandboxRequest& request) {
    const std::uint64_t kill = request.allow_kill ? cap_bit(cap::kKill) : 0;
    if (!request.attribution) return kill;
    // sock_diag; other users' /proc/PID/fd (ptrace access mode); the
    // attribution thread's nice boost. cap_net_raw went with the open handle.
    return cap_bit(cap::kNetAdmin) | cap_bit(cap::kSysPtrace) | cap_bit(cap::kDacReadSearch) |
           cap_bit(cap::kSysNice) | kill;
}

SandboxReport apply(const SandboxRequest& request, const std::function<void()>& start_unconfined) {
    note_sandbox_entered();
    SandboxReport report;
    if (const int threads = count_threads(); threads > 1) {
        report.not_enforced.push_back(
            std::to_string(threads - 1) +
            " other thread(s) already running keep their capabilities and Landlock-free "
            "access (only seccomp reaches them)");
    }
    const std::uint64_t keep = needed_capabilities(request);
    const bool root = ::geteuid() == 0;
    // Landlock's rules first, while every path is still reachable (see
    // PreparedLandlock); they take effect after no_new_privs.
    const bool landlock = start_unconfined || !request.attribution;
    const LandlockPolicy policy = landlock_policy(request);
    PreparedLandlock prepared = landlock ? prepare_landlock(policy) : PreparedLandlock{};
    capabilities_layer(keep, root, report);
    if (root) {
        root_layer(keep, report);
    } else {
        add_layer(report, "root", "uid " + std::to_string(::getuid()) + " (not root)", true);
    }

    if (const auto set = set_no_new_privs(); set) {
        report.enforced.push_back("no_new_privs");
        add_layer(report, "no_new_privs", "no_new_privs", true);
    } else {
        report.not_enforced.push_back("no_new_privs: " + set.error().message);
        add_layer(report, "no_new_privs", "no_new_privs", false);
    }
    if (start_unconfined) {
        start_unconfined();
        // The unconfined threads took their copy of the capabilities; this
        // thread, and the packet/UI/resolver threads it starts later, need
        // none but cap_kill for --allow-kill (the UI signals from here).
        bool bounding = false;
        const std::uint64_t kill = keep & cap_bit(cap::kKill);
        if (keep != kill && restrict_capabilities(kill, bounding).ok()) {
            report.enforced.push_back(kill != 0
                                          ? "capabilities: cap_kill only outside process attribution"
                                          : "capabilities: none outside process attribution");
        }
        landlock_layer(request, policy, prepared,
                       request.attribution ? " (every thread but process attribution)" : "",
                       report);
    } else if (request.attribution) {
        report.not_enforced.push_back(
            "landlock: skipped: process attribution must read other processes' /proc/PID/fd, "
            "which a Landlock domain forbids (start it through apply()'s start_unconfined)");
        add_layer(report, "landlock", "landlock", false);
    } else {
        landlock_layer(request, policy, prepared, "", report);
    }

    const SeccompDefault fallback =
        request.strict ? SeccompDefault::kill_process : SeccompDefault::errno_eperm;
    if (const auto filtered = apply_seccomp(fallback, request.allow_kill); filtered) {
        report.enforced.push_back("seccomp: " + std::to_string(seccomp_allowlist().size()) +
                                  " syscalls allowed, no exec" +
                                  (request.allow_kill ? ", kill allowed (--allow-kill)" : ", no kill") + " (" +
                                  (request.strict ? "others kill" : "others fail with EPERM") + ")");
        add_layer(report, "seccomp", "seccomp", true);
    } else {
        report.not_enforced.push_back(filtered.error().message);
        add_layer(report, "seccomp", "seccomp", false);
    }
    return report;
}

int SandboxReport::layers_enforced() const {
    int n = 0;
    for (const auto& l : layers) n += l.enforced ? 1 : 0;
    return n;
}

std::string SandboxReport::layers_text() const {
    std::string s = std::to_string(layers_enforced()) + "/" + std::to_string(kLayerCount) + " layers";
    std::string names;
    for (const auto& l : layers) {
        if (l.enforced) names += (names.empty() ? "" : ", ") + l.brief;
    }
    if (!names.empty()) s += " (" + names + ")";
    return s;
}

std::string SandboxReport::summary() const {
    std::string s = layers_text();
    if (!not_enforced.empty()) {
        s += "; not enforced: ";
        for (std::size_t i = 0; i < not_enforced.size(); ++i)
            s += (i == 0 ? "" : "; ") + not_enforced[i];
    }
    return s;
}

std::string describe_support() {
    return "sandbox: landlock " + describe_landlock() + "; seccomp " + describe_seccomp() +
           "; no_new_privs yes; capabilities " +
           (read_capabilities() ? std::string("yes") : std::string("no"));
}

}  // namespace sockeye::sandbox
