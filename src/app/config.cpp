#include "app/config.hpp"

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "app/time_args.hpp"
#include "app/toml_subset.hpp"
#include "core/printable_text.hpp"
#include "filter/filter.hpp"

namespace sockeye::app {
namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

bool contains(const std::vector<std::string>& names, std::string_view name) {
    if (names.empty()) return true;
    for (const auto& n : names) {
        if (n == name) return true;
    }
    return false;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

// Applies one key of the file to `config`; false with `message` set when the
// key is unknown or its value is not acceptable.
class Applier {
public:
    Applier(UiConfig& config, const ConfigChoices& choices) : config_(config), choices_(choices) {}

    bool apply(const TomlEntry& e, std::string& message) {
        message_ = &message;
        const std::string& k = e.key;
        if (k == "theme") return text(e, config_.theme) && check_theme();
        if (k == "columns") return list(e, config_.columns) && check_columns();
        if (k == "sort") return text(e, config_.sort) && check_sort();
        if (k == "sort_descending") return flag(e, config_.sort_descending);
        if (k == "filter") return text(e, config_.filter) && check_filter();
        if (k == "where") return text(e, config_.where) && check_where();
        if (k == "refresh_ms") return refresh(e);
        if (k == "resolve_names") return flag(e, config_.resolve_names);
        if (k == "geoip") return flag(e, config_.geoip);
        if (k == "geoip_dir") return paths(e, config_.geoip_paths);
        if (k == "metrics_countries") return flag(e, config_.metrics_countries);
        if (k == "bits") return flag(e, config_.bits);
        if (k == "record") return record(e);
        if (k == "retain") return retain(e);
        if (k == "max_store") return max_store(e);
        return fail("unknown key '" + k + "'");
    }

private:
    bool fail(std::string m) {
        *message_ = std::move(m);
        return false;
    }
    bool wrong_type(const TomlEntry& e, std::string_view wanted) {
        return fail("'" + e.key + "' must be " + std::string(wanted) + ", not " +
                    std::string(toml_type_name(e.value.type)));
    }
    bool text(const TomlEntry& e, std::string& out) {
        if (e.value.type != TomlValue::Type::string) return wrong_type(e, "a string");
        out = e.value.string;
        return true;
    }
    bool list(const TomlEntry& e, std::vector<std::string>& out) {
        if (e.value.type != TomlValue::Type::string_array) return wrong_type(e, "an array of strings");
        out = e.value.strings;
        return true;
    }
    // One path as a string, or several as an array of strings.
    bool paths(const TomlEntry& e, std::vector<std::string>& out) {
        if (e.value.type == TomlValue::Type::string) {
            out = {e.value.string};
        } else if (e.value.type == TomlValue::Type::string_array) {
            out = e.value.strings;
        } else {
            return wrong_type(e, "a string or an array of strings");
        }
        for (const auto& p : out)
            if (p.empty()) return fail("'" + e.key + "' holds an empty path");
        return true;
    }
    bool flag(const TomlEntry& e, bool& out) {
        if (e.value.type != TomlValue::Type::boolean) return wrong_type(e, "true or false");
        out = e.value.boolean;
        return true;
    }
    // true / false, or the store's file.
    bool record(const TomlEntry& e) {
        if (e.value.type == TomlValue::Type::boolean) {
            config_.record = e.value.boolean;
            config_.record_path.clear();
            return true;
        }
        if (e.value.type != TomlValue::Type::string) return wrong_type(e, "true, false or a file name");
        if (e.value.string.empty()) return fail("'record' holds an empty path");
        config_.record = true;
        config_.record_path = e.value.string;
        return true;
    }
    bool retain(const TomlEntry& e) {
        if (e.value.type != TomlValue::Type::string) return wrong_type(e, "a string (\"30d\", \"0\")");
        auto span = parse_span(e.value.string, "retain");
        if (!span) return fail(span.error().message);
        config_.retain_ns = *span;
        return true;
    }
    bool max_store(const TomlEntry& e) {
        if (e.value.type != TomlValue::Type::string) return wrong_type(e, "a string (\"1G\", \"0\")");
        auto size = parse_size(e.value.string, "max_store");
        if (!size) return fail(size.error().message);
        config_.max_store_bytes = *size;
        return true;
    }
    bool refresh(const TomlEntry& e) {
        if (e.value.type != TomlValue::Type::integer) return wrong_type(e, "an integer (milliseconds)");
        if (e.value.integer < kMinRefreshMs || e.value.integer > kMaxRefreshMs) {
            return fail("refresh_ms must be between " + std::to_string(kMinRefreshMs) + " and " +
                        std::to_string(kMaxRefreshMs) + ", not " + std::to_string(e.value.integer));
        }
        config_.refresh_ms = static_cast<int>(e.value.integer);
        return true;
    }
    bool check_theme() {
        if (contains(choices_.themes, config_.theme)) return true;
        return fail("unknown theme '" + config_.theme + "' (themes: " + joined(choices_.themes) + ")");
    }
    bool check_columns() {
        if (config_.columns.empty()) return fail("columns must name at least one column");
        for (std::size_t i = 0; i < config_.columns.size(); ++i) {
            const std::string& c = config_.columns[i];
            if (!contains(choices_.columns, c)) {
                return fail("unknown column '" + c + "' (columns: " + joined(choices_.columns) + ")");
            }
            for (std::size_t j = 0; j < i; ++j) {
                if (config_.columns[j] == c) return fail("column '" + c + "' listed twice");
            }
        }
        return true;
    }
    bool check_sort() {
        if (!config_.sort.empty() && contains(choices_.columns, config_.sort)) return true;
        if (config_.sort.empty()) return fail("sort must name a column");
        return fail("unknown sort column '" + config_.sort + "' (columns: " + joined(choices_.columns) + ")");
    }
    bool check_where() {
        const auto compiled = filter::compile(config_.where);
        if (!compiled) return fail("where: " + compiled.error().message);
        return true;
    }
    bool check_filter() {
        const auto compiled = filter::compile(config_.filter);
        if (compiled) return true;
        return fail("filter: " + compiled.error().message);
    }

    UiConfig& config_;
    const ConfigChoices& choices_;
    std::string* message_ = nullptr;
};

// "10M", "2.5k", "500", "10MB/s": bytes per second, decimal prefixes.
bool parse_rate(std::string_view text, double& out) {
    std::string t(text);
    for (const char* suffix : {"B/s", "b/s", "/s", "B", "b"}) {
        const std::string_view sv(suffix);
        if (t.size() > sv.size() && t.compare(t.size() - sv.size(), sv.size(), sv) == 0) {
            t.resize(t.size() - sv.size());
            break;
        }
    }
    double scale = 1;
    if (!t.empty()) {
        switch (t.back()) {
            case 'k': case 'K': scale = 1e3; break;
            case 'M': case 'm': scale = 1e6; break;
            case 'G': case 'g': scale = 1e9; break;
            default: break;
        }
        if (scale != 1) t.pop_back();
    }
    if (t.empty() || t.find_first_not_of("0123456789.") != std::string::npos) return false;
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size() || !(v > 0)) return false;
    out = v * scale;
    return true;
}

// "60s", "5m", "1h", "90": seconds unless a unit says otherwise.
bool parse_cooldown(std::string_view text, std::int64_t& out_ns) {
    std::string t(text);
    double scale = 1;
    if (!t.empty() && (t.back() == 's' || t.back() == 'm' || t.back() == 'h')) {
        scale = t.back() == 'h' ? 3600 : t.back() == 'm' ? 60 : 1;
        t.pop_back();
    }
    if (t.empty() || t.find_first_not_of("0123456789.") != std::string::npos) return false;
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size() || v < 0 || v * scale > 366.0 * 86400) return false;
    out_ns = static_cast<std::int64_t>(v * scale * 1e9);
    return true;
}

