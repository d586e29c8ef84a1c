#include "host/thread_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace sockeye::host {

ThreadPriority::ThreadPriority() : tid_(static_cast<int>(::syscall(SYS_gettid))) {
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(tid_));
    if (errno == 0) current_ = nice;
}

bool ThreadPriority::set(int nice) {
    if (!permitted_) return false;
    if (nice == current_) return true;
    if (::setpriority(PRIO_PROCESS, static_cast<id_t>(tid_), nice) != 0) {
        permitted_ = false;
        return false;
    }
    current_ = nice;
    return true;
}

}  // namespace sockeye::host
