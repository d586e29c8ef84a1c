#include "app/settings.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "app/store_location.hpp"
#include "tui/theme.hpp"
#include "tui/ui_options.hpp"

namespace sockeye::app {
namespace {

ConfigChoices config_choices() {
    ConfigChoices choices;
    for (auto name : tui::theme_names()) choices.themes.emplace_back(name);
    for (std::size_t i = 0; i < tui::kColumnCount; ++i)
        choices.columns.emplace_back(tui::column_name(static_cast<tui::Column>(i)));
    return choices;
}

bool can_open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

}  // namespace

core::Result<Settings> resolve_settings(const Options& command_line) {
    Settings s;
    s.options = command_line;
    std::string path = command_line.config_path;
    if (path.empty()) {
        path = default_config_path();
        if (!path.empty() && !can_open(path)) path.clear();
    } else if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) {
        return core::Error{core::ErrorCode::not_found, "config file '" + path + "' does not exist"};
    }
    if (!path.empty()) {
        auto config = load_config(path, config_choices());
        if (!config) return std::move(config).error();
        s.config = std::move(config).value();
        s.config_path = path;
    }
    if (!s.options.refresh_set) s.options.refresh_ms = s.config.refresh_ms;
    if (s.options.where.empty()) s.options.where = s.config.where;
    s.options.alerts = s.config.alerts;
    if (!s.options.resolve_set) s.options.resolve = s.config.resolve_names;
    // --no-geoip or --geoip-dir beat the file's geoip; --geoip-dir replaces
    // its paths.
    if (!s.options.geoip_set && s.options.geoip_paths.empty()) s.options.geoip = s.config.geoip;
    if (s.options.geoip_paths.empty()) s.options.geoip_paths = s.config.geoip_paths;
    // A switch that only turns on: either place does. Without --metrics it
    // has nothing to add to (only the command line's own is an error).
    s.options.metrics_countries = s.options.metrics_countries || s.config.metrics_countries;
    s.options.bits = s.options.bits || s.config.bits;
    // History store: --record FILE, else the file's `record` (its file, or
    // the default store for true), a bare --record taking the file's path too.
    if (s.options.record.empty() && (s.options.record_default || s.config.record)) {
        s.options.record = s.config.record_path;
        if (s.options.record.empty()) {
            auto store = default_store_path();
            if (!store) return std::move(store).error();
            s.options.record = std::move(store).value();
            s.options.record_own_dir = true;
        }
    }
    if (!s.options.retain_ns) s.options.retain_ns = s.config.retain_ns;
    if (!s.options.max_store_bytes) s.options.max_store_bytes = s.config.max_store_bytes;
    if (s.options.record.empty() && (command_line.retain_ns || command_line.max_store_bytes))
        return core::Error{core::ErrorCode::usage,
                           std::string(command_line.retain_ns ? "--retain" : "--max-store") +
                               " needs --record (or record in the config file)"};
    return s;
}

}  // namespace sockeye::app
