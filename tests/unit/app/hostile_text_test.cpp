// The text sockeye writes on stderr and in --sandbox-check quotes file names,
// export paths, the user's arguments and library errors: fed every control
// character a terminal obeys, none reaches the output.
#include <gtest/gtest.h>

#include <string>

#include "app/config.hpp"
#include "app/sandbox_check.hpp"
#include "app/stderr_line.hpp"
#include "filter/values.hpp"
#include "unit/support/hostile_text.hpp"

namespace sockeye::app {
namespace {

using testing::expect_no_controls;
using testing::hostile_names;

TEST(HostileText, StderrLine) {
    for (const auto& name : hostile_names()) {
        const std::string line = stderr_line("cannot open capture file '" + name + "'");
        expect_no_controls(line, "\n", "stderr line");
        EXPECT_EQ(line.rfind("sockeye: ", 0), 0u);
        EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
    }
    // The exact bytes stay readable.
    EXPECT_EQ(stderr_line("a\x1b[2Jb\xC2\x9B"), "sockeye: a\\x1b[2Jb\\xc2\\x9b\n");
}

TEST(HostileText, SandboxCheckProbeLine) {
    for (const auto& name : hostile_names()) {
        expect_no_controls(probe_line("write export /tmp/" + name, 0), "\n", "probe line");
        expect_no_controls(probe_line("write export /tmp/" + name, 13), "\n", "probe line");
    }
}

TEST(HostileText, ConfigErrors) {
    for (const auto& name : hostile_names()) {
        const auto config = parse_config("sort = \"" + name + "\"\n" + name + " = 1\n", name);
        ASSERT_FALSE(config);
        EXPECT_FALSE(config.error().message.empty());
        expect_no_controls(config.error().message, "", "config error");
    }
}

TEST(HostileText, FilterErrorExcerpt) {
    for (const auto& name : hostile_names()) {
        expect_no_controls(filter::printable_excerpt(name, 200), "", "filter excerpt");
        // Cut in the middle of a multibyte sequence: still nothing raw.
        for (std::size_t cut = 0; cut < name.size(); ++cut)
            expect_no_controls(filter::printable_excerpt(name, cut), "", "filter excerpt");
    }
}

}  // namespace
}  // namespace sockeye::app
