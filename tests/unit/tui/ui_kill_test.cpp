// K: the selected process is signalled only after y, SIGTERM first and
// SIGKILL on a second y, and only when the app allowed signals.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <utility>
#include <vector>

#include "unit/tui/ui_driver.hpp"
#include "unit/tui/view_golden.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::expect_golden;
using testing::key;
using testing::screen;
using testing::ui_with_history;

struct Sent {
    int pid;
    int signal;
};

// Selects the overview row of `name`'s first flow.
void select_process(Ui& ui, const std::string& name) {
    for (std::size_t i = 0; i < ui.state().connections.rows.size(); ++i) {
        const auto* f = ui.selected_flow();
        if (f != nullptr && f->process && f->process->name == name) return;
        ui.handle(ch(U'j'));
    }
    ADD_FAILURE() << "no row of " << name;
}

TEST(UiKill, WithoutAllowKillKSaysWhy) {
    Ui ui = ui_with_history(80, 24);
    select_process(ui, "curl");
    ui.handle(ch(U'K'));
    EXPECT_FALSE(ui.state().kill.open);
    EXPECT_NE(ui.state().notice.find("--allow-kill"), std::string::npos) << ui.state().notice;
}

TEST(UiKill, TermThenKillOnlyAfterEachConfirmation) {
    std::vector<Sent> sent;
    Ui ui = ui_with_history(80, 24);
    ui.allow_signals([&](const snapshot::ProcessInfo& p, int sig) -> core::Result<void> {
        sent.push_back({p.pid, sig});
        return {};
    });
    select_process(ui, "curl");
    ui.handle(ch(U'K'));
    ASSERT_TRUE(ui.state().kill.open);
    EXPECT_EQ(ui.state().kill.target->pid, 4242);
    expect_golden("kill_dialog_80x24", screen(ui, 80, 24));
    // Keys other than y and Esc do nothing; Enter is not a yes.
    ui.handle(key(Key::enter));
    ui.handle(ch(U'j'));
    EXPECT_TRUE(sent.empty());
    ui.handle(key(Key::escape));
    EXPECT_FALSE(ui.state().kill.open);
    EXPECT_TRUE(sent.empty());

    ui.handle(ch(U'K'));
    ui.handle(ch(U'y'));
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].pid, 4242);
    EXPECT_EQ(sent[0].signal, SIGTERM);
    EXPECT_TRUE(ui.state().kill.open);
    EXPECT_NE(screen(ui, 80, 24).find("y send SIGKILL"), std::string::npos);
    ui.handle(ch(U'y'));
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].signal, SIGKILL);
    EXPECT_FALSE(ui.state().kill.open);
    EXPECT_NE(ui.state().notice.find("SIGKILL sent to curl (4242)"), std::string::npos);
}

TEST(UiKill, AFailureIsShownAndNothingElseIsSent) {
    int calls = 0;
    Ui ui = ui_with_history(80, 24);
    ui.allow_signals([&](const snapshot::ProcessInfo&, int) -> core::Result<void> {
        ++calls;
        return core::Error{core::ErrorCode::permission_denied, "not permitted to signal curl (4242)"};
    });
    select_process(ui, "curl");
    ui.handle(ch(U'K'));
    ui.handle(ch(U'y'));
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(ui.state().kill.open);
    EXPECT_FALSE(ui.state().kill.term_sent);
    EXPECT_NE(screen(ui, 80, 24).find("not permitted to signal"), std::string::npos);
}

TEST(UiKill, AProgramOfManyProcessesIsNotOneTarget) {
    Ui ui = ui_with_history(80, 24);
    ui.allow_signals([](const snapshot::ProcessInfo&, int) -> core::Result<void> { return {}; });
    ui.handle(ch(U'3'));
    // firefox-esr has one process in the fixture; a container row is many.
    ui.handle(ch(U'g'));
    ui.handle(ch(U'g'));
    ASSERT_EQ(ui.state().process_grouping, ProcessGrouping::container);
    ui.handle(ch(U'K'));
    EXPECT_FALSE(ui.state().kill.open);
    EXPECT_NE(ui.state().notice.find("pick a pid"), std::string::npos) << ui.state().notice;
}

TEST(UiKill, AnUnattributedConnectionHasNoOneToStop) {
    Ui ui = ui_with_history(80, 24);
    ui.allow_signals([](const snapshot::ProcessInfo&, int) -> core::Result<void> { return {}; });
    for (std::size_t i = 0; i < ui.state().connections.rows.size(); ++i) {
        const auto* f = ui.selected_flow();
        if (f != nullptr && !f->process) break;
        ui.handle(ch(U'j'));
    }
    ui.handle(ch(U'K'));
    EXPECT_FALSE(ui.state().kill.open);
    EXPECT_NE(ui.state().notice.find("no known process"), std::string::npos) << ui.state().notice;
}

}  // namespace
}  // namespace sockeye::tui
