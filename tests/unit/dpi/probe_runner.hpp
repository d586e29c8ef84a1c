// One call of a registry probe the way the detector makes it, for tests that
// drive a probe by hand: scratch memory is lent, the phase follows from
// `info` (following once this probe's entry classified it), and a match
// while detecting names the protocol from the entry, as the detector does.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dpi/probe.hpp"
#include "dpi/registry.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi::test {

// The entry whose probe is `fn` on `transport`; null when there is none (a
// TCP-only probe asked about UDP bytes, say).
inline const ProbeEntry* entry_of(ProbeFn fn, Transport transport) {
    for (const ProbeEntry& e : probe_registry())
        if (e.fn == fn && e.transport == transport) return &e;
    return nullptr;
}

inline Verdict run_probe(ProbeFn fn, ProbeContext ctx, std::span<const std::uint8_t> payload,
                         snapshot::AppInfo& info, std::vector<LearnedName>* learned = nullptr) {
    std::vector<std::uint8_t> scratch(kProbeScratchBytes);
    ctx.scratch = scratch;
    ctx.learned_names = learned;
    const ProbeEntry* entry = entry_of(fn, ctx.transport);
    const bool following = entry != nullptr && info.protocol == entry->name;
    ctx.phase = following ? Phase::following : Phase::detecting;
    const Verdict v = fn(ctx, payload, info);
    if (entry != nullptr && !following && is_match(v)) info.protocol = std::string(entry->name);
    return v;
}

}  // namespace sockeye::dpi::test
