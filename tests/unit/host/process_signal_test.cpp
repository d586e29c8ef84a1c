// K's signal: only to the process the UI showed, never to a pid reused since.
#include "host/process_signal.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sockeye::host {
namespace {

pid_t start_sleeper() {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::alarm(10);
        ::pause();
        ::_exit(0);
    }
    return pid;
}

snapshot::ProcessInfo shown_as(pid_t pid) {
    snapshot::ProcessInfo p;
    p.pid = pid;
    const auto id = read_process_identity(pid);
    EXPECT_TRUE(id.ok());
    if (id) p.comm = id->comm;
    p.name = p.comm;
    p.uid = ::getuid();
    p.user = "tester";
    return p;
}

TEST(ProcessSignal, ReadsTheNameAndOwnerFromProc) {
    const auto id = read_process_identity(::getpid());
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_FALSE(id->comm.empty());
    EXPECT_LE(id->comm.size(), 15u);
    EXPECT_EQ(id->uid, ::getuid());
}

TEST(ProcessSignal, SignalsTheProcessShown) {
    const pid_t child = start_sleeper();
    ASSERT_GT(child, 0);
    const auto sent = signal_process(shown_as(child), SIGTERM);
    EXPECT_TRUE(sent.ok()) << sent.error().message;
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

TEST(ProcessSignal, APidNowOwnedByAnotherProgramIsLeftAlone) {
    const pid_t child = start_sleeper();
    ASSERT_GT(child, 0);
    snapshot::ProcessInfo other = shown_as(child);
    other.comm = "curl";
    other.name = "curl";
    const auto sent = signal_process(other, SIGKILL);
    ASSERT_FALSE(sent.ok());
    EXPECT_NE(sent.error().message.find("no longer curl"), std::string::npos) << sent.error().message;
    // Still alive: a signal 0 reaches it.
    EXPECT_EQ(::kill(child, 0), 0);
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
}

TEST(ProcessSignal, AnExitedProcessIsSaidToHaveExited) {
    const pid_t child = start_sleeper();
    ASSERT_GT(child, 0);
    snapshot::ProcessInfo shown = shown_as(child);
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    const auto sent = signal_process(shown, SIGTERM);
    ASSERT_FALSE(sent.ok());
    EXPECT_NE(sent.error().message.find("has already exited"), std::string::npos) << sent.error().message;
}

TEST(ProcessSignal, InitIsNeverSignalled) {
    snapshot::ProcessInfo init;
    init.pid = 1;
    init.comm = "init";
    EXPECT_FALSE(signal_process(init, SIGTERM).ok());
}

}  // namespace
}  // namespace sockeye::host
