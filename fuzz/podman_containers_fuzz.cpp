// Fuzz target for podman's containers.json parser (host/container_names),
// metadata strings (JSON inside JSON) included: every container has an id,
// every text that comes out is bounded and printable.
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
    check(s.size() <= 3 * sockeye::host::kMaxContainerText);
    check(sockeye::core::printable_text(s) == s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto all = sockeye::host::parse_podman_containers(text);
    // Each entry takes at least {"id":"x"}.
    check(all.size() * 10 <= size);
    for (const auto& [id, c] : all) {
        check(!id.empty());
        check_text(id);
        check_text(c.name);
        check_text(c.image);
    }
    check(sockeye::host::parse_podman_containers(text) == all);
    return 0;
}
