#include "app/config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sockeye::app {
namespace {

const ConfigChoices kChoices{{"default", "dark", "light", "mono"},
                             {"process", "local", "remote", "service", "app", "state", "rtt", "rate_down",
                              "rate_up", "total"}};

// "ok", or the message of a config the checks refuse (always bad_format).
std::string error_of(std::string_view text, const ConfigChoices& choices = kChoices) {
    const auto config = parse_config(text, "config.toml", choices);
    if (config) return "ok";
    EXPECT_EQ(config.error().code, core::ErrorCode::bad_format) << config.error().message;
    return config.error().message;
}

// The message of a file that does not load, and its code.
core::Error load_error(const std::string& path) {
    auto config = load_config(path, kChoices);
    if (config) return {core::ErrorCode::internal, "loaded"};
    return std::move(config).error();
}

TEST(Config, DefaultsWhenEmpty) {
    const auto config = parse_config("# nothing set\n", "config.toml", kChoices);
    ASSERT_TRUE(config) << config.error().message;
    const UiConfig defaults;
    EXPECT_EQ(config->theme, defaults.theme);
    EXPECT_EQ(config->theme, "default");
    EXPECT_TRUE(config->columns.empty());
    EXPECT_EQ(config->sort, "");
    EXPECT_TRUE(config->sort_descending);
    EXPECT_EQ(config->filter, "");
    EXPECT_EQ(config->refresh_ms, 1000);
    EXPECT_TRUE(config->resolve_names);
    EXPECT_FALSE(config->metrics_countries);
    EXPECT_FALSE(config->bits);
}

TEST(Config, EveryKey) {
    const auto config = parse_config(
        "theme = \"dark\"\n"
        "columns = [\"process\", \"remote\", \"rate_down\"]\n"
        "sort = \"rate_down\"\n"
        "sort_descending = false\n"
        "filter = \"not port:53 and bytes>1M\"\n"
        "refresh_ms = 500\n"
        "resolve_names = false\n"
        "geoip = false\n"
        "geoip_dir = [\"/srv/geo\", \"/opt/asn.mmdb\"]\n"
        "metrics_countries = true\n"
        "bits = true\n",
        "config.toml", kChoices);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->theme, "dark");
    const std::vector<std::string> columns = {"process", "remote", "rate_down"};
    EXPECT_EQ(config->columns, columns);
    EXPECT_EQ(config->sort, "rate_down");
    EXPECT_FALSE(config->sort_descending);
    EXPECT_EQ(config->filter, "not port:53 and bytes>1M");
    EXPECT_EQ(config->refresh_ms, 500);
    EXPECT_FALSE(config->resolve_names);
    EXPECT_FALSE(config->geoip);
    EXPECT_EQ(config->geoip_paths, (std::vector<std::string>{"/srv/geo", "/opt/asn.mmdb"}));
    EXPECT_TRUE(config->metrics_countries);
    EXPECT_TRUE(config->bits);
    const auto one = parse_config("geoip_dir = \"/srv/geo\"\n", "config.toml", kChoices);
    ASSERT_TRUE(one) << one.error().message;
    EXPECT_EQ(one->geoip_paths, std::vector<std::string>{"/srv/geo"});
}

TEST(Config, UnknownKeysAndTablesNameTheLine) {
    EXPECT_EQ(error_of("theme = \"dark\"\ncolums = [\"process\"]\n"), "config.toml:2: unknown key 'colums'");
    EXPECT_EQ(error_of("\n\n[ui]\ntheme = \"dark\"\n"), "config.toml:3: unknown table [ui]");
}

TEST(Config, SyntaxErrorsNameTheLine) {
    EXPECT_EQ(error_of("theme = \"dark\"\n\n\n\n\n\nrefresh_ms 500\n"), "config.toml:7: expected '=' after key");
    EXPECT_EQ(error_of("theme = dark\n"), "config.toml:1: invalid value 'dark' (strings need quotes)");
}

TEST(Config, WrongTypes) {
    EXPECT_EQ(error_of("theme = 1"), "config.toml:1: 'theme' must be a string, not an integer");
    EXPECT_EQ(error_of("columns = \"process\""), "config.toml:1: 'columns' must be an array of strings, not a string");
    EXPECT_EQ(error_of("sort_descending = \"yes\""), "config.toml:1: 'sort_descending' must be true or false, not a string");
    EXPECT_EQ(error_of("refresh_ms = 1.5"), "config.toml:1: 'refresh_ms' must be an integer (milliseconds), not a float");
    EXPECT_EQ(error_of("resolve_names = 1"), "config.toml:1: 'resolve_names' must be true or false, not an integer");
    EXPECT_EQ(error_of("geoip_dir = 1"), "config.toml:1: 'geoip_dir' must be a string or an array of strings, not an integer");
    EXPECT_EQ(error_of("geoip_dir = \"\""), "config.toml:1: 'geoip_dir' holds an empty path");
}

