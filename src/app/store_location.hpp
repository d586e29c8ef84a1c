// Where the history store lives when no file is named (--record, sockeye
// history): $XDG_STATE_HOME/sockeye/history.db (else
// $HOME/.local/state/sockeye/history.db), or /var/lib/sockeye/history.db for
// root, the system service's store.
#pragma once

#include <functional>
#include <string>

#include "core/result.hpp"
#include "snapshot/flow_record.hpp"
#include "store/store_file.hpp"

namespace sockeye::app {

// The default store's path; a usage error when neither variable is usable
// for a user other than root.
core::Result<std::string> default_store_path();
// The same from given values (null or empty: unset), for tests.
core::Result<std::string> store_path_from(const char* xdg_state_home, const char* home, bool root);

// Creates the default store's directory (and its parents, mode 0700: the
// history says what the user did) when missing.
core::Result<void> make_store_directory(const std::string& store_path);

// The directory part of a store path ("." for a bare name).
std::string store_directory(const std::string& store_path);

// The store `sockeye history` and `sockeye report` read: `requested`, or
// the default one when empty; opened read-only (a recorder may be writing).
core::Result<store::Db> open_store_to_read(const std::string& requested);
// The stored connections a --filter TEXT keeps (the text already checked
// by the command's parser); empty text: none is left out.
std::function<bool(const snapshot::FlowRecord&)> stored_flows_matching(const std::string& text);

}  // namespace sockeye::app
