#include "host/process_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "host/proc_fs.hpp"
#include "unit/host/container_state_fixtures.hpp"
#include "unit/host/fixture_dir.hpp"

namespace sockeye::host {
namespace {

using test::stat_line;

std::string nul_joined(const std::vector<std::string>& argv) {
    std::string s;
    for (const auto& a : argv) {
        s += a;
        s += '\0';
    }
    return s;
}

// One fake process under dir/PID.
void add_process(const test::FixtureDir& dir, int pid, const std::string& comm, int ppid,
                 const std::string& exe, const std::vector<std::string>& argv, int uid,
                 const std::string& cgroup = "0::/\n", unsigned long long start = 1000) {
    const std::string p = std::to_string(pid);
    dir.write(p + "/stat", stat_line(pid, comm, ppid, start));
    dir.write(p + "/comm", comm + "\n");
    if (!exe.empty()) dir.symlink(p + "/exe", exe);
    dir.write(p + "/cmdline", nul_joined(argv));
    dir.write(p + "/status", "Name:\t" + comm + "\nUmask:\t0022\nState:\tS (sleeping)\nPPid:\t" +
                                 std::to_string(ppid) + "\nUid:\t" + std::to_string(uid) + "\t" +
                                 std::to_string(uid) + "\t" + std::to_string(uid) + "\t" +
                                 std::to_string(uid) + "\n");
    dir.write(p + "/cgroup", cgroup);
}

TEST(DisplayName, ExecutableBasenameNotComm) {
    EXPECT_EQ(display_name("/usr/lib/chromium/chromium", {"/usr/lib/chromium/chromium", "--type=renderer"},
                           "ThreadPoolForeg"),
              "chromium");
    // comm is cut at 15 characters; the executable is not.
    EXPECT_EQ(display_name("/usr/bin/gnome-software-helper", {"gnome-software-helper"}, "gnome-software-"),
              "gnome-software-helper");
}

TEST(DisplayName, InterpretersAreNamedAfterTheirScript) {
    EXPECT_EQ(display_name("/usr/bin/python3.11", {"/usr/bin/python3", "/usr/local/bin/ansible-playbook", "site.yml"},
                           "ansible-playboo"),
              "ansible-playbook");
    EXPECT_EQ(display_name("/usr/bin/python3.11", {"python3", "-u", "-m", "http.server", "8000"}, "python3"),
              "http.server");
    EXPECT_EQ(display_name("/usr/bin/python3.11", {"python3", "-W", "ignore", "tool.py"}, "python3"), "tool.py");
    EXPECT_EQ(display_name("/usr/bin/perl", {"perl", "-w", "/usr/sbin/spamd"}, "spamd"), "spamd");
    EXPECT_EQ(display_name("/usr/lib/jvm/java-17/bin/java", {"java", "-Xmx1g", "-jar", "/opt/app/server.jar"}, "java"),
              "server.jar");
    EXPECT_EQ(display_name("/usr/bin/bash", {"/bin/bash", "/etc/init.d/backup", "start"}, "backup"), "backup");
    // Inline code or an interactive shell: the interpreter as it was started.
    EXPECT_EQ(display_name("/usr/bin/python3.11", {"python3", "-c", "import socket"}, "python3"), "python3");
    EXPECT_EQ(display_name("/usr/bin/bash", {"-bash"}, "bash"), "bash");
    EXPECT_TRUE(is_interpreter("python3.11"));
    EXPECT_TRUE(is_interpreter("perl5.36.0"));
    EXPECT_FALSE(is_interpreter("curl"));
    EXPECT_FALSE(is_interpreter("pythonista"));
}

TEST(DisplayName, MultiCallBinaryUsesArgv0) {
    EXPECT_EQ(display_name("/bin/busybox", {"wget", "-q", "http://x/"}, "wget"), "wget");
    // A symlink launched under its own name does not change an ordinary binary.
    EXPECT_EQ(display_name("/usr/bin/curl", {"curl", "-s", "http://x/"}, "curl"), "curl");
}

TEST(DisplayName, WithoutExecutableFallsBackToArgv0ThenComm) {
    EXPECT_EQ(display_name("", {"/usr/sbin/sshd", "-D"}, "sshd"), "sshd");
    EXPECT_EQ(display_name("", {"sshd: alice@pts/0"}, "sshd"), "sshd");
    EXPECT_EQ(display_name("", {"postgres: checkpointer"}, "postgres"), "postgres");
    EXPECT_EQ(display_name("", {}, "kworker/0:1"), "kworker/0:1");
    EXPECT_EQ(display_name("", {"/usr/bin/python3", "/opt/agent.py"}, "agent.py"), "agent.py");
}

TEST(ProcStat, ParsesCommWithSpacesAndParens) {
    const auto st = parse_proc_stat(stat_line(77, "Web (Content) x", 12, 98765));
    ASSERT_TRUE(st.has_value());
    EXPECT_EQ(st->comm, "Web (Content) x");
    EXPECT_EQ(st->ppid, 12);
    EXPECT_EQ(st->start_time, 98765u);
    EXPECT_FALSE(parse_proc_stat("12 (x) S 1 2 3").has_value());
    EXPECT_FALSE(parse_proc_stat("garbage").has_value());
    EXPECT_FALSE(parse_proc_stat(")(").has_value());
}

TEST(ProcStat, RealSelfStatGivesOurParent) {
    const auto text = read_file("/proc/self/stat", 4096);
    ASSERT_TRUE(text.has_value());
    const auto st = parse_proc_stat(*text);
    ASSERT_TRUE(st.has_value());
    EXPECT_EQ(st->ppid, static_cast<int>(::getppid()));
    EXPECT_GT(st->start_time, 0u);
}

class ProcessReaderFixture : public ::testing::Test {
protected:
    void SetUp() override {
        dir.write("etc/passwd",
                  "root:x:0:0:root:/root:/bin/bash\n"
                  "# comment\n"
                  "broken line\n"
                  "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
                  "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n");
        add_process(dir, 1, "systemd", 0, "/usr/lib/systemd/systemd", {"/sbin/init"}, 0);
        add_process(dir, 100, "sshd", 1, "/usr/sbin/sshd", {"sshd: alice [priv]"}, 0,
                    "0::/system.slice/ssh.service\n");
        add_process(dir, 200, "bash", 100, "/usr/bin/bash", {"-bash"}, 1000);
        add_process(dir, 300, "curl", 200, "/usr/bin/curl", {"curl", "-s", "https://example.org/"}, 1000,
                    "0::/user.slice/user-1000.slice/session-2.scope\n");
    }
    test::FixtureDir dir;
};

TEST_F(ProcessReaderFixture, ReadsEveryField) {
    ProcessReader reader(dir.root(), dir.path("etc/passwd"));
    const auto p = reader.get(300);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->pid, 300);
    EXPECT_EQ(p->name, "curl");
    EXPECT_EQ(p->comm, "curl");
    EXPECT_EQ(p->exe, "/usr/bin/curl");
    EXPECT_EQ(p->cmdline, "curl -s https://example.org/");
    EXPECT_EQ(p->uid, 1000u);
    EXPECT_EQ(p->user, "alice");
    EXPECT_EQ(p->container_kind, "");
    ASSERT_EQ(p->parents.size(), 3u);
    EXPECT_EQ(p->parents[0].pid, 200);
    EXPECT_EQ(p->parents[0].name, "bash");
    EXPECT_EQ(p->parents[1].pid, 100);
    EXPECT_EQ(p->parents[1].name, "sshd");
    EXPECT_EQ(p->parents[2].pid, 1);
    EXPECT_EQ(p->parents[2].name, "systemd");
    const auto sshd = reader.get(100);
    ASSERT_NE(sshd, nullptr);
    EXPECT_EQ(sshd->container_kind, "systemd");
    EXPECT_EQ(sshd->container, "ssh.service");
    EXPECT_EQ(sshd->user, "root");
}

TEST_F(ProcessReaderFixture, ContainerNamedFromItsRuntimesState) {
    add_process(dir, 400, "nginx", 1, "/usr/sbin/nginx", {"nginx", "-g", "daemon off;"}, 0,
                std::string("0::/system.slice/docker-") + test::kDockerId + ".scope\n");
    add_process(dir, 401, "sleep", 1, "/bin/busybox", {"sleep", "60"}, 0,
                std::string("0::/libpod_parent/libpod-") + test::kPodmanId + "\n");
    dir.write(std::string("state/var/lib/docker/containers/") + test::kDockerId + "/config.v2.json",
              test::docker_config_v2("/web", "nginx:1.25"));
    ProcessReader reader(dir.root(), dir.path("etc/passwd"), dir.path("state"));
    const auto web = reader.get(400);
    ASSERT_NE(web, nullptr);
    EXPECT_EQ(web->container_kind, "docker");
    EXPECT_EQ(web->container, test::kDockerId);
    EXPECT_EQ(web->container_name, "web");
    EXPECT_EQ(web->container_image, "nginx:1.25");
    EXPECT_EQ(web->pod, "");
    // Podman's state does not hold it yet: an id without a name...
    const auto early = reader.get(401);
    ASSERT_NE(early, nullptr);
    EXPECT_EQ(early->container_kind, "podman");
    EXPECT_EQ(early->container_name, "");
    dir.write("state/var/lib/containers/storage/overlay-containers/containers.json",
              std::string(test::kPodmanContainersJson));
    EXPECT_EQ(reader.get(401)->container_name, "");  // asked again within the second: not read
    // ...until the runtime's state names it, a second later.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto named = reader.get(401);
    ASSERT_NE(named, nullptr);
    EXPECT_EQ(named->container_name, "cont-probe-helper");
    EXPECT_EQ(named->container_image, "localhost/bbtest:1");
    EXPECT_EQ(named->cmdline, "sleep 60");
    EXPECT_EQ(early->container_name, "");  // records already handed out do not change
    EXPECT_EQ(reader.get(401), named);
    // Systemd units are no containers: nothing to name.
    EXPECT_EQ(reader.get(100)->container_name, "");
}

TEST_F(ProcessReaderFixture, ParentChainStopsAtFour) {
    for (int pid = 400; pid < 408; ++pid) {
        add_process(dir, pid, "sh", pid == 400 ? 1 : pid - 1, "/bin/dash", {"sh"}, 0);
    }
    ProcessReader reader(dir.root(), dir.path("etc/passwd"));
    const auto p = reader.get(407);
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(p->parents.size(), 4u);
    EXPECT_EQ(p->parents[0].pid, 406);
    EXPECT_EQ(p->parents[3].pid, 403);
}

TEST_F(ProcessReaderFixture, UnreadableExeAndMissingFiles) {
    // Another user's process without ptrace rights: no exe link, but the
    // command line is world-readable.
    add_process(dir, 500, "nginx", 1, "", {"nginx: worker process"}, 33);
    dir.remove("500/cgroup");
    dir.remove("500/comm");
    ProcessReader reader(dir.root(), dir.path("etc/passwd"));
    const auto p = reader.get(500);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name, "nginx");
    EXPECT_EQ(p->exe, "");
    EXPECT_EQ(p->comm, "nginx");  // from stat when comm is missing
    EXPECT_EQ(p->user, "www-data");
    EXPECT_EQ(p->container_kind, "");
    // Unknown uid: the number as text.
    add_process(dir, 501, "daemon", 1, "/usr/bin/daemon", {"daemon"}, 4242);
    EXPECT_EQ(reader.get(501)->user, "4242");
    // No stat: the process is gone.
    EXPECT_EQ(reader.get(999), nullptr);
    dir.write("502/stat", "not a stat line");
    EXPECT_EQ(reader.get(502), nullptr);
}

