// Recursive descent over the tokens, with the usual precedence:
// not > and (also implied by juxtaposition) > or.
//
//   expr    := and_expr ( OR and_expr )*
//   and_expr:= unary ( [AND] unary )*
//   unary   := NOT unary | '(' expr ')' | term
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "filter/ast.hpp"
#include "filter/lexer.hpp"

namespace sockeye::filter {

// Nesting of parentheses and `not` beyond this is refused: evaluation and
// destruction recurse over the tree.
inline constexpr std::size_t kMaxDepth = 64;

struct ParseResult {
    Expr expr;
    bool ok = false;
    FilterError error;
};

// `tokens` as tokenize() returned them for `text` (ending with `end`).
ParseResult parse(const std::vector<Token>& tokens, std::string_view text);

}  // namespace sockeye::filter
