// What the exports cost the packet path: the engine over a capture held in
// memory, with no export and then with every export on, fed as the pipeline
// feeds them (on_frame per packet, on_snapshot every N packets, finish()).
//
//   sockeye_export_bench --file CAPTURE [--repeat N] [--snapshot-every N] [--dir DIR]
//
// Modes, each the fastest of N runs (a fresh engine and export set per run):
//   off     no export
//   ipfix   --ipfix to a UDP socket of this process on 127.0.0.1 (never read:
//           the kernel drops what overflows it, as a slow collector would)
//   all     --pcapng-export, --pcap-export (+ sidecar), --json-log, --ipfix
//           and --metrics (127.0.0.1, an ephemeral port), files in DIR
// For each: packets/s until the last frame is processed (what capture
// sees: writers run on their own threads) and including finish() (until
// every writer drained), and each export's written/dropped counts. On a
// shared machine wall time is noisy, so the CPU time of the packet thread
// (CLOCK_THREAD_CPUTIME_ID: packets/s on a core of its own) and of the whole
// process (writer threads included, up to finish()) are printed too.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "pipeline/engine.hpp"
#include "app/export_table.hpp"
#include "capture/file_source.hpp"
#include "capture/memory_source.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// A bound loopback socket's port; the socket stays open for the run.
int bound(int type, std::uint16_t& port) {
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return -1;
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    return fd;
}

double cpu_seconds(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Result {
    double packet_s = 1e300;  // until the last frame was processed
    double total_s = 1e300;   // including finish()
    double thread_cpu_s = 1e300;   // packet thread, until the last frame
    double process_cpu_s = 1e300;  // every thread, including finish()
    std::vector<sockeye::snapshot::ExportCounters> counters;
};

Result run_mode(sockeye::capture::MemorySource& mem, const sockeye::app::Options& options,
                int repeat, std::uint64_t snapshot_every) {
    Result best;
    for (int r = 0; r < repeat; ++r) {
        sockeye::pipeline::EngineOptions engine_options;
        sockeye::pipeline::Engine engine(mem.link_type(), engine_options);
        auto opened = sockeye::app::open_exports(options, mem, false, nullptr);
        if (!opened) {
            std::fprintf(stderr, "export_bench: %s\n", opened.error().message.c_str());
            std::exit(1);
        }
        const auto exports = std::move(opened).value();
        exports->start();
        mem.rewind();
        sockeye::core::RawFrame frame;
        std::uint64_t n = 0;
        const double thread0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
        const double process0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
        const auto t0 = Clock::now();
        while (mem.next(frame) == sockeye::capture::NextStatus::frame) {
            engine.process(frame);
            if (!exports->empty()) exports->on_frame(frame, engine);
            if (++n % snapshot_every == 0 && exports->wants_snapshots())
                exports->on_snapshot(engine.snapshot());
        }
        const auto t1 = Clock::now();
        const double thread_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - thread0;
        if (!exports->empty()) exports->finish(engine.snapshot());
        const auto t2 = Clock::now();
        const double process_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process0;
        best.thread_cpu_s = std::min(best.thread_cpu_s, thread_cpu);
        best.process_cpu_s = std::min(best.process_cpu_s, process_cpu);
        const double packet_s = std::chrono::duration<double>(t1 - t0).count();
        if (packet_s < best.packet_s) {
            best.packet_s = packet_s;
            best.total_s = std::chrono::duration<double>(t2 - t0).count();
            best.counters = exports->counters();
        }
    }
    return best;
}

void print(const char* mode, const Result& r, double packets, const Result* base) {
    const double pps = packets / r.packet_s;
    const double cpu_pps = packets / r.thread_cpu_s;
    std::printf("export_cost: mode=%s packets=%.0f best_packet_seconds=%.4f packets_per_second=%.0f "
                "with_drain_seconds=%.4f with_drain_packets_per_second=%.0f "
                "packet_thread_cpu_seconds=%.4f packets_per_cpu_second=%.0f "
                "process_cpu_seconds=%.4f",
                mode, packets, r.packet_s, pps, r.total_s, packets / r.total_s, r.thread_cpu_s,
                cpu_pps, r.process_cpu_s);
    if (base != nullptr) {
        std::printf(" wall_cost_vs_off=%.1f%% packet_thread_cpu_cost_vs_off=%.1f%%",
                    100.0 * (1.0 - pps / (packets / base->packet_s)),
                    100.0 * (1.0 - cpu_pps / (packets / base->thread_cpu_s)));
    }
    std::printf("\n");
    for (const auto& c : r.counters) {
        std::printf("  %s: written=%llu dropped=%llu%s%s\n", c.name.c_str(),
                    static_cast<unsigned long long>(c.written),
                    static_cast<unsigned long long>(c.dropped), c.error.empty() ? "" : " error=",
                    c.error.c_str());
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string file;
    std::string dir = "/tmp";
    int repeat = 3;
    std::uint64_t snapshot_every = 100'000;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--file" && has_value) {
            file = argv[++i];
        } else if (a == "--repeat" && has_value) {
            repeat = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--snapshot-every" && has_value) {
            snapshot_every = std::max<std::uint64_t>(1, std::strtoull(argv[++i], nullptr, 10));
        } else if (a == "--dir" && has_value) {
            dir = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: sockeye_export_bench --file CAPTURE [--repeat N] "
                         "[--snapshot-every N] [--dir DIR]\n");
            return 2;
        }
    }
    if (file.empty()) {
        std::fprintf(stderr, "sockeye_export_bench: --file needed\n");
        return 2;
    }
    auto opened = sockeye::capture::FileSource::open(file, "");
    if (!opened) {
        std::fprintf(stderr, "export_bench: %s\n", opened.error().message.c_str());
        return 1;
    }
    const auto source = std::move(opened).value();
    auto mem = sockeye::capture::MemorySource::load(*source);
    const auto packets = static_cast<double>(mem->frame_count());

    std::uint16_t ipfix_port = 0;
    const int collector = bound(SOCK_DGRAM, ipfix_port);
    std::uint16_t metrics_port = 0;
    const int placeholder = bound(SOCK_STREAM, metrics_port);  // picks a free port
    ::close(placeholder);
    if (collector < 0) {
        std::fprintf(stderr, "export_bench: no loopback UDP socket\n");
        return 1;
    }
    const std::string ipfix = "127.0.0.1:" + std::to_string(ipfix_port);

    sockeye::app::Options off;
    off.read_file = file;
    sockeye::app::Options only_ipfix = off;
    only_ipfix.ipfix = ipfix;
    sockeye::app::Options all = only_ipfix;
    all.pcapng_export = dir + "/export_bench.pcapng";
    all.pcap_export = dir + "/export_bench.pcap";
    all.json_log = dir + "/export_bench.jsonl";
    all.metrics = "127.0.0.1:" + std::to_string(metrics_port);

    std::printf("export_cost: file=%s packets=%.0f runs=%d snapshot_every=%llu dir=%s\n",
                file.c_str(), packets, repeat, static_cast<unsigned long long>(snapshot_every),
                dir.c_str());
    const Result r_off = run_mode(*mem, off, repeat, snapshot_every);
    print("off", r_off, packets, nullptr);
    print("ipfix", run_mode(*mem, only_ipfix, repeat, snapshot_every), packets, &r_off);
    print("all", run_mode(*mem, all, repeat, snapshot_every), packets, &r_off);
    ::close(collector);
    for (const char* suffix : {".pcapng", ".pcap", ".pcap.connections.jsonl", ".jsonl"})
        std::remove((dir + "/export_bench" + suffix).c_str());
    return 0;
}
