#include "tui/widgets/tab_bar.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sockeye::tui {
namespace {

TEST(TabBar, EveryTitledTabIsListed) {
    // Every value of Tab's underlying type: those with a title are tabs,
    // and each of them must be in kTabs (the keys and the bar walk it).
    std::size_t titled = 0;
    for (unsigned v = 0; v <= 255; ++v) {
        if (!tab_title(static_cast<Tab>(v)).empty()) ++titled;
    }
    EXPECT_EQ(titled, kTabCount);
    std::set<std::string> titles;
    for (const Tab t : kTabs) titles.insert(std::string(tab_title(t)));
    EXPECT_EQ(titles.size(), kTabCount) << "two tabs share a title";
}

TEST(TabBar, OneRectPerTabLeftToRight) {
    const auto rects = tab_rects(0);
    ASSERT_EQ(rects.size(), kTabCount);
    for (std::size_t i = 1; i < rects.size(); ++i) EXPECT_GT(rects[i].x, rects[i - 1].x);
}

}  // namespace
}  // namespace sockeye::tui
