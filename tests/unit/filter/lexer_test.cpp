#include "filter/lexer.hpp"

#include <gtest/gtest.h>

namespace sockeye::filter {
namespace {

std::vector<Token> lex(std::string_view text) {
    auto r = tokenize(text);
    EXPECT_TRUE(r.ok) << text << ": " << r.error.message;
    return r.tokens;
}

TEST(FilterLexer, FieldTokens) {
    const auto t = lex("port:443 bytes>=1M rtt < 5ms");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0].kind, TokenKind::field);
    EXPECT_EQ(t[0].text, "port");
    EXPECT_EQ(t[0].op, CompareOp::eq);
    EXPECT_EQ(t[0].value, "443");
    EXPECT_EQ(t[0].value_position, 5u);
    EXPECT_EQ(t[1].op, CompareOp::ge);
    EXPECT_EQ(t[1].op_position, 14u);
    EXPECT_EQ(t[1].value, "1M");
    EXPECT_EQ(t[2].text, "rtt");
    EXPECT_EQ(t[2].op, CompareOp::lt);
    EXPECT_EQ(t[2].value, "5ms");
    EXPECT_EQ(t[3].kind, TokenKind::end);
    EXPECT_EQ(t[3].position, 28u);
}

TEST(FilterLexer, ValuesKeepOperatorCharacters) {
    const auto t = lex("src:fd00::/8 dst=10.0.0.0/8 x!=y");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0].value, "fd00::/8");
    EXPECT_EQ(t[1].op, CompareOp::eq);
    EXPECT_EQ(t[1].value, "10.0.0.0/8");
    EXPECT_EQ(t[2].op, CompareOp::ne);
    EXPECT_EQ(t[2].value, "y");
}

TEST(FilterLexer, RegexAndQuotedValues) {
    const auto t = lex(R"(sni:/a b\/c/ process:"my app" '\'x')");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0].value_kind, ValueKind::regex);
    EXPECT_EQ(t[0].value, "a b/c");
    EXPECT_EQ(t[1].value_kind, ValueKind::quoted);
    EXPECT_EQ(t[1].value, "my app");
    EXPECT_EQ(t[2].kind, TokenKind::quoted);
    EXPECT_EQ(t[2].text, "'x");
}

TEST(FilterLexer, OperatorsAndParentheses) {
    const auto t = lex("!(a AND b)||c && not d or e");
    std::vector<TokenKind> kinds;
    for (const auto& tok : t) kinds.push_back(tok.kind);
    const std::vector<TokenKind> expected = {
        TokenKind::op_not, TokenKind::lparen, TokenKind::word,   TokenKind::op_and, TokenKind::word,
        TokenKind::rparen, TokenKind::op_or,  TokenKind::word,   TokenKind::op_and, TokenKind::op_not,
        TokenKind::word,   TokenKind::op_or,  TokenKind::word,   TokenKind::end};
    EXPECT_EQ(kinds, expected);
}

TEST(FilterLexer, WordsThatAreNotFields) {
    // A colon must touch the key; words may start with digits or colons.
    const auto t = lex("port :443 ::1 10.0.0.1 android");
    ASSERT_EQ(t.size(), 6u);
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(t[i].kind, TokenKind::word) << i;
    EXPECT_EQ(t[4].text, "android");  // starts with "and" but is a word
}

TEST(FilterLexer, Errors) {
    EXPECT_FALSE(tokenize("\"abc").ok);
    EXPECT_FALSE(tokenize("/abc").ok);
    EXPECT_FALSE(tokenize("a & b").ok);
    const auto r = tokenize("port: ");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error.message, "missing value after 'port:'");
    EXPECT_EQ(r.error.position, 6u);
}

}  // namespace
}  // namespace sockeye::filter
