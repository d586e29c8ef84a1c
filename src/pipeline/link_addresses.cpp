#include "pipeline/link_addresses.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace sockeye::pipeline {
namespace {

// The inverse of mac_key().
MacAddress mac_bytes(std::uint64_t key) {
    if constexpr (std::endian::native == std::endian::big) key <<= 16U;
    MacAddress mac{};
    std::memcpy(mac.data(), &key, mac.size());
    return mac;
}

// What operating systems and network gear start a packet's TTL / hop limit
// at; one router on the way makes it one less.
bool initial_hop_count(std::uint8_t ttl) { return ttl == 64 || ttl == 128 || ttl == 255; }

}  // namespace

void LinkAddressBook::observe_sender(const decode::DecodedFrame& frame, std::uint64_t mac) {
    // A group address is never a sender's own; all zeros is no address.
    if ((frame.src_mac[0] & 0x01U) != 0 || mac == 0) return;
    if (frame.src_ip.family == core::IpFamily::none) return;
    const bool initial_hops = initial_hop_count(frame.ttl);
    // The memo is asked on every frame a gateway did not send: the address
    // as two words, hashed by a multiplication rather than a full mix.
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    std::memcpy(&lo, frame.src_ip.bytes.data(), sizeof lo);
    std::memcpy(&hi, frame.src_ip.bytes.data() + sizeof lo, sizeof hi);
    // The family is in the key too (an IPv4 address's upper bytes are zero).
    const std::uint64_t tag = mac | std::uint64_t{initial_hops} << 56U |
                              std::uint64_t{frame.src_ip.is_v6()} << 57U;
    const std::uint64_t h = (lo ^ hi * 0xff51afd7ed558ccdULL ^ tag) * 0x9e3779b97f4a7c15ULL;
    if (memo_.empty()) memo_.resize(kMemoSlots);
    Memo& memo = memo_[h >> (64U - kMemoBits)];
    if (memo.tag == tag && memo.lo == lo && memo.hi == hi) return;
    memo = {lo, hi, tag};
    learn(frame.src_ip, mac, initial_hops);
}

void LinkAddressBook::learn(const core::IpAddress& ip, std::uint64_t mac, bool initial_hops) {
    auto sender = macs_.find(mac);
    if (sender == macs_.end()) {
        if (macs_.size() >= kMaxMacs) return;
        sender = macs_.emplace(mac, Sender{}).first;
    }
    if (sender->second.gateway) {
        remember_gateway(mac);
        return;
    }
    count_source(sender->second, ip);
    if (sender->second.gateway) remember_gateway(mac);
    // A gateway's addresses get nothing anyway: a flood of sources from
    // behind a router costs no memory.
    if (!initial_hops || sender->second.gateway) return;
    auto address = addresses_.find(ip);
    if (address == addresses_.end()) {
        if (addresses_.size() >= kMaxAddresses) return;
        addresses_.emplace(ip, Address{mac, false});
        return;
    }
    if (address->second.mac != mac) address->second.ambiguous = true;
}

void LinkAddressBook::remember_gateway(std::uint64_t mac) {
    recent_gateways_[next_gateway_] = mac;
    next_gateway_ = (next_gateway_ + 1) % recent_gateways_.size();
}

void LinkAddressBook::count_source(Sender& sender, const core::IpAddress& ip) {
    if (ip.is_v4()) {
        const std::uint32_t v4 = std::uint32_t{ip.bytes[0]} << 24U | std::uint32_t{ip.bytes[1]} << 16U |
                                 std::uint32_t{ip.bytes[2]} << 8U | ip.bytes[3];
        const auto seen = sender.ipv4.begin() + sender.ipv4_count;
        if (std::find(sender.ipv4.begin(), seen, v4) != seen) return;
        if (sender.ipv4_count == kGatewayIpv4Sources) {
            sender.gateway = true;
            return;
        }
        sender.ipv4[sender.ipv4_count++] = v4;
        return;
    }
    std::uint64_t prefix = 0;
    for (std::size_t i = 0; i < 8; ++i) prefix = prefix << 8U | ip.bytes[i];
    const auto seen = sender.ipv6_prefixes.begin() + sender.ipv6_count;
    if (std::find(sender.ipv6_prefixes.begin(), seen, prefix) != seen) return;
    if (sender.ipv6_count == kGatewayIpv6Prefixes) {
        sender.gateway = true;
        return;
    }
    sender.ipv6_prefixes[sender.ipv6_count++] = prefix;
}

std::optional<MacAddress> LinkAddressBook::mac_of(const core::IpAddress& ip) const {
    const auto address = addresses_.find(ip);
    if (address == addresses_.end() || address->second.ambiguous)
        return std::nullopt;
    const auto sender = macs_.find(address->second.mac);
    if (sender == macs_.end() || sender->second.gateway) return std::nullopt;
    return mac_bytes(address->second.mac);
}

bool LinkAddressBook::is_gateway(const MacAddress& mac) const {
    const auto sender = macs_.find(mac_key(mac.data()));
    return sender != macs_.end() && sender->second.gateway;
}

}  // namespace sockeye::pipeline
