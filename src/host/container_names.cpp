#include "host/container_names.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "core/json_reader.hpp"
#include "core/printable_text.hpp"
#include "host/proc_fs.hpp"
#include "host/user_table.hpp"

namespace sockeye::host {
namespace {

constexpr auto kRereadAfter = std::chrono::seconds(1);
// Containers come and go (CI machines start thousands): the caches start
// over past this many entries rather than grow without end.
constexpr std::size_t kMaxCached = 4096;
constexpr std::size_t kMaxPasswd = 4 * 1024 * 1024;

constexpr std::string_view kPodmanStorage = "/storage/overlay-containers/containers.json";

std::string clean(std::string_view text) {
    return core::printable_text(text.substr(0, kMaxContainerText));
}

bool is_hex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (true) {
        const auto at = s.find(sep, pos);
        out.push_back(s.substr(pos, at == std::string_view::npos ? std::string_view::npos : at - pos));
        if (at == std::string_view::npos) return out;
        pos = at + 1;
    }
}

std::optional<std::string> read_bounded(const std::string& path, std::size_t max) {
    auto text = read_file(path, max + 1);
    if (!text || text->size() > max) return std::nullopt;
    return text;
}

}  // namespace

std::optional<ContainerIdentity> parse_docker_config(std::string_view json) {
    const auto doc = core::parse_json(json);
    if (!doc || !doc->is_object()) return std::nullopt;
    ContainerIdentity id;
    std::string_view name = doc->string_at("Name");
    if (!name.empty() && name.front() == '/') name.remove_prefix(1);
    id.name = clean(name);
    if (const core::JsonValue* config = doc->find("Config")) {
        id.image = clean(config->string_at("Image"));
        // Docker names a kubelet's container k8s_CONTAINER_POD_...: the labels say it plainly.
        if (const core::JsonValue* labels = config->find("Labels")) {
            id.pod = clean(labels->string_at("io.kubernetes.pod.name"));
            id.pod_namespace = clean(labels->string_at("io.kubernetes.pod.namespace"));
            if (const auto container = labels->string_at("io.kubernetes.container.name"); !container.empty())
                id.name = clean(container);
        }
    }
    if (id.name.empty() && id.image.empty()) return std::nullopt;
    return id;
}

std::optional<ContainerIdentity> parse_cri_bundle_config(std::string_view json) {
    const auto doc = core::parse_json(json);
    if (!doc || !doc->is_object()) return std::nullopt;
    const core::JsonValue* a = doc->find("annotations");
    if (a == nullptr || !a->is_object()) return std::nullopt;
    const auto first = [a](std::string_view containerd_key, std::string_view crio_key) {
        const std::string_view v = a->string_at(containerd_key);
        return clean(v.empty() ? a->string_at(crio_key) : v);
    };
    ContainerIdentity id;
    id.pod = first("io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name");
    id.pod_namespace = first("io.kubernetes.cri.sandbox-namespace", "io.kubernetes.pod.namespace");
    id.name = first("io.kubernetes.cri.container-name", "io.kubernetes.container.name");
    id.image = first("io.kubernetes.cri.image-name", "io.kubernetes.cri-o.ImageName");
    if (id.pod.empty()) return std::nullopt;
    return id;
}

std::vector<std::pair<std::string, ContainerIdentity>> parse_podman_containers(std::string_view json) {
    std::vector<std::pair<std::string, ContainerIdentity>> out;
    const auto doc = core::parse_json(json);
    if (!doc || !doc->is_array()) return out;
    for (const auto& entry : doc->items()) {
        const std::string_view id = entry.string_at("id");
        if (id.empty()) continue;
        ContainerIdentity c;
        if (const core::JsonValue* names = entry.find("names"); names != nullptr && names->is_array()) {
            for (const auto& n : names->items()) {
                if (n.is_string() && !n.text().empty()) {
                    c.name = clean(n.text());
                    break;
                }
            }
        }
        // metadata is JSON again, inside a string.
        if (const auto meta = core::parse_json(entry.string_at("metadata")); meta && meta->is_object()) {
            if (c.name.empty()) c.name = clean(meta->string_at("name"));
            c.image = clean(meta->string_at("image-name"));
        }
        if (c.image.empty()) c.image = clean(entry.string_at("image").substr(0, 12));
        out.emplace_back(clean(id), std::move(c));
    }
    return out;
}

std::optional<PodLogDir> parse_pod_log_dir(std::string_view name) {
    const auto parts = split(name, '_');
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].size() < 8) return std::nullopt;
    const bool uid_ok = std::all_of(parts[2].begin(), parts[2].end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
    });
    if (!uid_ok) return std::nullopt;
    return PodLogDir{clean(parts[0]), clean(parts[1]), std::string(parts[2])};
}

std::optional<ContainerLogName> parse_container_log_name(std::string_view name) {
    constexpr std::string_view kSuffix = ".log";
    if (name.size() <= kSuffix.size() || name.substr(name.size() - kSuffix.size()) != kSuffix) return std::nullopt;
    name.remove_suffix(kSuffix.size());
    const auto dash = name.rfind('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const std::string_view id = name.substr(dash + 1);
    if (id.size() < 12 || !is_hex(id)) return std::nullopt;
    const auto parts = split(name.substr(0, dash), '_');
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) return std::nullopt;
    return ContainerLogName{clean(parts[0]), clean(parts[1]), clean(parts[2]), std::string(id)};
}