constexpr std::string_view kAlertConditions[] = {"new_destination", "new_ja4", "rate_above",
                                                 "listening"};

// One [[alert]] table; false with `message` (and `line`) set when a key is
// unknown or a value unacceptable.
bool parse_alert(const TomlTableItem& item, std::size_t index, AlertConfig& alert,
                 std::string& message, int& line) {
    alert.line = item.line;
    alert.name = "alert " + std::to_string(index + 1);
    bool per_set = false, by_set = false, rate_set = false;
    auto fail = [&](const TomlEntry& e, std::string m) {
        line = e.line;
        message = std::move(m);
        return false;
    };
    auto text = [&](const TomlEntry& e, std::string& out) {
        if (e.value.type != TomlValue::Type::string)
            return fail(e, "'" + e.key + "' must be a string, not " +
                               std::string(toml_type_name(e.value.type)));
        out = e.value.string;
        return true;
    };
    for (const auto& e : item.entries) {
        std::string v;
        if (e.key == "name") {
            if (!text(e, alert.name)) return false;
            if (alert.name.empty()) return fail(e, "an alert's name cannot be empty");
        } else if (e.key == "filter") {
            if (!text(e, alert.filter)) return false;
            if (const auto compiled = filter::compile(alert.filter); !compiled)
                return fail(e, "filter: " + compiled.error().message);
        } else if (e.key == "condition") {
            if (!text(e, alert.condition)) return false;
            if (std::find(std::begin(kAlertConditions), std::end(kAlertConditions), alert.condition) ==
                std::end(kAlertConditions))
                return fail(e, "unknown condition '" + alert.condition +
                                   "' (new_destination, new_ja4, rate_above, listening)");
        } else if (e.key == "by") {
            if (!text(e, alert.by)) return false;
            if (alert.by != "name" && alert.by != "asn" && alert.by != "country")
                return fail(e, "'by' must be name, asn or country, not '" + alert.by + "'");
            by_set = true;
        } else if (e.key == "per") {
            if (!text(e, v)) return false;
            if (v != "flow" && v != "program")
                return fail(e, "'per' must be flow or program, not '" + v + "'");
            alert.per_program = v == "program";
            per_set = true;
        } else if (e.key == "rate_above") {
            if (e.value.type == TomlValue::Type::integer && e.value.integer > 0) {
                alert.rate_above = static_cast<double>(e.value.integer);
            } else if (e.value.type != TomlValue::Type::string || !parse_rate(e.value.string, alert.rate_above)) {
                return fail(e, "'rate_above' must be a rate in bytes per second such as \"10M\", \"500k\" or 2000");
            }
            rate_set = true;
        } else if (e.key == "cooldown") {
            if (e.value.type == TomlValue::Type::integer && e.value.integer >= 0 &&
                e.value.integer <= 366LL * 86400) {
                alert.cooldown_ns = e.value.integer * 1'000'000'000;
            } else if (e.value.type != TomlValue::Type::string ||
                       !parse_cooldown(e.value.string, alert.cooldown_ns)) {
                return fail(e, "'cooldown' must be a duration such as \"60s\", \"5m\" or \"1h\"");
            }
        } else {
            return fail(e, "unknown key '" + e.key + "' in [[alert]] (name, filter, condition, by, "
                           "rate_above, per, cooldown; top-level keys go before the first [[alert]])");
        }
    }
    line = item.line;
    if (alert.condition.empty() && rate_set) alert.condition = "rate_above";
    if (alert.condition.empty()) {
        message = "[[alert]] needs a condition (new_destination, new_ja4, rate_above, listening)";
        return false;
    }
    if (alert.condition == "rate_above" && !rate_set) {
        message = "[[alert]] with condition rate_above needs rate_above = \"RATE\"";
        return false;
    }
    if (alert.condition != "rate_above" && (rate_set || per_set)) {
        message = "'rate_above' and 'per' apply to condition rate_above only";
        return false;
    }
    if (alert.condition != "new_destination" && by_set) {
        message = "'by' applies to condition new_destination only";
        return false;
    }
    return true;
}

