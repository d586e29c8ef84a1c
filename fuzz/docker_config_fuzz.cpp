// Fuzz target for Docker's config.v2.json parser (host/container_names): a
// name or image that comes out is bounded and holds no control character.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/printable_text.hpp"
#include "host/container_names.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

void check_text(const std::string& s) {
    // Cut to the bound, then made printable: a cut sequence becomes U+FFFD (3 bytes).
    check(s.size() <= 3 * sockeye::host::kMaxContainerText);
    check(sockeye::core::printable_text(s) == s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto c = sockeye::host::parse_docker_config(text);
    if (!c) return 0;
    check(!c->name.empty() || !c->image.empty());
    check_text(c->name);
    check_text(c->image);
    check_text(c->pod);
    check_text(c->pod_namespace);
    check(sockeye::host::parse_docker_config(text) == c);
    return 0;
}
