#include "enrich/service_names.hpp"

#include <gtest/gtest.h>

namespace {

using sockeye::enrich::flow_service;
using sockeye::enrich::service_name;
using sockeye::snapshot::FlowProtocol;
using sockeye::snapshot::FlowRecord;

TEST(ServiceNames, WellKnownTcpPorts) {
    EXPECT_EQ(service_name(FlowProtocol::tcp, 22), "ssh");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 25), "smtp");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 53), "domain");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 80), "http");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 443), "https");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 993), "imaps");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 1883), "mqtt");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 5432), "postgresql");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 8080), "http-alt");
}

TEST(ServiceNames, WellKnownUdpPorts) {
    EXPECT_EQ(service_name(FlowProtocol::udp, 53), "domain");
    EXPECT_EQ(service_name(FlowProtocol::udp, 67), "bootps");
    EXPECT_EQ(service_name(FlowProtocol::udp, 123), "ntp");
    EXPECT_EQ(service_name(FlowProtocol::udp, 443), "https");
    EXPECT_EQ(service_name(FlowProtocol::udp, 5353), "mdns");
}

TEST(ServiceNames, TransportMatters) {
    // Registered for one transport only.
    EXPECT_EQ(service_name(FlowProtocol::udp, 22), "");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 123), "");
    EXPECT_EQ(service_name(FlowProtocol::udp, 80), "");
    // Same port, different names per transport.
    EXPECT_EQ(service_name(FlowProtocol::tcp, 514), "shell");
    EXPECT_EQ(service_name(FlowProtocol::udp, 514), "syslog");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 21), "ftp");
    EXPECT_EQ(service_name(FlowProtocol::udp, 21), "fsp");
}

TEST(ServiceNames, UnknownPortsAndProtocols) {
    EXPECT_EQ(service_name(FlowProtocol::tcp, 0), "");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 1), "");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 50000), "");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 65535), "");
    EXPECT_EQ(service_name(FlowProtocol::icmp, 80), "");
    EXPECT_EQ(service_name(FlowProtocol::other, 443), "");
    EXPECT_EQ(service_name(FlowProtocol::arp, 22), "");
}

TEST(ServiceNames, TableEdgesAreReachable) {
    // First and last rows of the table: the binary search covers both ends.
    EXPECT_EQ(service_name(FlowProtocol::tcp, 7), "echo");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 27017), "mongodb");
    EXPECT_EQ(service_name(FlowProtocol::tcp, 27018), "");
}

TEST(ServiceNames, EveryPortAnswersConsistently) {
    // A full sweep: a name is never returned for non-TCP/UDP, and names are
    // short lowercase tokens (they go into a narrow table column).
    int tcp_names = 0;
    for (std::uint32_t p = 0; p <= 65535; ++p) {
        const auto port = static_cast<std::uint16_t>(p);
        const auto name = service_name(FlowProtocol::tcp, port);
        if (!name.empty()) ++tcp_names;
        EXPECT_LE(name.size(), 16u) << p;
        for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') << p;
        EXPECT_EQ(service_name(FlowProtocol::icmpv6, port), "");
    }
    EXPECT_GT(tcp_names, 100);
}

TEST(FlowService, DestinationPortFirst) {
    FlowRecord f;
    f.protocol = FlowProtocol::tcp;
    f.source_port = 22;
    f.destination_port = 443;
    EXPECT_EQ(flow_service(f), "https");
}

TEST(FlowService, FallsBackToSourcePort) {
    // A live flow's source is the local side: a server's flows carry the
    // service in the source port.
    FlowRecord f;
    f.protocol = FlowProtocol::tcp;
    f.source_port = 22;
    f.destination_port = 51234;
    EXPECT_EQ(flow_service(f), "ssh");
}

TEST(FlowService, NoServiceOnEitherSide) {
    FlowRecord f;
    f.protocol = FlowProtocol::udp;
    f.source_port = 40000;
    f.destination_port = 40001;
    EXPECT_EQ(flow_service(f), "");
    f.protocol = FlowProtocol::icmp;
    f.destination_port = 53;
    EXPECT_EQ(flow_service(f), "");
}

}  // namespace
