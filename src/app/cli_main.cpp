#include "app/cli_main.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/export_targets.hpp"
#include "app/history_command.hpp"
#include "app/report_command.hpp"
#include "app/settings.hpp"
#include "app/text_mode.hpp"
#include "app/stderr_line.hpp"
#include "app/ui_mode.hpp"
#include "app/version_info.hpp"
#include "capture/file_source.hpp"
#include "capture/live_source.hpp"
#include "decode/decoder.hpp"
#include "host/attributor.hpp"

namespace sockeye::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;
constexpr int kExitExportLoss = 3;  // the totals line on stderr says which export and why

// The exit status for each error code: the user's input (options, a filter
// that does not compile, exports that clash) is usage; everything else
// means the capture or the run failed. An export that lost records is not
// an error (the run completed): kExitExportLoss comes from the run's result.
struct ExitFor {
    core::ErrorCode code;
    int status;
};
constexpr ExitFor kExitStatus[] = {
    {core::ErrorCode::usage, kExitUsage},
    {core::ErrorCode::bad_filter, kExitUsage},
    {core::ErrorCode::not_found, kExitRuntime},
    {core::ErrorCode::permission_denied, kExitRuntime},
    {core::ErrorCode::unsupported, kExitRuntime},
    {core::ErrorCode::bad_format, kExitRuntime},
    {core::ErrorCode::io, kExitRuntime},
    {core::ErrorCode::resource_exhausted, kExitRuntime},
    {core::ErrorCode::internal, kExitRuntime},
};

core::Result<std::unique_ptr<capture::PacketSource>> open_source(const Options& o) {
    if (!o.read_file.empty()) return capture::FileSource::open(o.read_file, o.filter);
    capture::LiveOptions live;
    live.interface = o.interface;
    live.filter = o.filter;
    // Each packet at once only where userspace attribution races
    // short-lived sockets; with the eBPF programs (loaded here, taken over
    // by the attributor) TPACKET_V3 blocks hand packets over at most
    // live.timeout_ms late, for a fraction of the wake-ups.
    live.immediate = host::capture_needs_immediate(o.processes, o.ebpf);
    return capture::LiveSource::open(live);
}

}  // namespace

int exit_status_for(core::ErrorCode code) {
    for (const ExitFor& e : kExitStatus)
        if (e.code == code) return e.status;
    return kExitRuntime;
}

int fail(const core::Error& error) {
    print_stderr_line(error.message);
    return exit_status_for(error.code);
}

int cli_main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    // `sockeye history ...`: reads the store, captures nothing.
    if (!args.empty() && args.front() == "history") {
        args.erase(args.begin());
        return run_history(args);
    }
    // `sockeye report ...`: top talkers from the store, captures nothing.
    if (!args.empty() && args.front() == "report") {
        args.erase(args.begin());
        return run_report(args);
    }
    const core::Result<Options> parsed = parse_args(args);
    if (!parsed) return fail(parsed.error());
    if (parsed->show_help) {
        std::fputs(help_text().c_str(), stdout);
        return kExitOk;
    }
    if (parsed->show_version) {
        std::fputs(version_text(parsed->ebpf).c_str(), stdout);
        return kExitOk;
    }
    const core::Result<Settings> settings = resolve_settings(*parsed);
    if (!settings) return fail(settings.error());
    const Options& options = settings->options;
    // Before anything is opened (and after the config named the history
    // store, if it does): an export that clashes with the input or another
    // export would truncate it.
    if (const auto targets = check_export_targets(options); !targets) return fail(targets.error());
    auto opened = open_source(options);
    if (!opened) return fail(opened.error());
    const std::unique_ptr<capture::PacketSource> source = std::move(opened).value();
    // A pcapng file without interfaces (link type -1) holds no frames to decode.
    if (source->link_type() >= 0 &&
        !decode::Decoder::is_supported_link_type(source->link_type())) {
        return fail({core::ErrorCode::unsupported, "'" + source->name() + "': unsupported link type " +
                                                       decode::Decoder::link_type_name(source->link_type())});
    }

    // The terminal UI needs a terminal both ways; piped or redirected, the
    // same command prints plain text instead.
    // --sandbox-check prints its probes as plain text.
    const bool ui = options.output == OutputMode::interactive && !options.sandbox_check &&
                    isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0;
    const RunResult result = ui ? run_ui(*source, *settings) : run_text(*source, options);
    if (result.error) return fail(*result.error);
    if (result.export_loss && !options.export_loss_ok) return kExitExportLoss;
    return kExitOk;
}

}  // namespace sockeye::app
