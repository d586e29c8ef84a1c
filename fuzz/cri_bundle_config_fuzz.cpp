// Fuzz target for the OCI bundle config.json parser (host/container_names):
// the annotations containerd and CRI-O write for the kubelet; a pod that
// comes out has a name, and every text is bounded and printable.
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
    const auto c = sockeye::host::parse_cri_bundle_config(text);
    if (!c) return 0;
    check(!c->pod.empty());
    check_text(c->name);
    check_text(c->image);
    check_text(c->pod);
    check_text(c->pod_namespace);
    check(sockeye::host::parse_cri_bundle_config(text) == c);
    return 0;
}
