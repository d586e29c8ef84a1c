// Terminal on a pseudo-terminal made by the test: raw mode entered and
// restored, the escape sequences written each way, size and SIGWINCH,
// input polling, stop signals, and the restore on a crash (in a child).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>

#include "tui/term/terminal.hpp"

namespace sockeye::tui {
namespace {

class Pty {
public:
    Pty() {
        master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
        if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) return;
        const char* name = ::ptsname(master_);
        if (name == nullptr) return;
        slave_ = ::open(name, O_RDWR | O_NOCTTY);
        winsize ws{};
        ws.ws_row = 33;
        ws.ws_col = 101;
        ::ioctl(slave_, TIOCSWINSZ, &ws);
    }
    ~Pty() {
        if (slave_ >= 0) ::close(slave_);
        if (master_ >= 0) ::close(master_);
    }
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;

    bool ok() const { return master_ >= 0 && slave_ >= 0; }
    int master() const { return master_; }
    int slave() const { return slave_; }

    // What the program wrote to the slave, read until `until` shows up or
    // the time runs out.
    std::string read_until(const std::string& until, int timeout_ms = 2000) {
        std::string got;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (got.find(until) == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            pollfd pfd{master_, POLLIN, 0};
            if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
            char buf[512];
            const ssize_t n = ::read(master_, buf, sizeof buf);
            if (n <= 0) break;
            got.append(buf, static_cast<std::size_t>(n));
        }
        return got;
    }

