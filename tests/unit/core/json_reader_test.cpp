#include "core/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sockeye::core {
namespace {

TEST(JsonReader, ObjectsArraysAndScalars) {
    const auto v = parse_json(R"( {"Name":"/web","n":-12.5e+3,"ok":true,"no":false,"nil":null,
                                  "list":[1,"two",{"x":[]}],"Config":{"Image":"nginx:1.25"}} )");
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->is_object());
    EXPECT_EQ(v->string_at("Name"), "/web");
    EXPECT_EQ(v->find("n")->text(), "-12.5e+3");
    EXPECT_EQ(v->find("n")->kind(), JsonValue::Kind::number);
    EXPECT_TRUE(v->find("ok")->boolean());
    EXPECT_FALSE(v->find("no")->boolean());
    EXPECT_EQ(v->find("nil")->kind(), JsonValue::Kind::null);
    ASSERT_TRUE(v->find("list")->is_array());
    EXPECT_EQ(v->find("list")->items().size(), 3u);
    EXPECT_EQ(v->find("list")->items()[1].text(), "two");
    EXPECT_EQ(v->find("Config")->string_at("Image"), "nginx:1.25");
    // A member of another type, or none, reads as no string.
    EXPECT_EQ(v->string_at("n"), "");
    EXPECT_EQ(v->string_at("missing"), "");
    EXPECT_EQ(v->find("list")->find("x"), nullptr);
}

TEST(JsonReader, EscapesDecodeToUtf8) {
    const auto v = parse_json(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20ac", "\ud83d\ude00", "\ud800x", "\udc00"])");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->items()[0].text(), "a\"b\\c/d\b\f\n\r\t");
    EXPECT_EQ(v->items()[1].text(), "\xc3\xa9\xe2\x82\xac");
    EXPECT_EQ(v->items()[2].text(), "\xf0\x9f\x98\x80");
    // Unpaired surrogates are not characters: U+FFFD.
    EXPECT_EQ(v->items()[3].text(), "\xef\xbf\xbdx");
    EXPECT_EQ(v->items()[4].text(), "\xef\xbf\xbd");
    // An escaped NUL stays in the string (callers sanitise).
    EXPECT_EQ(parse_json(R"("a\u0000b")")->text(), std::string("a\0b", 3));
}

TEST(JsonReader, FirstOfRepeatedKeysWins) {
    const auto v = parse_json(R"({"k":"first","k":"second"})");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->string_at("k"), "first");
    EXPECT_EQ(v->keys().size(), 2u);
}

TEST(JsonReader, RejectsWhatIsNotJson) {
    for (const char* bad : {"", " ", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.",
                            "-", "1e", "+1", "tru", "nul", "\"open", "\"bad\\x\"", "\"\\u12\"",
                            "\"tab\there\"", "[] []", "{\"a\":1,}", "'single'"}) {
        JsonParseError error;
        EXPECT_FALSE(parse_json(bad, {}, &error)) << bad;
        EXPECT_FALSE(error.message.empty()) << bad;
    }
    JsonParseError error;
    EXPECT_FALSE(parse_json("{\"a\":1 x}", {}, &error));
    EXPECT_EQ(error.offset, 7u);
    EXPECT_EQ(error.message, "expected ',' or '}'");
}

TEST(JsonReader, DepthAndValueCountAreBounded) {
    const std::string deep = std::string(33, '[') + std::string(33, ']');
    JsonParseError error;
    EXPECT_FALSE(parse_json(deep, {}, &error));
    EXPECT_EQ(error.message, "nested too deep");
    EXPECT_TRUE(parse_json(std::string(32, '[') + std::string(32, ']')));

    std::string many = "[";
    for (int i = 0; i < 100; ++i) many += "0,";
    many += "0]";
    EXPECT_TRUE(parse_json(many, JsonLimits{32, 102}));
    EXPECT_FALSE(parse_json(many, JsonLimits{32, 101}, &error));
    EXPECT_EQ(error.message, "too many values");
}

}  // namespace
}  // namespace sockeye::core
