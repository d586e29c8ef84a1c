// The terminal renderer on a 200x60 screen holding a connection table like
// the overview's (text, a highlighted header and selection, coloured rates):
// a diff frame after ~10% of the cells changed, a full redraw, and the diff
// alone. The goal: render + diff of a full 200x60 screen <= 1 ms.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "tui/render/ansi_writer.hpp"

namespace {

using sockeye::tui::Buffer;
using sockeye::tui::Color;
using sockeye::tui::ColorMode;
using sockeye::tui::Style;
namespace attr = sockeye::tui::attr;

constexpr int kWidth = 200;
constexpr int kHeight = 60;

const char* const kProcesses[] = {"firefox", "curl", "sshd", "systemd-resolved", "chrome",
                                  "\xe4\xb8\x96\xe7\x95\x8c-app", "postgres", "nginx"};
const char* const kApps[] = {"TLS", "HTTP", "SSH", "DNS", "QUIC", "WireGuard"};

// One frame of the table; `tick` changes the rate columns and a few rows,
// about a tenth of the cells.
void draw_table(Buffer& b, int tick) {
    const Style header{Color::rgb(20, 20, 30), Color::rgb(120, 170, 255), attr::bold};
    const Style normal{};
    const Style dim{Color::indexed(244), {}, attr::dim};
    const Style rate{Color::rgb(80, 220, 120), {}, 0};
    const Style selected{{}, Color::indexed(24), attr::bold};
    b.clear();
    b.fill({0, 0, kWidth, 1}, {U' ', header});
    b.print(0, 0,
            " PROCESS            PID   LOCAL                  REMOTE                          "
            "SERVICE  APP        STATE        RTT      DOWN/s     UP/s       TOTAL",
            header);
    char line[256];
    for (int row = 1; row < kHeight - 1; ++row) {
        const int flow = row + (row % 6 == tick % 6 ? tick : 0);
        const Style base = row == 7 ? selected : (row % 11 == 0 ? dim : normal);
        std::snprintf(line, sizeof line,
                      " %-18s %-5d 10.0.%d.%d:%-8d 93.184.%d.%d:443 %-12s https    %-10s "
                      "ESTABLISHED  %3d.%dms",
                      kProcesses[flow % 8], 1000 + flow * 7, flow % 4, flow % 250,
                      40000 + flow * 13, flow % 200, (flow * 3) % 250, "example.org",
                      kApps[flow % 6], (flow * 7) % 300, flow % 10);
        b.fill({0, row, kWidth, 1}, {U' ', base});
        b.print(0, row, line, base);
        std::snprintf(line, sizeof line, "%7.1f KB/s %7.1f KB/s %9.2f MB", (row * 37 + tick * 11) % 9000 / 10.0,
                      (row * 13 + tick * 7) % 5000 / 10.0, (row * 101 + tick) / 100.0);
        b.print(128, row, line, row == 7 ? selected : rate);
    }
    b.fill({0, kHeight - 1, kWidth, 1}, {U' ', header});
    b.print(1, kHeight - 1, "q quit  / filter  s sort  Tab view  Enter details  ? help", header);
}

int changed_cells(const Buffer& a, const Buffer& b) {
    int n = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) n += a.at(x, y) == b.at(x, y) ? 0 : 1;
    return n;
}

void BM_RenderDiff(benchmark::State& state) {
    const auto mode = static_cast<ColorMode>(state.range(0));
    Buffer prev(kWidth, kHeight), next(kWidth, kHeight);
    draw_table(prev, 1);
    draw_table(next, 2);
    std::string out;
    out.reserve(1 << 16);
    for (auto _ : state) {
        out.clear();
        sockeye::tui::append_frame(out, &prev, next, mode);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["changed_pct"] = 100.0 * changed_cells(prev, next) / (kWidth * kHeight);
    state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_RenderDiff)
    ->Arg(static_cast<int>(ColorMode::truecolor))
    ->Arg(static_cast<int>(ColorMode::basic16))
    ->Unit(benchmark::kMicrosecond);

void BM_RenderFullRedraw(benchmark::State& state) {
    const auto mode = static_cast<ColorMode>(state.range(0));
    Buffer next(kWidth, kHeight);
    draw_table(next, 2);
    std::string out;
    out.reserve(1 << 16);
    for (auto _ : state) {
        out.clear();
        sockeye::tui::append_frame(out, nullptr, next, mode);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_RenderFullRedraw)
    ->Arg(static_cast<int>(ColorMode::truecolor))
    ->Arg(static_cast<int>(ColorMode::basic16))
    ->Unit(benchmark::kMicrosecond);

// What a refresh costs the UI thread end to end: draw the table, then diff
// and render it against the last frame.
void BM_DrawAndRender(benchmark::State& state) {
    Buffer prev(kWidth, kHeight), next(kWidth, kHeight);
    draw_table(prev, 0);
    std::string out;
    int tick = 1;
    for (auto _ : state) {
        draw_table(next, tick++);
        out.clear();
        sockeye::tui::append_frame(out, &prev, next, ColorMode::truecolor);
        benchmark::DoNotOptimize(out.data());
        std::swap(prev, next);
    }
}
BENCHMARK(BM_DrawAndRender)->Unit(benchmark::kMicrosecond);

void BM_DiffOnly(benchmark::State& state) {
    Buffer prev(kWidth, kHeight), next(kWidth, kHeight);
    draw_table(prev, 1);
    draw_table(next, 2);
    for (auto _ : state) benchmark::DoNotOptimize(sockeye::tui::diff_buffers(prev, next));
}
BENCHMARK(BM_DiffOnly)->Unit(benchmark::kMicrosecond);

}  // namespace
