// The one table of DPI probes (house style rule 3): which probes exist, on
// which transport, and the ports to try them on first. A probe never names
// another; the detector walks this table.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "dpi/probe.hpp"

namespace sockeye::dpi {

struct ProbeEntry {
    std::string_view name;  // the protocol it reports (for tests and statistics)
    Transport transport = Transport::tcp;
    ProbeFn fn = nullptr;
    // Tried before the other probes when either side of the flow uses one of
    // these ports; 0 = unused. Only an ordering hint: every probe runs on any
    // port unless the probe itself checks ports (mDNS, LLMNR, NetBIOS-NS).
    std::array<std::uint16_t, 4> ports{};
};

// At most kMaxProbes entries (the detector keeps candidate sets as 64-bit masks).
inline constexpr std::size_t kMaxProbes = 64;

std::span<const ProbeEntry> probe_registry();

}  // namespace sockeye::dpi
