#include "export/async_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sockeye::exports {

core::Result<std::unique_ptr<FileSink>> FileSink::open(const std::string& path) {
    if (path == "-") return std::unique_ptr<FileSink>(new FileSink(STDOUT_FILENO, path, false));
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int e = errno;
        return core::Error{core::error_code_for_errno(e), "cannot open '" + path + "': " + std::strerror(e)};
    }
    return std::unique_ptr<FileSink>(new FileSink(fd, path, true));
}

FileSink::~FileSink() {
    if (owned_) ::close(fd_);
}

bool FileSink::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error_ = "cannot write '" + path_ + "': " +
                     (n < 0 ? std::strerror(errno) : "no progress");
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace sockeye::exports
