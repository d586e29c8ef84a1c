#include "filter/parser.hpp"

#include <string>

#include "filter/terms.hpp"
#include "filter/values.hpp"

namespace sockeye::filter {
namespace {

bool starts_unary(TokenKind k) {
    switch (k) {
        case TokenKind::word:
        case TokenKind::quoted:
        case TokenKind::regex:
        case TokenKind::field:
        case TokenKind::lparen:
        case TokenKind::op_not: return true;
        default: return false;
    }
}

std::string describe(const Token& t, std::string_view text) {
    if (t.kind == TokenKind::end) return "end of filter";
    return "'" + printable_excerpt(text.substr(t.position, t.end - t.position)) + "'";
}

class Parser {
public:
    Parser(const std::vector<Token>& tokens, std::string_view text) : tokens_(tokens), text_(text) {}

    ParseResult run() {
        ParseResult result;
        if (!parse_or(result.expr, 0)) {
            result.error = error_;
            return result;
        }
        if (peek().kind != TokenKind::end) {
            // The only token parse_or stops at besides `end`.
            result.error = {"unexpected ')'", peek().position};
            return result;
        }
        result.ok = true;
        return result;
    }

private:
    [[nodiscard]] const Token& peek() const { return tokens_[index_]; }
    const Token& take() {
        const Token& t = tokens_[index_];
        if (t.kind != TokenKind::end) ++index_;
        return t;
    }
    bool fail(std::string message, std::size_t position) {
        error_.message = std::move(message);
        error_.position = position;
        return false;
    }

    bool parse_or(Expr& out, std::size_t depth) {
        Expr first;
        if (!parse_and(first, depth)) return false;
        if (peek().kind != TokenKind::op_or) {
            out = std::move(first);
            return true;
        }
        Expr any;
        any.kind = Expr::Kind::any;
        any.children.push_back(std::move(first));
        while (peek().kind == TokenKind::op_or) {
            take();
            if (!starts_unary(peek().kind)) {
                return fail("expected a filter term after 'or', found " + describe(peek(), text_), peek().position);
            }
            Expr next;
            if (!parse_and(next, depth)) return false;
            any.children.push_back(std::move(next));
        }
        out = std::move(any);
        return true;
    }

    bool parse_and(Expr& out, std::size_t depth) {
        Expr first;
        if (!parse_unary(first, depth)) return false;
        Expr all;
        all.kind = Expr::Kind::all;
        all.children.push_back(std::move(first));
        while (true) {
            if (peek().kind == TokenKind::op_and) {
                take();
                if (!starts_unary(peek().kind)) {
                    return fail("expected a filter term after 'and', found " + describe(peek(), text_),
                                peek().position);
                }
            } else if (!starts_unary(peek().kind)) {
                break;
            }
            Expr next;
            if (!parse_unary(next, depth)) return false;
            all.children.push_back(std::move(next));
        }
        if (all.children.size() == 1) {
            out = std::move(all.children.front());
        } else {
            out = std::move(all);
        }
        return true;
    }

    bool parse_unary(Expr& out, std::size_t depth) {
        const Token& t = peek();
        if (depth >= kMaxDepth) return fail("filter nested too deeply", t.position);
        switch (t.kind) {
            case TokenKind::op_not: {
                take();
                if (!starts_unary(peek().kind)) {
                    return fail("expected a filter term after 'not', found " + describe(peek(), text_),
                                peek().position);
                }
                Expr inner;
                if (!parse_unary(inner, depth + 1)) return false;
                out = Expr::make_not(std::move(inner));
                return true;
            }
            case TokenKind::lparen: {
                take();
                if (peek().kind == TokenKind::rparen) return fail("empty parentheses", peek().position);
                if (!parse_or(out, depth + 1)) return false;
                if (peek().kind != TokenKind::rparen) {
                    return fail("expected ')', found " + describe(peek(), text_), peek().position);
                }
                take();
                return true;
            }
            case TokenKind::word:
            case TokenKind::quoted:
            case TokenKind::regex:
            case TokenKind::field: take(); return build_term(t, text_, out, error_);
            case TokenKind::op_and:
            case TokenKind::op_or:
                return fail("expected a filter term before " + describe(t, text_), t.position);
            case TokenKind::rparen: return fail("unexpected ')'", t.position);
            case TokenKind::end: return fail("expected a filter term, found end of filter", t.position);
        }
        return fail("expected a filter term", t.position);
    }

    const std::vector<Token>& tokens_;
    std::string_view text_;
    std::size_t index_ = 0;
    FilterError error_;
};

}  // namespace

ParseResult parse(const std::vector<Token>& tokens, std::string_view text) {
    if (tokens.empty() || tokens.back().kind != TokenKind::end) {
        ParseResult r;
        r.error = {"internal: token list not terminated", 0};
        return r;
    }
    return Parser(tokens, text).run();
}

}  // namespace sockeye::filter
