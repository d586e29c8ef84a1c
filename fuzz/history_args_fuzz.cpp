// Fuzz target for the arguments of `sockeye history` and `sockeye report`
// and their --since/--until dates and spans (app/time_args): the input is
// the argument list, NUL-separated. It must parse or fail as a usage error
// (bad_filter for --filter) in one line, never crash or overflow (UBSan); a
// span must reach back from now, never forward, and a report's range must
// not be empty.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/history_command.hpp"
#include "app/report_command.hpp"
#include "app/time_args.hpp"

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
    auto usage_failure = [](const sockeye::core::Error& e) {
        check(e.code == sockeye::core::ErrorCode::usage || e.code == sockeye::core::ErrorCode::bad_filter);
        check(!e.message.empty() && e.message.find('\n') == std::string::npos);
    };
    const auto parsed = sockeye::app::parse_history_args(args, kNow);
    if (!parsed) usage_failure(parsed.error());
    const auto report = sockeye::app::parse_report_args(args, kNow);
    if (!report) {
        usage_failure(report.error());
    } else {
        check(report->since_ns < report->until_ns);
    }
    // Each argument as a --since value on its own.
    for (const auto& a : args) {
        const auto since = sockeye::app::parse_when(a, kNow, "--until");
        if (!since) {
            check(since.error().code == sockeye::core::ErrorCode::usage);
            continue;
        }
        const char last = a.empty() ? '\0' : a.back();
        if (last == 's' || last == 'm' || last == 'h' || last == 'd' || last == 'w') check(*since <= kNow);
    }
    return 0;
}
