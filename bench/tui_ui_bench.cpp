// The terminal UI's own cost per refresh with 1000 and 100,000 connections:
// Ui::update (tables, history, peaks) and Ui::render of a 200x60 screen,
// plus the diff to ANSI; and with 100,000 the keys that rebuild the table
// (`s` sorts by the next column, `a` groups by process). The budgets: the
// UI's CPU <= 2% of a core at one refresh per second (<= 20 ms per
// refresh), a key answered within 100 ms.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "tui/render/ansi_writer.hpp"
#include "tui/ui.hpp"

namespace {

namespace snapshot = sockeye::snapshot;
using sockeye::core::IpAddress;

std::shared_ptr<const snapshot::Snapshot> flows(int tick, int count) {
    auto snap = std::make_shared<snapshot::Snapshot>();
    snap->ts_ns = 1'700'000'000'000'000'000 + std::int64_t{tick} * 1'000'000'000;
    const char* const names[] = {"firefox", "curl", "sshd", "chrome", "postgres", "nginx"};
    const char* const apps[] = {"TLS", "HTTP", "DNS", "QUIC", "SSH"};
    std::shared_ptr<const snapshot::ProcessInfo> procs[6];
    for (int p = 0; p < 6; ++p) {
        auto info = std::make_shared<snapshot::ProcessInfo>();
        info->pid = 1000 + p;
        info->name = names[p];
        info->user = "alice";
        procs[p] = info;
    }
    std::shared_ptr<const snapshot::AppInfo> app_infos[5];
    for (int a = 0; a < 5; ++a) {
        auto info = std::make_shared<snapshot::AppInfo>();
        info->protocol = apps[a];
        info->domain = "host" + std::to_string(a) + ".example.org";
        app_infos[a] = info;
    }
    for (int i = 0; i < count; ++i) {
        snapshot::FlowRecord f;
        f.protocol = i % 5 == 2 ? snapshot::FlowProtocol::udp : snapshot::FlowProtocol::tcp;
        f.ip_proto = f.protocol == snapshot::FlowProtocol::udp ? 17 : 6;
        f.source_ip = IpAddress::v4(0x0A000000u + static_cast<std::uint32_t>(i));
        f.destination_ip = IpAddress::v4(0x5DB8D800u + static_cast<std::uint32_t>(i % 200));
        if (i % 3 == 0) f.remote_name = "peer" + std::to_string(i % 200) + ".example.net";
        f.source_port = static_cast<std::uint16_t>(40000 + i);
        f.destination_port = 443;
        f.state = snapshot::FlowState::established;
        f.bytes_sent = static_cast<std::uint64_t>(i) * 1000 + static_cast<std::uint64_t>(tick);
        f.bytes_received = static_cast<std::uint64_t>(i) * 5000;
        f.sent_bytes_per_s = (i * 37 + tick * 11) % 9000;
        f.received_bytes_per_s = (i * 13 + tick * 7) % 50000;
        f.srtt_ns = (i % 300) * 100'000;
        f.first_seen_ns = snap->ts_ns - 60'000'000'000;
        f.last_seen_ns = snap->ts_ns - (i % 10) * 100'000'000;
        f.idle_timeout_ns = 300'000'000'000;
        f.process = procs[i % 6];
        f.process_match = snapshot::ProcessMatch::exact;
        f.app = app_infos[i % 5];
        snap->flows.push_back(std::move(f));
    }
    return snap;
}

// One refresh as the UI session does it: a new snapshot, a render, a diff.
void BM_UiRefresh200x60(benchmark::State& state) {
    const int count = static_cast<int>(state.range(0));
    sockeye::tui::Ui ui;
    ui.resize(200, 60);
    std::shared_ptr<const snapshot::Snapshot> snaps[2] = {flows(0, count), flows(1, count)};
    sockeye::tui::Buffer previous(200, 60), next(200, 60);
    std::string bytes;
    int tick = 0;
    for (auto _ : state) {
        ui.update(snaps[tick++ % 2]);
        next.clear();
        ui.render(next);
        bytes.clear();
        sockeye::tui::append_frame(bytes, &previous, next, sockeye::tui::ColorMode::truecolor);
        std::swap(previous, next);
        benchmark::DoNotOptimize(bytes.data());
    }
}
BENCHMARK(BM_UiRefresh200x60)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

sockeye::tui::InputEvent key(char32_t c) {
    sockeye::tui::InputEvent e;
    e.key = sockeye::tui::Key::character;
    e.ch = c;
    return e;
}

// A key that rebuilds the table, and the frame that shows it.
void key_and_render(benchmark::State& state, char32_t c) {
    const int count = static_cast<int>(state.range(0));
    sockeye::tui::Ui ui;
    ui.resize(200, 60);
    ui.update(flows(0, count));
    sockeye::tui::Buffer screen(200, 60);
    for (auto _ : state) {
        ui.handle(key(c));
        screen.clear();
        ui.render(screen);
        benchmark::DoNotOptimize(screen);
    }
}
void BM_UiSortKey(benchmark::State& state) { key_and_render(state, U's'); }
void BM_UiGroupKey(benchmark::State& state) { key_and_render(state, U'a'); }
BENCHMARK(BM_UiSortKey)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UiGroupKey)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
