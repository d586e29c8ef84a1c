// Moves the calling process into a network namespace of its own with only
// `lo`, brought up: traffic a test makes there meets nothing of the host's,
// and a capture there sees only that traffic. Call it in a forked child (the
// move is one way). Needs CAP_SYS_ADMIN.
#pragma once

#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sockeye::testing {

// "" on success, else what failed.
inline std::string enter_private_netns() {
    if (::unshare(CLONE_NEWNET) != 0) return std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno);
    const int ctl = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (ctl < 0) return std::string("socket: ") + std::strerror(errno);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_UP;
    const bool up = ::ioctl(ctl, SIOCSIFFLAGS, &ifr) == 0;
    const int saved = errno;
    ::close(ctl);
    return up ? std::string() : std::string("bringing lo up: ") + std::strerror(saved);
}

}  // namespace sockeye::testing
