// The filter prompt's line editing: cursor movement, readline's kill keys,
// and the history of this run's filters.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tui/ui.hpp"
#include "unit/tui/ui_driver.hpp"
#include "unit/tui/ui_fixture.hpp"
#include "unit/tui/view_golden.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::expect_golden;
using testing::key;
using testing::make_snapshot;

InputEvent ctrl(char c) { return ch(static_cast<char32_t>(c), mod::ctrl); }

void type(Ui& ui, const std::string& text) {
    for (char c : text) ui.handle(ch(static_cast<char32_t>(static_cast<unsigned char>(c))));
}

Ui prompt_with(const std::string& text) {
    Ui ui;
    ui.resize(80, 24);
    ui.update(make_snapshot());
    ui.handle(ch(U'/'));
    type(ui, text);
    return ui;
}

const std::string& text(const Ui& ui) { return ui.state().prompt.text; }
std::size_t cursor(const Ui& ui) { return ui.state().prompt.cursor; }

void use_filter(Ui& ui, const std::string& filter) {
    ui.handle(ch(U'/'));
    ui.handle(ctrl('a'));
    ui.handle(ctrl('k'));
    type(ui, filter);
    ui.handle(key(Key::enter));
    ASSERT_FALSE(ui.state().prompt.open) << filter;
    ASSERT_EQ(ui.filter_text(), filter);
}

TEST(UiPrompt, TypingGoesWhereTheCursorIs) {
    Ui ui = prompt_with("port:443");
    EXPECT_EQ(cursor(ui), 8u);
    ui.handle(key(Key::home));
    type(ui, "not ");
    EXPECT_EQ(text(ui), "not port:443");
    EXPECT_EQ(cursor(ui), 4u);
    ui.handle(key(Key::end));
    ui.handle(key(Key::left));
    ui.handle(key(Key::left));
    ui.handle(key(Key::backspace));  // the first 4
    type(ui, "5");
    EXPECT_EQ(text(ui), "not port:543");
    ui.handle(ctrl('a'));
    EXPECT_EQ(cursor(ui), 0u);
    ui.handle(key(Key::del));
    EXPECT_EQ(text(ui), "ot port:543");
    ui.handle(ctrl('e'));
    EXPECT_EQ(cursor(ui), text(ui).size());
    ui.handle(key(Key::right));  // at the end: stays
    EXPECT_EQ(cursor(ui), text(ui).size());
    ui.handle(key(Key::escape));
    EXPECT_FALSE(ui.state().prompt.open);
}

TEST(UiPrompt, CursorStepsOverWholeCharacters) {
    Ui ui = prompt_with("sni:");
    ui.handle(ch(U'é'));
    ui.handle(ch(U'x'));
    EXPECT_EQ(text(ui), "sni:\xc3\xa9x");
    ui.handle(key(Key::left));
    ui.handle(key(Key::left));
    EXPECT_EQ(cursor(ui), 4u);
    ui.handle(key(Key::right));
    EXPECT_EQ(cursor(ui), 6u);
    ui.handle(key(Key::backspace));
    EXPECT_EQ(text(ui), "sni:x");
    EXPECT_EQ(cursor(ui), 4u);
}

TEST(UiPrompt, CtrlWDeletesTheWordBeforeTheCursorAndCtrlUToTheStart) {
    Ui ui = prompt_with("process:curl and port:443");
    ui.handle(ctrl('w'));
    EXPECT_EQ(text(ui), "process:curl and ");
    ui.handle(ctrl('w'));
    EXPECT_EQ(text(ui), "process:curl ");
    type(ui, "or port:80");
    // From the middle: only what is left of the cursor goes.
    for (int i = 0; i < 3; ++i) ui.handle(key(Key::left));  // before ":80"
    ui.handle(ctrl('w'));
    EXPECT_EQ(text(ui), "process:curl or :80");
    ui.handle(ctrl('u'));
    EXPECT_EQ(text(ui), ":80");
    EXPECT_EQ(cursor(ui), 0u);
    ui.handle(ctrl('w'));  // nothing before the cursor
    EXPECT_EQ(text(ui), ":80");
}

