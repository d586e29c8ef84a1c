// Best-effort nice value for the calling thread (Linux: per thread).
//
// The attribution thread is boosted while it waits for and answers requests:
// a short-lived client is visible in /proc only for milliseconds, and on a
// busy machine the scheduler's wake-up latency alone can be longer than that.
// The bulk work (periodic rescans, retries) runs at normal priority. Needs
// root or CAP_SYS_NICE; without, it silently stays at normal priority.
#pragma once

namespace sockeye::host {

class ThreadPriority {
public:
    ThreadPriority();  // for the calling thread
    // Sets the thread's nice value; false when not permitted (and it stops trying).
    bool set(int nice);
    [[nodiscard]] bool permitted() const { return permitted_; }
    [[nodiscard]] int current() const { return current_; }

private:
    int tid_ = 0;
    int current_ = 0;
    bool permitted_ = true;
};

}  // namespace sockeye::host
