// Fuzz target for the DNS wire parser and the DNS-family probes (DNS over
// UDP and TCP, mDNS, LLMNR, NetBIOS-NS). The first byte picks the port pair
// and transport, the rest is the payload.
// DPI registry entries: DNS, mDNS, LLMNR, NetBIOS-NS
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "dpi/protocols/dns.hpp"
#include "dpi/protocols/dns_wire.hpp"
#include "probe_fuzz_driver.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

// The order is part of the regression corpus format: append only.
constexpr std::array<std::uint16_t, 5> kPorts = {53, 5353, 5355, 137, 9999};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::span<const std::uint8_t> bytes(data + 1, size - 1);
    sockeye::dpi::ProbeContext ctx;
    ctx.transport = (data[0] & 0x80) ? sockeye::dpi::Transport::tcp : sockeye::dpi::Transport::udp;
    ctx.from_initiator = (data[0] & 0x40) == 0;
    ctx.responder_port = kPorts[(data[0] & 0x3f) % kPorts.size()];
    ctx.initiator_port = 40000;
    ctx.ts_ns = 2'000'000'000;
    ctx.peer_first_ts_ns = 1'000'000'000;

    sockeye::dpi::dns::Message m;
    if (sockeye::dpi::dns::parse_message(bytes, m)) {
        check(m.qname.size() <= sockeye::dpi::dns::kMaxName);
        check(m.a.size() <= sockeye::dpi::dns::kMaxAnswers);
    }
    std::size_t offset = 0;
    std::string name;
    if (sockeye::dpi::dns::read_name(bytes, offset, name)) check(offset <= bytes.size());

    for (auto* probe : {sockeye::dpi::probe_dns, sockeye::dpi::probe_mdns,
                        sockeye::dpi::probe_llmnr, sockeye::dpi::probe_netbios_ns}) {
        sockeye::snapshot::AppInfo info;
        if (sockeye::dpi::is_match(sockeye::fuzz::call_probe(probe, ctx, bytes, info)))
            sockeye::fuzz::call_probe(probe, ctx, bytes, info, sockeye::dpi::Phase::following);
        check(info.domain.size() <= 255);
    }
    return 0;
}
