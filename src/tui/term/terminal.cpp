#include "tui/term/terminal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace sockeye::tui {
namespace {

// Everything a signal handler may read is set up before the handlers are
// installed and before g_active turns true, and is only read afterwards.
std::atomic<bool> g_in_use{false};  // a Terminal is open
std::atomic<bool> g_active{false};  // the tty is in UI mode and must be restored
std::atomic<bool> g_stop{false};
std::atomic<bool> g_resize{false};
std::atomic<bool> g_suspended{false};  // restored for SIGTSTP, to re-enter on SIGCONT
std::atomic<int> g_in_fd{-1};
std::atomic<int> g_out_fd{-1};
std::atomic<int> g_wake_write{-1};
int g_wake_read = -1;
termios g_saved{};
termios g_raw{};

constexpr std::size_t kSeqMax = 128;
char g_restore_seq[kSeqMax];
std::size_t g_restore_len = 0;
char g_enter_seq[kSeqMax];
std::size_t g_enter_len = 0;

static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "signal handlers need lock-free atomics");

constexpr std::array<int, 3> kStopSignals = {SIGINT, SIGTERM, SIGHUP};
constexpr std::array<int, 6> kCrashSignals = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT};
constexpr std::array<int, 4> kOtherSignals = {SIGWINCH, SIGTSTP, SIGCONT, SIGPIPE};

struct SavedAction {
    int sig = 0;
    struct sigaction action {};
};
std::array<SavedAction, kStopSignals.size() + kCrashSignals.size() + kOtherSignals.size()>
    g_old_actions{};

// Crash handlers run here so a stack overflow can still restore the tty.
alignas(16) char g_alt_stack[64 * 1024];
stack_t g_old_alt_stack{};

// --- async-signal-safe helpers -------------------------------------------

void write_raw(int fd, const char* data, std::size_t len) {
    while (len > 0) {
        const ssize_t n = ::write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        data += n;
        len -= static_cast<std::size_t>(n);
    }
}

void restore_now() {
    if (!g_active.exchange(false)) return;
    write_raw(g_out_fd.load(), g_restore_seq, g_restore_len);
    ::tcsetattr(g_in_fd.load(), TCSANOW, &g_saved);
}

void wake() {
    const int fd = g_wake_write.load();
    if (fd < 0) return;
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(fd, &byte, 1);  // full pipe: already awake
}

const struct sigaction* old_action(int sig) {
    for (const SavedAction& s : g_old_actions)
        if (s.sig == sig) return &s.action;
    return nullptr;
}

void on_stop_signal(int sig) {
    const int saved_errno = errno;
    if (g_stop.exchange(true)) {
        // Asked twice: the app did not wind down; die the default way.
        restore_now();
        ::signal(sig, SIG_DFL);
        ::raise(sig);
    } else {
        restore_now();
        wake();
    }
    errno = saved_errno;
}

void on_crash_signal(int sig, siginfo_t* info, void*) {
    restore_now();
    const struct sigaction* old = old_action(sig);
    if (old != nullptr) {
        ::sigaction(sig, old, nullptr);
    } else {
        ::signal(sig, SIG_DFL);
    }
    // A fault raised by the CPU (si_code > 0) happens again when the handler
    // returns, now reaching the previous handler with its real siginfo; a
    // sent signal (kill, raise, abort) has to be sent again.
    if (info == nullptr || info->si_code <= 0) ::raise(sig);
}

void on_other_signal(int sig) {
    const int saved_errno = errno;
    if (sig == SIGWINCH) {
        g_resize.store(true);
        wake();
    } else if (sig == SIGTSTP) {
        // Give the shell its terminal back, then stop the default way.
        const bool was_active = g_active.load();
        restore_now();
        g_suspended.store(was_active);
        ::signal(SIGTSTP, SIG_DFL);
        ::raise(SIGTSTP);  // blocked in this handler: stops us when it returns
    } else if (sig == SIGCONT) {
        struct sigaction sa {};
        sa.sa_handler = on_other_signal;
        sa.sa_flags = SA_RESTART;
        ::sigemptyset(&sa.sa_mask);
        ::sigaction(SIGTSTP, &sa, nullptr);
        if (g_suspended.exchange(false) && g_in_use.load()) {
            ::tcsetattr(g_in_fd.load(), TCSANOW, &g_raw);
            write_raw(g_out_fd.load(), g_enter_seq, g_enter_len);
            g_active.store(true);
            g_resize.store(true);  // the screen was lost: the app redraws all
            wake();
        }
    }
    // SIGPIPE: ignored (a write error is reported by write_all instead).
    errno = saved_errno;
}

