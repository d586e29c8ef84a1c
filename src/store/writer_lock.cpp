#include "store/writer_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

namespace sockeye::store {

core::Result<WriterLock> WriterLock::acquire(const std::string& path) {
    core::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640));
    if (!fd.valid()) {
        const int err = errno;
        return core::Error{core::error_code_for_errno(err), path + ": cannot open the history store: " +
                                                                std::strerror(err)};
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err == EWOULDBLOCK)
            return core::Error{core::ErrorCode::io, path +
                                                        ": another sockeye is already recording to this "
                                                        "history store (one recorder per file)"};
        return core::Error{core::error_code_for_errno(err),
                           path + ": cannot lock the history store: " + std::strerror(err)};
    }
    return WriterLock(std::move(fd));
}

}  // namespace sockeye::store
