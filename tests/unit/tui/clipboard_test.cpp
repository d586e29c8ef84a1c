// c (Copy): the OSC 52 bytes, and which value of the selected row each
// press puts on the clipboard.
#include <gtest/gtest.h>

#include <string>

#include "tui/term/clipboard.hpp"
#include "tui/ui.hpp"
#include "unit/tui/ui_driver.hpp"
#include "unit/tui/ui_fixture.hpp"

namespace sockeye::tui {
namespace {

using testing::ch;
using testing::make_snapshot;

TEST(Clipboard, Base64OfEveryPaddingCase) {
    // RFC 4648 §10's test vectors.
    EXPECT_EQ(base64(""), "");
    EXPECT_EQ(base64("f"), "Zg==");
    EXPECT_EQ(base64("fo"), "Zm8=");
    EXPECT_EQ(base64("foo"), "Zm9v");
    EXPECT_EQ(base64("foob"), "Zm9vYg==");
    EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64(std::string("\xff\x00\xfe", 3)), "/wD+");
}

TEST(Clipboard, Osc52IsExactlyTheSequence) {
    EXPECT_EQ(osc52_copy("93.184.216.34"), "\x1b]52;c;OTMuMTg0LjIxNi4zNA==\x1b\\");
    EXPECT_EQ(osc52_copy(""), "\x1b]52;c;\x1b\\");
}

TEST(Clipboard, LongTextIsCutOnACharacter) {
    std::string text(kMaxClipboardBytes - 1, 'a');
    text += "\xc3\xa9";  // é across the limit: left out whole
    EXPECT_EQ(osc52_copy(text), "\x1b]52;c;" + base64(std::string(kMaxClipboardBytes - 1, 'a')) + "\x1b\\");
}

Ui fresh_ui() {
    Ui ui;
    ui.resize(120, 40);
    ui.update(make_snapshot());
    return ui;
}

std::string status_line(const Ui& ui) {
    Buffer buf(120, 40);
    ui.render(buf);
    const std::string text = buf.to_text();
    const std::size_t end = text.rfind('\n', text.size() - 2);
    return text.substr(end + 1);
}

TEST(UiCopy, SuccessivePressesCopyAddressNameServerNameCommandLine) {
    Ui ui = fresh_ui();
    // curl's TLS flow to example.com (93.184.216.34).
    for (int i = 0; i < 10 && ui.selected_flow()->destination_ip.to_string() != "93.184.216.34"; ++i)
        ui.handle(ch(U'j'));
    ASSERT_EQ(ui.selected_flow()->destination_ip.to_string(), "93.184.216.34");
    EXPECT_EQ(ui.take_output(), "");
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy("93.184.216.34"));
    EXPECT_EQ(ui.take_output(), "");  // taken once
    EXPECT_NE(status_line(ui).find("copied remote address: 93.184.216.34 · c again: name"), std::string::npos)
        << status_line(ui);
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy("example.com"));
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy("example.com"));  // the SNI
    EXPECT_NE(status_line(ui).find("copied server name"), std::string::npos);
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy("curl -sS https://example.com/"));
    ui.handle(ch(U'c'));  // round again
    EXPECT_EQ(ui.take_output(), osc52_copy("93.184.216.34"));
    // Another key starts over on the next row.
    ui.handle(ch(U'k'));
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy(ui.selected_flow()->destination_ip.to_string()));
}

TEST(UiCopy, AProcessRowCopiesItsCommandLineProgramAndPid) {
    Ui ui = fresh_ui();
    ui.handle(ch(U'3'));
    ui.handle(ch(U'g'));  // by pid
    ui.handle(ch(U'j'));  // curl
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy("curl -sS https://example.com/"));
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy("curl"));
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy("4242"));
}

TEST(UiCopy, NamesOffTheWireArePastedAsPrintableText) {
    auto snap = std::make_shared<snapshot::Snapshot>(*make_snapshot());
    for (auto& f : snap->flows) f.remote_name = "evil.example\nrm -rf ~\n";
    Ui ui;
    ui.update(snap);
    ui.handle(ch(U'c'));
    (void)ui.take_output();
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), osc52_copy("evil.example?rm -rf ~?"));
}

TEST(UiCopy, NothingSelectedSaysSo) {
    Ui ui;
    ui.update(std::make_shared<snapshot::Snapshot>());
    ui.handle(ch(U'c'));
    EXPECT_EQ(ui.take_output(), "");
    EXPECT_NE(status_line(ui).find("nothing selected to copy"), std::string::npos);
}

}  // namespace
}  // namespace sockeye::tui
