// The scenario registry: one entry per capture the generator can write.
// Each family lives in its own *_scenarios.cpp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "capture_writer.hpp"
#include "trace.hpp"

namespace sockeye::trafficgen {

struct ScenarioOptions {
    std::uint64_t seed = 1;
    std::uint64_t packets = 0;  // 0: the scenario's default
    LinkType link = LinkType::ethernet;  // from the scenario table
};

struct Scenario {
    std::string_view name;
    LinkType link;
    FileFormat default_format;
    // Fills the trace (or, for streaming scenarios, writes directly).
    void (*build)(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
    std::string_view description;
};

std::span<const Scenario> all_scenarios();

// tcp_scenarios.cpp
void build_tcp_mix(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
// udp_scenarios.cpp
void build_udp_icmp_arp(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
// vlan_scenarios.cpp
void build_vlan(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
// fragment_scenarios.cpp
void build_fragments(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
// linktype_scenarios.cpp: the same small mix over each link type.
void build_link_mix(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
void build_link_mix_ip_only(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
// pcapng_scenarios.cpp
void build_pcapng_mix(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
// malformed_scenarios.cpp
void build_malformed(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
// bench_scenarios.cpp (streams to the writer)
void build_bench_mix(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
void build_live_mix(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
// flood_scenarios.cpp (streams to the writer)
void build_flood(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);
void build_udp_spray(Trace& trace, CaptureWriter& writer, const ScenarioOptions& options);

}  // namespace sockeye::trafficgen
