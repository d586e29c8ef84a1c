#include "enrich/rate_limiter.hpp"

#include <algorithm>

namespace sockeye::enrich {

RateLimiter::RateLimiter(unsigned per_second, unsigned burst)
    : interval_(per_second == 0 ? Clock::duration::zero()
                                : std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(1)) /
                                      per_second),
      tolerance_(interval_ * (std::max(burst, 1U) - 1)) {}

bool RateLimiter::try_acquire(Clock::time_point now) {
    if (interval_ == Clock::duration::zero()) return true;
    if (now < theoretical_arrival_ - tolerance_) return false;
    theoretical_arrival_ = std::max(theoretical_arrival_, now) + interval_;
    return true;
}

RateLimiter::Clock::duration RateLimiter::wait(Clock::time_point now) const {
    if (interval_ == Clock::duration::zero()) return Clock::duration::zero();
    const Clock::time_point allowed = theoretical_arrival_ - tolerance_;
    return now >= allowed ? Clock::duration::zero() : allowed - now;
}

}  // namespace sockeye::enrich
