// Checks, before anything is opened, that the export files cannot destroy
// what sockeye reads or each other: an export that is the -r capture (or
// the file behind stdin), two exports (or a pcap export's connections file)
// on one file, or an export that is also the file stdout is redirected to.
// Files are compared by identity (device and inode, so hard and symbolic
// links are caught), and by resolved path when they do not exist yet.
#pragma once

#include <string>

#include "app/cli.hpp"
#include "core/result.hpp"

namespace sockeye::app {

// A clash is ErrorCode::usage, one line naming it.
core::Result<void> check_export_targets(const Options& options);

}  // namespace sockeye::app
