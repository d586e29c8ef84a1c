// Golden files: text output compared with a file in the source tree, which
// changes only when SOCKEYE_UPDATE_GOLDEN=1 is set (the test then rewrites it
// and passes; review the diff).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace sockeye::test {

inline bool update_golden() {
    const char* v = std::getenv("SOCKEYE_UPDATE_GOLDEN");
    return v != nullptr && std::string(v) == "1";
}

// The first line where `a` and `b` differ, for a readable failure.
inline std::string first_difference(const std::string& expected, const std::string& actual) {
    std::istringstream e(expected), a(actual);
    std::string le, la;
    int line = 1;
    while (true) {
        const bool he = static_cast<bool>(std::getline(e, le));
        const bool ha = static_cast<bool>(std::getline(a, la));
        if (!he && !ha) return "no difference";
        if (!he || !ha || le != la) {
            return "line " + std::to_string(line) + "\n  expected: |" + (he ? le : "<end>") +
                   "|\n  actual:   |" + (ha ? la : "<end>") + "|";
        }
        ++line;
    }
}

// `actual` against `dir`/`name`.txt (dir relative to the source tree).
inline void expect_golden(const std::string& dir, const std::string& name,
                          const std::string& actual) {
    const auto path = std::filesystem::path(SOCKEYE_SOURCE_DIR) / dir / (name + ".txt");
    if (update_golden()) {
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << actual;
        std::cout << "updated " << path << "\n";
        return;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in.good()) << "missing golden file " << path
                           << ": run with SOCKEYE_UPDATE_GOLDEN=1 and review it";
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string expected = ss.str();
    EXPECT_EQ(expected, actual) << name << " changed at " << first_difference(expected, actual)
                                << "\nif intended, rerun with SOCKEYE_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace sockeye::test
