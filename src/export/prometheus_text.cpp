#include "export/prometheus_text.hpp"

#include <cstdio>

#include "core/printable_text.hpp"

namespace sockeye::exports {
namespace {

void append_help_text(std::string& out, std::string_view text) {
    for (char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

}  // namespace

void append_label_value(std::string& out, std::string_view value) {
    std::size_t used = 0;  // input bytes kept, against kMaxLabelValueBytes
    std::size_t i = 0;
    while (i < value.size()) {
        const core::Utf8Char ch = core::decode_utf8(value, i);
        if (used + ch.length > kMaxLabelValueBytes) break;
        used += ch.length;
        // Backslash, quote and newline have escapes in the exposition format;
        // any other control (C1 included) and malformed UTF-8 would reach
        // whoever reads the page in a terminal, so they become '?'.
        if (!ch.valid) {
            out += '?';
        } else if (ch.code_point == '\\') {
            out += "\\\\";
        } else if (ch.code_point == '"') {
            out += "\\\"";
        } else if (ch.code_point == '\n') {
            out += "\\n";
        } else if (core::is_control_code_point(ch.code_point)) {
            out += '?';
        } else {
            out.append(value.substr(i, ch.length));
        }
        i += ch.length;
    }
}

void append_family_header(std::string& out, std::string_view name, std::string_view help,
                          MetricType type) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_help_text(out, help);
    out += "\n# TYPE ";
    out += name;
    out += type == MetricType::counter ? " counter\n" : " gauge\n";
}

void append_sample(std::string& out, std::string_view name, std::initializer_list<Label> labels,
                   std::uint64_t value) {
    out += name;
    if (labels.size() != 0) {
        out += '{';
        bool first = true;
        for (const auto& [label, label_value] : labels) {
            if (!first) out += ',';
            first = false;
            out += label;
            out += "=\"";
            append_label_value(out, label_value);
            out += '"';
        }
        out += '}';
    }
    out += ' ';
    out += std::to_string(value);
    out += '\n';
}

void append_sample_seconds(std::string& out, std::string_view name, std::int64_t nanoseconds) {
    const bool negative = nanoseconds < 0;
    // Magnitude in unsigned arithmetic: INT64_MIN has no positive int64.
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(nanoseconds)
                                             : static_cast<std::uint64_t>(nanoseconds);
    char text[48];
    std::snprintf(text, sizeof text, "%s%llu.%09llu", negative ? "-" : "",
                  static_cast<unsigned long long>(magnitude / 1'000'000'000u),
                  static_cast<unsigned long long>(magnitude % 1'000'000'000u));
    out += name;
    out += ' ';
    out += text;
    out += '\n';
}

}  // namespace sockeye::exports
