// `sockeye history [--store FILE] [--since WHEN] [--filter EXPR] [--json]`: the connections
// the history store holds (--record), newest first, as the --json flow lines
// or a plain table. Opens the store read-only: it works while a recorder
// writes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/time_args.hpp"
#include "core/result.hpp"

namespace sockeye::app {

struct HistoryOptions {
    std::string store;  // empty: the default store (store_location.hpp)
    std::int64_t since_ns = INT64_MIN;
    std::string filter;  // the filter language's text; empty: none
    bool json = false;
    bool show_help = false;
};

// Errors are ErrorCode::usage (bad_filter for --filter), one line. `now_ns`: the wall clock, which
// relative --since values count back from.
core::Result<HistoryOptions> parse_history_args(const std::vector<std::string>& args, std::int64_t now_ns);

std::string history_help_text();

// The whole command: its exit status (0, 1 the store cannot be read, 2 usage).
int run_history(const std::vector<std::string>& args);

}  // namespace sockeye::app
