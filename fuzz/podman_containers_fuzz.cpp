// Fuzz target for podman's containers.json parser (host/container_names),
// metadata strings (JSON inside JSON) included: every container has an id,
// every text that comes out is bounded and printable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "container_text_checks.hpp"
#include "host/container_names.hpp"

using sockeye::fuzz::check;
using sockeye::fuzz::check_container_text;
using sockeye::fuzz::check_identity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto all = sockeye::host::parse_podman_containers(text);
    // Each entry takes at least {"id":"x"}.
    check(all.size() * 10 <= size);
    for (const auto& [id, c] : all) {
        check(!id.empty());
        check_container_text(id);
        check_identity(c);
    }
    check(sockeye::host::parse_podman_containers(text) == all);
    return 0;
}
