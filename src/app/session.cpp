#include "app/session.hpp"

#include <chrono>

#include "app/stderr_line.hpp"
#include "app/where.hpp"
#include "geo/geo_databases.hpp"

namespace sockeye::app {
namespace {

// The geo databases, read into memory now (before the sandbox); null when
// geo is off or none was found. A path given explicitly must hold them.
core::Result<std::unique_ptr<geo::GeoDatabases>> open_geo(const Options& options) {
    if (!options.geoip) return std::unique_ptr<geo::GeoDatabases>();
    std::unique_ptr<geo::GeoDatabases> geo;
    if (options.geoip_paths.empty()) {
        geo = geo::GeoDatabases::open_default();
    } else {
        auto opened = geo::GeoDatabases::open(options.geoip_paths);
        if (!opened) return std::move(opened).error();
        geo = std::move(opened).value();
        if (geo->databases().empty()) {
            std::string where;
            for (const auto& p : options.geoip_paths) where += (where.empty() ? "'" : ", '") + p + "'";
            return core::Error{core::ErrorCode::not_found,
                               "--geoip-dir: no MaxMind (.mmdb) database in " + where};
        }
    }
    if (geo->databases().empty()) geo.reset();
    return geo;
}

}  // namespace

std::optional<core::Error> capture_failure(const pipeline::Pipeline& pipeline) {
    if (pipeline.error().empty()) return std::nullopt;
    return core::Error{core::ErrorCode::io, pipeline.error()};
}

core::Result<std::unique_ptr<Session>> Session::open(capture::PacketSource& source,
                                                     const Options& options, Watcher watcher) {
    std::unique_ptr<Session> session(new Session(options));
    const bool live = options.read_file.empty();
    auto geo = open_geo(options);
    if (!geo) return std::move(geo).error();
    if (live) {
        // Reverse DNS only pays off for someone watching over time: JSON
        // and the summary print one snapshot at exit, before any answer
        // could arrive.
        session->enricher_ =
            std::make_unique<SnapshotEnricher>(options, true, watcher != Watcher::none);
    } else {
        // Files: geo lookups, the vendor of local-network peers (MACs the
        // engine learns from the frames) and, in the UI, the status notes.
        session->enricher_ = std::make_unique<SnapshotEnricher>(options, false, false);
    }
    if (session->enricher_) session->enricher_->set_geo(std::move(geo).value());
    auto exports = open_exports(options, source, live, session->enricher_.get());
    if (!exports) return std::move(exports).error();
    session->exports_ = std::move(exports).value();
    auto selection = where_selection(options, session->enricher_.get());
    if (!selection) return std::move(selection).error();
    session->exports_->set_selection(std::move(selection).value());

    auto alerts = alert_engine(options);
    if (!alerts) return std::move(alerts).error();
    session->alerts_ = std::move(alerts).value();

    pipeline::PipelineSettings settings;
    settings.live = live;
    settings.alerts = session->alerts_.get();
    settings.count = options.count;
    settings.duration_s = options.duration_s;
    // A replayed file in the UI, or one whose --metrics a scraper watches,
    // plays at its recorded pace (--speed).
    if (!live && options.speed > 0 &&
        (watcher == Watcher::terminal_ui || !options.metrics.empty()))
        settings.speed = options.speed;
    if (watcher == Watcher::terminal_ui) {
        settings.publish_interval = std::chrono::milliseconds(options.refresh_ms);
        settings.linger = true;
    } else if (watcher == Watcher::plain_table) {
        settings.publish_interval = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::duration<double>(options.interval_s));
    }
    // --json streams its flows from the engine at exit (text_mode.cpp).
    settings.final_flows = !(watcher == Watcher::none && options.output == OutputMode::json);
    // Stderr is the terminal UI's screen; there the errors show in the
    // exports' counters instead.
    if (watcher != Watcher::terminal_ui)
        settings.report_error = [](const std::string& e) { print_stderr_line(e); };
    // The engine learns the machine's addresses from a live enricher.
    SnapshotEnricher* live_enricher = live ? session->enricher_.get() : nullptr;
    session->pipeline_ = std::make_unique<pipeline::Pipeline>(
        source, engine_options_for(options, live_enricher), std::move(settings),
        session->enricher_.get(), session->exports_.get());
    return session;
}

Session::~Session() {
    if (pipeline_) {
        pipeline_->stop();
        pipeline_->join();
    }
}

SandboxOutcome Session::enter_sandbox(const std::string& config_path, bool report) {
    RunNeeds needs;
    needs.exports = exports_->access();
    needs.attribution = enricher_ && enricher_->attributes();
    needs.reverse_dns = enricher_ && enricher_->resolves();
    needs.config_path = config_path;
    SandboxOutcome outcome = app::enter_sandbox(
        options_, sandbox_request_for(options_, needs),
        [this] {
            if (enricher_) enricher_->start_attribution();
        },
        report);
    if (outcome.error) return outcome;
    if (enricher_) enricher_->start_resolver();
    exports_->start();
    pipeline_->set_sandbox_status(outcome.status);
    return outcome;
}

}  // namespace sockeye::app
