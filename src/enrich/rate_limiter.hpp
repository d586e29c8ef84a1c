// Paces the reverse resolver's queries: at most `per_second` on average, with
// bursts of up to `burst` (the generic cell rate algorithm). A monitor must
// not flood the network's DNS server when a scan shows a thousand new hosts.
#pragma once

#include <chrono>

namespace sockeye::enrich {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    // per_second == 0: no limit.
    RateLimiter(unsigned per_second, unsigned burst);

    // True (and counts one event) if an event may happen at `now`.
    bool try_acquire(Clock::time_point now);
    // How long from `now` until try_acquire would succeed; zero if it would now.
    [[nodiscard]] Clock::duration wait(Clock::time_point now) const;

private:
    Clock::duration interval_;
    Clock::duration tolerance_;  // interval * (burst - 1)
    Clock::time_point theoretical_arrival_{};
};

}  // namespace sockeye::enrich
