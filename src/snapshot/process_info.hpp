// Who owns a flow on this machine: the process behind the local socket, as
// process attribution (host/) found it. Plain values, shared and immutable,
// so many flows of one process point at one record.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sockeye::snapshot {

struct ParentProcess {
    int pid = 0;
    std::string name;
};

struct ProcessInfo {
    int pid = 0;
    std::string name;   // full name: from the executable or the command line, not the 15-char comm
    std::string comm;   // the kernel's comm (/proc/PID/comm)
    std::string exe;    // executable path; empty when it cannot be read
    std::string cmdline;  // arguments joined by spaces, bounded
    std::uint32_t uid = 0;
    std::string user;   // user name when known, else the uid as text
    std::vector<ParentProcess> parents;  // nearest first, at most 4
    // Where it runs, from /proc/PID/cgroup: "docker", "podman", "systemd",
    // "kubernetes", or empty on the host; `container` is the id or unit name.
    std::string container_kind;
    std::string container;
    // From the container runtime's own state (host/container_names), empty
    // when it does not say: the container's name and image; in Kubernetes
    // the container's name in its pod, the pod and the pod's namespace.
    std::string container_name;
    std::string container_image;
    std::string pod;
    std::string pod_namespace;
};

// How a flow was matched to its socket owner.
enum class ProcessMatch : std::uint8_t {
    none,      // not attributed (see UnattributedReason)
    exact,     // a socket with the flow's full 4-tuple
    listener,  // a listening socket on the local address and port
    wildcard,  // a socket bound to the port on any address (0.0.0.0 / ::), e.g. UDP servers
    ebpf,      // recorded in the kernel by sockeye's eBPF programs when the socket connected or sent
    pcapng_comment,  // a capture file's packet comment named it (sockeye's --pcapng-export writes them)
    announced,  // the process of the connection that announced this one (FTP data connections)
    nat,        // the socket of the tuple NAT translated the flow from (conntrack), e.g. in a container
};

// Why a flow has no owning process.
enum class UnattributedReason : std::uint8_t {
    none,            // attributed, or not looked up yet
    offline,         // reading a capture file: no processes to ask
    not_local,       // neither endpoint is an address of this machine (forwarded, bridged)
    no_socket,       // no socket matched (closed before the lookup, kernel-owned, ICMP)
    no_permission,   // the socket's owner could not be read (needs cap_sys_ptrace and cap_dac_read_search)
    pending,         // looked up, no answer yet
};

std::string_view process_match_name(ProcessMatch m);            // "exact", "listener", "wildcard", "ebpf", "pcapng_comment", "announced", "nat", "none"
std::string_view unattributed_reason_name(UnattributedReason r); // "offline", "not_local", ...

}  // namespace sockeye::snapshot
