#include "app/time_args.hpp"

#include <charconv>
#include <ctime>
#include <limits>

namespace sockeye::app {
namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

// Digits at `at`, exactly `n` of them.
bool digits(const std::string& t, std::size_t at, std::size_t n, int& out) {
    if (at + n > t.size()) return false;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (t[i] < '0' || t[i] > '9') return false;
        v = v * 10 + (t[i] - '0');
    }
    out = v;
    return true;
}

// YYYY-MM-DD[(T| )HH:MM[:SS]][Z]
bool parse_date(const std::string& t, std::int64_t& out_ns) {
    std::tm tm{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(t, 0, 4, year) || t.size() < 10 || t[4] != '-' || !digits(t, 5, 2, month) || t[7] != '-' ||
        !digits(t, 8, 2, day))
        return false;
    std::size_t at = 10;
    if (at < t.size() && (t[at] == 'T' || t[at] == ' ')) {
        if (!digits(t, at + 1, 2, hour) || at + 3 >= t.size() || t[at + 3] != ':' ||
            !digits(t, at + 4, 2, minute))
            return false;
        at += 6;
        if (at < t.size() && t[at] == ':') {
            if (!digits(t, at + 1, 2, second)) return false;
            at += 3;
        }
    }
    bool utc = false;
    if (at < t.size() && t[at] == 'Z') {
        utc = true;
        ++at;
    }
    if (at != t.size()) return false;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    tm.tm_isdst = -1;
    const std::time_t seconds = utc ? ::timegm(&tm) : std::mktime(&tm);
    // mktime/timegm normalise 2024-02-31 into March: refuse what moved.
    if (tm.tm_mday != day || tm.tm_mon != month - 1) return false;
    out_ns = static_cast<std::int64_t>(seconds) * kSecondNs;
    return true;
}

// "90s" ... "2w": nanoseconds; false for anything else (or too long).
bool span_ns(const std::string& text, std::int64_t& out) {
    if (text.size() < 2) return false;
    std::int64_t unit = 0;
    switch (text.back()) {
        case 's': unit = kSecondNs; break;
        case 'm': unit = 60 * kSecondNs; break;
        case 'h': unit = 3600 * kSecondNs; break;
        case 'd': unit = 86'400 * kSecondNs; break;
        case 'w': unit = 7 * 86'400 * kSecondNs; break;
        default: return false;
    }
    std::uint64_t n = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size() - 1;
    const auto [ptr, ec] = std::from_chars(begin, end, n);
    if (ec != std::errc{} || ptr != end ||
        n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / unit))
        return false;
    out = static_cast<std::int64_t>(n) * unit;
    return true;
}

}  // namespace

core::Result<std::int64_t> parse_span(const std::string& text, std::string_view option) {
    std::int64_t ns = 0;
    if (text == "0" || span_ns(text, ns)) return ns;
    return core::Error{core::ErrorCode::usage, "invalid value '" + text + "' for " + std::string(option) +
                                                   ": expected a span (90s, 30m, 24h, 7d, 2w) or 0"};
}

core::Result<std::uint64_t> parse_size(const std::string& text, std::string_view option) {
    std::uint64_t n = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, n);
    unsigned shift = 0;
    if (ec == std::errc{} && ptr + 1 == end) {
        switch (*ptr) {
            case 'k': case 'K': shift = 10; break;
            case 'M': shift = 20; break;
            case 'G': shift = 30; break;
            case 'T': shift = 40; break;
            default: shift = 64; break;
        }
    }
    if (ec == std::errc{} && (ptr == end || (ptr + 1 == end && shift < 64)) &&
        n <= (std::numeric_limits<std::uint64_t>::max() >> shift))
        return n << shift;
    return core::Error{core::ErrorCode::usage, "invalid value '" + text + "' for " + std::string(option) +
                                                   ": expected a size (500M, 1G, 2T, bytes) or 0"};
}

core::Result<std::int64_t> parse_when(const std::string& text, std::int64_t now_ns, std::string_view option) {
    std::int64_t ns = 0;
    if (parse_date(text, ns)) return ns;
    if (span_ns(text, ns)) {
        std::int64_t since = 0;
        // Further back than the clock reaches: everything.
        if (__builtin_sub_overflow(now_ns, ns, &since)) return std::numeric_limits<std::int64_t>::min();
        return since;
    }
    return core::Error{core::ErrorCode::usage, "invalid value '" + text + "' for " + std::string(option) +
                       ": expected a span back from now (90s, 30m, 24h, 7d, 2w) or a "
                       "date (2024-05-01, 2024-05-01T13:45[:10][Z])"};
}

}  // namespace sockeye::app
