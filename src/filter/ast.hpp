// The compiled filter: a tree of and/or/not over tests of one flow. Built by
// the parser, evaluated by filter.cpp; plain values, immutable once built.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "filter/text_match.hpp"
#include "filter/values.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::filter {

// Text a test can look at; a test holds a set of them and matches if any does.
enum TextField : std::uint16_t {
    kProcessName = 1u << 0,  // name, and comm when it differs
    kSourceAddress = 1u << 1,
    kDestinationAddress = 1u << 2,
    kRemoteName = 1u << 3,
    kDomain = 1u << 4,        // AppInfo::domain (SNI, Host, DNS name)
    kAppProtocol = 1u << 5,   // AppInfo::protocol
    kService = 1u << 6,       // enrich::flow_service
    kProtocol = 1u << 7,      // "TCP", "UDP", ...
    kUser = 1u << 8,
    kState = 1u << 9,         // "ESTABLISHED", ...
    kCountry = 1u << 10,      // the remote's country code, or its range ("private")
    kCity = 1u << 11,
    kOrganisation = 1u << 12, // the remote's AS organisation
    kVendor = 1u << 13,       // the remote's hardware vendor (local peers)
    kContainer = 1u << 14,    // the container's name, or a prefix of its id
    kPod = 1u << 15,          // the Kubernetes pod's name, or "namespace/name"
};

// What bare words and bare /regex/ look at.
inline constexpr std::uint16_t kBareFields = kProcessName | kSourceAddress | kDestinationAddress |
                                             kRemoteName | kDomain | kAppProtocol | kService |
                                             kProtocol;

struct TextTest {
    std::uint16_t fields = 0;
    TextMatcher matcher;
};

enum class NumberField : std::uint8_t {
    bytes, bytes_sent, bytes_received,
    packets, packets_sent, packets_received,
    rtt, rate, rate_sent, rate_received,
    age, idle,
    retransmits,
    pid, uid,
    port,  // either side
    source_port, destination_port,
    vlan, ip_proto,
    asn,  // the remote's AS number
};

enum class NumberOp : std::uint8_t { eq, gt, ge, lt, le, between };

struct NumberTest {
    NumberField field = NumberField::bytes;
    NumberOp op = NumberOp::eq;
    double value = 0;
    double high = 0;  // between: value <= x <= high
};

enum class Side : std::uint8_t { source, destination, either };

struct AddressTest {
    Side side = Side::either;
    Prefix prefix;
};

struct ProtocolTest {
    snapshot::FlowProtocol protocol = snapshot::FlowProtocol::other;
};

struct StateTest {
    snapshot::FlowState state = snapshot::FlowState::active;
};

using Test = std::variant<TextTest, NumberTest, AddressTest, ProtocolTest, StateTest>;

struct Expr {
    enum class Kind : std::uint8_t { all, any, negate, test };
    Kind kind = Kind::all;  // an empty `all` matches everything
    std::vector<Expr> children;
    Test test;

    static Expr make_test(Test t) {
        Expr e;
        e.kind = Kind::test;
        e.test = std::move(t);
        return e;
    }
    static Expr make_not(Expr inner) {
        Expr e;
        e.kind = Kind::negate;
        e.children.push_back(std::move(inner));
        return e;
    }
};

}  // namespace sockeye::filter
