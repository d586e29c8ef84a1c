#include "host/cgroup.hpp"

#include <algorithm>
#include <vector>

#include "core/line_splitter.hpp"
#include "host/proc_fs.hpp"

namespace sockeye::host {
namespace {

constexpr std::size_t kMaxCgroupFile = 64 * 1024;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool is_hex_id(std::string_view s) {
    return s.size() >= 12 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool is_pod_uid(std::string_view s) {
    return s.size() >= 8 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-' || c == '_';
           });
}

std::vector<std::string_view> components(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        auto end = path.find('/', pos);
        if (end == std::string_view::npos) end = path.size();
        if (end > pos) out.push_back(path.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

// "prefix<ID>suffix" -> ID, when it is a valid id.
std::string_view between(std::string_view c, std::string_view prefix, std::string_view suffix) {
    if (!starts_with(c, prefix) || !ends_with(c, suffix) || c.size() <= prefix.size() + suffix.size()) {
        return {};
    }
    return c.substr(prefix.size(), c.size() - prefix.size() - suffix.size());
}

std::string pod_uid(std::string_view raw) {
    std::string uid(raw);
    std::replace(uid.begin(), uid.end(), '_', '-');  // the systemd driver escapes '-' as '_'
    return uid;
}

// The container under a pod's cgroup: "<id>" (cgroupfs driver), or
// "cri-containerd-<id>.scope", "crio-<id>.scope", "docker-<id>.scope"
// (systemd driver). CRI-O's monitor, crio-conmon-<id>.scope, is no container.
std::string runtime_container_id(std::string_view c) {
    if (is_hex_id(c)) return std::string(c);
    for (const std::string_view prefix : {"cri-containerd-", "crio-", "docker-"}) {
        if (auto id = between(c, prefix, ".scope"); is_hex_id(id)) return std::string(id);
    }
    return {};
}

CgroupPlacement kubernetes(const std::vector<std::string_view>& parts) {
    bool under_kubepods = false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto c = parts[i];
        if (starts_with(c, "kubepods")) under_kubepods = true;
        if (!under_kubepods) continue;
        std::string_view uid;
        // cgroupfs driver: /kubepods/burstable/pod<uid>/<container>
        if (starts_with(c, "pod") && is_pod_uid(c.substr(3))) uid = c.substr(3);
        // systemd driver: kubepods-burstable-pod<uid>.slice
        const auto at = c.find("-pod");
        if (uid.empty() && at != std::string_view::npos && ends_with(c, ".slice")) {
            const auto candidate = c.substr(at + 4, c.size() - at - 4 - 6);
            if (is_pod_uid(candidate)) uid = candidate;
        }
        if (uid.empty()) continue;
        CgroupPlacement p{"kubernetes", pod_uid(uid), {}, -1};
        if (i + 1 < parts.size()) p.runtime_id = runtime_container_id(parts[i + 1]);
        return p;
    }
    return {};
}

// "user@1000.service" -> 1000; -1 when no component is a user's manager.
std::int64_t user_manager_uid(const std::vector<std::string_view>& parts) {
    for (const auto c : parts) {
        const auto uid = between(c, "user@", ".service");
        if (uid.empty() || uid.size() > 10) continue;
        std::int64_t v = 0;
        bool digits = true;
        for (const char ch : uid) {
            if (ch < '0' || ch > '9') digits = false;
            else v = v * 10 + (ch - '0');
        }
        if (digits && v <= 0xffffffffLL) return v;
    }
    return -1;
}

CgroupPlacement container(const std::vector<std::string_view>& parts) {
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto c = parts[i];
        if (auto id = between(c, "docker-", ".scope"); is_hex_id(id)) return {"docker", std::string(id), {}, -1};
        if (c == "docker" && i + 1 < parts.size() && is_hex_id(parts[i + 1])) {
            return {"docker", std::string(parts[i + 1]), {}, -1};
        }
        // libpod-conmon-<id>.scope is podman's monitor process, on the host.
        if (starts_with(c, "libpod-conmon-")) continue;
        std::string_view id = between(c, "libpod-", ".scope");
        if (!is_hex_id(id)) id = between(c, "libpod-", "");
        if (is_hex_id(id)) return {"podman", std::string(id), {}, user_manager_uid(parts)};
    }
    return {};
}

CgroupPlacement systemd_unit(const std::vector<std::string_view>& parts) {
    // The innermost service; user@UID.service is only the user's manager
    // around everything in a desktop session, so it names nothing useful.
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        if (ends_with(*it, ".service") && !starts_with(*it, "user@") && it->size() > 8) {
            return {"systemd", std::string(*it), {}, -1};
        }
    }
    return {};
}

}  // namespace

CgroupPlacement parse_cgroup(std::string_view text) {
    CgroupPlacement found_container;
    CgroupPlacement found_unit;
    core::LineSplitter lines(text);
    for (std::string_view line; lines.next(line);) {
        // hierarchy-id:controllers:path; the path itself may contain ':'.
        const auto first = line.find(':');
        const auto second = first == std::string_view::npos ? first : line.find(':', first + 1);
        if (second == std::string_view::npos) continue;
        const auto parts = components(line.substr(second + 1));
        if (auto k = kubernetes(parts); !k.kind.empty()) return k;
        if (found_container.kind.empty()) found_container = container(parts);
        if (found_unit.kind.empty()) found_unit = systemd_unit(parts);
    }
    return found_container.kind.empty() ? found_unit : found_container;
}

CgroupPlacement read_cgroup(const std::string& proc_root, int pid) {
    const auto text = read_file(proc_root + "/" + std::to_string(pid) + "/cgroup", kMaxCgroupFile);
    if (!text) return {};
    return parse_cgroup(*text);
}

}  // namespace sockeye::host
