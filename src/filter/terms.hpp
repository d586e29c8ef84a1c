// One term of a filter: a keyword test (`port:443`, `bytes>1M`,
// `sni:/\.example\.com$/`) or a bare word / bare /regex/, checked and turned
// into a test when the filter is compiled.
#pragma once

#include <string_view>

#include "filter/ast.hpp"
#include "filter/lexer.hpp"

namespace sockeye::filter {

// `token` is a field, word, quoted or regex token of `text`. False with
// `error` set when the term is invalid.
bool build_term(const Token& token, std::string_view text, Expr& out, FilterError& error);

// The keywords, for help texts and completion.
std::string_view keyword_list();

}  // namespace sockeye::filter
