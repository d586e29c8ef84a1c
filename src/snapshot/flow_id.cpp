#include "snapshot/flow_id.hpp"

namespace sockeye::snapshot {

FlowId FlowId::of(const FlowRecord& f) {
    FlowId id;
    id.ip_proto = f.ip_proto;
    id.vlan = f.vlan;
    id.source_ip = f.source_ip;
    id.destination_ip = f.destination_ip;
    id.source_port = f.source_port;
    id.destination_port = f.destination_port;
    id.generation = f.generation;
    id.first_seen_ns = f.first_seen_ns;
    return id;
}

std::size_t FlowIdHash::operator()(const FlowId& id) const {
    // FNV-1a over the fields (not the struct bytes: padding is indeterminate).
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](const void* data, std::size_t n) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) {
            h ^= p[i];
            h *= 1099511628211ULL;
        }
    };
    mix(&id.ip_proto, sizeof id.ip_proto);
    mix(&id.vlan, sizeof id.vlan);
    mix(id.source_ip.bytes.data(), id.source_ip.bytes.size());
    mix(id.destination_ip.bytes.data(), id.destination_ip.bytes.size());
    mix(&id.source_port, sizeof id.source_port);
    mix(&id.destination_port, sizeof id.destination_port);
    mix(&id.generation, sizeof id.generation);
    mix(&id.first_seen_ns, sizeof id.first_seen_ns);
    return static_cast<std::size_t>(h);
}

}  // namespace sockeye::snapshot
