// Fuzz target for the OCI bundle config.json parser (host/container_names):
// the annotations containerd and CRI-O write for the kubelet; a pod that
// comes out has a name, and every text is bounded and printable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "container_text_checks.hpp"
#include "host/container_names.hpp"

using sockeye::fuzz::check;
using sockeye::fuzz::check_identity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto c = sockeye::host::parse_cri_bundle_config(text);
    if (!c) return 0;
    check(!c->pod.empty());
    check_identity(*c);
    check(sockeye::host::parse_cri_bundle_config(text) == c);
    return 0;
}
