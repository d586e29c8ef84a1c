// Prometheus text exposition format 0.0.4, the writing side: metric family
// headers (# HELP, # TYPE) and samples with escaped label values. Knows
// nothing about sockeye's metrics (prometheus_metrics.hpp does).
//
// Format facts (the exposition format spec, "Text format details"):
//   - a family is "# HELP name text", "# TYPE name counter|gauge", then its
//     samples "name{label="value",...} number", each line ending in '\n';
//   - in HELP text `\` and line feed are escaped as `\\` and `\n`;
//   - in label values `\`, `"` and line feed are escaped as `\\`, `\"`, `\n`;
//   - label values are UTF-8.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace sockeye::exports {

enum class MetricType : std::uint8_t { counter, gauge };

// Process names and interface names come from the machine, not from us:
// label values are cut to this many bytes (on a UTF-8 boundary).
constexpr std::size_t kMaxLabelValueBytes = 128;

// Appends `value` escaped for a label value: invalid UTF-8 and control
// characters other than line feed (C0, DEL and C1, as
// core::is_control_code_point) become '?', and the text is cut to
// kMaxLabelValueBytes, so a hostile process name cannot break the output.
void append_label_value(std::string& out, std::string_view value);

// Appends "# HELP name help\n# TYPE name type\n".
void append_family_header(std::string& out, std::string_view name, std::string_view help,
                          MetricType type);

using Label = std::pair<std::string_view, std::string_view>;  // name (trusted), value

// Appends one sample line: name{l1="v1",l2="v2"} value
void append_sample(std::string& out, std::string_view name, std::initializer_list<Label> labels,
                   std::uint64_t value);
// The same for a fractional value (timestamps), printed with up to 9 decimals.
void append_sample_seconds(std::string& out, std::string_view name, std::int64_t nanoseconds);

}  // namespace sockeye::exports
