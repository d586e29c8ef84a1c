#include "export/json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "core/printable_text.hpp"

namespace sockeye::exports {
namespace {

// Printable ASCII that JSON takes as is: nearly every byte a flow line
// holds (keys, names, addresses, DPI fields).
// One table lookup per byte (the byte loops below run over every key and
// value of every flow line).
constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> t{};
    for (std::size_t c = 0x20; c < 0x7F; ++c) t[c] = c != '"' && c != '\\';
    return t;
}();
constexpr bool is_plain(unsigned char c) { return kPlain[c]; }

// Appends `value` in decimal without a temporary std::string.
template <typename Int>
void append_int(std::string& out, Int value) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

// `value` as exactly `width` digits (value < 10^width).
void append_digits(char* at, unsigned value, int width) {
    for (int k = width - 1; k >= 0; --k) {
        at[k] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        // A run of plain bytes is copied in one append instead of byte by
        // byte (this was most of the cost of `--json` on many flows).
        std::size_t run = i;
        while (run < text.size() && is_plain(static_cast<unsigned char>(text[run]))) ++run;
        if (run != i) {
            out.append(text.data() + i, run - i);
            i = run;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default:
                    if (c < 0x20 || c == 0x7F) {
                        out += "\\u00";
                        out += kHex[c >> 4];
                        out += kHex[c & 0xF];
                    } else {
                        out += static_cast<char>(c);
                    }
            }
            ++i;
            continue;
        }
        // Malformed UTF-8 and C1 controls as core::printable_text() sees
        // them: JSON allows raw C1, but a terminal showing the line obeys it.
        const core::Utf8Char ch = core::decode_utf8(text, i);
        if (!ch.valid) {
            out += "\xEF\xBF\xBD";  // U+FFFD
        } else if (core::is_control_code_point(ch.code_point)) {
            out += "\\u00";
            out += kHex[ch.code_point >> 4];
            out += kHex[ch.code_point & 0xF];
        } else {
            out.append(text.substr(i, ch.length));
        }
        i += ch.length;
    }
    out += '"';
}

namespace {

// Days since 1970-01-01 -> proleptic Gregorian year/month/day (the civil
// calendar gmtime uses), in integer arithmetic: one call per timestamp
// instead of gmtime_r + snprintf.
void civil_from_days(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) {
    days += 719'468;  // shift the epoch to 0000-03-01
    const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
    const auto doe = static_cast<unsigned>(days - era * 146'097);                 // [0, 146096]
    const unsigned yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                  // [0, 365]
    const unsigned mp = (5 * doy + 2) / 153;                                       // [0, 11]
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

}  // namespace

void append_rfc3339_utc_micros(std::string& out, std::int64_t ts_ns) {
    // Floor division so times before 1970 still format correctly.
    std::int64_t seconds = ts_ns / 1'000'000'000;
    std::int64_t rem_ns = ts_ns % 1'000'000'000;
    if (rem_ns < 0) {
        rem_ns += 1'000'000'000;
        --seconds;
    }
    std::int64_t days = seconds / 86'400;
    std::int64_t secs_of_day = seconds % 86'400;
    if (secs_of_day < 0) {
        secs_of_day += 86'400;
        --days;
    }
    std::int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    civil_from_days(days, year, month, day);
    // 2024-01-01T00:00:00.000000Z; nanoseconds in 64 bits span the years
    // 1677..2262, so the year always has four digits (as "%04d" printed it).
    char buf[27];
    const auto sod = static_cast<unsigned>(secs_of_day);
    append_digits(buf, static_cast<unsigned>(year), 4);
    buf[4] = '-';
    append_digits(buf + 5, month, 2);
    buf[7] = '-';
    append_digits(buf + 8, day, 2);
    buf[10] = 'T';
    append_digits(buf + 11, sod / 3600, 2);
    buf[13] = ':';
    append_digits(buf + 14, sod / 60 % 60, 2);
    buf[16] = ':';
    append_digits(buf + 17, sod % 60, 2);
    buf[19] = '.';
    append_digits(buf + 20, static_cast<unsigned>(rem_ns / 1000), 6);
    buf[26] = 'Z';
    out.append(buf, sizeof buf);
}

std::string rfc3339_utc_micros(std::int64_t ts_ns) {
    std::string out;
    append_rfc3339_utc_micros(out, ts_ns);
    return out;
}

void JsonObject::key(std::string_view k) {
    // Keys are short plain words: `,"key":` goes out in one append.
    char buf[64];
    if (k.size() + 4 <= sizeof buf &&
        std::all_of(k.begin(), k.end(), [](char c) { return is_plain(static_cast<unsigned char>(c)); })) {
        std::size_t n = 0;
        if (!first_) buf[n++] = ',';
        buf[n++] = '"';
        std::memcpy(buf + n, k.data(), k.size());
        n += k.size();
        buf[n++] = '"';
        buf[n++] = ':';
        out_.append(buf, n);
        first_ = false;
        return;
    }
    if (!first_) out_ += ',';
    first_ = false;
    append_json_string(out_, k);
    out_ += ':';
}

JsonObject& JsonObject::field(std::string_view k, std::string_view value) {
    key(k);
    append_json_string(out_, value);
    return *this;
}

JsonObject& JsonObject::field(std::string_view k, std::uint64_t value) {
    key(k);
    append_int(out_, value);
    return *this;
}

JsonObject& JsonObject::field(std::string_view k, std::int64_t value) {
    key(k);
    append_int(out_, value);
    return *this;
}

JsonObject& JsonObject::field(std::string_view k, bool value) {
    key(k);
    out_ += value ? "true" : "false";
    return *this;
}

JsonObject& JsonObject::field(std::string_view k, const std::vector<std::string>& values) {
    key(k);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0) out_ += ',';
        append_json_string(out_, values[i]);
    }
    out_ += ']';
    return *this;
}

JsonObject& JsonObject::field_fixed3(std::string_view k, double value) {
    key(k);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3f", value);
    out_ += buf;
    return *this;
}

JsonObject& JsonObject::field_millis3(std::string_view k, std::int64_t ns) {
    // "%.3f" of ns / 1e6 in integers: the double lies on the same side of
    // every rounding midpoint as the exact quotient while it is below about
    // 1e16 ns, so only a value on a midpoint (ns % 1000 == 500, where the
    // binary value decides) or a huge one takes the snprintf route.
    if (ns < 0 || ns >= 1'000'000'000'000'000 || ns % 1000 == 500)
        return field_fixed3(k, static_cast<double>(ns) / 1e6);
    key(k);
    const std::int64_t micros = ns / 1000 + (ns % 1000 > 500 ? 1 : 0);
    append_int(out_, micros / 1000);
    char frac[4] = {'.', '0', '0', '0'};
    append_digits(frac + 1, static_cast<unsigned>(micros % 1000), 3);
    out_.append(frac, sizeof frac);
    return *this;
}

JsonObject& JsonObject::field_time(std::string_view k, std::int64_t ts_ns) {
    key(k);
    out_ += '"';
    append_rfc3339_utc_micros(out_, ts_ns);
    out_ += '"';
    return *this;
}

JsonObject& JsonObject::field_null(std::string_view k) {
    key(k);
    out_ += "null";
    return *this;
}

JsonObject& JsonObject::open_nested(std::string_view k) {
    key(k);
    out_ += '{';
    first_ = true;
    return *this;
}

JsonObject& JsonObject::close_nested() {
    out_ += '}';
    first_ = false;
    return *this;
}

}  // namespace sockeye::exports
