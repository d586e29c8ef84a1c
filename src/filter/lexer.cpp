#include "filter/lexer.hpp"

namespace sockeye::filter {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool ends_word(char c) { return is_space(c) || c == '(' || c == ')'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_lower(std::string_view word, std::string_view keyword) {
    if (word.size() != keyword.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (lower(word[i]) != keyword[i]) return false;
    }
    return true;
}

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    LexResult run() {
        LexResult result;
        while (true) {
            skip_spaces();
            Token token;
            token.position = pos_;
            if (pos_ >= text_.size()) {
                token.end = pos_;
                result.tokens.push_back(std::move(token));
                result.ok = true;
                return result;
            }
            if (!next(token)) {
                result.error = error_;
                return result;
            }
            token.end = pos_;
            result.tokens.push_back(std::move(token));
        }
    }

private:
    [[nodiscard]] char peek(std::size_t ahead = 0) const {
        return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
    }
    void skip_spaces() {
        while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    }
    bool fail(std::string message, std::size_t position) {
        error_.message = std::move(message);
        error_.position = position;
        error_set_ = true;
        return false;
    }

    bool next(Token& token) {
        const char c = peek();
        switch (c) {
            case '(': ++pos_; token.kind = TokenKind::lparen; return true;
            case ')': ++pos_; token.kind = TokenKind::rparen; return true;
            case '!':
                if (peek(1) == '=') return fail("expected a keyword before '!='", pos_);
                ++pos_;
                token.kind = TokenKind::op_not;
                return true;
            case '&':
            case '|':
                if (peek(1) != c) return fail(std::string("unexpected '") + c + "'", pos_);
                pos_ += 2;
                token.kind = c == '&' ? TokenKind::op_and : TokenKind::op_or;
                return true;
            case '/':
                token.kind = TokenKind::regex;
                return read_regex(token.text);
            case '"':
            case '\'':
                token.kind = TokenKind::quoted;
                return read_quoted(token.text);
            default: break;
        }
        if (is_alpha(c) && try_field(token)) return true;
        if (error_set_) return false;
        return read_word(token);
    }

    // `key OP value`, where key is an identifier directly followed by an
    // operator (`:` must touch the key; comparisons may have spaces around).
    bool try_field(Token& token) {
        std::size_t end = pos_;
        while (end < text_.size() && (is_alpha(text_[end]) || is_digit(text_[end]))) ++end;
        std::size_t op_at = end;
        if (op_at < text_.size() && text_[op_at] != ':') {
            while (op_at < text_.size() && is_space(text_[op_at])) ++op_at;
        }
        CompareOp op{};
        std::size_t op_len = 0;
        if (!read_op(op_at, op, op_len)) return false;
        if (op_at != end && text_[op_at] == ':') return false;  // "word :x" is not a field
        token.kind = TokenKind::field;
        token.text = std::string(text_.substr(pos_, end - pos_));
        token.op = op;
        token.op_position = op_at;
        pos_ = op_at + op_len;
        skip_spaces();
        token.value_position = pos_;
        return read_value(token);
    }

    bool read_op(std::size_t at, CompareOp& op, std::size_t& len) const {
        if (at >= text_.size()) return false;
        const char a = text_[at];
        const char b = at + 1 < text_.size() ? text_[at + 1] : '\0';
        len = 1;
        switch (a) {
            case ':': op = CompareOp::eq; return true;
            case '=': op = CompareOp::eq; if (b == '=') len = 2; return true;
            case '!': if (b != '=') return false; op = CompareOp::ne; len = 2; return true;
            case '>': op = b == '=' ? CompareOp::ge : CompareOp::gt; len = b == '=' ? 2 : 1; return true;
            case '<': op = b == '=' ? CompareOp::le : CompareOp::lt; len = b == '=' ? 2 : 1; return true;
            default: return false;
        }
    }

    bool read_value(Token& token) {
        const char c = peek();
        if (c == '/') {
            token.value_kind = ValueKind::regex;
            return read_regex(token.value);
        }
        if (c == '"' || c == '\'') {
            token.value_kind = ValueKind::quoted;
            return read_quoted(token.value);
        }
        const std::size_t start = pos_;
        while (pos_ < text_.size() && !ends_word(text_[pos_])) ++pos_;
        if (pos_ == start) {
            return fail("missing value after '" + token.text + std::string(compare_op_text(token.op)) + "'",
                        start);
        }
        token.value = std::string(text_.substr(start, pos_ - start));
        return true;
    }

    // /.../ with \/ for a slash inside; the escapes stay for std::regex.
    bool read_regex(std::string& out) {
        const std::size_t start = pos_++;
        while (pos_ < text_.size() && text_[pos_] != '/') {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
                if (text_[pos_ + 1] == '/') {
                    out += '/';
                    pos_ += 2;
                    continue;
                }
                out += text_[pos_++];
            }
            out += text_[pos_++];
        }
        if (pos_ >= text_.size()) {
            return fail("unterminated regex", start);
        }
        ++pos_;
        return true;
    }

    // "..." or '...'; a backslash escapes the next character.
    bool read_quoted(std::string& out) {
        const char quote = text_[pos_];
        const std::size_t start = pos_++;
        while (pos_ < text_.size() && text_[pos_] != quote) {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
            out += text_[pos_++];
        }
        if (pos_ >= text_.size()) {
            return fail("unterminated quote", start);
        }
        ++pos_;
        return true;
    }

    bool read_word(Token& token) {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && !ends_word(text_[pos_])) ++pos_;
        const std::string_view word = text_.substr(start, pos_ - start);
        if (equals_lower(word, "and")) {
            token.kind = TokenKind::op_and;
        } else if (equals_lower(word, "or")) {
            token.kind = TokenKind::op_or;
        } else if (equals_lower(word, "not")) {
            token.kind = TokenKind::op_not;
        } else {
            token.kind = TokenKind::word;
            token.text = std::string(word);
        }
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    FilterError error_;
    bool error_set_ = false;
};

}  // namespace

std::string_view compare_op_text(CompareOp op) {
    switch (op) {
        case CompareOp::eq: return ":";
        case CompareOp::ne: return "!=";
        case CompareOp::gt: return ">";
        case CompareOp::ge: return ">=";
        case CompareOp::lt: return "<";
        case CompareOp::le: return "<=";
    }
    return ":";
}

LexResult tokenize(std::string_view text) { return Lexer(text).run(); }

}  // namespace sockeye::filter
