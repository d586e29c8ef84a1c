// A PTR answer is text from the network that ends up on the terminal: only
// host-name characters may pass (no escape sequences, no spaces).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sockeye::enrich {

// `name` without its trailing dot if it is 1..253 characters of letters,
// digits, '-', '_' and '.', with no empty label; nullopt otherwise.
std::optional<std::string> clean_host_name(std::string_view name);

}  // namespace sockeye::enrich
