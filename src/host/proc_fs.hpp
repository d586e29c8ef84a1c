// Small, bounded readers for procfs and sysfs files. Every reader takes the
// full path, so callers choose the root ("/proc", or a test's fixture dir).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockeye::host {

// Reads at most `max_bytes` of the file. nullopt (and errno in `error` when
// given) when it cannot be opened or read.
std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes,
                                     int* error = nullptr);
// The target of a symlink (e.g. /proc/PID/exe); nullopt when unreadable.
std::optional<std::string> read_link(const std::string& path, int* error = nullptr);
// Every numeric entry of `proc_root` (the pids), unsorted.
std::vector<int> list_pids(const std::string& proc_root);
// Directory entries of `path` (no "." or ".."), unsorted; empty on error.
std::vector<std::string> list_dir(const std::string& path);

// "/usr/bin/curl" -> "curl"; "curl" -> "curl"; "/" -> "".
std::string_view base_name(std::string_view path);
// Parses a decimal number that makes up the whole of `text`.
std::optional<std::uint64_t> parse_u64(std::string_view text);
// The value of "Key:\tvalue" in a /proc/PID/status-style text, trimmed.
std::optional<std::string_view> status_field(std::string_view status, std::string_view key);
std::string_view trim(std::string_view s);

}  // namespace sockeye::host
