// The time arguments of `sockeye history` and `sockeye report` (--since,
// --until): one parser, so both commands (and the fuzz target) read the same
// spans and dates; and the store's bounds (--retain, --max-store).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sockeye::app {

// A span back from now ("90s", "30m", "24h", "7d", "2w") or a date and
// time, local unless it ends in Z ("2024-05-01", "2024-05-01T13:45",
// "2024-05-01 13:45:10", "2024-05-01T13:45:10Z"). Nanoseconds since the
// epoch; a span further back than the clock reaches is INT64_MIN. A text
// that is neither is ErrorCode::usage, one line naming `option`.
core::Result<std::int64_t> parse_when(const std::string& text, std::int64_t now_ns, std::string_view option);

// A span ("90s", "30m", "24h", "7d", "2w") in nanoseconds, or "0" (none).
// ErrorCode::usage naming `option` otherwise.
core::Result<std::int64_t> parse_span(const std::string& text, std::string_view option);

// A size: bytes, or with k, M, G or T (powers of 1024): "500M", "1G"; "0"
// (none). ErrorCode::usage naming `option` otherwise.
core::Result<std::uint64_t> parse_size(const std::string& text, std::string_view option);

inline core::Result<std::int64_t> parse_since(const std::string& text, std::int64_t now_ns) {
    return parse_when(text, now_ns, "--since");
}

}  // namespace sockeye::app
