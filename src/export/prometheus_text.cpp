#include "export/prometheus_text.hpp"

#include <cstdio>

namespace sockeye::exports {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid
// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
        n = 2;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        n = 3;
        cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
        n = 4;
        cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    const std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

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
        const std::size_t n = utf8_sequence_length(value, i);
        const std::size_t take = n == 0 ? 1 : n;
        if (used + take > kMaxLabelValueBytes) break;
        used += take;
        const char c = value[i];
        if (n == 0) {
            out += '?';
        } else if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else if (n == 1 && (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)) {
            out += '?';
        } else {
            out.append(value.substr(i, n));
        }
        i += take;
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
