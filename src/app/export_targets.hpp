// Checks, before anything is opened, that the export files cannot destroy
// what sockeye reads or each other: an export that is the -r capture (or
// the file behind stdin), two exports (or a pcap export's connections file)
// on one file, or an export that is also the file stdout is redirected to.
// Files are compared by identity (device and inode, so hard and symbolic
// links are caught), and by resolved path when they do not exist yet.
#pragma once

#include <string>

#include "app/cli.hpp"

namespace sockeye::app {

// "" when the targets are fine, else one line naming the clash.
std::string check_export_targets(const Options& options);

}  // namespace sockeye::app
