#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/hex.hpp"
#include "core/line_splitter.hpp"

namespace sockeye::core {
namespace {

TEST(Hex, TwoLowerCaseDigitsPerByte) {
    const std::vector<std::uint8_t> bytes = {0x00, 0x0f, 0xa0, 0xff, 0x83};
    EXPECT_EQ(hex(bytes), "000fa0ff83");
    EXPECT_EQ(hex({}), "");
}

std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> out;
    LineSplitter lines(text);
    for (std::string_view line; lines.next(line);) out.emplace_back(line);
    return out;
}

TEST(LineSplitter, LinesWithAndWithoutTheLastNewline) {
    EXPECT_EQ(split("a\nbb\n"), (std::vector<std::string>{"a", "bb"}));
    EXPECT_EQ(split("a\n\nc"), (std::vector<std::string>{"a", "", "c"}));
    EXPECT_EQ(split(""), std::vector<std::string>{});
    EXPECT_EQ(split("\n"), std::vector<std::string>{""});
}

}  // namespace
}  // namespace sockeye::core
