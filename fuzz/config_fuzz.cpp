// Fuzz target for the config file: the input is the file's text. It must
// parse or fail with one printable line naming the source and a line, never
// crash, and a config that parses must hold values the UI can use as is.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "filter/filter.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

const sockeye::app::ConfigChoices& choices() {
    static const sockeye::app::ConfigChoices c{{"default", "dark", "light", "mono"},
                                               {"process", "remote", "service", "rtt", "rate_down", "rate_up"}};
    return c;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    for (const auto& n : names) {
        if (n == name) return true;
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto config = sockeye::app::parse_config(text, "fuzz.toml", choices());
    if (!config) {
        const std::string& error = config.error().message;
        check(config.error().code == sockeye::core::ErrorCode::bad_format);
        check(error.rfind("fuzz.toml:", 0) == 0);
        for (char c : error) check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F);
        return 0;
    }
    check(contains(choices().themes, config->theme));
    for (const auto& c : config->columns) check(contains(choices().columns, c));
    if (!config->sort.empty()) check(contains(choices().columns, config->sort));
    check(config->refresh_ms >= sockeye::app::kMinRefreshMs && config->refresh_ms <= sockeye::app::kMaxRefreshMs);
    check(sockeye::filter::compile(config->filter).ok());
    return 0;
}
