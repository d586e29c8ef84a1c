// A small TOML subset for sockeye's config file: comments, [tables] (dotted
// names), and `key = value` with value one of "basic string", 'literal
// string', integer, float, true/false or an array of strings (which may span
// lines), and arrays of tables ([[name]], each element's keys its own).
// Anything else is refused with the line it is on, so a config never
// half-works. No dates, inline tables or multi-line strings.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockeye::app {

struct TomlValue {
    enum class Type : std::uint8_t { string, integer, floating, boolean, string_array };
    Type type = Type::string;
    std::string string;
    std::int64_t integer = 0;
    double floating = 0;
    bool boolean = false;
    std::vector<std::string> strings;
};

std::string_view toml_type_name(TomlValue::Type type);  // "a string", "an integer", ...

struct TomlEntry {
    std::string key;  // full dotted path: "theme", "table.key"
    TomlValue value;
    int line = 0;     // 1-based line of the key
};

// One [[name]] element: its keys (without the name), in file order, unique.
struct TomlTableItem {
    std::string name;
    int line = 0;  // of the [[name]] header
    std::vector<TomlEntry> entries;
};

struct TomlDocument {
    std::vector<TomlEntry> entries;  // in file order, keys unique
    std::vector<std::pair<std::string, int>> tables;  // [name] headers and their lines
    std::deque<TomlTableItem> array_tables;  // [[name]] elements in file order

    [[nodiscard]] const TomlEntry* find(std::string_view key) const;
};

struct TomlError {
    int line = 0;  // 1-based
    std::string message;
};

// nullopt with `error` set when the text is not in the subset.
std::optional<TomlDocument> parse_toml(std::string_view text, TomlError& error);

}  // namespace sockeye::app
