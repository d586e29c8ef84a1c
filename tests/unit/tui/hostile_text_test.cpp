// The terminal UI draws names cell by cell: a name with any control character
// a terminal obeys is drawn exactly as core::printable_text() writes it for
// the plain-text outputs, and no cell holds a control.
#include <gtest/gtest.h>

#include <string>

#include "core/printable_text.hpp"
#include "tui/render/ansi_writer.hpp"
#include "unit/support/hostile_text.hpp"

namespace sockeye::tui {
namespace {

TEST(HostileText, CellsAndFrameMatchPrintableText) {
    for (const auto& name : testing::hostile_names()) {
        Buffer raw(120, 1);
        raw.print(0, 0, name, {});
        Buffer clean(120, 1);
        clean.print(0, 0, core::printable_text(name), {});
        for (int x = 0; x < raw.width(); ++x) {
            ASSERT_FALSE(core::is_control_code_point(raw.at(x, 0).ch)) << "cell " << x;
            ASSERT_EQ(raw.at(x, 0).ch, clean.at(x, 0).ch) << "cell " << x;
        }
        EXPECT_EQ(render_frame(nullptr, raw, ColorMode::none), render_frame(nullptr, clean, ColorMode::none));
    }
}

}  // namespace
}  // namespace sockeye::tui
