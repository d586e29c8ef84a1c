// A small, bounded JSON reader (RFC 8259) for state files other programs
// write: container runtimes' configuration and storage files. The input is
// treated as hostile: nesting depth and the number of values are capped,
// so a file can cost at most a known amount of memory and stack; numbers
// are kept as their text (nothing here computes with them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockeye::core {

struct JsonLimits {
    std::size_t max_depth = 32;         // arrays and objects inside each other
    std::size_t max_values = 1u << 18;  // every value, members and elements included
};

class JsonValue {
public:
    enum class Kind : std::uint8_t { null, boolean, number, string, array, object };

    [[nodiscard]] Kind kind() const { return kind_; }
    [[nodiscard]] bool is_string() const { return kind_ == Kind::string; }
    [[nodiscard]] bool is_array() const { return kind_ == Kind::array; }
    [[nodiscard]] bool is_object() const { return kind_ == Kind::object; }
    // The decoded string (UTF-8), or a number's literal text; empty otherwise.
    [[nodiscard]] std::string_view text() const { return text_; }
    [[nodiscard]] bool boolean() const { return boolean_; }
    // An object's member by key (the first, when a key repeats); null when
    // this is not an object or it has no such member.
    [[nodiscard]] const JsonValue* find(std::string_view key) const;
    // find(key) when it is a string; empty otherwise.
    [[nodiscard]] std::string_view string_at(std::string_view key) const;
    // An array's elements, or an object's member values (keys() in step).
    [[nodiscard]] const std::vector<JsonValue>& items() const { return items_; }
    [[nodiscard]] const std::vector<std::string>& keys() const { return keys_; }

private:
    friend class JsonParser;

    Kind kind_ = Kind::null;
    bool boolean_ = false;
    std::string text_;
    std::vector<JsonValue> items_;
    std::vector<std::string> keys_;
};

struct JsonParseError {
    std::size_t offset = 0;  // where the input stopped making sense
    std::string message;     // one line: "expected ':'", "nested too deep", ...
};

// The one value `text` holds (whitespace around it allowed); nullopt with
// `error` set when it is not valid JSON or goes past `limits`. Unpaired
// surrogate escapes decode to U+FFFD; other bytes of strings are kept as
// they are (callers sanitise before display).
std::optional<JsonValue> parse_json(std::string_view text, const JsonLimits& limits = {},
                                    JsonParseError* error = nullptr);

}  // namespace sockeye::core
