#include "app/toml_subset.hpp"

#include <cmath>
#include <limits>
#include <unordered_set>

#include "core/printable_text.hpp"

namespace sockeye::app {
namespace {

bool is_bare_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Decimal digits with single underscores between them (TOML's 1_000).
bool digits_with_underscores(std::string_view s) {
    if (s.empty() || !is_digit(s.front()) || !is_digit(s.back())) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_') {
            if (!is_digit(s[i + 1]) || !is_digit(s[i - 1])) return false;
        } else if (!is_digit(s[i])) {
            return false;
        }
    }
    return true;
}

std::string without_underscores(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c != '_') out += c;
    }
    return out;
}

bool parse_integer(std::string_view token, std::int64_t& out) {
    bool negative = false;
    if (!token.empty() && (token[0] == '+' || token[0] == '-')) {
        negative = token[0] == '-';
        token.remove_prefix(1);
    }
    if (!digits_with_underscores(token)) return false;
    const std::string digits = without_underscores(token);
    if (digits.size() > 1 && digits[0] == '0') return false;  // no leading zeros in TOML
    // Accumulate negatively so INT64_MIN fits.
    std::int64_t value = 0;
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    for (char c : digits) {
        const int d = c - '0';
        if (value < (kMin + d) / 10) return false;
        value = value * 10 - d;
    }
    if (!negative) {
        if (value == kMin) return false;
        value = -value;
    }
    out = value;
    return true;
}

// [+-] int [. digits] [eE [+-] digits], at least one of fraction/exponent.
bool parse_float(std::string_view token, double& out) {
    double sign = 1;
    if (!token.empty() && (token[0] == '+' || token[0] == '-')) {
        if (token[0] == '-') sign = -1;
        token.remove_prefix(1);
    }
    const auto exp_at = token.find_first_of("eE");
    std::string_view mantissa = token.substr(0, exp_at);
    std::string_view exponent = exp_at == std::string_view::npos ? std::string_view() : token.substr(exp_at + 1);
    const auto dot = mantissa.find('.');
    const std::string_view int_part = mantissa.substr(0, dot);
    const std::string_view frac_part = dot == std::string_view::npos ? std::string_view() : mantissa.substr(dot + 1);
    if (!digits_with_underscores(int_part)) return false;
    if (dot != std::string_view::npos && !digits_with_underscores(frac_part)) return false;
    if (dot == std::string_view::npos && exp_at == std::string_view::npos) return false;
    const std::string int_digits = without_underscores(int_part);
    if (int_digits.size() > 1 && int_digits[0] == '0') return false;
    int exp_value = 0;
    if (exp_at != std::string_view::npos) {
        bool exp_negative = false;
        if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) {
            exp_negative = exponent[0] == '-';
            exponent.remove_prefix(1);
        }
        if (!digits_with_underscores(exponent)) return false;
        for (char c : without_underscores(exponent)) {
            if (exp_value > 10000) return false;
            exp_value = exp_value * 10 + (c - '0');
        }
        if (exp_negative) exp_value = -exp_value;
    }
    // Digit by digit rather than strtod: strtod follows the C locale's
    // decimal point, and libc++ 16 has no floating-point from_chars.
    double value = 0;
    for (char c : int_digits) value = value * 10 + (c - '0');
    double scale = 0.1;
    for (char c : without_underscores(frac_part)) {
        value += (c - '0') * scale;
        scale /= 10;
    }
    value *= std::pow(10.0, exp_value);
    if (!std::isfinite(value)) return false;
    out = sign * value;
    return true;
}

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    std::optional<TomlDocument> run(TomlError& error) {
        while (!at_end()) {
            skip_blanks();
            if (at_end()) break;
            const char c = peek();
            bool ok = true;
            if (c == '\n' || c == '\r') {
                ok = end_of_line("blank line");
            } else if (c == '#') {
                ok = skip_comment() && end_of_line("comment");
            } else if (c == '[') {
                ok = table_header();
            } else {
                ok = key_value();
            }
            if (!ok) {
                error = error_;
                return std::nullopt;
            }
        }
        return std::move(doc_);
    }

