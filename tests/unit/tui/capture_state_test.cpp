// The status bar and side panel say at once when the capture is over or
// failed, and the footer clock is wall time live, labelled packet time for
// files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "tui/ui.hpp"
#include "unit/tui/ui_fixture.hpp"

namespace sockeye::tui {
namespace {

using testing::make_snapshot;

std::string render(const snapshot::Snapshot& snap, int width = 200, int height = 60) {
    Ui ui;
    ui.resize(width, height);
    ui.update(std::make_shared<const snapshot::Snapshot>(snap));
    Buffer buf(width, height);
    ui.render(buf);
    return buf.to_text();
}

std::string last_line(const std::string& screen) {
    const auto trimmed = screen.substr(0, screen.find_last_not_of('\n') + 1);
    return trimmed.substr(trimmed.rfind('\n') + 1);
}

TEST(CaptureState, AFailedCaptureTakesTheStatusBarAndThePanel) {
    snapshot::Snapshot snap = *make_snapshot();
    snap.source.state = snapshot::CaptureState::failed;
    snap.source.state_note = "capture on 'veth9' failed: The interface went down";
    for (const int width : {80, 200}) {
        const std::string screen = render(snap, width, width == 80 ? 24 : 60);
        const std::string bar = last_line(screen);
        EXPECT_NE(bar.find("✗ capture failed: capture on 'veth9'"), std::string::npos) << bar;
    }
    const std::string wide = render(snap);
    EXPECT_NE(wide.find("The interface went down"), std::string::npos);
}

TEST(CaptureState, EndOfFileAndStoppedAreSaid) {
    snapshot::Snapshot snap = *make_snapshot();
    EXPECT_EQ(last_line(render(snap)).find("end of file"), std::string::npos);
    snap.source.state = snapshot::CaptureState::end_of_file;
    EXPECT_NE(last_line(render(snap)).find("end of file · packet time"), std::string::npos)
        << last_line(render(snap));
    snap.source.state = snapshot::CaptureState::stopped;
    snap.source.state_note = "after -c 10 packets";
    EXPECT_NE(last_line(render(snap)).find("capture stopped after -c 10 packets"), std::string::npos)
        << last_line(render(snap));
}

TEST(CaptureState, FooterClockIsWallTimeLiveAndPacketTimeForFiles) {
    snapshot::Snapshot snap = *make_snapshot();
    snap.ts_ns = 0;  // no packet yet
    EXPECT_NE(last_line(render(snap)).find("packet time --:--:--"), std::string::npos);
    // Live, the clock is the wall clock of the snapshot in local time, even
    // when no packet came (ts_ns 0).
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    snap.source.live = true;
    snap.wall_ns = (12 * 3600 + 34 * 60 + 56) * testing::kSecond;
    const std::string bar = last_line(render(snap));
    EXPECT_NE(bar.find("12:34:56"), std::string::npos) << bar;
    EXPECT_EQ(bar.find("packet time"), std::string::npos) << bar;
}

}  // namespace
}  // namespace sockeye::tui
