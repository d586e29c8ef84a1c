// Splits filter text into tokens: parentheses, `and`/`or`/`not` (and
// `&&`, `||`, `!`), bare words, "quoted" words, /regex/ and field terms
// (`key:value`, `key=value`, `key>=value`, ...). A field term is one token so
// its value may hold characters that are operators elsewhere: `src:fd00::/8`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "filter/filter.hpp"

namespace sockeye::filter {

enum class TokenKind : std::uint8_t {
    word,     // bare word: substring match
    quoted,   // "bare words" with spaces: substring match
    regex,    // bare /regex/
    field,    // key OP value
    lparen,
    rparen,
    op_not,
    op_and,
    op_or,
    end,
};

// `:` and `=` mean the same; `!=` is `not key=value`.
enum class CompareOp : std::uint8_t { eq, ne, gt, ge, lt, le };

enum class ValueKind : std::uint8_t { plain, quoted, regex };

struct Token {
    TokenKind kind = TokenKind::end;
    std::size_t position = 0;  // first byte of the token
    std::size_t end = 0;       // one past its last byte
    std::string text;          // word/quoted/regex: the content; field: the key
    // Field terms only.
    CompareOp op = CompareOp::eq;
    std::size_t op_position = 0;
    std::string value;
    ValueKind value_kind = ValueKind::plain;
    std::size_t value_position = 0;
};

struct LexResult {
    std::vector<Token> tokens;  // ends with a TokenKind::end token on success
    bool ok = false;
    FilterError error;
};

LexResult tokenize(std::string_view text);

std::string_view compare_op_text(CompareOp op);

}  // namespace sockeye::filter
