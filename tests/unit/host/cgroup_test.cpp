#include "host/cgroup.hpp"

#include <gtest/gtest.h>

#include "unit/host/fixture_dir.hpp"

namespace sockeye::host {
namespace {

constexpr const char* kDockerId = "3f4e8a9b2c1d0e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f";

TEST(Cgroup, DockerSystemdDriverV2) {
    const auto p = parse_cgroup(std::string("0::/system.slice/docker-") + kDockerId + ".scope\n");
    EXPECT_EQ(p.kind, "docker");
    EXPECT_EQ(p.id, kDockerId);
}

TEST(Cgroup, DockerCgroupfsV1AmongOtherControllers) {
    const std::string text = std::string("12:pids:/docker/") + kDockerId + "\n" +
                             "11:memory:/docker/" + kDockerId + "\n" + "1:name=systemd:/docker/" +
                             kDockerId + "\n0::/\n";
    const auto p = parse_cgroup(text);
    EXPECT_EQ(p.kind, "docker");
    EXPECT_EQ(p.id, kDockerId);
}

TEST(Cgroup, PodmanScopeAndConmonIsHost) {
    const auto p = parse_cgroup(std::string("0::/machine.slice/libpod-") + kDockerId + ".scope/container\n");
    EXPECT_EQ(p.kind, "podman");
    EXPECT_EQ(p.id, kDockerId);
    // conmon, podman's monitor, lives next to the container but on the host.
    const auto conmon = parse_cgroup(std::string("0::/machine.slice/libpod-conmon-") + kDockerId + ".scope\n");
    EXPECT_EQ(conmon.kind, "");
    // cgroupfs manager: /libpod_parent/libpod-<id>
    const auto v1 = parse_cgroup(std::string("3:cpu:/libpod_parent/libpod-") + kDockerId + "\n");
    EXPECT_EQ(v1.kind, "podman");
    EXPECT_EQ(v1.id, kDockerId);
}

TEST(Cgroup, SystemdServiceInnermostAndUserManagerIgnored) {
    EXPECT_EQ(parse_cgroup("0::/system.slice/nginx.service\n").id, "nginx.service");
    EXPECT_EQ(parse_cgroup("0::/system.slice/nginx.service\n").kind, "systemd");
    const auto user = parse_cgroup("0::/user.slice/user-1000.slice/user@1000.service/app.slice/syncthing.service\n");
    EXPECT_EQ(user.kind, "systemd");
    EXPECT_EQ(user.id, "syncthing.service");
    // A terminal in a desktop session: only the user manager around it.
    const auto session = parse_cgroup(
        "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/vte-spawn-1.scope\n");
    EXPECT_EQ(session.kind, "");
    EXPECT_EQ(parse_cgroup("0::/user.slice/user-1000.slice/session-3.scope\n").kind, "");
}

TEST(Cgroup, KubernetesBothDriversWinOverRuntime) {
    const auto systemd = parse_cgroup(
        "0::/kubepods.slice/kubepods-burstable.slice/"
        "kubepods-burstable-pod1b2c3d4e_5f60_7182_93a4_b5c6d7e8f901.slice/"
        "cri-containerd-" + std::string(kDockerId) + ".scope\n");
    EXPECT_EQ(systemd.kind, "kubernetes");
    EXPECT_EQ(systemd.id, "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901");
    const auto cgroupfs = parse_cgroup(
        "4:memory:/kubepods/besteffort/pod0a1b2c3d-0000-1111-2222-333344445555/" + std::string(kDockerId) + "\n");
    EXPECT_EQ(cgroupfs.kind, "kubernetes");
    EXPECT_EQ(cgroupfs.id, "0a1b2c3d-0000-1111-2222-333344445555");
    // Docker as the kubelet's runtime, systemd driver: still the pod.
    const auto docker = parse_cgroup(
        "0::/kubepods.slice/kubepods-pod1b2c3d4e_5f60_7182_93a4_b5c6d7e8f901.slice/docker-" +
        std::string(kDockerId) + ".scope\n");
    EXPECT_EQ(docker.kind, "kubernetes");
}

TEST(Cgroup, HostAndGarbage) {
    EXPECT_EQ(parse_cgroup("0::/\n").kind, "");
    EXPECT_EQ(parse_cgroup("").kind, "");
    EXPECT_EQ(parse_cgroup("no colons at all\n::\n:::::\n").kind, "");
    // Too-short or non-hex ids are not containers.
    EXPECT_EQ(parse_cgroup("0::/system.slice/docker-xyz.scope\n").kind, "");
    EXPECT_EQ(parse_cgroup("0::/docker/abc\n").kind, "");
    EXPECT_EQ(parse_cgroup("0::/kubepods/burstable/podZZZ\n").kind, "");
    EXPECT_EQ(parse_cgroup("0::/system.slice/.service\n").kind, "");
}

TEST(Cgroup, ReadsFixtureAndMissingFile) {
    test::FixtureDir dir;
    dir.write("42/cgroup", std::string("0::/system.slice/docker-") + kDockerId + ".scope\n");
    const auto p = read_cgroup(dir.root(), 42);
    EXPECT_EQ(p.kind, "docker");
    EXPECT_EQ(p.id, kDockerId);
    EXPECT_EQ(read_cgroup(dir.root(), 43).kind, "");
}

TEST(Cgroup, PodmanCgroupfsManagerOnCgroupV1HybridAsRunHere) {
    // /proc/PID/cgroup of a container started with
    // `podman --runtime runc --cgroup-manager cgroupfs run` on a v1 hybrid host.
    const std::string id = "41270f628ae3e1698c2fce06f2bdc5c206987a7e87d1bbf210fcd4fc56b4ad1a";
    std::string text;
    for (const char* controllers : {"9:name=systemd", "8:pids", "7:blkio", "6:freezer", "5:devices",
                                    "4:memory", "3:cpuset", "2:cpuacct", "1:cpu", "0:"}) {
        text += std::string(controllers) + ":/libpod_parent/libpod-" + id + "\n";
    }
    const auto p = parse_cgroup(text);
    EXPECT_EQ(p.kind, "podman");
    EXPECT_EQ(p.id, id);
    EXPECT_EQ(p.owner_uid, -1);  // rootful: state under /var/lib/containers
}

TEST(Cgroup, RootlessPodmanNamesItsUser) {
    const auto p = parse_cgroup(std::string("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-") +
                                kDockerId + ".scope/container\n");
    EXPECT_EQ(p.kind, "podman");
    EXPECT_EQ(p.id, kDockerId);
    EXPECT_EQ(p.owner_uid, 1000);
    EXPECT_EQ(parse_cgroup(std::string("0::/machine.slice/libpod-") + kDockerId + ".scope\n").owner_uid, -1);
    EXPECT_EQ(parse_cgroup(std::string("0::/user.slice/user@99999999999.service/libpod-") + kDockerId +
                           ".scope\n").owner_uid, -1);
}

TEST(Cgroup, KubernetesNamesTheContainerInsideThePod) {
    const std::string uid_part = "1b2c3d4e_5f60_7182_93a4_b5c6d7e8f901";
    const std::string slice = "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + uid_part + ".slice/";
    EXPECT_EQ(parse_cgroup(slice + "cri-containerd-" + kDockerId + ".scope\n").runtime_id, kDockerId);
    EXPECT_EQ(parse_cgroup(slice + "crio-" + kDockerId + ".scope\n").runtime_id, kDockerId);
    EXPECT_EQ(parse_cgroup(slice + "docker-" + kDockerId + ".scope\n").runtime_id, kDockerId);
    EXPECT_EQ(parse_cgroup(slice + "crio-conmon-" + kDockerId + ".scope\n").runtime_id, "");
    const auto cgroupfs = parse_cgroup("4:memory:/kubepods/besteffort/pod0a1b2c3d-0000-1111-2222-333344445555/" +
                                       std::string(kDockerId) + "\n");
    EXPECT_EQ(cgroupfs.runtime_id, kDockerId);
    // The pod's own cgroup (its pause process may sit there): no container.
    EXPECT_EQ(parse_cgroup("4:memory:/kubepods/besteffort/pod0a1b2c3d-0000-1111-2222-333344445555\n").runtime_id, "");
}

}  // namespace
}  // namespace sockeye::host
