#include "export/listen_address.hpp"

#include <gtest/gtest.h>

#include <string>


namespace sockeye::exports {
namespace {

ListenAddress ok(const std::string& text) {
    auto a = parse_listen_address(text);
    EXPECT_TRUE(a) << text << ": " << (a ? "" : a.error().message);
    return a ? *a : ListenAddress{};
}

std::string fails(const std::string& text) {
    auto a = parse_listen_address(text);
    EXPECT_FALSE(a) << text << " parsed as " << (a ? a->to_string() : "");
    if (a) return {};
    EXPECT_EQ(a.error().code, core::ErrorCode::usage) << text;
    return a.error().message;
}

TEST(ListenAddress, TheThreeDocumentedForms) {
    auto v4 = ok("127.0.0.1:9100");
    EXPECT_TRUE(v4.address.is_v4());
    EXPECT_EQ(v4.address.to_string(), "127.0.0.1");
    EXPECT_EQ(v4.port, 9100);
    EXPECT_EQ(v4.to_string(), "127.0.0.1:9100");

    auto v6 = ok("[::1]:9100");
    EXPECT_TRUE(v6.address.is_v6());
    EXPECT_EQ(v6.address.to_string(), "::1");
    EXPECT_EQ(v6.to_string(), "[::1]:9100");

    auto all = ok(":9100");
    EXPECT_TRUE(all.any());
    EXPECT_EQ(all.port, 9100);
    EXPECT_EQ(all.to_string(), ":9100");
}

TEST(ListenAddress, OtherAcceptedForms) {
    EXPECT_EQ(ok("localhost:80").to_string(), "127.0.0.1:80");
    EXPECT_EQ(ok("0.0.0.0:65535").to_string(), "0.0.0.0:65535");
    EXPECT_EQ(ok("[::]:1").to_string(), "[::]:1");
    EXPECT_EQ(ok("[fe80::1]:9100").address.to_string(), "fe80::1");
}

TEST(ListenAddress, ClearErrors) {
    EXPECT_NE(fails("9100").find("expected ADDR:PORT"), std::string::npos);
    EXPECT_NE(fails("").find("expected ADDR:PORT"), std::string::npos);
    EXPECT_NE(fails("127.0.0.1:").find("port from 1 to 65535"), std::string::npos);
    EXPECT_NE(fails("127.0.0.1:0").find("port from 1 to 65535"), std::string::npos);
    EXPECT_NE(fails("127.0.0.1:65536").find("port from 1 to 65535"), std::string::npos);
    EXPECT_NE(fails("127.0.0.1:91x").find("port from 1 to 65535"), std::string::npos);
    EXPECT_NE(fails("127.0.0.1:-1").find("port from 1 to 65535"), std::string::npos);
    EXPECT_NE(fails("::1:9100").find("brackets"), std::string::npos);
    EXPECT_NE(fails("[::1:9100").find("']'"), std::string::npos);
    EXPECT_NE(fails("[::1]9100").find(":PORT"), std::string::npos);
    EXPECT_NE(fails("[]:9100").find("empty address"), std::string::npos);
    EXPECT_NE(fails("[127.0.0.1]:9100").find("brackets are for IPv6"), std::string::npos);
    EXPECT_NE(fails("example.com:9100").find("not a numeric IP address"), std::string::npos);
    EXPECT_NE(fails("300.1.1.1:9100").find("not a numeric IP address"), std::string::npos);
    // Every error shows the accepted forms.
    EXPECT_NE(fails("nope").find("127.0.0.1:9100, [::1]:9100 or :9100"), std::string::npos);
}

}  // namespace
}  // namespace sockeye::exports
