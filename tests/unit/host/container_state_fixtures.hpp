// Container runtimes' state files in their real shapes, for tests: Docker's
// config.v2.json (trimmed of nothing the parser could trip on: nested
// objects, nulls, arrays, numbers) and podman 4's containers.json as this
// project's test machine writes it (`podman run --name cont-probe-helper`).
#pragma once

#include <string>
#include <string_view>

namespace sockeye::host::test {

inline constexpr const char* kDockerId = "3f4e8a9b2c1d0e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f";
inline constexpr const char* kPodmanId = "41270f628ae3e1698c2fce06f2bdc5c206987a7e87d1bbf210fcd4fc56b4ad1a";
inline constexpr const char* kPodmanId2 = "9c0e1d2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";

// `name` and `image` are put in as JSON string contents (escapes allowed).
inline std::string docker_config_v2(std::string_view name, std::string_view image) {
    std::string s = R"({"StreamConfig":{},"State":{"Running":true,"Paused":false,"Restarting":false,)"
                    R"("OOMKilled":false,"RemovalInProgress":false,"Dead":false,"Pid":4242,"ExitCode":0,)"
                    R"("Error":"","StartedAt":"2026-12-07T10:00:00.123456789Z","FinishedAt":"0001-01-01T00:00:00Z",)"
                    R"("Health":null},"ID":")";
    s += kDockerId;
    s += R"(","Created":"2026-12-07T09:59:59.5Z","Managed":false,"Path":"/docker-entrypoint.sh",)"
         R"("Args":["nginx","-g","daemon off;"],"Config":{"Hostname":"3f4e8a9b2c1d","Domainname":"",)"
         R"("User":"","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,)"
         R"("ExposedPorts":{"80/tcp":{}},"Tty":false,"OpenStdin":false,"StdinOnce":false,)"
         R"("Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NGINX_VERSION=1.25.3"],)"
         R"("Cmd":["nginx","-g","daemon off;"],"Image":")";
    s += image;
    s += R"(","Volumes":null,"WorkingDir":"","Entrypoint":["/docker-entrypoint.sh"],"OnBuild":null,)"
         R"("Labels":{"maintainer":"NGINX Docker Maintainers \u003cdocker-maint@nginx.com\u003e"},)"
         R"("StopSignal":"SIGQUIT"},"Image":"sha256:a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6",)"
         R"("NetworkSettings":{"Bridge":"","SandboxID":"5e1c","HairpinMode":false,"LinkLocalIPv6Address":"",)"
         R"("LinkLocalIPv6PrefixLen":0,"Networks":{"bridge":{"IPAMConfig":null,"Links":null,"Aliases":null,)"
         R"("NetworkID":"8d2f","EndpointID":"77aa","Gateway":"172.17.0.1","IPAddress":"172.17.0.2",)"
         R"("IPPrefixLen":16,"MacAddress":"02:42:ac:11:00:02"}},"Ports":{"80/tcp":null}},)"
         R"("LogPath":"/var/lib/docker/containers/)";
    s += kDockerId;
    s += R"(/json.log","Name":")";
    s += name;
    s += R"(","Driver":"overlay2","OS":"linux","RestartCount":0,"HasBeenStartedBefore":true,)"
         R"("HasBeenManuallyStopped":false,"MountPoints":{},"SecretReferences":null,"AppArmorProfile":"docker-default",)"
         R"("HostnamePath":"","HostsPath":"","ShmPath":"","ResolvConfPath":"","SeccompProfile":"","NoNewPrivileges":false})";
    return s;
}

