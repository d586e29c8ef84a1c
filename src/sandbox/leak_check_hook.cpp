#include "sandbox/leak_check_hook.hpp"

#include <atomic>

// GCC says __SANITIZE_ADDRESS__, clang (the fuzz preset) __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define SOCKEYE_HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOCKEYE_HAS_ASAN 1
#endif
#endif

namespace sockeye::sandbox {
namespace {
std::atomic<bool> sandbox_entered{false};
}  // namespace

void note_sandbox_entered() { sandbox_entered.store(true); }

}  // namespace sockeye::sandbox

#if defined(SOCKEYE_HAS_ASAN)
// LSan's documented opt-out hook (sanitizer/lsan_interface.h), read when the
// exit-time check is about to run.
extern "C" int __lsan_is_turned_off() {  // NOLINT: the name is LSan's
    return sockeye::sandbox::sandbox_entered.load() ? 1 : 0;
}
#endif
