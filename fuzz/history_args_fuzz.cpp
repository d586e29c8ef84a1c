// Fuzz target for `sockeye history`'s arguments and its --since dates and
// spans: the input is the argument list, NUL-separated. It must parse or
// fail as a usage error in one line, never crash or overflow (UBSan), and
// a span must reach back from now, never forward.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/history_command.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

constexpr std::int64_t kNow = 1'700'000'000'000'000'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args;
    std::size_t start = 0;
    for (;;) {
        const auto nul = text.find('\0', start);
        args.push_back(text.substr(start, nul == std::string::npos ? std::string::npos : nul - start));
        if (nul == std::string::npos) break;
        start = nul + 1;
    }
    const auto parsed = sockeye::app::parse_history_args(args, kNow);
    if (!parsed) {
        check(parsed.error().code == sockeye::core::ErrorCode::usage);
        check(!parsed.error().message.empty());
    }
    // Each argument as a --since value on its own.
    for (const auto& a : args) {
        const auto since = sockeye::app::parse_since(a, kNow);
        if (!since) {
            check(since.error().code == sockeye::core::ErrorCode::usage);
            continue;
        }
        const char last = a.empty() ? '\0' : a.back();
        if (last == 's' || last == 'm' || last == 'h' || last == 'd' || last == 'w') check(*since <= kNow);
    }
    return 0;
}
