#include "host/container_names.hpp"
#include "host/user_table.hpp"

#include <gtest/gtest.h>

#include <string>

#include "unit/host/container_state_fixtures.hpp"
#include "unit/host/fixture_dir.hpp"

namespace sockeye::host {
namespace {

using test::FixtureDir;
using namespace std::chrono_literals;

CgroupPlacement placement(std::string kind, std::string id, std::string runtime_id = {}, std::int64_t uid = -1) {
    return CgroupPlacement{std::move(kind), std::move(id), std::move(runtime_id), uid};
}

TEST(ContainerNames, DockerConfigNameAndImage) {
    const auto c = parse_docker_config(test::docker_config_v2("/web", "nginx:1.25"));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "web");
    EXPECT_EQ(c->image, "nginx:1.25");
    EXPECT_EQ(c->pod, "");
    EXPECT_FALSE(parse_docker_config("{}"));
    EXPECT_FALSE(parse_docker_config("[]"));
    EXPECT_FALSE(parse_docker_config("{\"Name\":\"/web\""));  // cut short
}

TEST(ContainerNames, PodmanContainersJsonAsPodmanWritesIt) {
    const auto all = parse_podman_containers(test::kPodmanContainersJson);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].first, test::kPodmanId);
    EXPECT_EQ(all[0].second.name, "cont-probe-helper");
    EXPECT_EQ(all[0].second.image, "localhost/bbtest:1");
    // No image name in the metadata: the image id, short.
    EXPECT_EQ(all[1].second.name, "second");
    EXPECT_EQ(all[1].second.image, "e8aff780fff4");
    EXPECT_TRUE(parse_podman_containers("[]").empty());
    EXPECT_TRUE(parse_podman_containers("{}").empty());
    EXPECT_TRUE(parse_podman_containers("[{\"names\":[\"no-id\"]}]").empty());
}

TEST(ContainerNames, KubeletDirectoryNames) {
    const auto pod = parse_pod_log_dir("shop_web-7d4b9c-xk2p9_0a1b2c3d-0000-1111-2222-333344445555");
    ASSERT_TRUE(pod);
    EXPECT_EQ(pod->pod_namespace, "shop");
    EXPECT_EQ(pod->pod, "web-7d4b9c-xk2p9");
    EXPECT_EQ(pod->uid, "0a1b2c3d-0000-1111-2222-333344445555");
    EXPECT_FALSE(parse_pod_log_dir("shop_web"));
    EXPECT_FALSE(parse_pod_log_dir("a_b_c_0a1b2c3d-0000"));
    EXPECT_FALSE(parse_pod_log_dir("shop_web_NOTAUID!"));

    const auto link = parse_container_log_name("web-7d4b9c-xk2p9_shop_nginx-proxy-" + std::string(test::kDockerId) + ".log");
    ASSERT_TRUE(link);
    EXPECT_EQ(link->pod, "web-7d4b9c-xk2p9");
    EXPECT_EQ(link->pod_namespace, "shop");
    EXPECT_EQ(link->container, "nginx-proxy");
    EXPECT_EQ(link->id, test::kDockerId);
    EXPECT_FALSE(parse_container_log_name("web_shop_nginx-xyz.log"));
    EXPECT_FALSE(parse_container_log_name(std::string("web_shop_nginx-") + test::kDockerId));
}

TEST(ContainerNames, DockerFromItsStateDirectory) {
    FixtureDir root;
    root.write(std::string("var/lib/docker/containers/") + test::kDockerId + "/config.v2.json",
               test::docker_config_v2("/web", "nginx:1.25"));
    ContainerNames names(root.root(), root.path("etc/passwd"));
    const auto c = names.lookup(placement("docker", test::kDockerId));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "web");
    EXPECT_EQ(c->image, "nginx:1.25");
    // Cached: the file is not read again, even once it is gone.
    root.remove("var/lib/docker");
    EXPECT_EQ(names.lookup(placement("docker", test::kDockerId)), c);
    EXPECT_EQ(names.reads(), 1u);
    // Not a container kind, or no id: nothing read.
    EXPECT_FALSE(names.lookup(placement("systemd", "nginx.service")));
    EXPECT_FALSE(names.lookup(placement("docker", "")));
    EXPECT_FALSE(names.lookup(placement("docker", "../../etc")));
    EXPECT_EQ(names.reads(), 1u);
}