TEST_F(ProcessReaderFixture, CachedUntilPidIsReusedOrExecs) {
    ProcessReader reader(dir.root(), dir.path("etc/passwd"));
    const auto first = reader.get(300);
    EXPECT_EQ(reader.get(300), first);  // same record, shared
    // exec(): same pid and start time, new comm and exe.
    add_process(dir, 300, "wget", 200, "/usr/bin/wget", {"wget", "http://x/"}, 1000);
    const auto after_exec = reader.get(300);
    ASSERT_NE(after_exec, nullptr);
    EXPECT_NE(after_exec, first);
    EXPECT_EQ(after_exec->name, "wget");
    // A new process under the same pid: new start time.
    add_process(dir, 300, "wget", 200, "/usr/bin/wget", {"wget", "http://y/"}, 1000, "0::/\n", 2000);
    const auto reused = reader.get(300);
    EXPECT_NE(reused, after_exec);
    EXPECT_EQ(reused->cmdline, "wget http://y/");
    dir.remove("300");
    reader.prune();
    EXPECT_EQ(reader.get(300), nullptr);
}

TEST_F(ProcessReaderFixture, ExitingProcessIsNamedFromCommWithoutWaiting) {
    add_process(dir, 700, "curl", 200, "/usr/bin/curl", {"curl", "http://x/"}, 1000);
    dir.write("700/stat", stat_line(700, "curl", 200, 1000, 0x400104));  // PF_EXITING
    ProcessReader reader(dir.root(), dir.path("etc/passwd"));
    const auto p = reader.get(700);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name, "curl");
    EXPECT_EQ(p->cmdline, "");  // not read: it would block on the exiting mm
    EXPECT_EQ(p->exe, "");
    EXPECT_EQ(p->parents.size(), 3u);
}

TEST_F(ProcessReaderFixture, DeletedExecutableSuffixIsDropped) {
    add_process(dir, 600, "agent", 1, "/opt/agent/bin/agent (deleted)", {"/opt/agent/bin/agent"}, 0);
    ProcessReader reader(dir.root(), dir.path("etc/passwd"));
    EXPECT_EQ(reader.get(600)->exe, "/opt/agent/bin/agent");
    EXPECT_EQ(reader.get(600)->name, "agent");
}

TEST(ProcessReader, ReadsThisProcessFromRealProc) {
    ProcessReader reader;
    const auto p = reader.get(static_cast<int>(::getpid()));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name, "unit_host");
    EXPECT_EQ(base_name(p->exe), "unit_host");
    EXPECT_EQ(p->uid, ::geteuid());
    ASSERT_FALSE(p->parents.empty());
    EXPECT_EQ(p->parents[0].pid, static_cast<int>(::getppid()));
}

}  // namespace
}  // namespace sockeye::host
