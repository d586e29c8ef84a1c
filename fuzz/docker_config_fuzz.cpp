// Fuzz target for Docker's config.v2.json parser (host/container_names): a
// name or image that comes out is bounded and holds no control character.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "container_text_checks.hpp"
#include "host/container_names.hpp"

using sockeye::fuzz::check;
using sockeye::fuzz::check_identity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto c = sockeye::host::parse_docker_config(text);
    if (!c) return 0;
    check(!c->name.empty() || !c->image.empty());
    check_identity(*c);
    check(sockeye::host::parse_docker_config(text) == c);
    return 0;
}
