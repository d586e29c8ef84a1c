#include "core/result.hpp"

#include <cerrno>

namespace sockeye::core {

std::string_view error_code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::usage: return "usage";
        case ErrorCode::bad_filter: return "bad_filter";
        case ErrorCode::not_found: return "not_found";
        case ErrorCode::permission_denied: return "permission_denied";
        case ErrorCode::unsupported: return "unsupported";
        case ErrorCode::bad_format: return "bad_format";
        case ErrorCode::io: return "io";
        case ErrorCode::resource_exhausted: return "resource_exhausted";
        case ErrorCode::internal: return "internal";
    }
    return "internal";
}

ErrorCode error_code_for_errno(int errno_value) {
    switch (errno_value) {
        case ENOENT:
        case ENODEV:
        case ENXIO:
        case ENOTDIR:
            return ErrorCode::not_found;
        case EACCES:
        case EPERM:
        case EROFS:
            return ErrorCode::permission_denied;
        case ENOMEM:
        case EMFILE:
        case ENFILE:
        case ENOSPC:
        case EDQUOT:
        case ENOBUFS:
        case EADDRINUSE:
        case E2BIG:
            return ErrorCode::resource_exhausted;
        case ENOSYS:
        case EOPNOTSUPP:
        case EAFNOSUPPORT:
        case EPROTONOSUPPORT:
            return ErrorCode::unsupported;
        default:
            return ErrorCode::io;
    }
}

}  // namespace sockeye::core