void restore_at_exit() { restore_now(); }

// --- setup ---------------------------------------------------------------

void copy_seq(const std::string& s, char* dst, std::size_t& len) {
    len = std::min(s.size(), kSeqMax);
    std::memcpy(dst, s.data(), len);
}

termios make_raw(const termios& t) {
    termios raw = t;
    raw.c_iflag &= ~static_cast<tcflag_t>(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                                          ICRNL | IXON);
    raw.c_oflag &= ~static_cast<tcflag_t>(OPOST);
    raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    raw.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB);
    raw.c_cflag |= CS8;
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    return raw;
}

bool make_wake_pipe() {
    if (g_wake_read >= 0) return true;  // kept for the life of the process
    int fds[2];
    if (::pipe(fds) != 0) return false;
    for (int fd : fds) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    g_wake_read = fds[0];
    g_wake_write.store(fds[1]);
    return true;
}

void install_handlers() {
    std::size_t slot = 0;
    const auto install = [&slot](int sig, struct sigaction& sa) {
        g_old_actions[slot].sig = sig;
        ::sigaction(sig, &sa, &g_old_actions[slot].action);
        ++slot;
    };
    for (int sig : kStopSignals) {
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        sa.sa_flags = SA_RESTART;
        ::sigemptyset(&sa.sa_mask);
        install(sig, sa);
    }
    for (int sig : kCrashSignals) {
        struct sigaction sa {};
        sa.sa_sigaction = on_crash_signal;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        ::sigemptyset(&sa.sa_mask);
        install(sig, sa);
    }
    for (int sig : kOtherSignals) {
        struct sigaction sa {};
        sa.sa_handler = sig == SIGPIPE ? SIG_IGN : on_other_signal;
        sa.sa_flags = SA_RESTART;
        ::sigemptyset(&sa.sa_mask);
        install(sig, sa);
    }
}

