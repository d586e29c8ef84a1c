#include "app/toml_subset.hpp"

#include <gtest/gtest.h>

namespace sockeye::app {
namespace {

TomlDocument parse_ok(std::string_view text) {
    TomlError error;
    auto doc = parse_toml(text, error);
    EXPECT_TRUE(doc.has_value()) << "line " << error.line << ": " << error.message;
    return doc ? *doc : TomlDocument{};
}

std::string parse_error(std::string_view text) {
    TomlError error;
    const auto doc = parse_toml(text, error);
    if (doc) return "parsed";
    return std::to_string(error.line) + ": " + error.message;
}

TEST(TomlSubset, ArraysOfTablesKeepEachElementsKeys) {
    const auto doc = parse_ok(
        "theme = \"dark\"\n"
        "[[alert]]\n"
        "name = \"a\"\n"
        "cooldown = \"60s\"\n"
        "\n"
        "[[alert]]  # the second\n"
        "name = \"b\"\n"
        "[[other]]\n");
    ASSERT_EQ(doc.entries.size(), 1u);
    EXPECT_EQ(doc.entries[0].key, "theme");
    ASSERT_EQ(doc.array_tables.size(), 3u);
    EXPECT_EQ(doc.array_tables[0].name, "alert");
    EXPECT_EQ(doc.array_tables[0].line, 2);
    ASSERT_EQ(doc.array_tables[0].entries.size(), 2u);
    EXPECT_EQ(doc.array_tables[0].entries[0].key, "name");
    EXPECT_EQ(doc.array_tables[0].entries[1].key, "cooldown");
    EXPECT_EQ(doc.array_tables[0].entries[1].line, 4);
    ASSERT_EQ(doc.array_tables[1].entries.size(), 1u);
    EXPECT_EQ(doc.array_tables[1].entries[0].value.string, "b");
    EXPECT_EQ(doc.array_tables[2].name, "other");
    EXPECT_TRUE(doc.array_tables[2].entries.empty());
}

TEST(TomlSubset, ScalarsStringsAndComments) {
    const auto doc = parse_ok(
        "# a comment\n"
        "\n"
        "name = \"sockeye\"   # trailing comment\n"
        "literal = 'C:\\path\\no\\escapes'\n"
        "count = 42\n"
        "negative = -17\n"
        "big = 1_000_000\n"
        "ratio = 0.25\n"
        "exp = 1.5e3\n"
        "yes = true\n"
        "no = false\n");
    ASSERT_EQ(doc.entries.size(), 9u);
    EXPECT_EQ(doc.find("name")->value.string, "sockeye");
    EXPECT_EQ(doc.find("name")->line, 3);
    EXPECT_EQ(doc.find("literal")->value.string, "C:\\path\\no\\escapes");
    EXPECT_EQ(doc.find("count")->value.type, TomlValue::Type::integer);
    EXPECT_EQ(doc.find("count")->value.integer, 42);
    EXPECT_EQ(doc.find("negative")->value.integer, -17);
    EXPECT_EQ(doc.find("big")->value.integer, 1'000'000);
    EXPECT_EQ(doc.find("ratio")->value.type, TomlValue::Type::floating);
    EXPECT_DOUBLE_EQ(doc.find("ratio")->value.floating, 0.25);
    EXPECT_DOUBLE_EQ(doc.find("exp")->value.floating, 1500.0);
    EXPECT_TRUE(doc.find("yes")->value.boolean);
    EXPECT_EQ(doc.find("no")->value.type, TomlValue::Type::boolean);
    EXPECT_FALSE(doc.find("no")->value.boolean);
    EXPECT_EQ(doc.find("missing"), nullptr);
}

TEST(TomlSubset, Escapes) {
    const auto doc = parse_ok(R"(s = "tab\there \"q\" back\\slash \u00e9 \U0001F600")");
    EXPECT_EQ(doc.find("s")->value.string, "tab\there \"q\" back\\slash \xc3\xa9 \xf0\x9f\x98\x80");
}

TEST(TomlSubset, ArraysOfStringsMaySpanLines) {
    const auto doc = parse_ok(
        "one = [\"a\"]\n"
        "empty = []\n"
        "many = [\n"
        "  \"process\",  # why\n"
        "  'remote',\n"
        "\n"
        "  \"rate\",\n"
        "]\n"
        "after = 1\n");
    EXPECT_EQ(doc.find("one")->value.strings, std::vector<std::string>{"a"});
    EXPECT_TRUE(doc.find("empty")->value.strings.empty());
    EXPECT_EQ(doc.find("empty")->value.type, TomlValue::Type::string_array);
    const std::vector<std::string> many = {"process", "remote", "rate"};
    EXPECT_EQ(doc.find("many")->value.strings, many);
    EXPECT_EQ(doc.find("after")->line, 9);  // lines inside the array counted
}

TEST(TomlSubset, TablesAndDottedKeys) {
    const auto doc = parse_ok(
        "top = 1\n"
        "[ui]\n"
        "theme = \"dark\"\n"
        "[ui.table]\n"
        "sort.column = \"rate\"\n");
    EXPECT_EQ(doc.find("top")->value.integer, 1);
    EXPECT_EQ(doc.find("ui.theme")->value.string, "dark");
    EXPECT_EQ(doc.find("ui.table.sort.column")->value.string, "rate");
    ASSERT_EQ(doc.tables.size(), 2u);
    EXPECT_EQ(doc.tables[0].first, "ui");
    EXPECT_EQ(doc.tables[0].second, 2);
    EXPECT_EQ(doc.tables[1].first, "ui.table");
}

TEST(TomlSubset, WindowsLineEndingsAndNoFinalNewline) {
    const auto doc = parse_ok("a = 1\r\nb = \"x\"\r\n# c\r\nc = true");
    EXPECT_EQ(doc.find("a")->value.integer, 1);
    EXPECT_EQ(doc.find("b")->value.string, "x");
    EXPECT_EQ(doc.find("c")->line, 4);
}

TEST(TomlSubset, IntegerLimits) {
    EXPECT_EQ(parse_ok("a = 9223372036854775807").find("a")->value.integer, INT64_MAX);
    EXPECT_EQ(parse_ok("a = -9223372036854775808").find("a")->value.integer, INT64_MIN);
    EXPECT_EQ(parse_error("a = 9223372036854775808"), "1: invalid number '9223372036854775808'");
    EXPECT_EQ(parse_error("a = 012"), "1: invalid number '012'");
    EXPECT_EQ(parse_error("a = 1__0"), "1: invalid number '1__0'");
    EXPECT_EQ(parse_error("a = 1e99999"), "1: invalid number '1e99999'");
}

TEST(TomlSubset, ErrorsNameTheLine) {
    EXPECT_EQ(parse_error("a = 1\nb 2\n"), "2: expected '=' after key");
    EXPECT_EQ(parse_error("a = \n"), "1: expected a value after '='");
    EXPECT_EQ(parse_error("= 1"), "1: expected a key");
    EXPECT_EQ(parse_error("a. = 1"), "1: expected a key after '.'");
    EXPECT_EQ(parse_error("\"q\" = 1"), "1: quoted keys are not supported");
    EXPECT_EQ(parse_error("\n\na = \"x"), "3: unterminated string");
    EXPECT_EQ(parse_error("a = \"x\" b"), "1: unexpected text after the value of 'a'");
    EXPECT_EQ(parse_error("a = 1\na = 2"), "2: duplicate key 'a'");
    EXPECT_EQ(parse_error("[t]\n[t]"), "2: table [t] defined twice");
    EXPECT_EQ(parse_error("[t"), "1: expected ']' after table name");
    EXPECT_EQ(parse_error("[t] x"), "1: unexpected text after table header");
    EXPECT_EQ(parse_error("[[t]\n"), "1: expected ']]' after the name of an array of tables");
    EXPECT_EQ(parse_error("[[t]]\na = 1\na = 2"), "3: duplicate key 'a' in [[t]]");
    EXPECT_EQ(parse_error("t = 1\n[[t]]"), "2: [[t]] has the name of a key");
    EXPECT_EQ(parse_error("[t]\n[[t]]"), "2: [[t]] has the name of a table");
    EXPECT_EQ(parse_error("[[t]]\n[t]"), "2: table [t] has the name of an array of tables");
    EXPECT_EQ(parse_error("a = {x = 1}"), "1: inline tables are not supported");
    EXPECT_EQ(parse_error("a = \"\"\"x\"\"\""), "1: multi-line strings are not supported");
    EXPECT_EQ(parse_error("a = 1979-05-27"), "1: dates and times are not supported ('1979-05-27')");
    EXPECT_EQ(parse_error("a = 07:32:00"), "1: dates and times are not supported ('07:32:00')");
    EXPECT_EQ(parse_error("a = dark"), "1: invalid value 'dark' (strings need quotes)");
    EXPECT_EQ(parse_error("a = [1, 2]"), "1: arrays may hold only strings");
    EXPECT_EQ(parse_error("a = [\"x\" \"y\"]"), "1: expected ',' or ']' in array");
    EXPECT_EQ(parse_error("a = [\"x\",\n"), "2: unterminated array");
    EXPECT_EQ(parse_error("a = \"\\q\""), "1: bad escape sequence in string");
    EXPECT_EQ(parse_error("a = \"\\uD800\""), "1: bad unicode escape");
    EXPECT_EQ(parse_error("a = \"\\u12\""), "1: bad unicode escape");
    EXPECT_EQ(parse_error(std::string("a = \"x\x01y\"")), "1: control character in string");
    EXPECT_EQ(parse_error("a = 1\rb = 2"), "1: carriage return without a newline");
    EXPECT_EQ(parse_error("a = 1\n[a]"), "2: table [a] has the name of a key");
}

TEST(TomlSubset, HostileInputNeverCrashes) {
    static const char kAlphabet[] = "[]=\"'#\n\r\t .,_-+:{}\\abcetru019eE\xff\x00";
    const std::string alphabet(kAlphabet, sizeof kAlphabet);
    std::uint32_t state = 99;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return state >> 8;
    };
    int parsed = 0;
    for (int round = 0; round < 5000; ++round) {
        std::string text;
        const std::size_t length = next() % 48;
        for (std::size_t i = 0; i < length; ++i) text += alphabet[next() % alphabet.size()];
        TomlError error;
        const auto doc = parse_toml(text, error);
        if (doc) {
            ++parsed;
        } else {
            EXPECT_FALSE(error.message.empty()) << text;
            EXPECT_GE(error.line, 1);
        }
    }
    EXPECT_GT(parsed, 0);
}

}  // namespace
}  // namespace sockeye::app
