// Where a process runs, from /proc/PID/cgroup: a Docker or Podman
// container, a Kubernetes pod, a systemd service, or nothing (the host).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sockeye::host {

struct CgroupPlacement {
    std::string kind;  // "docker", "podman", "kubernetes", "systemd", or empty
    std::string id;    // container id, pod uid or unit name
    // kubernetes: the runtime's id of the container inside the pod, when
    // the path names it (what maps the process to a container of the pod).
    std::string runtime_id;
    // podman under a user's manager (user@UID.service): rootless podman,
    // whose state lives in that user's home. -1 otherwise.
    std::int64_t owner_uid = -1;
};

// Parses the text of /proc/PID/cgroup (v1 and v2 lines). Kubernetes wins over
// the container runtime under it; a container wins over the unit around it.
CgroupPlacement parse_cgroup(std::string_view text);
// Reads PROC_ROOT/PID/cgroup; empty placement when it cannot be read.
CgroupPlacement read_cgroup(const std::string& proc_root, int pid);

}  // namespace sockeye::host
