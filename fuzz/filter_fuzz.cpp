// Fuzz target for the filter language: the input is filter text. It must
// compile or fail with a one-line error inside the text, never throw or
// crash, and a compiled filter must evaluate (deterministically) on flows
// that have every field set and on flows that have none.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "core/ip_address.hpp"
#include "filter/filter.hpp"
#include "snapshot/flow_record.hpp"

namespace {

using sockeye::snapshot::FlowRecord;

void check(bool condition) {
    if (!condition) std::abort();
}

std::vector<FlowRecord> make_flows() {
    std::vector<FlowRecord> flows;
    FlowRecord full;
    full.protocol = sockeye::snapshot::FlowProtocol::tcp;
    full.ip_proto = 6;
    full.source_ip = sockeye::core::IpAddress::parse("192.168.1.10");
    full.destination_ip = sockeye::core::IpAddress::parse("93.184.216.34");
    full.source_port = 51000;
    full.destination_port = 443;
    full.state = sockeye::snapshot::FlowState::established;
    full.bytes_sent = 500'000;
    full.bytes_received = 1'000'000;
    full.packets_sent = 400;
    full.packets_received = 800;
    full.srtt_ns = 120'000'000;
    full.sent_bytes_per_s = 5'000;
    full.received_bytes_per_s = 15'000;
    full.first_seen_ns = 1'000'000'000;
    full.last_seen_ns = 41'000'000'000;
    auto process = std::make_shared<sockeye::snapshot::ProcessInfo>();
    process->pid = 4242;
    process->name = "curl";
    process->comm = "curl";
    process->user = "alice";
    process->uid = 1000;
    process->container_kind = "kubernetes";
    process->container = "0a1b2c3d-0000-1111-2222-333344445555";
    process->container_name = "web";
    process->container_image = "nginx:1.25";
    process->pod = "web-7d4b9c-xk2p9";
    process->pod_namespace = "shop";
    full.process = process;
    auto app = std::make_shared<sockeye::snapshot::AppInfo>();
    app->protocol = "TLS";
    app->domain = "www.example.com";
    full.app = app;
    full.remote_name = "example.com";
    flows.push_back(full);

    FlowRecord v6;
    v6.protocol = sockeye::snapshot::FlowProtocol::udp;
    v6.ip_proto = 17;
    v6.source_ip = sockeye::core::IpAddress::parse("2001:db8::1");
    v6.destination_ip = sockeye::core::IpAddress::parse("fd00::abcd");
    v6.source_port = 55555;
    v6.destination_port = 443;
    flows.push_back(v6);

    flows.emplace_back();  // nothing known at all
    return flows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<FlowRecord> flows = make_flows();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto result = sockeye::filter::compile(text);
    if (!result) {
        const std::string& message = result.error().message;
        check(!message.empty());
        check(message.find('\n') == std::string::npos);
        // "... at N": the offset is last and inside the text.
        const auto at = message.rfind(" at ");
        check(at != std::string::npos && std::stoul(message.substr(at + 4)) <= size);
        return 0;
    }
    const sockeye::filter::Filter& filter = *result;
    check(filter.text() == text || filter.matches_everything());
    for (const auto& flow : flows) {
        const bool first = filter.matches(flow);
        check(first == filter.matches(flow));
        (void)filter.matches_at(flow, 100'000'000'000);
        if (filter.matches_everything()) check(first);
    }
    return 0;
}