// The first entry byte for byte as podman 4.3.1 wrote it; the second
// without an image name in its metadata.
inline constexpr std::string_view kPodmanContainersJson =
    R"([{"id":"41270f628ae3e1698c2fce06f2bdc5c206987a7e87d1bbf210fcd4fc56b4ad1a","names":["cont-probe-helper"],)"
    R"("image":"e8aff780fff4651c83629179e3a337836e6c90ca302c3bdd24aa41dcbe764990",)"
    R"("layer":"df25a5c97a8a88edb6593698e2781bb7be4721a8b1e8ea4ac3c1f06513ea162d",)"
    R"("metadata":"{\"image-name\":\"localhost/bbtest:1\",\"image-id\":\"e8aff780fff4651c83629179e3a337836e6c90ca302c3bdd24aa41dcbe764990\",\"name\":\"cont-probe-helper\",\"created-at\":1796657143}",)"
    R"("created":"2026-12-07T15:25:43.660404474Z","flags":{"MountLabel":"","ProcessLabel":""}},)"
    R"({"id":"9c0e1d2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d","names":["second"],)"
    R"("image":"e8aff780fff4651c83629179e3a337836e6c90ca302c3bdd24aa41dcbe764990",)"
    R"("layer":"aa25a5c97a8a88edb6593698e2781bb7be4721a8b1e8ea4ac3c1f06513ea162d",)"
    R"("metadata":"{\"name\":\"second\",\"created-at\":1796657150}",)"
    R"("created":"2026-12-07T15:25:50.000000001Z","flags":{"MountLabel":"","ProcessLabel":""}}])";

// An OCI runtime bundle's config.json (trimmed) as containerd's CRI plugin
// writes it for a pod's container: the annotations name it.
inline constexpr std::string_view kContainerdBundleConfig =
    R"({"ociVersion":"1.1.0","process":{"user":{"uid":101,"gid":101},"args":["/coredns","-conf","/etc/coredns/Corefile"],)"
    R"("env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"cwd":"/",)"
    R"("capabilities":{"bounding":["CAP_NET_BIND_SERVICE"]},"noNewPrivileges":true,"oomScoreAdj":996},)"
    R"("root":{"path":"rootfs"},"mounts":[{"destination":"/proc","type":"proc","source":"proc",)"
    R"("options":["nosuid","noexec","nodev"]}],"annotations":{"io.kubernetes.cri.container-name":"coredns",)"
    R"("io.kubernetes.cri.container-type":"container","io.kubernetes.cri.image-name":"registry.k8s.io/coredns/coredns:v1.11.1",)"
    R"("io.kubernetes.cri.sandbox-id":"5b1e0c7f2d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c",)"
    R"("io.kubernetes.cri.sandbox-name":"coredns-5d78c9869d-x7k2p","io.kubernetes.cri.sandbox-namespace":"kube-system",)"
    R"("io.kubernetes.cri.sandbox-uid":"0a1b2c3d-0000-1111-2222-333344445555"},)"
    R"("linux":{"resources":{"memory":{"limit":178257920}},"cgroupsPath":"kubepods-burstable-pod0a1b2c3d_0000_1111_2222_333344445555.slice:cri-containerd:3f4e8a9b2c1d",)"
    R"("namespaces":[{"type":"pid"},{"type":"ipc","path":"/proc/4100/ns/ipc"},{"type":"network","path":"/proc/4100/ns/net"}]}})";

// The same container's bundle as CRI-O writes it.
inline constexpr std::string_view kCrioBundleConfig =
    R"({"ociVersion":"1.0.2-dev","process":{"user":{"uid":0,"gid":0},"args":["/coredns"],"cwd":"/"},)"
    R"("root":{"path":"/var/lib/containers/storage/overlay/abc/merged"},"hostname":"coredns-5d78c9869d-x7k2p",)"
    R"("annotations":{"io.container.manager":"cri-o","io.kubernetes.container.hash":"6bc3b5a5",)"
    R"("io.kubernetes.container.name":"coredns","io.kubernetes.cri-o.ContainerType":"container",)"
    R"("io.kubernetes.cri-o.ImageName":"registry.k8s.io/coredns/coredns:v1.11.1",)"
    R"("io.kubernetes.cri-o.Labels":"{\"io.kubernetes.container.name\":\"coredns\"}",)"
    R"("io.kubernetes.pod.name":"coredns-5d78c9869d-x7k2p","io.kubernetes.pod.namespace":"kube-system",)"
    R"("io.kubernetes.pod.uid":"0a1b2c3d-0000-1111-2222-333344445555"},)"
    R"("linux":{"cgroupsPath":"kubepods-burstable-pod0a1b2c3d_0000_1111_2222_333344445555.slice:crio:3f4e8a9b2c1d"}})";

}  // namespace sockeye::host::test