TEST(UiPrompt, UpAndDownWalkThisRunsFilters) {
    Ui ui = prompt_with("");
    ui.handle(key(Key::escape));
    use_filter(ui, "port:443");
    use_filter(ui, "proto:udp");
    use_filter(ui, "process:curl");
    ui.handle(ch(U'/'));
    ui.handle(ctrl('u'));
    type(ui, "dport:");
    ui.handle(key(Key::up));
    EXPECT_EQ(text(ui), "process:curl");
    EXPECT_EQ(cursor(ui), text(ui).size());
    ui.handle(key(Key::up));
    ui.handle(key(Key::up));
    EXPECT_EQ(text(ui), "port:443");
    ui.handle(key(Key::up));  // the oldest: stays
    EXPECT_EQ(text(ui), "port:443");
    ui.handle(key(Key::down));
    EXPECT_EQ(text(ui), "proto:udp");
    ui.handle(key(Key::down));
    ui.handle(key(Key::down));  // back to what was being typed
    EXPECT_EQ(text(ui), "dport:");
    ui.handle(key(Key::up));
    ui.handle(key(Key::up));
    ui.handle(key(Key::enter));  // proto:udp again: it moves to the newest place
    EXPECT_EQ(ui.filter_text(), "proto:udp");
    const auto& history = ui.state().prompt.history;
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history.back(), "proto:udp");
    EXPECT_EQ(history.front(), "port:443");
}

TEST(UiPrompt, HistoryKeepsTheNewestFifty) {
    Ui ui = prompt_with("");
    ui.handle(key(Key::escape));
    for (int i = 1; i <= 60; ++i) use_filter(ui, "port:" + std::to_string(i));
    const auto& history = ui.state().prompt.history;
    ASSERT_EQ(history.size(), FilterPrompt::kHistory);
    EXPECT_EQ(history.front(), "port:11");
    EXPECT_EQ(history.back(), "port:60");
}

TEST(UiPrompt, CursorIsDrawnWhereItIs) {
    Ui ui = prompt_with("process:curl and port:443");
    for (int i = 0; i < 9; ++i) ui.handle(key(Key::left));  // on the 'p' of port
    Buffer buf(80, 24);
    ui.render(buf);
    expect_golden("filter_cursor_80x24", buf.to_text());
    // The reversed cell is the 'p' after "and ".
    const int x = 1 + 8 + 17;
    EXPECT_EQ(buf.at(x, 23).ch, U'p');
    EXPECT_NE(buf.at(x, 23).style.attrs & attr::reverse, buf.at(x - 1, 23).style.attrs & attr::reverse);
}

TEST(UiPrompt, ALongTextKeepsTheCursorInView) {
    Ui ui = prompt_with("process:curl and port:443 and not dst:10.0.0.0/8 and sni:example.com");
    Buffer buf(80, 24);
    ui.handle(key(Key::home));
    ui.render(buf);
    EXPECT_EQ(buf.at(9, 23).ch, U'p');  // the start, with the cursor on it
    ui.handle(key(Key::end));
    ui.render(buf);
    const std::string line = buf.to_text().substr(buf.to_text().rfind('\n', buf.to_text().size() - 2) + 1);
    EXPECT_NE(line.find("example.com"), std::string::npos) << line;
}

TEST(UiPrompt, AValueNoFlowCanHaveIsFlaggedAndNotApplied) {
    for (const auto& [filter, complaint] :
         std::vector<std::pair<std::string, std::string>>{{"app:bogus", "unknown application 'bogus'"},
                                                          {"vlan:5000", "VLAN id out of range 0-4095 '5000'"},
                                                          {"state:bogus", "unknown state 'bogus'"}}) {
        Ui ui = prompt_with(filter);
        ui.handle(key(Key::enter));
        EXPECT_TRUE(ui.state().prompt.open) << filter;
        EXPECT_EQ(ui.filter_text(), "") << filter;
        Buffer buf(120, 40);
        ui.render(buf);
        EXPECT_NE(buf.to_text().find("✗ " + complaint), std::string::npos) << buf.to_text();
    }
    Ui ui = prompt_with("app:bogus");
    ui.handle(key(Key::enter));
    Buffer buf(80, 24);
    ui.render(buf);
    expect_golden("filter_unknown_value_80x24", buf.to_text());
}

}  // namespace
}  // namespace sockeye::tui
