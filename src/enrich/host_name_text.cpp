#include "enrich/host_name_text.hpp"

#include <cstddef>

namespace sockeye::enrich {
namespace {

constexpr std::size_t kMaxNameLength = 253;  // RFC 1035 text form, without the root dot

bool host_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

}  // namespace

std::optional<std::string> clean_host_name(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (name.empty() || name.size() > kMaxNameLength) return std::nullopt;
    if (name.front() == '.' || name.find("..") != std::string_view::npos) return std::nullopt;
    for (const char c : name)
        if (!host_name_char(c)) return std::nullopt;
    return std::string(name);
}

}  // namespace sockeye::enrich
