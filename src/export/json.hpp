// Minimal JSON emission into a std::string: just what JSON Lines exports
// need, with correct string escaping and locale-independent numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// ("export" is a C++ keyword, so this module's namespace is "exports".)
namespace sockeye::exports {

// Appends `text` as a JSON string literal (quotes included). Bytes that are
// not valid UTF-8 are replaced by U+FFFD so the output always parses.
void append_json_string(std::string& out, std::string_view text);

// RFC 3339 UTC with microseconds: 2024-01-01T00:00:00.000000Z
std::string rfc3339_utc_micros(std::int64_t ts_ns);
// The same, appended to `out` (no temporary string per timestamp).
void append_rfc3339_utc_micros(std::string& out, std::int64_t ts_ns);

// Builds one JSON object; fields appear in call order.
class JsonObject {
public:
    explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
    JsonObject& field(std::string_view key, std::string_view value);
    JsonObject& field(std::string_view key, const char* value) {
        return field(key, std::string_view(value));
    }
    JsonObject& field(std::string_view key, std::uint64_t value);
    JsonObject& field(std::string_view key, std::int64_t value);
    JsonObject& field(std::string_view key, std::uint32_t value) {
        return field(key, std::uint64_t{value});
    }
    JsonObject& field(std::string_view key, bool value);
    JsonObject& field(std::string_view key, const std::vector<std::string>& values);  // array
    // Fixed three decimals (milliseconds with microsecond resolution), so
    // output is byte-stable across platforms.
    JsonObject& field_fixed3(std::string_view key, double value);
    // field_fixed3(key, ns / 1e6) for a duration in nanoseconds, byte for
    // byte, without printf on the common path.
    JsonObject& field_millis3(std::string_view key, std::int64_t ns);
    // field(key, rfc3339_utc_micros(ts_ns)) without the temporary string.
    JsonObject& field_time(std::string_view key, std::int64_t ts_ns);
    JsonObject& field_null(std::string_view key);
    // field(key, value), or null when `value` is empty (unknown).
    JsonObject& field_or_null(std::string_view key, std::string_view value) {
        return value.empty() ? field_null(key) : field(key, value);
    }
    // Starts a nested object under `key`; close it with close_nested().
    JsonObject& open_nested(std::string_view key);
    JsonObject& close_nested();
    void close() { out_ += '}'; }

private:
    void key(std::string_view k);

    std::string& out_;
    bool first_ = true;
};

}  // namespace sockeye::exports
