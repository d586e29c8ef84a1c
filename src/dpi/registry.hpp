// The one table of DPI protocols: which exist, on which transport, the
// ports to try them on first, and, for a protocol that learns across
// packets, how to make its per-flow parser. A probe never names another;
// the detector walks this table. Adding a protocol: docs/ARCHITECTURE.md.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "dpi/probe.hpp"

namespace sockeye::dpi {

struct ProbeEntry {
    // The protocol's name as every output shows it; the detector writes it
    // into AppInfo::protocol when this entry classifies a flow.
    std::string_view name;
    Transport transport = Transport::tcp;
    ProbeFn fn = nullptr;
    // Tried before the other probes when either side of the flow uses one of
    // these ports; 0 = unused. Only an ordering hint: every probe runs on any
    // port unless the probe itself checks ports (mDNS, LLMNR, NetBIOS-NS).
    std::array<std::uint16_t, 4> ports{};
    // Stateful protocols only (see FlowParser): `fn` says whether a flow may
    // be this protocol, `make_parser` makes its per-flow parser, which sees
    // at most `max_packets` payload packets once the flow is classified.
    ParserFactory make_parser = nullptr;
    std::uint32_t max_packets = 0;
    // The protocol of the connections this entry's probe announces through
    // ProbeContext::expected_flows (FTP: "FTP-DATA"); empty: none.
    std::string_view expects{};

    [[nodiscard]] bool stateful() const { return make_parser != nullptr; }
};

// At most kMaxProbes entries (the detector keeps candidate sets as 64-bit masks).
inline constexpr std::size_t kMaxProbes = 64;

std::span<const ProbeEntry> probe_registry();

// The entry named `name` on `transport`; null when there is none.
const ProbeEntry* find_probe(std::string_view name, Transport transport);

}  // namespace sockeye::dpi
