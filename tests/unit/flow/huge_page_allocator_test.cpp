#include "flow/huge_page_allocator.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace sockeye::flow {
namespace {

// A block of huge-page size and more starts on a huge page (where THP can
// back it) and holds what is written into it; growing copies the elements.
TEST(HugePageAllocator, LargeBlocksStartOnAHugePageAndKeepTheirContents) {
    std::vector<std::uint64_t, HugePageAllocator<std::uint64_t>> v;
    v.reserve(huge_pages::kHugePage / sizeof(std::uint64_t) + 1);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % huge_pages::kHugePage, 0U);
    for (std::uint64_t i = 0; i < 300'000; ++i) v.push_back(i * 3);
    v.resize(3'000'000);  // past the reservation: a new block, contents copied
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % huge_pages::kHugePage, 0U);
    for (std::uint64_t i = 0; i < 300'000; ++i) ASSERT_EQ(v[i], i * 3) << i;
    EXPECT_EQ(v[2'999'999], 0U);
}

// Small blocks come from the ordinary heap, aligned as their type asks.
TEST(HugePageAllocator, SmallBlocksKeepTheirAlignment) {
    struct alignas(64) Line {
        std::uint8_t bytes[64];
    };
    std::vector<Line, HugePageAllocator<Line>> v(10);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % 64, 0U);
    v[9].bytes[63] = 7;
    EXPECT_EQ(v[9].bytes[63], 7);
    EXPECT_EQ(huge_pages::rounded(1), huge_pages::kHugePage);
    EXPECT_EQ(huge_pages::rounded(huge_pages::kHugePage + 1), 2 * huge_pages::kHugePage);
}

}  // namespace
}  // namespace sockeye::flow