// Reads the whole file; `missing` set (with a not_found error) when there
// is no file.
core::Result<std::string> read_file(const std::string& path, bool& missing) {
    missing = false;
    errno = 0;
    FilePtr file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        const int e = errno;
        missing = e == ENOENT;
        return core::Error{core::error_code_for_errno(e), "cannot read " + path + ": " + std::strerror(e)};
    }
    std::string text;
    char buffer[8192];
    while (true) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
        text.append(buffer, n);
        if (text.size() > kMaxConfigBytes) {
            return core::Error{core::ErrorCode::bad_format, path + ": larger than " +
                                                                std::to_string(kMaxConfigBytes) +
                                                                " bytes, not a config file"};
        }
        if (n < sizeof buffer) break;
    }
    if (std::ferror(file.get()) != 0) {
        // A directory opens but does not read (EISDIR).
        const int e = errno != 0 ? errno : EIO;
        return core::Error{core::error_code_for_errno(e), "cannot read " + path + ": " + std::strerror(e)};
    }
    return text;
}

}  // namespace

namespace {

std::optional<UiConfig> parse_unsanitized(std::string_view text, const std::string& where, std::string& error,
                                          const ConfigChoices& choices) {
    TomlError toml_error;
    const auto doc = parse_toml(text, toml_error);
    if (!doc) {
        error = where + ":" + std::to_string(toml_error.line) + ": " + toml_error.message;
        return std::nullopt;
    }
    if (!doc->tables.empty()) {
        const auto& [name, line] = doc->tables.front();
        error = where + ":" + std::to_string(line) + ": unknown table [" + name + "]";
        return std::nullopt;
    }
    UiConfig config;
    for (std::size_t i = 0; i < doc->array_tables.size(); ++i) {
        const TomlTableItem& item = doc->array_tables[i];
        if (item.name != "alert") {
            error = where + ":" + std::to_string(item.line) + ": unknown array of tables [[" + item.name +
                    "]] (sockeye knows [[alert]])";
            return std::nullopt;
        }
        AlertConfig alert;
        std::string message;
        int line = item.line;
        if (!parse_alert(item, config.alerts.size(), alert, message, line)) {
            error = where + ":" + std::to_string(line) + ": " + message;
            return std::nullopt;
        }
        for (const auto& other : config.alerts) {
            if (other.name != alert.name) continue;
            error = where + ":" + std::to_string(item.line) + ": two alerts are named '" + alert.name + "'";
            return std::nullopt;
        }
        config.alerts.push_back(std::move(alert));
    }
    Applier applier(config, choices);
    for (const auto& entry : doc->entries) {
        std::string message;
        if (!applier.apply(entry, message)) {
            error = where + ":" + std::to_string(entry.line) + ": " + message;
            return std::nullopt;
        }
    }
    // A sort column the table does not show cannot be the sort.
    if (!config.sort.empty() && !config.columns.empty() && !contains(config.columns, config.sort)) {
        const TomlEntry* sort = doc->find("sort");
        error = where + ":" + std::to_string(sort != nullptr ? sort->line : 0) + ": sort column '" +
                config.sort + "' is not among the columns";
        return std::nullopt;
    }
    error.clear();
    return config;
}

}  // namespace

