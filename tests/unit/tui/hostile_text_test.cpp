// The terminal UI draws names cell by cell: a name with any control character
// a terminal obeys is drawn exactly as core::printable_text() writes it for
// the plain-text outputs, and no cell holds a control. That holds for the
// names the geo databases and the vendor table put on screen too (a city,
// an AS organisation, a country code, a vendor), in every view that shows
// them: the table's Country and Network columns, Details, Processes; and the
// container names, images and pods runtimes' state files give.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/printable_text.hpp"
#include "tui/render/ansi_writer.hpp"
#include "tui/ui.hpp"
#include "unit/support/hostile_text.hpp"
#include "unit/tui/ui_fixture.hpp"

namespace sockeye::tui {
namespace {

TEST(HostileText, CellsAndFrameMatchPrintableText) {
    for (const auto& name : sockeye::testing::hostile_names()) {
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

InputEvent character(char32_t c) {
    InputEvent e;
    e.key = Key::character;
    e.ch = c;
    return e;
}

// Every flow of the fixture from `where`, its hardware made by `vendor`.
std::shared_ptr<const snapshot::Snapshot> located_snapshot(const std::string& where,
                                                           const std::string& vendor) {
    auto snap = std::make_shared<snapshot::Snapshot>(*testing::make_snapshot());
    snap->geo_active = true;
    for (auto& f : snap->flows) {
        f.remote_geo = std::make_shared<const snapshot::GeoInfo>(
            snapshot::GeoInfo{core::AddressScope::public_, where, where, 64500, where});
        f.remote_link = std::make_shared<const snapshot::LinkPeer>(
            snapshot::LinkPeer{{0xb8, 0x27, 0xeb, 0x5c, 0x0f, 0xfe}, vendor});
    }
    return snap;
}

// The screens that show geo and vendor names: the table with the Country
// and Network columns (w), Details of the selected flow, Processes (top
// countries and networks), each as a 240x50 buffer (wide enough for every column).
std::vector<Buffer> geo_screens(const std::shared_ptr<const snapshot::Snapshot>& snap) {
    Ui ui;
    ui.resize(240, 50);
    ui.update(snap);
    std::vector<Buffer> out;
    const auto draw = [&] {
        Buffer b(240, 50);
        ui.render(b);
        out.push_back(std::move(b));
    };
    ui.handle(character(U'w'));
    draw();
    ui.handle(character(U'2'));
    draw();
    ui.handle(character(U'3'));
    draw();
    return out;
}

TEST(HostileText, GeoAndVendorNamesInEveryViewMatchPrintableText) {
    std::size_t shown = 0;
    for (const auto& name : sockeye::testing::hostile_names()) {
        const auto raw = geo_screens(located_snapshot(name, name));
        const auto clean = geo_screens(located_snapshot(core::printable_text(name), core::printable_text(name)));
        ASSERT_EQ(raw.size(), clean.size());
        for (std::size_t v = 0; v < raw.size(); ++v) {
            for (int y = 0; y < raw[v].height(); ++y) {
                for (int x = 0; x < raw[v].width(); ++x) {
                    ASSERT_FALSE(core::is_control_code_point(raw[v].at(x, y).ch))
                        << "screen " << v << " cell " << x << "," << y;
                    ASSERT_EQ(raw[v].at(x, y).ch, clean[v].at(x, y).ch)
                        << "screen " << v << " cell " << x << "," << y;
                }
            }
            EXPECT_EQ(render_frame(nullptr, raw[v], ColorMode::none),
                      render_frame(nullptr, clean[v], ColorMode::none));
        }
        // The names are on screen (escaped), not left out: the hostile
        // wrapper's readable part in each view.
        const std::string table = raw[0].to_text();
        const std::string details = raw[1].to_text();
        const std::string processes = raw[2].to_text();
        ASSERT_NE(table.find("AS64500 evil"), std::string::npos) << table;
        ASSERT_NE(details.find("b8:27:eb:5c:0f:fe (evil"), std::string::npos) << details;
        ASSERT_NE(details.find("city            evil"), std::string::npos) << details;
        ASSERT_NE(processes.find("evil"), std::string::npos) << processes;
        ++shown;
    }
    EXPECT_EQ(shown, sockeye::testing::hostile_names().size());
}

// Every process of the fixture in a Kubernetes pod whose every name is `name`.
std::shared_ptr<const snapshot::Snapshot> contained_snapshot(const std::string& name) {
    auto snap = std::make_shared<snapshot::Snapshot>(*testing::make_snapshot());
    for (auto& f : snap->flows) {
        if (!f.process) continue;
        auto p = std::make_shared<snapshot::ProcessInfo>(*f.process);
        p->container_kind = "kubernetes";
        p->container = "0a1b2c3d-0000-1111-2222-333344445555";
        p->container_name = name;
        p->container_image = name;
        p->pod = name;
        p->pod_namespace = name;
        f.process = p;
    }
    return snap;
}

// Details of the selected flow, Processes, Processes by container.
std::vector<Buffer> container_screens(const std::shared_ptr<const snapshot::Snapshot>& snap) {
    Ui ui;
    ui.resize(240, 50);
    ui.update(snap);
    std::vector<Buffer> out;
    const auto draw = [&] {
        Buffer b(240, 50);
        ui.render(b);
        out.push_back(std::move(b));
    };
    ui.handle(character(U'2'));
    draw();
    ui.handle(character(U'3'));
    draw();
    ui.handle(character(U'g'));  // by pid
    draw();
    ui.handle(character(U'g'));  // by container
    draw();
    return out;
}

TEST(HostileText, ContainerNamesImagesAndPodsMatchPrintableText) {
    for (const auto& name : sockeye::testing::hostile_names()) {
        const auto raw = container_screens(contained_snapshot(name));
        const auto clean = container_screens(contained_snapshot(core::printable_text(name)));
        ASSERT_EQ(raw.size(), clean.size());
        for (std::size_t v = 0; v < raw.size(); ++v) {
            for (int y = 0; y < raw[v].height(); ++y) {
                for (int x = 0; x < raw[v].width(); ++x) {
                    ASSERT_FALSE(core::is_control_code_point(raw[v].at(x, y).ch))
                        << "screen " << v << " cell " << x << "," << y;
                    ASSERT_EQ(raw[v].at(x, y).ch, clean[v].at(x, y).ch)
                        << "screen " << v << " cell " << x << "," << y;
                }
            }
            EXPECT_EQ(render_frame(nullptr, raw[v], ColorMode::none),
                      render_frame(nullptr, clean[v], ColorMode::none));
        }
        const std::string details = raw[0].to_text();
        ASSERT_NE(details.find("container       evil"), std::string::npos) << details;
        ASSERT_NE(details.find("image           evil"), std::string::npos) << details;
        ASSERT_NE(details.find("pod             evil"), std::string::npos) << details;
        ASSERT_NE(raw[1].to_text().find("container   evil"), std::string::npos) << raw[1].to_text();
        ASSERT_NE(raw[2].to_text().find("container   evil"), std::string::npos) << raw[2].to_text();
        ASSERT_NE(raw[3].to_text().find("evil"), std::string::npos) << raw[3].to_text();
    }
}

}  // namespace
}  // namespace sockeye::tui
