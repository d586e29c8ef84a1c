#include "dpi/protocols/ssdp.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiSsdp, MSearch) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ssdp, ctx(Transport::udp, true, 40000, 1900), fixtures::ssdp_msearch(), info),
              Verdict::match);
    EXPECT_EQ(info.protocol, "SSDP");
    EXPECT_EQ(fixtures::text_of(info, "method"), "M-SEARCH");
    EXPECT_EQ(fixtures::text_of(info, "st"), "urn:schemas-upnp-org:device:MediaRenderer:1");
    EXPECT_EQ(fixtures::text_of(info, "user_agent"), "Linux/6.1 UPnP/1.1 test/1.0");
    // Kept as a field (what tshark shows as http.host), not as the domain:
    // it is the multicast group, never a name.
    EXPECT_EQ(fixtures::text_of(info, "host"), "239.255.255.250:1900");
    EXPECT_TRUE(info.domain.empty());
}

TEST(DpiSsdp, Notify) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ssdp, ctx(Transport::udp, true, 1900, 1900), fixtures::ssdp_notify(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "method"), "NOTIFY");
    EXPECT_EQ(fixtures::text_of(info, "nt"), "upnp:rootdevice");
    EXPECT_EQ(fixtures::text_of(info, "nts"), "ssdp:alive");
    EXPECT_EQ(fixtures::text_of(info, "server"), "Linux/5.10 UPnP/1.0 MiniDLNA/1.3.0");
    EXPECT_EQ(fixtures::text_of(info, "location"), "http://192.168.1.5:49152/desc.xml");
    EXPECT_EQ(fixtures::text_of(info, "usn"),
              "uuid:4d696e69-444c-164e-9d41-b827eb54e3e5::upnp:rootdevice");
}

TEST(DpiSsdp, ResponseNeedsSsdpHeadersOffPort) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ssdp, ctx(Transport::udp, false, 40000, 40001), fixtures::ssdp_response(), info),
              Verdict::match);
    EXPECT_EQ(fixtures::text_of(info, "method"), "response");
    snapshot::AppInfo none;
    const auto http = fixtures::text("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(test::run_probe(probe_ssdp, ctx(Transport::udp, false, 40000, 40001), http, none), Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_ssdp, ctx(Transport::tcp, true, 1, 1900), fixtures::ssdp_msearch(), none),
              Verdict::no_match);
    EXPECT_TRUE(none.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
