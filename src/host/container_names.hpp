// Container id (from the cgroup) -> name and image, and for Kubernetes the
// pod and its namespace, read from the container runtimes' own state files,
// never from their sockets (least privilege; the sandbox allows no such
// connection). The files are root's, read on the attribution thread, which
// keeps cap_dac_read_search; their bytes are still treated as hostile:
// bounded sizes, the bounded JSON reader, names made printable.
//
//   docker      ROOT/var/lib/docker/containers/ID/config.v2.json
//   podman      ROOT/var/lib/containers/storage/overlay-containers/containers.json,
//               rootless: ROOT/HOME/.local/share/containers/storage/overlay-containers/containers.json
//   kubernetes  the runtime's bundle of the container (its OCI config.json, whose
//               annotations name container, image, pod and namespace):
//                 containerd ROOT/run/containerd/io.containerd.runtime.v2.task/k8s.io/ID/config.json
//                 CRI-O      ROOT/run/containers/storage/overlay-containers/ID/userdata/config.json
//                 Docker     ROOT/var/lib/docker/containers/ID/config.v2.json (its labels);
//               then the kubelet's log directories ROOT/var/log/pods/NAMESPACE_POD_UID/CONTAINER/
//               and ROOT/var/log/containers/POD_NAMESPACE_CONTAINER-ID.log
#pragma once

#include <sys/types.h>

#include <chrono>
#include <ctime>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "host/cgroup.hpp"

namespace sockeye::host {

struct ContainerIdentity {
    std::string name;           // "web"; Kubernetes: the container's name in its pod
    std::string image;          // "nginx:1.25", "localhost/bbtest:1"; empty when unknown
    std::string pod;            // Kubernetes only
    std::string pod_namespace;  // Kubernetes only

    friend bool operator==(const ContainerIdentity&, const ContainerIdentity&) = default;
};

// The largest state files read; a larger one is not read at all.
inline constexpr std::size_t kMaxDockerConfig = 1024 * 1024;
inline constexpr std::size_t kMaxPodmanContainers = 8 * 1024 * 1024;
// Names and images longer than this are cut (Docker allows 255-byte names).
inline constexpr std::size_t kMaxContainerText = 256;

// Docker's config.v2.json: "Name" ("/web") and "Config"."Image"; for a
// container the kubelet started, its pod from "Config"."Labels". nullopt
// when it is not JSON or names nothing.
std::optional<ContainerIdentity> parse_docker_config(std::string_view json);

// An OCI bundle's config.json written for the kubelet by containerd's CRI
// plugin (io.kubernetes.cri.* annotations) or CRI-O (io.kubernetes.pod.*,
// io.kubernetes.container.name, io.kubernetes.cri-o.ImageName). nullopt
// when its annotations name no pod.
std::optional<ContainerIdentity> parse_cri_bundle_config(std::string_view json);
inline constexpr std::size_t kMaxBundleConfig = 1024 * 1024;

// Podman's (containers/storage) containers.json: an array of
// {"id", "names": [...], "image": IMAGE-ID, "metadata": "<JSON text with
// image-name and name>"}. Entries without an id are skipped; the image is
// metadata's image-name, else the image id's first 12 digits.
std::vector<std::pair<std::string, ContainerIdentity>> parse_podman_containers(std::string_view json);

// A kubelet pod log directory's name: NAMESPACE_POD_UID (namespaces and pod
// names are DNS names: no '_').
struct PodLogDir {
    std::string pod_namespace, pod, uid;
};
std::optional<PodLogDir> parse_pod_log_dir(std::string_view name);

// A /var/log/containers link's name: POD_NAMESPACE_CONTAINER-ID.log.
struct ContainerLogName {
    std::string pod, pod_namespace, container, id;
};
std::optional<ContainerLogName> parse_container_log_name(std::string_view name);

class ContainerNames {
public:
    using Clock = std::chrono::steady_clock;

    // `root` prefixes every state path ("" for the real ones; a fixture
    // directory in tests). `passwd_path` finds rootless podman's homes.
    explicit ContainerNames(std::string root = "", std::string passwd_path = "/etc/passwd");

    // The container `where` names, when its runtime's state names it.
    // Answers are cached by container; an unknown one makes its runtime's
    // state be read again, at most once a second per runtime (a file of
    // each container for Docker: once a second per container).
    std::optional<ContainerIdentity> lookup(const CgroupPlacement& where, Clock::time_point now);
    std::optional<ContainerIdentity> lookup(const CgroupPlacement& where) { return lookup(where, Clock::now()); }

    // State files read so far (tests check the rate limit with it).
    [[nodiscard]] std::uint64_t reads() const { return reads_; }

private:
    struct PodmanFile {
        bool read = false;
        timespec mtime{};
        off_t size = 0;
        std::unordered_map<std::string, ContainerIdentity> containers;
    };

    std::optional<ContainerIdentity> docker(const std::string& id);
    std::optional<ContainerIdentity> podman(const CgroupPlacement& where, Clock::time_point now);
    std::optional<ContainerIdentity> kubernetes(const CgroupPlacement& where);
    std::optional<ContainerIdentity> cri_bundle(const std::string& runtime_id);
    std::string podman_file(std::int64_t uid);
    bool due(const std::string& key, Clock::time_point now);

    std::string root_;
    std::string passwd_path_;
    std::unordered_map<std::string, ContainerIdentity> known_;  // by cache key
    std::unordered_map<std::string, Clock::time_point> tried_;  // runtime or container -> last read
    std::unordered_map<std::string, PodmanFile> podman_files_;  // by path
    std::uint64_t reads_ = 0;
};

}  // namespace sockeye::host
