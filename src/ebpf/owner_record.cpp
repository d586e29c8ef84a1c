#include "ebpf/owner_record.hpp"

#include <cstring>
#include <span>

namespace sockeye::ebpf {
namespace {

constexpr std::uint8_t kAfInet = 2;
constexpr std::uint8_t kAfInet6 = 10;

std::uint16_t from_network_order(std::uint16_t stored) {
    std::uint8_t b[2];
    std::memcpy(b, &stored, 2);  // the kernel's bytes, in wire order
    return static_cast<std::uint16_t>((b[0] << 8) | b[1]);
}

}  // namespace

core::IpAddress unmap_v4_address(const core::IpAddress& a) {
    if (!a.is_v6()) return a;
    for (int i = 0; i < 10; ++i) {
        if (a.bytes[static_cast<std::size_t>(i)] != 0) return a;
    }
    if (a.bytes[10] != 0xff || a.bytes[11] != 0xff) return a;
    return core::IpAddress::v4(std::span<const std::uint8_t>(a.bytes).subspan(12, 4));
}

bool decode_owner(const RawFlowKey& key, const RawOwner& value, OwnerRecord& out) {
    const std::span<const std::uint8_t> local(key.local_addr);
    const std::span<const std::uint8_t> remote(key.remote_addr);
    if (key.family == kAfInet) {
        out.local_ip = core::IpAddress::v4(local.first(4));
        out.remote_ip = core::IpAddress::v4(remote.first(4));
    } else if (key.family == kAfInet6) {
        out.local_ip = unmap_v4_address(core::IpAddress::v6(local));
        out.remote_ip = unmap_v4_address(core::IpAddress::v6(remote));
    } else {
        return false;
    }
    out.protocol = key.protocol;
    out.local_port = key.local_port;
    out.remote_port = from_network_order(key.remote_port);
    out.tgid = value.tgid;
    out.uid = value.uid;
    out.comm.assign(value.comm, strnlen(value.comm, sizeof(value.comm)));
    out.ktime_ns = value.ktime_ns;
    out.netns = value.netns;
    return true;
}

}  // namespace sockeye::ebpf
