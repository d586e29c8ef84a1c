// Columns that fit: widths follow the cells, the side panel takes only the
// room the table leaves and hides with `i`, PID and Age on request, and a
// sort by a column that is not shown is named in the header.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tui/views/views.hpp"
#include "tui/widgets/table.hpp"
#include "unit/tui/ui_driver.hpp"
#include "unit/tui/view_golden.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::expect_golden;
using testing::screen;
using testing::ui_with_history;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        out.push_back(text.substr(at, end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return out;
}

TEST(TableFit, AMeasuredColumnNarrowsToItsCellsAndGivesTheRestAway) {
    // Name: min 20, content 6 -> 6 wide ("Name" + arrow = 5 fits). Host
    // takes what is left up to its widest cell, then the weight spreads.
    std::vector<TableColumn> cols{{"Name", 20, 1, 30, false, 0},
                                  {"Host", 10, 1, 60, false, 1},
                                  {"Rate", 8, 0, 0, true, 2}};
    cols[0].content_width = 6;
    cols[1].content_width = 40;
    const TableLayout l = layout_table(cols, 60);
    ASSERT_EQ(l.placed.size(), 3u);
    // 26 wide at least; Host takes 30 of the 34 spare to show its widest
    // cell, the last 4 go by weight.
    EXPECT_EQ(l.placed[0].width, 8);
    EXPECT_EQ(l.placed[1].width, 42);
    EXPECT_EQ(layout_table(cols, 26).placed[0].width, 6);
    EXPECT_EQ(wanted_table_width(cols), 6 + 40 + 8 + 2);
}

TEST(TableFit, AnEmptyColumnKeepsRoomForItsTitle) {
    std::vector<TableColumn> cols{{"Country", 8, 1, 24, false, 0}};
    cols[0].content_width = 0;
    const TableLayout l = layout_table(cols, 8);
    ASSERT_EQ(l.placed.size(), 1u);
    EXPECT_EQ(l.placed[0].width, 8);  // "Country" and the sort arrow
    EXPECT_EQ(wanted_table_width(cols), 8);
}

TEST(TableFit, UnmeasuredColumnsKeepTheirMinimums) {
    const std::vector<TableColumn> cols{{"A", 10, 1, 0, false, 0}, {"B", 10, 0, 0, true, 1}};
    EXPECT_EQ(wanted_table_width(cols), 21);
    EXPECT_EQ(layout_table(cols, 40).placed[0].width, 29);
}

TEST(UiColumns, LongNamesAreNotCutWhileThePanelHasRoomToGive) {
    // At 170 columns the table's widest cells fit when the panel steps back;
    // before, the panel took a fifth and the remote name was cut.
    Ui ui = ui_with_history(170, 40);
    const std::string text = screen(ui, 170, 40);
    EXPECT_NE(text.find("lb-140-82-112-3-iad.github.com"), std::string::npos) << text;
    EXPECT_NE(text.find("HTTP deb.debian.org"), std::string::npos) << text;
}

TEST(UiColumns, IHidesAndShowsTheSidePanel) {
    Ui ui = ui_with_history(200, 60);
    EXPECT_NE(screen(ui, 200, 60).find("│ Interfaces"), std::string::npos);
    ui.handle(ch(U'i'));
    const std::string hidden = screen(ui, 200, 60);
    EXPECT_EQ(hidden.find("Interfaces"), std::string::npos) << hidden;
    EXPECT_EQ(hidden.find("│"), std::string::npos) << hidden;
    ui.handle(ch(U'i'));
    EXPECT_NE(screen(ui, 200, 60).find("│ Interfaces"), std::string::npos);
}

TEST(UiColumns, AtEightyColumnsTheLocalEndStays) {
    // Many connections of one program to one peer differ only there.
    Ui ui = ui_with_history(80, 24);
    const auto lines = lines_of(screen(ui, 80, 24));
    ASSERT_GT(lines.size(), 3u);
    EXPECT_NE(lines[1].find("Local"), std::string::npos) << lines[1];
    EXPECT_NE(lines[3].find("192.168.1.10:51544"), std::string::npos) << lines[3];
}

TEST(UiColumns, PidAndAgeOnRequestSortedByAge) {
    UiOptions options;
    options.columns = {Column::process, Column::pid, Column::remote, Column::state, Column::age,
                       Column::down, Column::up};
    options.table.sort = Column::age;
    Ui ui = ui_with_history(120, 40, options);
    expect_golden("overview_pid_age_120x40", screen(ui, 120, 40));
}

TEST(UiColumns, ASortByAColumnNotShownIsNamedInTheHeader) {
    UiOptions options;
    options.columns = {Column::process, Column::remote, Column::down, Column::up};
    options.table.sort = Column::total_up;
    Ui ui = ui_with_history(80, 24, options);
    const auto lines = lines_of(screen(ui, 80, 24));
    ASSERT_GT(lines.size(), 1u);
    EXPECT_NE(lines[1].find("sorted by Total up▼"), std::string::npos) << lines[1];
    // Shown columns: no note.
    options.table.sort = Column::down;
    Ui shown = ui_with_history(80, 24, options);
    EXPECT_EQ(screen(shown, 80, 24).find("sorted by"), std::string::npos);
}

}  // namespace
}  // namespace sockeye::tui
