// The machine's own IP addresses, so live flows can be oriented local → remote.
#pragma once

#include <vector>

#include "core/ip_address.hpp"

namespace sockeye::host {

// Every address configured on any interface (loopback included), from
// getifaddrs(). Empty if the kernel will not say.
std::vector<core::IpAddress> local_addresses();

}  // namespace sockeye::host
