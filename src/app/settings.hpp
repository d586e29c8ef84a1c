// The settings a run uses: the config file, with the command line on top.
// Every mode reads it, so a bad explicit --config fails the same way in the
// terminal UI, --json, --summary and --headless. The UI-only keys (theme,
// columns, sort, filter) are checked in every mode but used by the UI only.
#pragma once

#include <string>

#include "app/cli.hpp"
#include "app/config.hpp"
#include "core/result.hpp"

namespace sockeye::app {

struct Settings {
    Options options;          // the command line, with config values where it said nothing
    UiConfig config;          // the file's values (defaults when there is none)
    std::string config_path;  // the file read; empty when none was
};

// An explicit --config must exist, be readable and valid. The default path
// ($XDG_CONFIG_HOME/sockeye/config.toml) is read only when it can be opened:
// missing, or unreadable (a HOME that belongs to another user), it is simply
// not used. Otherwise a missing file is ErrorCode::not_found, and the file's
// own errors are load_config's.
core::Result<Settings> resolve_settings(const Options& command_line);

}  // namespace sockeye::app
