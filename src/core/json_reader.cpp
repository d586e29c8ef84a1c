#include "core/json_reader.hpp"

#include <utility>

#include "core/printable_text.hpp"

namespace sockeye::core {

const JsonValue* JsonValue::find(std::string_view key) const {
    if (kind_ != Kind::object) return nullptr;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (keys_[i] == key) return &items_[i];
    }
    return nullptr;
}

std::string_view JsonValue::string_at(std::string_view key) const {
    const JsonValue* v = find(key);
    return v != nullptr && v->is_string() ? std::string_view(v->text_) : std::string_view();
}

class JsonParser {
public:
    JsonParser(std::string_view text, const JsonLimits& limits) : in_(text), limits_(limits) {}

    std::optional<JsonValue> parse_document() {
        JsonValue v;
        skip_space();
        if (!parse_value(v, 0)) return std::nullopt;
        skip_space();
        if (pos_ != in_.size()) return fail("text after the value");
        return v;
    }

    JsonParseError error;

private:
    std::nullopt_t fail(std::string message) {
        if (error.message.empty()) {
            error.offset = pos_;
            error.message = std::move(message);
        }
        return std::nullopt;
    }
    bool failed(std::string message) {
        fail(std::move(message));
        return false;
    }

    void skip_space() {
        while (pos_ < in_.size() &&
               (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r')) {
            ++pos_;
        }
    }
    bool at(char c) const { return pos_ < in_.size() && in_[pos_] == c; }
    bool literal(std::string_view word) {
        if (in_.substr(pos_, word.size()) != word) return failed("unknown literal");
        pos_ += word.size();
        return true;
    }

    bool parse_value(JsonValue& out, std::size_t depth) {
        if (++values_ > limits_.max_values) return failed("too many values");
        if (pos_ >= in_.size()) return failed("expected a value");
        switch (in_[pos_]) {
            case '{': return parse_object(out, depth + 1);
            case '[': return parse_array(out, depth + 1);
            case '"': out.kind_ = JsonValue::Kind::string; return parse_string(out.text_);
            case 't': out.kind_ = JsonValue::Kind::boolean; out.boolean_ = true; return literal("true");
            case 'f': out.kind_ = JsonValue::Kind::boolean; return literal("false");
            case 'n': out.kind_ = JsonValue::Kind::null; return literal("null");
            default: out.kind_ = JsonValue::Kind::number; return parse_number(out.text_);
        }
    }

    bool parse_array(JsonValue& out, std::size_t depth) {
        if (depth > limits_.max_depth) return failed("nested too deep");
        out.kind_ = JsonValue::Kind::array;
        ++pos_;  // '['
        skip_space();
        if (at(']')) {
            ++pos_;
            return true;
        }
        while (true) {
            out.items_.emplace_back();
            if (!parse_value(out.items_.back(), depth)) return false;
            skip_space();
            if (at(',')) {
                ++pos_;
                skip_space();
                continue;
            }
            if (at(']')) {
                ++pos_;
                return true;
            }
            return failed("expected ',' or ']'");
        }
    }

    bool parse_object(JsonValue& out, std::size_t depth) {
        if (depth > limits_.max_depth) return failed("nested too deep");
        out.kind_ = JsonValue::Kind::object;
        ++pos_;  // '{'
        skip_space();
        if (at('}')) {
            ++pos_;
            return true;
        }
        while (true) {
            if (!at('"')) return failed("expected a key");
            std::string key;
            if (!parse_string(key)) return false;
            skip_space();
            if (!at(':')) return failed("expected ':'");
            ++pos_;
            skip_space();
            out.keys_.push_back(std::move(key));
            out.items_.emplace_back();
            if (!parse_value(out.items_.back(), depth)) return false;
            skip_space();
            if (at(',')) {
                ++pos_;
                skip_space();
                continue;
            }
            if (at('}')) {
                ++pos_;
                return true;
            }
            return failed("expected ',' or '}'");
        }
    }

    // Four hex digits after "\u"; nullopt when they are not.
    std::optional<std::uint32_t> hex4() {
        if (in_.size() - pos_ < 4) return std::nullopt;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = in_[pos_ + static_cast<std::size_t>(i)];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
            else return std::nullopt;
        }
        pos_ += 4;
        return v;
    }

    bool parse_string(std::string& out) {
        ++pos_;  // '"'
        while (true) {
            if (pos_ >= in_.size()) return failed("unterminated string");
            const char c = in_[pos_];
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20) return failed("control character in a string");
            if (c != '\\') {
                out += c;
                ++pos_;
                continue;
            }
            ++pos_;
            if (pos_ >= in_.size()) return failed("unterminated string");
            const char e = in_[pos_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    auto cp = hex4();
                    if (!cp) return failed("bad \\u escape");
                    if (*cp >= 0xd800 && *cp < 0xdc00 && in_.substr(pos_, 2) == "\\u") {
                        const std::size_t save = pos_;
                        pos_ += 2;
                        const auto low = hex4();
                        if (low && *low >= 0xdc00 && *low < 0xe000) {
                            cp = 0x10000 + ((*cp - 0xd800) << 10) + (*low - 0xdc00);
                        } else {
                            pos_ = save;  // not a pair: the next escape stands alone
                        }
                    }
                    if (*cp >= 0xd800 && *cp < 0xe000) cp = 0xfffd;
                    append_utf8(out, static_cast<char32_t>(*cp));
                    break;
                }
                default: return failed("bad escape");
            }
        }
    }

    static bool digit(char c) { return c >= '0' && c <= '9'; }
    std::size_t digits() {
        const std::size_t start = pos_;
        while (pos_ < in_.size() && digit(in_[pos_])) ++pos_;
        return pos_ - start;
    }

    bool parse_number(std::string& out) {
        const std::size_t start = pos_;
        if (at('-')) ++pos_;
        if (at('0')) {
            ++pos_;
        } else if (digits() == 0) {
            return failed("expected a value");
        }
        if (at('.')) {
            ++pos_;
            if (digits() == 0) return failed("bad number");
        }
        if (at('e') || at('E')) {
            ++pos_;
            if (at('+') || at('-')) ++pos_;
            if (digits() == 0) return failed("bad number");
        }
        out.assign(in_.substr(start, pos_ - start));
        return true;
    }

    std::string_view in_;
    JsonLimits limits_;
    std::size_t pos_ = 0;
    std::size_t values_ = 0;
};

std::optional<JsonValue> parse_json(std::string_view text, const JsonLimits& limits, JsonParseError* error) {
    JsonParser parser(text, limits);
    auto v = parser.parse_document();
    if (!v && error != nullptr) *error = parser.error;
    return v;
}

}  // namespace sockeye::core
