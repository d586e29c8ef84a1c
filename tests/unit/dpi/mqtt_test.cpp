#include "dpi/protocols/mqtt.hpp"

#include <gtest/gtest.h>

#include "unit/dpi/dpi_more_fixtures.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using fixtures::ctx;

TEST(DpiMqtt, Connect311WithSubscribeAndPublish) {
    snapshot::AppInfo info;
    const auto client = fixtures::mqtt_client_311();
    EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, true, 40000, 1883), client, info),
              Verdict::match_more);
    EXPECT_EQ(info.protocol, "MQTT");
    EXPECT_EQ(fixtures::text_of(info, "version"), "3.1.1");
    EXPECT_EQ(fixtures::text_of(info, "client_id"), "sensor-17");
    EXPECT_EQ(fixtures::text_of(info, "username"), "alice");
    EXPECT_EQ(fixtures::list_of(info, "topics"),
              (std::vector<std::string>{"home/+/temperature", "home/kitchen/light"}));
    // Re-feeding the grown prefix does not duplicate topics.
    EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, true, 40000, 1883), client, info),
              Verdict::match_more);
    EXPECT_EQ(fixtures::list_of(info, "topics").size(), 2u);
    EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, false, 40000, 1883), fixtures::mqtt_server(), info),
              Verdict::match_more);
    EXPECT_EQ(fixtures::number_of(info, "connack_code"), 0);
}

TEST(DpiMqtt, Version5AndVersion31) {
    snapshot::AppInfo v5;
    EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, true, 1, 2), fixtures::mqtt_client_5(), v5),
              Verdict::match_more);
    EXPECT_EQ(fixtures::text_of(v5, "version"), "5.0");
    EXPECT_EQ(fixtures::text_of(v5, "client_id"), "v5-client");
    EXPECT_EQ(fixtures::list_of(v5, "topics"), (std::vector<std::string>{"a/b"}));
    snapshot::AppInfo v31;
    EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, true, 1, 2), fixtures::mqtt_client_31(), v31),
              Verdict::match_more);
    EXPECT_EQ(fixtures::text_of(v31, "version"), "3.1");
    EXPECT_EQ(fixtures::text_of(v31, "client_id"), "old-client");
}

TEST(DpiMqtt, PrefixesWaitAndBadHeadersFail) {
    const auto client = fixtures::mqtt_client_311();
    for (std::size_t n = 0; n < 12; ++n) {
        snapshot::AppInfo info;
        const std::span<const std::uint8_t> prefix(client.data(), n);
        EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, true, 1, 2), prefix, info), Verdict::need_more)
            << n;
    }
    snapshot::AppInfo info;
    auto bad_level = client;
    bad_level[8] = 9;
    EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, true, 1, 2), bad_level, info), Verdict::no_match);
    auto reserved = client;
    reserved[9] = static_cast<std::uint8_t>(reserved[9] | 1);
    EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, true, 1, 2), reserved, info), Verdict::no_match);
    EXPECT_EQ(test::run_probe(probe_mqtt, ctx(Transport::tcp, false, 1, 2), fixtures::mqtt_server(), info),
              Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
