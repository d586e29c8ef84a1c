// Snapshot tests of whole screens: Buffer::to_text() compared with
// tests/unit/tui/golden/<name>.txt (see unit/support/golden_file.hpp).
#pragma once

#include <string>

#include "unit/support/golden_file.hpp"

namespace sockeye::tui::testing {

inline void expect_golden(const std::string& name, const std::string& actual) {
    test::expect_golden("tests/unit/tui/golden", name, actual);
}

}  // namespace sockeye::tui::testing
