#include "tui/ui_options.hpp"

#include <array>

#include "filter/filter.hpp"
#include "tui/theme.hpp"

namespace sockeye::tui {
namespace {

struct ColumnInfo {
    std::string_view name;
    std::string_view title;
    bool numeric;
};

constexpr std::array<ColumnInfo, kColumnCount> kColumns{{
    {"process", "Process", false},
    {"local", "Local", false},
    {"remote", "Remote", false},
    {"country", "Country", false},
    {"network", "Network", false},
    {"service", "Service", false},
    {"app", "Application", false},
    {"state", "State", false},
    {"rtt", "RTT", true},
    {"down", "Down", true},
    {"up", "Up", true},
    {"total_down", "Total down", true},
    {"total_up", "Total up", true},
    {"pid", "PID", true},
    {"age", "Age", true},
}};

}  // namespace

std::string_view column_name(Column c) { return kColumns[static_cast<std::size_t>(c)].name; }
std::string_view column_title(Column c) { return kColumns[static_cast<std::size_t>(c)].title; }
bool column_is_numeric(Column c) { return kColumns[static_cast<std::size_t>(c)].numeric; }

bool is_geo_column(Column c) { return c == Column::country || c == Column::network; }

std::vector<Column> default_columns() {
    std::vector<Column> cols;
    for (std::size_t i = 0; i < kColumnCount; ++i) {
        const auto c = static_cast<Column>(i);
        if (!is_geo_column(c) && c != Column::pid && c != Column::age) cols.push_back(c);
    }
    return cols;
}

std::optional<Column> column_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kColumnCount; ++i)
        if (kColumns[i].name == name) return static_cast<Column>(i);
    return std::nullopt;
}

std::string check_options(const UiOptions& options) {
    if (find_theme(options.theme) == nullptr) {
        std::string known;
        for (auto n : theme_names()) known += (known.empty() ? "" : ", ") + std::string(n);
        return "unknown theme '" + options.theme + "' (known: " + known + ")";
    }
    if (options.refresh_ms <= 0) return "refresh interval must be positive";
    if (static_cast<std::size_t>(options.table.sort) >= kColumnCount) return "unknown sort column";
    for (std::size_t i = 0; i < options.columns.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j)
            if (options.columns[i] == options.columns[j])
                return "column '" + std::string(column_name(options.columns[i])) +
                       "' listed twice";
    }
    if (const auto compiled = filter::compile(options.filter); !compiled) {
        return "bad filter: " + compiled.error().message;
    }
    return "";
}

}  // namespace sockeye::tui
