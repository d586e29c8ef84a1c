// Fuzz target for the HTTP/1.x and HTTP/2-preface probes: the input is one
// direction's stream prefix, tried as requests and as responses, and every
// prefix length is tried too (the detector calls probes on growing prefixes).
// DPI registry entries: HTTP, HTTP2
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "dpi/protocols/http.hpp"
#include "probe_fuzz_driver.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

void probe(std::span<const std::uint8_t> bytes) {
    for (const bool from_initiator : {true, false}) {
        sockeye::dpi::ProbeContext ctx;
        ctx.from_initiator = from_initiator;
        ctx.responder_port = 80;
        sockeye::snapshot::AppInfo info;
        sockeye::fuzz::call_probe(sockeye::dpi::probe_http, ctx, bytes, info);
        check(info.domain.size() <= 255);
        sockeye::snapshot::AppInfo h2;
        sockeye::fuzz::call_probe(sockeye::dpi::probe_http2, ctx, bytes, h2);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    probe(bytes);
    // A few shorter prefixes, as the stream would have grown.
    for (std::size_t n = 1; n < size && n < 64; n += 7) probe(bytes.first(n));
    return 0;
}