core::Result<UiConfig> parse_config(std::string_view text, std::string_view source_name,
                                    const ConfigChoices& choices) {
    std::string error;
    auto config = parse_unsanitized(text, std::string(source_name), error, choices);
    if (config) return std::move(*config);
    // The message quotes the file's text and ends up on a terminal.
    return core::Error{core::ErrorCode::bad_format,
                       core::printable_text(error, core::ControlStyle::hex_escape)};
}

core::Result<UiConfig> load_config(const std::string& path, const ConfigChoices& choices) {
    bool missing = false;
    auto text = read_file(path, missing);
    if (!text) {
        if (missing) return UiConfig{};
        core::Error error = std::move(text).error();
        error.message = core::printable_text(error.message, core::ControlStyle::hex_escape);
        return error;
    }
    return parse_config(*text, path, choices);
}

std::string config_path_from(const char* xdg_config_home, const char* home) {
    // The XDG base directory spec says to ignore a relative XDG_CONFIG_HOME.
    if (xdg_config_home != nullptr && xdg_config_home[0] == '/') {
        return std::string(xdg_config_home) + "/sockeye/config.toml";
    }
    if (home != nullptr && home[0] != '\0') return std::string(home) + "/.config/sockeye/config.toml";
    return {};
}

std::string default_config_path() {
    return config_path_from(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
}

}  // namespace sockeye::app