    termios attrs() const {
        termios t{};
        ::tcgetattr(slave_, &t);
        return t;
    }

private:
    int master_ = -1;
    int slave_ = -1;
};

TerminalOptions on(const Pty& pty) {
    TerminalOptions o;
    o.in_fd = pty.slave();
    o.out_fd = pty.slave();
    return o;
}

bool is_raw(const termios& t) { return (t.c_lflag & (ICANON | ECHO | ISIG)) == 0; }

bool same_modes(const termios& a, const termios& b) {
    return a.c_iflag == b.c_iflag && a.c_oflag == b.c_oflag && a.c_lflag == b.c_lflag &&
           a.c_cflag == b.c_cflag;
}

TEST(TermTerminal, RefusesWhatIsNotATty) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    Terminal t;
    TerminalOptions o;
    o.in_fd = fds[0];
    o.out_fd = fds[1];
    EXPECT_EQ(t.open(o), "standard input is not a terminal");
    EXPECT_FALSE(t.is_open());
    Pty pty;
    ASSERT_TRUE(pty.ok());
    o.in_fd = pty.slave();
    EXPECT_EQ(t.open(o), "standard output is not a terminal");
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(TermTerminal, EntersAndRestores) {
    Pty pty;
    ASSERT_TRUE(pty.ok());
    const termios before = pty.attrs();
    ASSERT_FALSE(is_raw(before));
    {
        Terminal t;
        ASSERT_EQ(t.open(on(pty)), "");
        EXPECT_TRUE(t.is_open());
        EXPECT_TRUE(is_raw(pty.attrs()));
        EXPECT_EQ(pty.attrs().c_oflag & OPOST, 0u);
        const std::string entered = pty.read_until("\x1b[?1006h");
        EXPECT_EQ(entered, Terminal::enter_sequence(on(pty)));
        for (const char* seq : {"\x1b[?1049h", "\x1b[?25l", "\x1b[?1000h", "\x1b[?1002h",
                                "\x1b[?1006h", "\x1b[?2004l"})
            EXPECT_NE(entered.find(seq), std::string::npos) << seq;

        EXPECT_TRUE(t.write_all("frame"));
        EXPECT_EQ(pty.read_until("frame"), "frame");
        // A second Terminal cannot open while this one is.
        Terminal other;
        EXPECT_FALSE(other.open(on(pty)).empty());
    }
    const std::string restored = pty.read_until("\x1b[?1049l");
    EXPECT_EQ(restored, Terminal::restore_sequence(on(pty)));
    for (const char* seq : {"\x1b[?1049l", "\x1b[?25h", "\x1b[?1000l", "\x1b[?1006l", "\x1b[0m"})
        EXPECT_NE(restored.find(seq), std::string::npos) << seq;
    EXPECT_TRUE(same_modes(pty.attrs(), before));
    // And it can be opened again afterwards.
    Terminal again;
    EXPECT_EQ(again.open(on(pty)), "");
    again.close();
    again.close();  // idempotent
    EXPECT_TRUE(same_modes(pty.attrs(), before));
}

TEST(TermTerminal, WithoutAltScreenOrMouse) {
    Pty pty;
    ASSERT_TRUE(pty.ok());
    TerminalOptions o = on(pty);
    o.alternate_screen = false;
    o.mouse = false;
    Terminal t;
    ASSERT_EQ(t.open(o), "");
    const std::string entered = pty.read_until("\x1b[?2004l");
    EXPECT_EQ(entered.find("1049"), std::string::npos);
    EXPECT_EQ(entered.find("1006"), std::string::npos);
    t.close();
    const std::string restored = pty.read_until("\x1b[?25h");
    EXPECT_EQ(restored.find("1049"), std::string::npos);
}

TEST(TermTerminal, SizeAndResizeSignal) {
    Pty pty;
    ASSERT_TRUE(pty.ok());
    Terminal t;
    ASSERT_EQ(t.open(on(pty)), "");
    EXPECT_EQ(t.size().cols, 101);
    EXPECT_EQ(t.size().rows, 33);
    EXPECT_FALSE(t.take_resize());
    winsize ws{};
    ws.ws_row = 40;
    ws.ws_col = 120;
    ASSERT_EQ(::ioctl(pty.master(), TIOCSWINSZ, &ws), 0);
    ::kill(::getpid(), SIGWINCH);  // the pty is not our controlling terminal
    std::string in;
    // The signal wakes the poll at once, long before the timeout.
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(t.read_input(in, 5000), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_TRUE(t.take_resize());
    EXPECT_FALSE(t.take_resize());
    EXPECT_EQ(t.size().cols, 120);
    EXPECT_EQ(t.size().rows, 40);
}

TEST(TermTerminal, ReadInputReturnsBytesOrTimesOut) {
    Pty pty;
    ASSERT_TRUE(pty.ok());
    Terminal t;
    ASSERT_EQ(t.open(on(pty)), "");
    std::string in;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(t.read_input(in, 30), 0);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(25));
    // Raw mode: no line buffering, no echo, Ctrl+C is a byte.
    ASSERT_EQ(::write(pty.master(), "q\x03\x1b[A", 5), 5);
    int got = 0;
    for (int i = 0; i < 10 && in.size() < 5; ++i) got += t.read_input(in, 500);
    EXPECT_EQ(got, 5);
    EXPECT_EQ(in, "q\x03\x1b[A");
}

TEST(TermTerminal, StopSignalRestoresAtOnce) {
    Pty pty;
    ASSERT_TRUE(pty.ok());
    const termios before = pty.attrs();
    Terminal t;
    ASSERT_EQ(t.open(on(pty)), "");
    pty.read_until("\x1b[?1006h");
    EXPECT_FALSE(Terminal::stop_requested());
    ::kill(::getpid(), SIGTERM);
    std::string in;
    EXPECT_EQ(t.read_input(in, 5000), 0);  // woken by the signal
    EXPECT_TRUE(Terminal::stop_requested());
    // Restored by the handler, before the app has done anything.
    EXPECT_TRUE(same_modes(pty.attrs(), before));
    EXPECT_NE(pty.read_until("\x1b[?1049l").find("\x1b[?1049l"), std::string::npos);
    // Drawing now would land on the user's shell: it is dropped.
    EXPECT_FALSE(t.write_all("late frame"));
    t.close();
    EXPECT_EQ(pty.read_until("late", 100), "");  // nothing more written
    // A new session starts without the old request.
    Terminal next;
    ASSERT_EQ(next.open(on(pty)), "");
    EXPECT_FALSE(Terminal::stop_requested());
}

TEST(TermTerminal, SigintAndSighupAlsoStop) {
    for (int sig : {SIGINT, SIGHUP}) {
        Pty pty;
        ASSERT_TRUE(pty.ok());
        const termios before = pty.attrs();
        Terminal t;
        ASSERT_EQ(t.open(on(pty)), "");
        ::kill(::getpid(), sig);
        std::string in;
        t.read_input(in, 2000);
        EXPECT_TRUE(Terminal::stop_requested()) << sig;
        EXPECT_TRUE(same_modes(pty.attrs(), before)) << sig;
    }
}

TEST(TermTerminal, HandlersAreRemovedOnClose) {
    struct sigaction before {};
    ::sigaction(SIGTERM, nullptr, &before);
    {
        Pty pty;
        ASSERT_TRUE(pty.ok());
        Terminal t;
        ASSERT_EQ(t.open(on(pty)), "");
        struct sigaction during {};
        ::sigaction(SIGTERM, nullptr, &during);
        EXPECT_NE(during.sa_handler, before.sa_handler);
    }
    struct sigaction after {};
    ::sigaction(SIGTERM, nullptr, &after);
    EXPECT_EQ(after.sa_handler, before.sa_handler);
}

// The child opens the Terminal on the pty and dies by `how`; the parent
// checks how it died, what it wrote and the tty modes it left.
void crash_in_child(int how, int expected_signal) {
    Pty pty;
    ASSERT_TRUE(pty.ok());
    const termios before = pty.attrs();
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const rlimit no_core{0, 0};
        ::setrlimit(RLIMIT_CORE, &no_core);
        Terminal t;
        if (!t.open(on(pty)).empty()) ::_exit(3);
        if (how == 0) std::abort();
        if (how == 1) ::raise(SIGSEGV);
        if (how == 2) {
            // A real fault, through a page the sanitizers see as valid
            // memory (they would report a null store themselves and exit
            // without any signal).
            void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (page == MAP_FAILED) ::_exit(6);
            static_cast<volatile int*>(page)[0] = 1;
        }
        if (how == 3) std::exit(0);  // exit() skips destructors of locals
        ::_exit(4);
    }
    const std::string out = pty.read_until("\x1b[?1049l", 5000);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_NE(out.find(Terminal::enter_sequence(on(pty))), std::string::npos);
    EXPECT_NE(out.find(Terminal::restore_sequence(on(pty))), std::string::npos) << how;
    EXPECT_TRUE(same_modes(pty.attrs(), before)) << how;
    if (expected_signal == 0) {
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    } else if (WIFSIGNALED(status)) {
        EXPECT_EQ(WTERMSIG(status), expected_signal);
    } else {
        // Under ASan its own SEGV handler (installed before ours, and chained
        // to) reports and exits non-zero instead.
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << status;
    }
}

