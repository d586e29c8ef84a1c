// The machine's own IP addresses, so live flows can be oriented local → remote
// and flows that cannot be this machine's are told apart without asking the
// kernel about each one.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/ip_address.hpp"

namespace sockeye::host {

// Every address configured on any interface (loopback included), from
// getifaddrs(). Empty if the kernel will not say.
std::vector<core::IpAddress> local_addresses();

// One getifaddrs() walk: the interfaces' own addresses (as above) and their
// IPv4 broadcast addresses (a local socket bound to the wildcard receives
// what is sent to those).
struct InterfaceAddresses {
    std::vector<core::IpAddress> own;        // sorted, unique
    std::vector<core::IpAddress> broadcast;  // sorted, unique
    // Not read from the interfaces: addresses of sockets in the machine's
    // other network namespaces (containers), as the kernel's owner records
    // name them. Their flows can be attributed too; sorted, unique.
    std::vector<core::IpAddress> guests;
};
InterfaceAddresses interface_addresses();

// Whether a flow may have one of this machine's sockets at one end. Read
// by any thread (the packet thread, per new flow: a lock and a binary
// search or two), replaced by the attribution thread when the addresses
// change.
class LocalAddressSet {
public:
    // For a flow whose first packet went from `source` to `destination`:
    // true when either address is one of ours or a guest's, or unspecified (a wildcard
    // socket, a DHCP client before it has an address), both are loopback,
    // or (UDP) the destination is a group address (multicast, broadcast,
    // one of our subnets' broadcast addresses) a local socket may be
    // receiving on. Loopback or group sources towards anything else are
    // spoofed or martian, and TCP has no group destinations: no socket here
    // sends or receives those. Before the first update(), or after one with no
    // addresses (the kernel would not say), every flow may be local:
    // nothing is ruled out on no information.
    [[nodiscard]] bool may_be_local(std::uint8_t ip_proto, const core::IpAddress& source,
                                    const core::IpAddress& destination) const;
    // One of ours or loopback (true while unknown).
    [[nodiscard]] bool is_own(const core::IpAddress& a) const;
    // True when the set changed.
    bool update(InterfaceAddresses addresses);
    [[nodiscard]] bool known() const;
    [[nodiscard]] std::uint64_t changes() const;  // updates that changed the set

private:
    struct Entries {
        InterfaceAddresses addresses;
    };
    [[nodiscard]] std::shared_ptr<const Entries> entries() const;
    static bool own(const Entries& e, const core::IpAddress& unmapped);

    mutable std::mutex mutex_;
    std::shared_ptr<const Entries> current_;  // null: not known
    std::uint64_t changes_ = 0;
};

// Multicast or IPv4 limited broadcast: a destination many machines' sockets
// receive on, never a source.
bool is_group_address(const core::IpAddress& a);

}  // namespace sockeye::host
