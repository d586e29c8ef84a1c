// A tiny seeded generator. std::uniform_int_distribution is implementation
// defined, so libstdc++ and libc++ would write different captures for the same
// seed; splitmix64 plus a plain modulo is identical everywhere.
#pragma once

#include <cstdint>

namespace sockeye::trafficgen {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        state_ += 0x9E3779B97F4A7C15ULL;
        std::uint64_t z = state_;
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }

    // Uniform enough in [lo, hi] for test traffic (modulo bias is irrelevant here).
    std::uint32_t between(std::uint32_t lo, std::uint32_t hi) {
        const std::uint64_t span = static_cast<std::uint64_t>(hi) - lo + 1U;
        return static_cast<std::uint32_t>(lo + next() % span);
    }

    bool chance(std::uint32_t percent) { return between(0, 99) < percent; }

private:
    std::uint64_t state_;
};

}  // namespace sockeye::trafficgen