TEST(TermTerminal, SuspendRestoresAndResumeReenters) {
    Pty pty;
    ASSERT_TRUE(pty.ok());
    const termios before = pty.attrs();
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        // A process group of its own whose parent (this test) sits in another
        // group of the same session, so it is not orphaned: the kernel drops
        // SIGTSTP sent to an orphaned group, as when CI runs without job control.
        ::setpgid(0, 0);
        Terminal t;
        if (!t.open(on(pty)).empty()) ::_exit(3);
        t.suspend();  // returns once continued
        termios now{};
        ::tcgetattr(pty.slave(), &now);
        const int rc = t.take_resize() && is_raw(now) ? 0 : 5;
        t.close();
        ::_exit(rc);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, WUNTRACED), pid);
    ASSERT_TRUE(WIFSTOPPED(status));
    EXPECT_EQ(WSTOPSIG(status), SIGTSTP);
    const std::string out = pty.read_until(Terminal::restore_sequence(on(pty)));
    EXPECT_NE(out.find(Terminal::restore_sequence(on(pty))), std::string::npos);
    EXPECT_TRUE(same_modes(pty.attrs(), before));
    ::kill(pid, SIGCONT);
    const std::string again = pty.read_until(Terminal::enter_sequence(on(pty)));
    EXPECT_NE(again.find(Terminal::enter_sequence(on(pty))), std::string::npos);
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    EXPECT_TRUE(same_modes(pty.attrs(), before));  // and restored on exit
}

// The process continues in whichever thread runs first: the UI may draw
// before the SIGCONT handler (maybe on another thread) entered the screen
// again. That frame is skipped, not taken for a terminal gone (sockeye used
// to quit after fg now and then); the handler then asks for a full redraw.
TEST(TermTerminal, FrameDrawnBeforeTheResumeHandlerIsSkipped) {
    Pty pty;
    ASSERT_TRUE(pty.ok());
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::setpgid(0, 0);  // not orphaned, as above
        Terminal t;
        if (!t.open(on(pty)).empty()) ::_exit(3);
        // SIGCONT still continues the process; its handler waits for the unblock.
        sigset_t cont;
        sigemptyset(&cont);
        sigaddset(&cont, SIGCONT);
        ::sigprocmask(SIG_BLOCK, &cont, nullptr);
        t.suspend();
        if (!t.write_all("FRAME-WHILE-SUSPENDED")) ::_exit(5);
        ::sigprocmask(SIG_UNBLOCK, &cont, nullptr);  // the handler runs here
        termios now{};
        ::tcgetattr(pty.slave(), &now);
        if (!t.take_resize() || !is_raw(now)) ::_exit(6);
        const bool drawn = t.write_all("FRAME-AFTER-RESUME");
        t.close();
        ::_exit(drawn ? 0 : 7);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, WUNTRACED), pid);
    ASSERT_TRUE(WIFSTOPPED(status));
    pty.read_until(Terminal::restore_sequence(on(pty)));
    ::kill(pid, SIGCONT);
    const std::string out = pty.read_until("FRAME-AFTER-RESUME");
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    EXPECT_EQ(out.find("FRAME-WHILE-SUSPENDED"), std::string::npos) << out;
    const std::size_t entered = out.find(Terminal::enter_sequence(on(pty)));
    ASSERT_NE(entered, std::string::npos) << out;
    EXPECT_GT(out.find("FRAME-AFTER-RESUME"), entered) << out;
}

TEST(TermTerminal, RestoredOnAbort) { crash_in_child(0, SIGABRT); }
TEST(TermTerminal, RestoredOnRaisedSegv) { crash_in_child(1, SIGSEGV); }
TEST(TermTerminal, RestoredOnRealSegv) { crash_in_child(2, SIGSEGV); }
TEST(TermTerminal, RestoredOnExit) { crash_in_child(3, 0); }

}  // namespace
}  // namespace sockeye::tui
