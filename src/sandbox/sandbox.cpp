#include "sandbox/sandbox.hpp"

#include <dirent.h>
#include <unistd.h>

#include "sandbox/capabilities.hpp"
#include "sandbox/landlock.hpp"
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

void capabilities_layer(std::uint64_t keep, bool switching, SandboxReport& report) {
    bool bounding = false;
    const std::string err = restrict_capabilities(keep | (switching ? kSwitchCaps : 0), bounding);
    if (!err.empty()) {
        report.not_enforced.push_back("capabilities: " + err);
        return;
    }
    if (switching) return;  // reported after the switch, with the final set
    // Without cap_setpcap the bounding set stays; it only limits what exec
    // could grant, and no_new_privs (next) already forbids that.
    report.enforced.push_back("capabilities: kept " + capability_names(keep) +
                              (bounding ? "" : " (bounding set unchanged: no cap_setpcap)"));
}

void root_layer(std::uint64_t keep, SandboxReport& report) {
    const DropTarget target = default_target();
    const std::string err = drop_root(target.account, keep);
    if (!err.empty()) {
        report.not_enforced.push_back("running as root: " + err);
        bool bounding = false;  // at least give back cap_setuid and friends
        restrict_capabilities(keep, bounding);
        return;
    }
    report.enforced.push_back("root dropped: uid " + std::to_string(target.account.uid) +
                              " gid " + std::to_string(target.account.gid) + " (" + target.why + ")");
    const auto sets = read_capabilities();
    report.enforced.push_back("capabilities: kept " +
                              capability_names(sets ? sets->permitted : keep));
}

void landlock_layer(const SandboxRequest& request, const std::string& note,
                    SandboxReport& report) {
    LandlockPolicy policy =
        monitor_policy(request.config_path, request.write_paths, request.reverse_dns);
    if (request.reverse_dns) policy.tcp_connect_ports = {request.dns_tcp_port};
    const LandlockResult r = apply_landlock(policy);
    if (!r.error.empty()) {
        report.not_enforced.push_back(r.error);
        return;
    }
    std::string line = "landlock ABI " + std::to_string(r.abi) +
                       ": read-only /proc, /sys, config; writes only to " +
                       (request.write_paths.empty() ? std::string("nothing")
                                                    : std::to_string(request.write_paths.size()) +
                                                          " export path(s)");
    if (r.network) {
        line += request.reverse_dns
                    ? "; TCP connect only to port " + std::to_string(request.dns_tcp_port) + ", no TCP bind"
                    : "; no TCP connect or bind";
    }
    report.enforced.push_back(line + note);
    if (!r.network)
        report.not_enforced.push_back("landlock network rules: need ABI 4 (kernel 6.7+)");
}

}  // namespace

std::uint64_t needed_capabilities(const SandboxRequest& request) {
    if (!request.attribution) return 0;
    // sock_diag; other users' /proc/PID/fd (ptrace access mode); the
    // attribution thread's nice boost. cap_net_raw went with the open handle.
    return cap_bit(cap::kNetAdmin) | cap_bit(cap::kSysPtrace) | cap_bit(cap::kDacReadSearch) |
           cap_bit(cap::kSysNice);
}

SandboxReport apply(const SandboxRequest& request, const std::function<void()>& start_unconfined) {
    SandboxReport report;
    if (const int threads = count_threads(); threads > 1) {
        report.not_enforced.push_back(
            std::to_string(threads - 1) +
            " other thread(s) already running keep their capabilities and Landlock-free "
            "access (only seccomp reaches them)");
    }
    const std::uint64_t keep = needed_capabilities(request);
    const bool root = ::geteuid() == 0;
    capabilities_layer(keep, root, report);
    if (root) root_layer(keep, report);

    if (const std::string err = set_no_new_privs(); err.empty()) {
        report.enforced.push_back("no_new_privs");
    } else {
        report.not_enforced.push_back("no_new_privs: " + err);
    }
    if (start_unconfined) {
        start_unconfined();
        // The unconfined threads took their copy of the capabilities; this
        // thread, and the packet/UI/resolver threads it starts later, need none.
        bool bounding = false;
        if (keep != 0 && restrict_capabilities(0, bounding).empty())
            report.enforced.push_back("capabilities: none outside process attribution");
        landlock_layer(request,
                       request.attribution ? " (every thread but process attribution)" : "",
                       report);
    } else if (request.attribution) {
        report.not_enforced.push_back(
            "landlock: skipped: process attribution must read other processes' /proc/PID/fd, "
            "which a Landlock domain forbids (start it through apply()'s start_unconfined)");
    } else {
        landlock_layer(request, "", report);
    }

    const SeccompDefault fallback =
        request.strict ? SeccompDefault::kill_process : SeccompDefault::errno_eperm;
    if (const std::string err = apply_seccomp(fallback); err.empty()) {
        report.enforced.push_back("seccomp: " + std::to_string(seccomp_allowlist().size()) +
                                  " syscalls allowed, no exec (" +
                                  (request.strict ? "others kill" : "others fail with EPERM") + ")");
    } else {
        report.not_enforced.push_back(err);
    }
    return report;
}

std::string describe_support() {
    return "sandbox: landlock " + describe_landlock() + "; seccomp " + describe_seccomp() +
           "; no_new_privs yes; capabilities " +
           (read_capabilities() ? std::string("yes") : std::string("no"));
}

}  // namespace sockeye::sandbox
