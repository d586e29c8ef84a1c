// --no-ebpf: parsed, documented in --help, and reflected in the
// attribution line --version prints.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/version_info.hpp"
#include "unit/support/result_value.hpp"

namespace sockeye::app {
namespace {

TEST(CliEbpf, NoEbpfTurnsKernelAttributionOff) {
    const auto on = parse_args({"-i", "lo"});
    ASSERT_TRUE(on.ok()) << sockeye::testing::error_message(on);
    EXPECT_TRUE(on->ebpf);
    const auto off = parse_args({"-i", "lo", "--no-ebpf"});
    ASSERT_TRUE(off.ok()) << sockeye::testing::error_message(off);
    EXPECT_FALSE(off->ebpf);
    EXPECT_TRUE(off->processes) << "userspace attribution stays on";
    EXPECT_NE(help_text().find("--no-ebpf"), std::string::npos);
}

TEST(CliEbpf, VersionNamesTheAttributionPath) {
    EXPECT_NE(version_text(false).find("\nattribution: userspace (--no-ebpf)\n"), std::string::npos);
    const std::string line = attribution_line(true);
    // Either the programs attached here, or the reason they did not.
    EXPECT_TRUE(line.rfind("attribution: eBPF (tracepoint ", 0) == 0 ||
                line.rfind("attribution: userspace (eBPF unavailable: ", 0) == 0)
        << line;
}

}  // namespace
}  // namespace sockeye::app
