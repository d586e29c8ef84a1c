// Reading a FlowRecord for the filter: numbers in base units and the text
// fields a test names.
#pragma once

#include <cstdint>
#include <optional>

#include "filter/ast.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::filter {

// nullopt when the flow does not know it (no RTT sample, no process).
// `now_ns` is what age and idle count from.
std::optional<double> number_field(const snapshot::FlowRecord& flow, NumberField field, std::int64_t now_ns);

// True when any of the `fields` (TextField bits) of the flow matches.
bool any_text_matches(const snapshot::FlowRecord& flow, std::uint16_t fields, const TextMatcher& matcher);

}  // namespace sockeye::filter
