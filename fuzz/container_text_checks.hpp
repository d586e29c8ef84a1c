// What every container-state fuzz target checks of the texts a parser of
// host/container_names hands out: bounded, and printable as they are (they
// reach the terminal and the exports). Aborts, for libFuzzer, otherwise.
#pragma once

#include <cstdlib>
#include <string>

#include "core/printable_text.hpp"
#include "host/container_names.hpp"

namespace sockeye::fuzz {

inline void check(bool condition) {
    if (!condition) std::abort();
}

inline void check_container_text(const std::string& s) {
    // Cut to the bound, then made printable: a cut sequence becomes U+FFFD (3 bytes).
    check(s.size() <= 3 * host::kMaxContainerText);
    check(core::printable_text(s) == s);
}

// Every text of one container's identity.
inline void check_identity(const host::ContainerIdentity& c) {
    check_container_text(c.name);
    check_container_text(c.image);
    check_container_text(c.pod);
    check_container_text(c.pod_namespace);
}

}  // namespace sockeye::fuzz
