#include "sandbox/no_new_privs.hpp"

#include <sys/prctl.h>

#include <cerrno>
#include <cstring>

namespace sockeye::sandbox {

core::Result<void> set_no_new_privs() {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        const int e = errno;
        return core::Error{core::error_code_for_errno(e),
                           std::string("PR_SET_NO_NEW_PRIVS: ") + std::strerror(e)};
    }
    if (!no_new_privs_set())
        return core::Error{core::ErrorCode::internal, "PR_SET_NO_NEW_PRIVS did not stick"};
    return {};
}

bool no_new_privs_set() { return ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1; }

}  // namespace sockeye::sandbox
