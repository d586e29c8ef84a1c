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
};
InterfaceAddresses interface_addresses();

// Whether an address may belong to one of this machine's sockets: one of
// its own, loopback, or one a local socket may send from or receive on
// without owning it (unspecified, multicast, broadcast). Read by any thread
// (the packet thread, per new flow: a lock and a binary search), replaced
// by the attribution thread when the addresses change.
class LocalAddressSet {
public:
    // Before the first update(), or after one with no addresses (the
    // kernel would not say), every address may be local: nothing is ruled
    // out on no information.
    [[nodiscard]] bool may_be_local(const core::IpAddress& a) const;
    // True when the set changed.
    bool update(InterfaceAddresses addresses);
    [[nodiscard]] bool known() const;
    [[nodiscard]] std::uint64_t changes() const;  // updates that changed the set

private:
    struct Entries {
        InterfaceAddresses addresses;
    };
    mutable std::mutex mutex_;
    std::shared_ptr<const Entries> current_;  // null: not known
    std::uint64_t changes_ = 0;
};

// Loopback, unspecified (0.0.0.0, ::), multicast or IPv4 limited broadcast:
// addresses any machine's sockets use without any interface owning them.
bool is_host_neutral(const core::IpAddress& a);

}  // namespace sockeye::host