ContainerNames::ContainerNames(std::string root, std::string passwd_path)
    : root_(std::move(root)), passwd_path_(std::move(passwd_path)) {}

bool ContainerNames::due(const std::string& key, Clock::time_point now) {
    if (tried_.size() >= kMaxCached) tried_.clear();
    auto [it, inserted] = tried_.try_emplace(key, now);
    if (inserted) return true;
    if (now - it->second < kRereadAfter) return false;
    it->second = now;
    return true;
}

std::optional<ContainerIdentity> ContainerNames::lookup(const CgroupPlacement& where, Clock::time_point now) {
    if (where.id.empty()) return std::nullopt;
    const std::string key = where.kind + ":" + where.id + ":" + where.runtime_id;
    if (const auto it = known_.find(key); it != known_.end()) return it->second;
    std::optional<ContainerIdentity> found;
    if (where.kind == "docker") {
        if (is_hex(where.id) && due(key, now)) found = docker(where.id);
    } else if (where.kind == "podman") {
        found = podman(where, now);
    } else if (where.kind == "kubernetes") {
        if (due("kubernetes", now)) found = kubernetes(where);
    }
    if (found) {
        if (known_.size() >= kMaxCached) known_.clear();
        known_.emplace(key, *found);
    }
    return found;
}

std::optional<ContainerIdentity> ContainerNames::docker(const std::string& id) {
    ++reads_;
    const auto text = read_bounded(root_ + "/var/lib/docker/containers/" + id + "/config.v2.json", kMaxDockerConfig);
    if (!text) return std::nullopt;
    return parse_docker_config(*text);
}

std::string ContainerNames::podman_file(std::int64_t uid) {
    if (uid < 0) return root_ + "/var/lib/containers" + std::string(kPodmanStorage);
    const auto passwd = read_bounded(passwd_path_, kMaxPasswd);
    if (!passwd) return {};
    const std::string home = passwd_home(*passwd, static_cast<std::uint32_t>(uid));
    if (home.empty() || home.front() != '/') return {};
    return root_ + home + "/.local/share/containers" + std::string(kPodmanStorage);
}

std::optional<ContainerIdentity> ContainerNames::podman(const CgroupPlacement& where, Clock::time_point now) {
    const std::string rate_key = "podman:" + std::to_string(where.owner_uid);
    PodmanFile& file = podman_files_[rate_key];
    auto it = file.containers.find(where.id);
    if (it != file.containers.end()) return it->second;
    if (!due(rate_key, now)) return std::nullopt;
    const std::string path = podman_file(where.owner_uid);
    if (path.empty()) return std::nullopt;
    // Unchanged since the last read: the id is not in it.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    if (file.read && st.st_mtim.tv_sec == file.mtime.tv_sec && st.st_mtim.tv_nsec == file.mtime.tv_nsec &&
        st.st_size == file.size) {
        return std::nullopt;
    }
    ++reads_;
    const auto text = read_bounded(path, kMaxPodmanContainers);
    if (!text) return std::nullopt;
    file.read = true;
    file.mtime = st.st_mtim;
    file.size = st.st_size;
    file.containers.clear();
    for (auto& [id, identity] : parse_podman_containers(*text)) file.containers.emplace(id, std::move(identity));
    it = file.containers.find(where.id);
    if (it == file.containers.end()) return std::nullopt;
    return it->second;
}

std::optional<ContainerIdentity> ContainerNames::cri_bundle(const std::string& id) {
    if (!is_hex(id)) return std::nullopt;
    for (const std::string& path :
         {root_ + "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" + id + "/config.json",
          root_ + "/run/containers/storage/overlay-containers/" + id + "/userdata/config.json"}) {
        ++reads_;
        if (const auto text = read_bounded(path, kMaxBundleConfig)) return parse_cri_bundle_config(*text);
    }
    ++reads_;
    const auto text = read_bounded(root_ + "/var/lib/docker/containers/" + id + "/config.v2.json", kMaxDockerConfig);
    if (!text) return std::nullopt;
    auto docker = parse_docker_config(*text);
    if (!docker || docker->pod.empty()) return std::nullopt;
    return docker;
}

std::optional<ContainerIdentity> ContainerNames::kubernetes(const CgroupPlacement& where) {
    // The runtime's own record of the container says everything, image included.
    if (auto bundle = cri_bundle(where.runtime_id)) return bundle;
    ++reads_;
    const std::string pods = root_ + "/var/log/pods";
    std::optional<PodLogDir> pod;
    std::string pod_dir;
    for (const auto& entry : list_dir(pods)) {
        if (auto p = parse_pod_log_dir(entry); p && p->uid == where.id) {
            pod = std::move(p);
            pod_dir = pods + "/" + entry;
            break;
        }
    }
    if (!pod) return std::nullopt;
    ContainerIdentity c;
    c.pod = pod->pod;
    c.pod_namespace = pod->pod_namespace;
    if (!where.runtime_id.empty()) {
        for (const auto& entry : list_dir(root_ + "/var/log/containers")) {
            const auto link = parse_container_log_name(entry);
            if (link && link->id == where.runtime_id && link->pod == c.pod && link->pod_namespace == c.pod_namespace) {
                c.name = link->container;
                break;
            }
        }
    }
    // A pod of one container needs no link to say which it is.
    if (c.name.empty()) {
        const auto containers = list_dir(pod_dir);
        if (containers.size() == 1) c.name = clean(containers.front());
    }
    return c;
}

}  // namespace sockeye::host