private:
    [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
    [[nodiscard]] char peek(std::size_t ahead = 0) const {
        return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
    }
    bool fail(std::string message) {
        error_.line = line_;
        error_.message = std::move(message);
        return false;
    }
    void skip_blanks() {
        while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
    }
    bool skip_comment() {
        while (!at_end() && peek() != '\n') {
            const char c = peek();
            if (c == '\r' && peek(1) == '\n') break;
            // TOML allows tab but no other control character in comments.
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
                return fail("control character in comment");
            }
            ++pos_;
        }
        return true;
    }
    // Optional blanks and comment, then a newline or the end of the text.
    bool end_of_line(std::string_view after) {
        skip_blanks();
        if (peek() == '#' && !skip_comment()) return false;
        if (at_end()) return true;
        if (peek() == '\r' && peek(1) == '\n') ++pos_;
        if (peek() == '\r') return fail("carriage return without a newline");
        if (peek() != '\n') return fail("unexpected text after " + std::string(after));
        ++pos_;
        ++line_;
        return true;
    }
    // Blanks, newlines and comments inside an array.
    bool skip_array_space() {
        while (!at_end()) {
            skip_blanks();
            if (peek() == '#') {
                if (!skip_comment()) return false;
            } else if (peek() == '\n' || (peek() == '\r' && peek(1) == '\n')) {
                if (!end_of_line("array item")) return false;
            } else {
                break;
            }
        }
        return true;
    }

    bool key_path(std::string& out) {
        while (true) {
            skip_blanks();
            const std::size_t start = pos_;
            while (!at_end() && is_bare_key_char(peek())) ++pos_;
            if (pos_ == start) {
                if (peek() == '"' || peek() == '\'') return fail("quoted keys are not supported");
                return fail(out.empty() ? "expected a key" : "expected a key after '.'");
            }
            out += text_.substr(start, pos_ - start);
            skip_blanks();
            if (peek() != '.') return true;
            ++pos_;
            out += '.';
        }
    }

    bool table_header() {
        ++pos_;  // '['
        if (peek() == '[') return array_table_header();
        std::string name;
        if (!key_path(name)) return false;
        if (peek() != ']') return fail("expected ']' after table name");
        ++pos_;
        if (tables_.count(name) != 0) return fail("table [" + name + "] defined twice");
        if (keys_.count(name) != 0) return fail("table [" + name + "] has the name of a key");
        if (array_tables_.count(name) != 0)
            return fail("table [" + name + "] has the name of an array of tables");
        tables_.insert(name);
        doc_.tables.emplace_back(name, line_);
        table_ = name;
        item_ = nullptr;
        return end_of_line("table header");
    }

    // [[name]]: the next element of the array of tables `name`.
    bool array_table_header() {
        ++pos_;  // the second '['
        std::string name;
        if (!key_path(name)) return false;
        if (peek() != ']' || peek(1) != ']') return fail("expected ']]' after the name of an array of tables");
        pos_ += 2;
        if (tables_.count(name) != 0) return fail("[[" + name + "]] has the name of a table");
        if (keys_.count(name) != 0) return fail("[[" + name + "]] has the name of a key");
        array_tables_.insert(name);
        doc_.array_tables.push_back(TomlTableItem{name, line_, {}});
        item_ = &doc_.array_tables.back();
        item_keys_.clear();
        table_.clear();
        return end_of_line("table header");
    }

    bool key_value() {
        const int key_line = line_;
        std::string key;
        if (!key_path(key)) return false;
        if (peek() != '=') return fail("expected '=' after key");
        ++pos_;
        skip_blanks();
        TomlEntry entry;
        entry.key = table_.empty() ? key : table_ + "." + key;
        entry.line = key_line;
        if (item_ != nullptr) {
            // A key of the current [[name]] element.
            if (item_keys_.count(key) != 0)
                return fail("duplicate key '" + key + "' in [[" + item_->name + "]]");
            if (!value(entry.value)) return false;
            if (!end_of_line("the value of '" + key + "'")) return false;
            item_keys_.insert(key);
            item_->entries.push_back(std::move(entry));
            return true;
        }
        if (keys_.count(entry.key) != 0) return fail("duplicate key '" + entry.key + "'");
        if (tables_.count(entry.key) != 0) return fail("key '" + entry.key + "' has the name of a table");
        if (!value(entry.value)) return false;
        if (!end_of_line("the value of '" + key + "'")) return false;
        keys_.insert(entry.key);
        doc_.entries.push_back(std::move(entry));
        return true;
    }

    bool value(TomlValue& out) {
        const char c = peek();
        if (c == '"' || c == '\'') {
            out.type = TomlValue::Type::string;
            return string_value(out.string);
        }
        if (c == '[') return array_value(out);
        if (c == '{') return fail("inline tables are not supported");
        if (at_end() || c == '\n' || c == '\r' || c == '#') return fail("expected a value after '='");
        // A bare token: true/false or a number.
        const std::size_t start = pos_;
        while (!at_end() && peek() != ' ' && peek() != '\t' && peek() != '\n' && peek() != '\r' &&
               peek() != '#' && peek() != ',' && peek() != ']') {
            ++pos_;
        }
        const std::string_view token = text_.substr(start, pos_ - start);
        if (token == "true" || token == "false") {
            out.type = TomlValue::Type::boolean;
            out.boolean = token == "true";
            return true;
        }
        if (parse_integer(token, out.integer)) {
            out.type = TomlValue::Type::integer;
            return true;
        }
        if (parse_float(token, out.floating)) {
            out.type = TomlValue::Type::floating;
            return true;
        }
        const std::string shown(token.substr(0, 40));
        if (token.find(':') != std::string_view::npos ||
            (token.size() >= 5 && is_digit(token[0]) && token[4] == '-')) {
            return fail("dates and times are not supported ('" + shown + "')");
        }
        if (!token.empty() && (is_digit(token[0]) || token[0] == '+' || token[0] == '-' || token[0] == '.')) {
            return fail("invalid number '" + shown + "'");
        }
        return fail("invalid value '" + shown + "' (strings need quotes)");
    }

    bool string_value(std::string& out) {
        const char quote = peek();
        if (peek(1) == quote && peek(2) == quote) return fail("multi-line strings are not supported");
        ++pos_;
        while (true) {
            if (at_end() || peek() == '\n' || peek() == '\r') return fail("unterminated string");
            const char c = peek();
            if (c == quote) {
                ++pos_;
                return true;
            }
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
                return fail("control character in string");
            }
            if (c == '\\' && quote == '"') {
                if (!escape(out)) return false;
                continue;
            }
            out += c;
            ++pos_;
        }
    }

    bool escape(std::string& out) {
        const char e = peek(1);
        pos_ += 2;
        switch (e) {
            case '"': out += '"'; return true;
            case '\\': out += '\\'; return true;
            case 'n': out += '\n'; return true;
            case 't': out += '\t'; return true;
            case 'r': out += '\r'; return true;
            case 'b': out += '\b'; return true;
            case 'f': out += '\f'; return true;
            case 'u':
            case 'U': {
                const std::size_t n = e == 'u' ? 4 : 8;
                std::uint32_t cp = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    const char h = peek(i);
                    std::uint32_t d = 0;
                    if (h >= '0' && h <= '9') d = static_cast<std::uint32_t>(h - '0');
                    else if (h >= 'a' && h <= 'f') d = static_cast<std::uint32_t>(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F') d = static_cast<std::uint32_t>(h - 'A' + 10);
                    else return fail("bad unicode escape");
                    if (cp > 0x10FFFF) return fail("bad unicode escape");
                    cp = cp * 16 + d;
                }
                pos_ += n;
                // TOML escapes name Unicode scalar values: no surrogates.
                if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
                    return fail("bad unicode escape");
                core::append_utf8(out, cp);
                return true;
            }
            default: return fail("bad escape sequence in string");
        }
    }

    bool array_value(TomlValue& out) {
        out.type = TomlValue::Type::string_array;
        ++pos_;  // '['
        while (true) {
            if (!skip_array_space()) return false;
            if (at_end()) return fail("unterminated array");
            if (peek() == ']') {
                ++pos_;
                return true;
            }
            if (peek() != '"' && peek() != '\'') return fail("arrays may hold only strings");
            std::string item;
            if (!string_value(item)) return false;
            out.strings.push_back(std::move(item));
            if (!skip_array_space()) return false;
            if (peek() == ',') {
                ++pos_;
            } else if (peek() != ']') {
                return fail(at_end() ? "unterminated array" : "expected ',' or ']' in array");
            }
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
    std::string table_;
    std::unordered_set<std::string> keys_;
    std::unordered_set<std::string> tables_;
    std::unordered_set<std::string> array_tables_;
    // The [[name]] element keys go to, and its keys so far (null: none;
    // a deque keeps it in place while more are added).
    TomlTableItem* item_ = nullptr;
    std::unordered_set<std::string> item_keys_;
    TomlDocument doc_;
    TomlError error_;
};

}  // namespace

std::string_view toml_type_name(TomlValue::Type type) {
    switch (type) {
        case TomlValue::Type::string: return "a string";
        case TomlValue::Type::integer: return "an integer";
        case TomlValue::Type::floating: return "a float";
        case TomlValue::Type::boolean: return "true or false";
        case TomlValue::Type::string_array: return "an array of strings";
    }
    return "a value";
}

const TomlEntry* TomlDocument::find(std::string_view key) const {
    for (const auto& e : entries) {
        if (e.key == key) return &e;
    }
    return nullptr;
}

std::optional<TomlDocument> parse_toml(std::string_view text, TomlError& error) {
    return Parser(text).run(error);
}

}  // namespace sockeye::app