TEST(Config, BadValues) {
    EXPECT_EQ(error_of("theme = \"neon\""), "config.toml:1: unknown theme 'neon' (themes: default, dark, light, mono)");
    EXPECT_EQ(error_of("columns = [\"process\", \"bogus\"]"),
              "config.toml:1: unknown column 'bogus' (columns: process, local, remote, service, app, state, rtt, "
              "rate_down, rate_up, total)");
    EXPECT_EQ(error_of("columns = []"), "config.toml:1: columns must name at least one column");
    EXPECT_EQ(error_of("columns = [\"rtt\", \"rtt\"]"), "config.toml:1: column 'rtt' listed twice");
    EXPECT_EQ(error_of("sort = \"speed\""),
              "config.toml:1: unknown sort column 'speed' (columns: process, local, remote, service, app, state, rtt, "
              "rate_down, rate_up, total)");
    EXPECT_EQ(error_of("sort = \"\""), "config.toml:1: sort must name a column");
    EXPECT_EQ(error_of("columns = [\"process\"]\nsort = \"rtt\""), "config.toml:2: sort column 'rtt' is not among the columns");
    EXPECT_EQ(error_of("refresh_ms = 10"), "config.toml:1: refresh_ms must be between 100 and 60000, not 10");
    EXPECT_EQ(error_of("refresh_ms = 600000"), "config.toml:1: refresh_ms must be between 100 and 60000, not 600000");
}

TEST(Config, FilterIsCompiled) {
    EXPECT_EQ(error_of("# my filter\nfilter = \"prot:tcp\""), "config.toml:2: filter: unknown keyword 'prot' at 0");
    EXPECT_EQ(error_of("filter = \"(port:443\""), "config.toml:1: filter: expected ')', found end of filter at 9");
    EXPECT_EQ(error_of("filter = 'sni:/\\.example\\.com$/'"), "ok");
}

TEST(Config, EmptyChoicesAcceptAnyName) {
    EXPECT_EQ(error_of("theme = \"anything\"\ncolumns = [\"whatever\"]\nsort = \"whatever\"", ConfigChoices{}), "ok");
}

class ConfigFile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("sockeye_config_test_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(dir_, ec);
    }
    std::string write(const std::string& name, const std::string& text) {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }
    std::filesystem::path dir_;
};

TEST_F(ConfigFile, MissingFileGivesDefaultsWithoutError) {
    const auto config = load_config((dir_ / "none.toml").string(), kChoices);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->theme, "default");
}

TEST_F(ConfigFile, ReadsAFile) {
    const std::string path = write("config.toml", "theme = \"light\"\nrefresh_ms = 2000\n");
    const auto config = load_config(path, kChoices);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->theme, "light");
    EXPECT_EQ(config->refresh_ms, 2000);
}

TEST_F(ConfigFile, ErrorsNameTheFileAndLine) {
    const std::string path = write("config.toml", "theme = \"dark\"\n\n\n\n\n\nrefresh_ms 500\n");
    const core::Error error = load_error(path);
    EXPECT_EQ(error.code, core::ErrorCode::bad_format);
    EXPECT_EQ(error.message, path + ":7: expected '=' after key");
}

TEST_F(ConfigFile, DirectoryIsAnError) {
    const core::Error error = load_error(dir_.string());
    EXPECT_EQ(error.code, core::ErrorCode::io);
    EXPECT_EQ(error.message, "cannot read " + dir_.string() + ": Is a directory");
}

TEST_F(ConfigFile, UnreadableIsAnError) {
    const std::string path = write("secret.toml", "theme = \"dark\"\n");
    ::chmod(path.c_str(), 0);
    if (::geteuid() == 0) {
        // root reads it anyway; check the permission path through a file
        // under a directory root cannot search instead: not possible either,
        // so use a path whose parent is a regular file (ENOTDIR).
        const core::Error error = load_error(path + "/config.toml");
        EXPECT_EQ(error.code, core::ErrorCode::not_found);
        EXPECT_EQ(error.message, "cannot read " + path + "/config.toml: Not a directory");
        return;
    }
    const core::Error error = load_error(path);
    EXPECT_EQ(error.code, core::ErrorCode::permission_denied);
    EXPECT_EQ(error.message, "cannot read " + path + ": Permission denied");
}

TEST_F(ConfigFile, HugeFileIsRefused) {
    const std::string path = write("big.toml", std::string(kMaxConfigBytes + 10, '#'));
    const core::Error error = load_error(path);
    EXPECT_EQ(error.code, core::ErrorCode::bad_format);
    EXPECT_NE(error.message.find("not a config file"), std::string::npos) << error.message;
}

TEST(ConfigPath, XdgFirstThenHome) {
    EXPECT_EQ(config_path_from("/xdg", "/home/a"), "/xdg/sockeye/config.toml");
    EXPECT_EQ(config_path_from(nullptr, "/home/a"), "/home/a/.config/sockeye/config.toml");
    EXPECT_EQ(config_path_from("", "/home/a"), "/home/a/.config/sockeye/config.toml");
    EXPECT_EQ(config_path_from("relative", "/home/a"), "/home/a/.config/sockeye/config.toml");
    EXPECT_EQ(config_path_from(nullptr, nullptr), "");
    EXPECT_EQ(config_path_from(nullptr, ""), "");
}

TEST(ConfigPath, FromEnvironment) {
    const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = old_xdg != nullptr ? old_xdg : "";
    ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
    EXPECT_EQ(default_config_path(), "/tmp/xdg-test/sockeye/config.toml");
    if (old_xdg != nullptr) {
        ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    } else {
        ::unsetenv("XDG_CONFIG_HOME");
    }
}

}  // namespace
}  // namespace sockeye::app

namespace sockeye::app {
namespace {

TEST(Config, ErrorsShowControlCharactersEscaped) {
    // An escape sequence in a value must not reach the terminal raw.
    EXPECT_EQ(error_of("theme = \"\\u001b[31mred\\n\""),
              "config.toml:1: unknown theme '\\x1b[31mred\\x0a' (themes: default, dark, light, mono)");
}

}  // namespace
}  // namespace sockeye::app