TEST(ContainerNames, UnknownContainerRereadsAtMostOnceASecond) {
    FixtureDir root;
    const std::string path = "var/lib/containers/storage/overlay-containers/containers.json";
    root.write(path, "[]");
    ContainerNames names(root.root(), root.path("etc/passwd"));
    const auto t0 = ContainerNames::Clock::time_point{} + 100s;
    const auto where = placement("podman", test::kPodmanId);
    EXPECT_FALSE(names.lookup(where, t0));
    EXPECT_EQ(names.reads(), 1u);
    // The container appears; within the second, the file is not read again.
    root.write(path, test::kPodmanContainersJson);
    EXPECT_FALSE(names.lookup(where, t0 + 500ms));
    EXPECT_EQ(names.reads(), 1u);
    const auto c = names.lookup(where, t0 + 1s);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "cont-probe-helper");
    EXPECT_EQ(names.reads(), 2u);
    // Every container of the file is known from that one read.
    const auto second = names.lookup(placement("podman", test::kPodmanId2), t0 + 1s);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->name, "second");
    EXPECT_EQ(names.reads(), 2u);
    // An id the file does not hold: an unchanged file is not parsed again.
    EXPECT_FALSE(names.lookup(placement("podman", std::string(64, 'a')), t0 + 5s));
    EXPECT_EQ(names.reads(), 2u);
    // Docker's state is per container: the limit is per container.
    EXPECT_FALSE(names.lookup(placement("docker", test::kDockerId), t0));
    EXPECT_FALSE(names.lookup(placement("docker", test::kDockerId), t0 + 10ms));
    EXPECT_FALSE(names.lookup(placement("docker", std::string(64, 'b')), t0 + 10ms));
    EXPECT_EQ(names.reads(), 4u);
}

TEST(ContainerNames, PasswdHomeOfAUid) {
    const std::string passwd = "# comment\nroot:x:0:0:root:/root:/bin/sh\nshort:x:5\n"
                               "alice:x:1000:1000:Alice:/home/alice:/bin/bash\nalias:x:1000:1000::/other:/bin/sh\n";
    EXPECT_EQ(passwd_home(passwd, 0), "/root");
    EXPECT_EQ(passwd_home(passwd, 1000), "/home/alice");
    EXPECT_EQ(passwd_home(passwd, 5), "");
    EXPECT_EQ(passwd_home(passwd, 4242), "");
}

TEST(ContainerNames, RootlessPodmanInItsUsersHome) {
    FixtureDir root;
    root.write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/bash\n");
    root.write("home/alice/.local/share/containers/storage/overlay-containers/containers.json",
               test::kPodmanContainersJson);
    ContainerNames names(root.root(), root.path("etc/passwd"));
    const auto c = names.lookup(placement("podman", test::kPodmanId, "", 1000));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->image, "localhost/bbtest:1");
    // Rootful state does not hold it; a user without a home neither.
    EXPECT_FALSE(names.lookup(placement("podman", test::kPodmanId2, "", -1)));
    EXPECT_FALSE(names.lookup(placement("podman", test::kPodmanId2, "", 1001)));
}

TEST(ContainerNames, KubernetesPodFromKubeletDirectories) {
    FixtureDir root;
    const std::string uid = "0a1b2c3d-0000-1111-2222-333344445555";
    const std::string pod_dir = "var/log/pods/shop_web-7d4b9c-xk2p9_" + uid;
    root.write(pod_dir + "/nginx/0.log", "");
    root.write(pod_dir + "/sidecar/0.log", "");
    root.symlink("var/log/containers/web-7d4b9c-xk2p9_shop_nginx-" + std::string(test::kDockerId) + ".log",
                 "/" + pod_dir + "/nginx/0.log");
    root.write("var/log/pods/other_db-0_" + std::string("11111111-2222-3333-4444-555555555555") + "/postgres/0.log", "");
    ContainerNames names(root.root(), root.path("etc/passwd"));
    const auto c = names.lookup(placement("kubernetes", uid, test::kDockerId));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->pod, "web-7d4b9c-xk2p9");
    EXPECT_EQ(c->pod_namespace, "shop");
    EXPECT_EQ(c->name, "nginx");
    EXPECT_EQ(c->image, "");  // the kubelet's directories do not say
    // The other container of the pod has no link: pod known, container not.
    const auto t = ContainerNames::Clock::now() + 2s;
    const auto side = names.lookup(placement("kubernetes", uid, std::string(64, 'c')), t);
    ASSERT_TRUE(side);
    EXPECT_EQ(side->pod, "web-7d4b9c-xk2p9");
    EXPECT_EQ(side->name, "");
    // A pod of one container: its only directory names it.
    const auto db = names.lookup(placement("kubernetes", "11111111-2222-3333-4444-555555555555", ""), t + 2s);
    ASSERT_TRUE(db);
    EXPECT_EQ(db->pod, "db-0");
    EXPECT_EQ(db->pod_namespace, "other");
    EXPECT_EQ(db->name, "postgres");
}

