// Every keyword of the filter language against the fixture flows.
#include "flow_fixture.hpp"

namespace sockeye::filter::testing {
namespace {

TEST(FilterKeywords, Ports) {
    EXPECT_EQ(kept("port:443"), "https quic");
    EXPECT_EQ(kept("port=443"), "https quic");
    EXPECT_EQ(kept("sport:22"), "ssh");
    EXPECT_EQ(kept("dport:53"), "dns");
    EXPECT_EQ(kept("dport:22"), "");
    EXPECT_EQ(kept("port>50000"), "https quic");
    EXPECT_EQ(kept("port>=50000"), "https ssh quic");
    EXPECT_EQ(kept("port<10"), "icmp");  // ICMP echo id 7 sits in the source port
    EXPECT_EQ(kept("port:50000-52000"), "https ssh");
    EXPECT_EQ(kept("dport:0"), "icmp");
    EXPECT_EQ(kept("PORT:443"), "https quic");  // keywords ignore case
}

TEST(FilterKeywords, Addresses) {
    EXPECT_EQ(kept("src:192.168.1.10"), "https dns");
    EXPECT_EQ(kept("src:192.168.0.0/16"), "https dns");
    EXPECT_EQ(kept("src:10.0.0.0/8"), "ssh icmp");
    EXPECT_EQ(kept("dst:10.0.0.0/8"), "ssh");
    EXPECT_EQ(kept("dst:10.0.0.0/32"), "");
    EXPECT_EQ(kept("src:0.0.0.0/0"), "https dns ssh icmp");  // every IPv4 flow
    EXPECT_EQ(kept("dst:fd00::/8"), "quic");
    EXPECT_EQ(kept("src:2001:db8::/32"), "quic");
    EXPECT_EQ(kept("dst:::/0"), "quic");
    EXPECT_EQ(kept("dst:fd00::abcd"), "quic");
    EXPECT_EQ(kept("addr:10.0.0.99"), "ssh");
    EXPECT_EQ(kept("ip:8.8.8.8"), "icmp");
    EXPECT_EQ(kept("src:93.184.216.34"), "");  // destination, not source
}

TEST(FilterKeywords, DestinationNamesMatchRemoteName) {
    EXPECT_EQ(kept("dst:example.com"), "https");
    EXPECT_EQ(kept("dst:EXAMPLE"), "https");
    EXPECT_EQ(kept("addr:example.com"), "https");
    EXPECT_EQ(kept("name:example"), "https");
    EXPECT_EQ(kept("dst:example.org"), "");  // that is a DNS question, not a remote name
}

// The quic and icmp flows carry no geo answer (geo off for them).
TEST(FilterKeywords, CountryCityNetwork) {
    EXPECT_EQ(kept("country:us"), "https");
    EXPECT_EQ(kept("country:US or country:AU"), "https dns");
    EXPECT_EQ(kept("country:de"), "");  // a code is matched whole
    EXPECT_EQ(kept("country:U"), "error: not a country code or address range 'U' at 8");
    EXPECT_EQ(kept("country:private"), "ssh");  // ranges answer to their name
    EXPECT_EQ(kept("not country:us"), "dns ssh quic icmp");
    EXPECT_EQ(kept("city:angeles"), "https");
    EXPECT_EQ(kept("asn:13335"), "dns");
    EXPECT_EQ(kept("asn>10000"), "https dns");
    EXPECT_EQ(kept("org:cloudflare"), "dns");
    EXPECT_EQ(kept("org:/^edge/"), "https");
}

TEST(FilterKeywords, HardwareVendorOfLocalPeers) {
    EXPECT_EQ(kept("vendor:raspberry"), "ssh");
    EXPECT_EQ(kept("vendor:/^rasp.*pi$/"), "ssh");
    EXPECT_EQ(kept("vendor:cisco"), "");
}

TEST(FilterKeywords, ContainerByNameOrIdPrefix) {
    EXPECT_EQ(kept("container:web-frontend"), "https");
    EXPECT_EQ(kept("container:WEB"), "https");      // part of the name, any case
    EXPECT_EQ(kept("container:3f4e8a9b2c1d"), "https");  // docker ps' short id
    EXPECT_EQ(kept("container:3F4E"), "https");
    EXPECT_EQ(kept("container:8a9b2c1d"), "");      // inside the id: not a prefix
    EXPECT_EQ(kept("container:coredns"), "dns");    // Kubernetes: the container's name in its pod
    EXPECT_EQ(kept("container:0a1b2c3d"), "dns");   // and the pod uid the cgroup names
    EXPECT_EQ(kept("container:ssh"), "");           // a systemd unit is no container
    EXPECT_EQ(kept("container:/^web-/"), "https");
    EXPECT_EQ(kept("not container:web"), "dns ssh quic icmp");
    EXPECT_EQ(kept("container!=web"), "dns ssh quic icmp");
}

TEST(FilterKeywords, PodByNameOrNamespaceSlashName) {
    EXPECT_EQ(kept("pod:coredns"), "dns");
    EXPECT_EQ(kept("pod:kube-system/"), "dns");  // every pod of the namespace
    EXPECT_EQ(kept("pod:kube-system/coredns-5d78c9869d-x7k2p"), "dns");
    EXPECT_EQ(kept("pod:/^coredns-[0-9a-f]+-/"), "dns");
    EXPECT_EQ(kept("pod:web"), "");  // a Docker container is in no pod
}

TEST(FilterKeywords, Protocol) {
    EXPECT_EQ(kept("proto:tcp"), "https ssh");
    EXPECT_EQ(kept("proto:UDP"), "dns quic");
    EXPECT_EQ(kept("proto:icmp"), "icmp");
    EXPECT_EQ(kept("proto:icmpv6"), "");
    EXPECT_EQ(kept("protocol:17"), "dns quic");
    EXPECT_EQ(kept("proto:1"), "icmp");
}

TEST(FilterKeywords, ProcessPidUser) {
    EXPECT_EQ(kept("process:curl"), "https");
    EXPECT_EQ(kept("process:CURL"), "https");
    EXPECT_EQ(kept("process:resolve"), "dns");
    EXPECT_EQ(kept("process:ssh"), "ssh");
    EXPECT_EQ(kept("pid:4242"), "https");
    EXPECT_EQ(kept("pid:1"), "ssh");
    EXPECT_EQ(kept("pid>100"), "https dns");
    EXPECT_EQ(kept("user:root"), "ssh");
    EXPECT_EQ(kept("user:ALICE"), "https");
    EXPECT_EQ(kept("user:ali"), "");  // user names match whole
    EXPECT_EQ(kept("user:1000"), "https");
    EXPECT_EQ(kept("user:0"), "ssh");
}

TEST(FilterKeywords, DomainAndApplication) {
    EXPECT_EQ(kept("sni:example"), "https dns quic");
    EXPECT_EQ(kept("sni:example.com"), "https");
    EXPECT_EQ(kept("host:cdn"), "quic");
    EXPECT_EQ(kept("domain:.org"), "dns");
    EXPECT_EQ(kept("app:tls"), "https");
    EXPECT_EQ(kept("app:QUIC"), "quic");
    EXPECT_EQ(kept("app:dns"), "dns");
    EXPECT_EQ(kept("app:ssh"), "");  // protocols match whole (the ssh flow has none)
    EXPECT_EQ(kept("app:tl"), "error: unknown application 'tl' at 4");
    EXPECT_EQ(kept("app:none"), "ssh icmp");
    EXPECT_EQ(kept("app:unknown"), "ssh icmp");
}

TEST(FilterKeywords, State) {
    EXPECT_EQ(kept("state:established"), "https ssh");
    EXPECT_EQ(kept("state:ESTABLISHED"), "https ssh");
    EXPECT_EQ(kept("state:estab"), "https ssh");
    EXPECT_EQ(kept("state:active"), "dns quic");
    EXPECT_EQ(kept("state:closed"), "icmp");
    EXPECT_EQ(kept("state:syn-sent"), "");
    EXPECT_EQ(kept("state:time_wait"), "");
}

TEST(FilterKeywords, Service) {
    EXPECT_EQ(kept("service:https"), "https quic");
    EXPECT_EQ(kept("service:ssh"), "ssh");  // from the source port
    EXPECT_EQ(kept("service:domain"), "dns");
    EXPECT_EQ(kept("service:http"), "");  // whole names only
}

TEST(FilterKeywords, ByteCountsWithUnits) {
    EXPECT_EQ(kept("bytes>1M"), "https quic");
    EXPECT_EQ(kept("bytes>1.5M"), "quic");  // https is exactly 1.5 MB
    EXPECT_EQ(kept("bytes>=1.5M"), "https quic");
    EXPECT_EQ(kept("bytes<1k"), "dns icmp");
    EXPECT_EQ(kept("bytes=200"), "dns");
    EXPECT_EQ(kept("bytes>48k"), "https ssh quic");    // 49 000 > 48 000
    EXPECT_EQ(kept("bytes>48KiB"), "https quic");      // 49 000 < 49 152
    EXPECT_EQ(kept("bytes>1.5MiB"), "quic");           // 1 500 000 < 1 572 864
    EXPECT_EQ(kept("bytes>1.4MiB"), "https quic");
    EXPECT_EQ(kept("bytes>1MB"), "https quic");
    EXPECT_EQ(kept("up>1M"), "quic");
    EXPECT_EQ(kept("down>=1M"), "https quic");
    EXPECT_EQ(kept("bytes_sent>400k"), "https quic");
    EXPECT_EQ(kept("bytes_received<10KB"), "dns ssh icmp");
}

TEST(FilterKeywords, Packets) {
    EXPECT_EQ(kept("packets>=10"), "https ssh quic");
    EXPECT_EQ(kept("packets_sent>1k"), "quic");
    EXPECT_EQ(kept("packets_received=1"), "dns icmp");
    EXPECT_EQ(kept("retransmits>0"), "https");
}

TEST(FilterKeywords, RoundTripTime) {
    EXPECT_EQ(kept("rtt>100ms"), "https");
    EXPECT_EQ(kept("rtt>100"), "https");  // a plain number is milliseconds
    EXPECT_EQ(kept("rtt<1ms"), "ssh");
    EXPECT_EQ(kept("rtt>=0.5ms"), "https ssh");
    EXPECT_EQ(kept("rtt>100us"), "https ssh");
    EXPECT_EQ(kept("rtt<1s"), "https ssh");  // flows without a sample never match
}

TEST(FilterKeywords, Rates) {
    EXPECT_EQ(kept("rate>10k"), "https quic");  // 20 kB/s and 2.5 MB/s
    EXPECT_EQ(kept("rate>20k"), "quic");
    EXPECT_EQ(kept("rate>=20k"), "https quic");
    EXPECT_EQ(kept("rate>1M/s"), "quic");
    EXPECT_EQ(kept("rate_down>=1MiB"), "quic");
    EXPECT_EQ(kept("rate_down>1MiB"), "");
    EXPECT_EQ(kept("rate_up>1M"), "quic");
}

TEST(FilterKeywords, AgeAndIdle) {
    // matches(): age counts to the flow's last packet (its duration).
    EXPECT_EQ(kept("age>30s"), "https");
    EXPECT_EQ(kept("age>=10s"), "https ssh quic");
    EXPECT_EQ(kept("age<1s"), "dns");
    EXPECT_EQ(kept("age>0.5m"), "https");
    EXPECT_EQ(kept("age>30"), "https");  // a plain number is seconds
    // matches_at(): age and idle count to the snapshot time.
    EXPECT_EQ(kept("age>45s", 60 * kSecond), "https ssh icmp");
    EXPECT_EQ(kept("idle>30s", 60 * kSecond), "ssh icmp");
    EXPECT_EQ(kept("idle<1m", 60 * kSecond), "https dns ssh quic icmp");
}

TEST(FilterKeywords, Vlan) {
    EXPECT_EQ(kept("vlan:7"), "ssh");
    EXPECT_EQ(kept("vlan:0"), "https dns quic icmp");
}

TEST(FilterKeywords, NotEqualIsNegation) {
    EXPECT_EQ(kept("proto!=tcp"), "dns quic icmp");
    // Flows without a process are "not 4242" too.
    EXPECT_EQ(kept("pid!=4242"), "dns ssh quic icmp");
    EXPECT_EQ(kept("app!=tls"), "dns ssh quic icmp");
    EXPECT_EQ(kept("port!=443"), "dns ssh icmp");
}

TEST(FilterKeywords, ComparisonsMayHaveSpaces) {
    EXPECT_EQ(kept("bytes > 1M"), "https quic");
    EXPECT_EQ(kept("rtt >= 0.5ms"), "https ssh");
    EXPECT_EQ(kept("process: curl"), "https");
}

TEST(FilterKeywords, QuotedValues) {
    EXPECT_EQ(kept("process:\"systemd-resolved\""), "dns");
    EXPECT_EQ(kept("sni:'cdn.example'"), "quic");
}

}  // namespace
}  // namespace sockeye::filter::testing
