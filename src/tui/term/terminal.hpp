// The terminal as the live UI uses it: raw mode, alternate screen, hidden
// cursor, mouse reporting, and a guarantee that all of it is undone however
// the process ends: normal exit, exception, exit(), SIGINT/SIGTERM/SIGHUP or
// a crash (SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGABRT).
//
// Signal handling is process-wide, so at most one Terminal is open at a time.
// The handlers restore with async-signal-safe calls only (write() of a
// sequence built at open(), tcsetattr()). A stop signal restores the terminal
// at once, sets stop_requested() and wakes read_input(); later writes are
// dropped so the app can wind down (join threads, flush exports) without
// drawing over the user's shell. A second stop signal kills the process with
// the default action. Crash signals restore, then re-raise with the action
// that was installed before open() (the default, or a sanitizer's handler).
#pragma once

#include <string>
#include <string_view>

namespace sockeye::tui {

struct TerminalOptions {
    int in_fd = 0;
    int out_fd = 1;
    bool alternate_screen = true;
    bool mouse = true;  // SGR (1006) reports of presses, releases, drags (1000, 1002)
};

struct TerminalSize {
    int cols = 0;
    int rows = 0;
};

class Terminal {
public:
    Terminal() = default;
    ~Terminal();
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    // Enters raw mode and the UI screen. Returns an empty string on success,
    // otherwise why not (not a tty, another Terminal open, termios failed);
    // on failure nothing was changed.
    [[nodiscard]] std::string open(const TerminalOptions& options = {});
    // Restores everything open() changed (idempotent; the destructor calls it).
    void close();
    [[nodiscard]] bool is_open() const { return open_; }

    // Columns and rows (TIOCGWINSZ); 80x24 when the tty does not say.
    [[nodiscard]] TerminalSize size() const;
    // True once after each SIGWINCH (the flag is cleared by the call).
    [[nodiscard]] bool take_resize();
    // True after SIGINT, SIGTERM or SIGHUP since open(); the terminal is
    // already restored when this turns true.
    [[nodiscard]] static bool stop_requested();

    // Ctrl+Z arrives as a key in raw mode: this gives the shell its screen
    // back and stops the process like SIGTSTP would. When the shell resumes
    // it, the UI screen is entered again and take_resize() turns true so
    // the app redraws everything.
    void suspend();
    // Whether a shell can resume this process after a stop: its parent is
    // in this session but outside our process group (a job-control shell).
    // Otherwise the group is orphaned (tmux new-session 'sockeye', ssh -t,
    // docker run -it) and the kernel discards the stop, so suspend() would
    // only leave the screen. Found out by open(), before the sandbox.
    [[nodiscard]] bool can_suspend() const { return can_suspend_; }

    // Writes all of `bytes`, retrying on EINTR and short writes and waiting
    // for a terminal that drains slowly. False when the write failed or a
    // stop signal already restored the terminal; while suspended (Ctrl+Z)
    // nothing is written and the answer is true: the resume redraws.
    bool write_all(std::string_view bytes);

    // Waits up to `timeout_ms` (-1: forever) for input or a signal, then
    // appends what is available (at most 4 KiB) to `out`. Returns the number
    // of bytes appended: 0 on timeout or when a signal woke it (check
    // take_resize() / stop_requested()), -1 on end of input or an error.
    int read_input(std::string& out, int timeout_ms);

    // The bytes open() writes and the ones every restore path writes; for
    // tests and for callers that print a message after restoring.
    [[nodiscard]] static std::string enter_sequence(const TerminalOptions& options);
    [[nodiscard]] static std::string restore_sequence(const TerminalOptions& options);

private:
    bool open_ = false;
    bool can_suspend_ = false;
    TerminalOptions options_{};
};

}  // namespace sockeye::tui