void uninstall_handlers() {
    for (SavedAction& s : g_old_actions) {
        if (s.sig != 0) ::sigaction(s.sig, &s.action, nullptr);
        s.sig = 0;
    }
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

std::string Terminal::enter_sequence(const TerminalOptions& options) {
    std::string s;
    if (options.alternate_screen) s += "\x1b[?1049h";
    s += "\x1b[?25l";   // hide the cursor
    s += "\x1b[?7h";    // autowrap on: the ANSI writer counts on it
    s += "\x1b[?2004l"; // bracketed paste off: a paste arrives as keys
    if (options.mouse) s += "\x1b[?1000h\x1b[?1002h\x1b[?1006h";
    return s;
}

std::string Terminal::restore_sequence(const TerminalOptions& options) {
    std::string s = "\x1b[?2026l\x1b[0m";  // end a frame cut short, plain pen
    if (options.mouse) s += "\x1b[?1006l\x1b[?1002l\x1b[?1000l";
    s += "\x1b[?25h";
    if (options.alternate_screen) s += "\x1b[?1049l";
    return s;
}

Terminal::~Terminal() { close(); }

std::string Terminal::open(const TerminalOptions& options) {
    if (open_) return "the terminal is already open";
    if (::isatty(options.in_fd) == 0) return "standard input is not a terminal";
    if (::isatty(options.out_fd) == 0) return "standard output is not a terminal";
    if (g_in_use.exchange(true)) return "another terminal session is open in this process";

    termios saved{};
    if (::tcgetattr(options.in_fd, &saved) != 0) {
        std::string err = errno_text("tcgetattr");
        g_in_use.store(false);
        return err;
    }
    if (!make_wake_pipe()) {
        std::string err = errno_text("pipe");
        g_in_use.store(false);
        return err;
    }
    g_saved = saved;
    g_raw = make_raw(saved);
    g_in_fd.store(options.in_fd);
    g_out_fd.store(options.out_fd);
    copy_seq(restore_sequence(options), g_restore_seq, g_restore_len);
    copy_seq(enter_sequence(options), g_enter_seq, g_enter_len);
    g_stop.store(false);
    g_resize.store(false);
    g_suspended.store(false);
    char drain[64];
    while (::read(g_wake_read, drain, sizeof drain) > 0) {
    }

    stack_t alt{};
    alt.ss_sp = g_alt_stack;
    alt.ss_size = sizeof g_alt_stack;
    ::sigaltstack(&alt, &g_old_alt_stack);
    install_handlers();
    static const bool registered = std::atexit(restore_at_exit) == 0;
    (void)registered;

    if (::tcsetattr(options.in_fd, TCSAFLUSH, &g_raw) != 0) {
        std::string err = errno_text("tcsetattr");
        uninstall_handlers();
        ::sigaltstack(&g_old_alt_stack, nullptr);
        g_in_use.store(false);
        return err;
    }
    g_active.store(true);
    open_ = true;
    const pid_t parent = ::getppid();
    const pid_t parent_group = ::getpgid(parent);
    can_suspend_ = parent_group >= 0 && parent_group != ::getpgrp() && ::getsid(parent) == ::getsid(0);
    options_ = options;
    write_all(std::string_view(g_enter_seq, g_enter_len));
    return {};
}

void Terminal::close() {
    if (!open_) return;
    open_ = false;
    if (g_active.exchange(false)) {
        write_raw(options_.out_fd, g_restore_seq, g_restore_len);
        // TCSAFLUSH also drops input not read yet (mouse reports in flight),
        // so it does not spill into the shell.
        ::tcsetattr(options_.in_fd, TCSAFLUSH, &g_saved);
    }
    uninstall_handlers();
    ::sigaltstack(&g_old_alt_stack, nullptr);
    g_suspended.store(false);
    g_in_use.store(false);
}

TerminalSize Terminal::size() const {
    winsize ws{};
    for (int fd : {options_.out_fd, options_.in_fd}) {
        if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
            return {ws.ws_col, ws.ws_row};
    }
    return {80, 24};
}

void Terminal::suspend() {
    if (open_) ::raise(SIGTSTP);  // the handler restores, then stops
}

bool Terminal::take_resize() { return g_resize.exchange(false); }

bool Terminal::stop_requested() { return g_stop.load(); }

bool Terminal::write_all(std::string_view bytes) {
    if (!open_ || g_stop.load()) return false;
    // Suspended, or just continued with the SIGCONT handler not yet run (it
    // may run on another thread): there is no screen to draw on, and the
    // resume asks for a full redraw.
    if (!g_active.load()) return true;
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(options_.out_fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                // A slow link (ssh, a client stopped with ~^Z) drains when it
                // can: wait for it, however long, unless told to stop.
                pollfd pfd{options_.out_fd, POLLOUT, 0};
                const int ready = ::poll(&pfd, 1, 1000);
                if (ready < 0 && errno != EINTR) return false;
                if (ready > 0 && (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return false;
                if (g_stop.load()) return false;
                if (!g_active.load()) return true;
                continue;
            }
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

int Terminal::read_input(std::string& out, int timeout_ms) {
    if (!open_) return -1;
    pollfd fds[2] = {{options_.in_fd, POLLIN, 0}, {g_wake_read, POLLIN, 0}};
    const int ready = ::poll(fds, 2, timeout_ms);
    if (ready < 0) return errno == EINTR ? 0 : -1;
    if ((fds[1].revents & POLLIN) != 0) {
        char drain[64];
        while (::read(g_wake_read, drain, sizeof drain) > 0) {
        }
    }
    if ((fds[0].revents & POLLIN) != 0) {
        char buf[4096];
        const ssize_t n = ::read(options_.in_fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            return static_cast<int>(n);
        }
        if (n == 0) return -1;
        return (errno == EINTR || errno == EAGAIN) ? 0 : -1;
    }
    if ((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) return -1;
    return 0;
}

}  // namespace sockeye::tui
