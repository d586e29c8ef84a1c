// The remote end of a flow as the local network sees it: its link-layer
// address and the maker of its interface. Known for peers on a directly
// attached network (the kernel's neighbour table, live).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace sockeye::snapshot {

struct LinkPeer {
    std::array<std::uint8_t, 6> mac{};
    std::string vendor;  // "Raspberry Pi", "locally administered", "" when not registered
};

}  // namespace sockeye::snapshot