TEST(ContainerNames, CriBundleAnnotations) {
    for (const std::string_view bundle : {test::kContainerdBundleConfig, test::kCrioBundleConfig}) {
        const auto c = parse_cri_bundle_config(bundle);
        ASSERT_TRUE(c) << bundle;
        EXPECT_EQ(c->name, "coredns");
        EXPECT_EQ(c->image, "registry.k8s.io/coredns/coredns:v1.11.1");
        EXPECT_EQ(c->pod, "coredns-5d78c9869d-x7k2p");
        EXPECT_EQ(c->pod_namespace, "kube-system");
    }
    // A bundle that is not the kubelet's (podman's own) names no pod.
    EXPECT_FALSE(parse_cri_bundle_config(R"({"ociVersion":"1.0.2","annotations":{"io.podman.annotations.init":"FALSE"}})"));
    EXPECT_FALSE(parse_cri_bundle_config(R"({"ociVersion":"1.0.2"})"));
    // Docker as the kubelet's runtime: the labels.
    const auto docker = parse_docker_config(test::docker_config_v2(
        "/k8s_coredns_coredns-5d78c9869d-x7k2p_kube-system_0a1b2c3d_0", "registry.k8s.io/coredns/coredns:v1.11.1\","
        "\"Labels\":{\"io.kubernetes.container.name\":\"coredns\",\"io.kubernetes.pod.name\":\"coredns-5d78c9869d-x7k2p\","
        "\"io.kubernetes.pod.namespace\":\"kube-system\"},\"x\":\""));
    ASSERT_TRUE(docker);
    EXPECT_EQ(docker->name, "coredns");
    EXPECT_EQ(docker->pod, "coredns-5d78c9869d-x7k2p");
    EXPECT_EQ(docker->pod_namespace, "kube-system");
}

TEST(ContainerNames, KubernetesFromTheRuntimesBundleFirst) {
    const std::string uid = "0a1b2c3d-0000-1111-2222-333344445555";
    const std::string crio_id(64, 'e');
    FixtureDir root;
    root.write(std::string("run/containerd/io.containerd.runtime.v2.task/k8s.io/") + test::kDockerId + "/config.json",
               std::string(test::kContainerdBundleConfig));
    root.write("run/containers/storage/overlay-containers/" + crio_id + "/userdata/config.json",
               std::string(test::kCrioBundleConfig));
    ContainerNames names(root.root(), root.path("etc/passwd"));
    const auto t = ContainerNames::Clock::time_point{} + 100s;
    const auto c = names.lookup(placement("kubernetes", uid, test::kDockerId), t);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "coredns");
    EXPECT_EQ(c->image, "registry.k8s.io/coredns/coredns:v1.11.1");
    EXPECT_EQ(c->pod_namespace, "kube-system");
    const auto crio = names.lookup(placement("kubernetes", uid, crio_id), t + 1s);
    ASSERT_TRUE(crio);
    EXPECT_EQ(crio->image, "registry.k8s.io/coredns/coredns:v1.11.1");
    // Neither a bundle nor kubelet directories: unknown.
    EXPECT_FALSE(names.lookup(placement("kubernetes", uid, std::string(64, 'f')), t + 2s));
}

TEST(ContainerNames, HostileStateIsBoundedAndMadePrintable) {
    FixtureDir root;
    root.write(std::string("var/lib/docker/containers/") + test::kDockerId + "/config.v2.json",
               test::docker_config_v2("/evil\\u001b]0;pwned\\u0007\\u009b2J" + std::string(400, 'x'), "img\\n1"));
    ContainerNames names(root.root(), root.path("etc/passwd"));
    const auto c = names.lookup(placement("docker", test::kDockerId));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name.find('\x1b'), std::string::npos);
    EXPECT_EQ(c->name.find('\x07'), std::string::npos);
    EXPECT_EQ(c->name.rfind("evil?]0;pwned??2J", 0), 0u);
    EXPECT_LE(c->name.size(), kMaxContainerText);
    EXPECT_EQ(c->image, "img?1");
    // A state file past its size bound is not read at all.
    const std::string big_id(64, 'd');
    root.write("var/lib/docker/containers/" + big_id + "/config.v2.json",
               test::docker_config_v2("/big", std::string(kMaxDockerConfig, 'i')));
    EXPECT_FALSE(names.lookup(placement("docker", big_id)));
}

}  // namespace
}  // namespace sockeye::host
