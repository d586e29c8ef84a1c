// Capture timestamps as the engine takes them: nanoseconds since the Unix
// epoch, within a range the engine's arithmetic is safe in.
#pragma once

#include <algorithm>
#include <cstdint>

namespace sockeye::capture {

// The last second classic pcap can name (its seconds are unsigned 32-bit):
// 2106-02-07T06:28:15Z. Files name anything up to that, so the range is
// [1970, 2106]; pcapng's 64-bit timestamps and corrupt files beyond it are
// clamped to its ends. The engine adds timeouts and tick intervals to
// timestamps and subtracts them from each other: int64 nanoseconds reach
// 2262, which leaves more than a century of headroom above the clamp (found
// by fuzzing: a clamp at the int64 limit overflowed the next tick).
inline constexpr std::int64_t kMaxCaptureSeconds = 0xFFFF'FFFF;

// `seconds` may be anything (a hostile file); `fraction_ns` is clamped to
// less than one second.
constexpr std::int64_t capture_time_ns(std::int64_t seconds, std::int64_t fraction_ns) {
    const std::int64_t s = std::clamp<std::int64_t>(seconds, 0, kMaxCaptureSeconds);
    const std::int64_t f = std::clamp<std::int64_t>(fraction_ns, 0, 999'999'999);
    return s * 1'000'000'000 + f;
}

}  // namespace sockeye::capture
