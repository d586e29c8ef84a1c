// Fuzz target for the SSH probe: banner and KEXINIT name-lists, from either
// side, over the whole input and over growing prefixes.
// DPI registry entries: SSH
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "dpi/protocols/ssh.hpp"
#include "probe_fuzz_driver.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    for (const bool from_initiator : {true, false}) {
        sockeye::dpi::ProbeContext ctx;
        ctx.from_initiator = from_initiator;
        ctx.responder_port = 22;
        sockeye::snapshot::AppInfo info;
        sockeye::fuzz::call_probe(sockeye::dpi::probe_ssh, ctx, bytes, info);
        for (const auto& f : info.fields) check(f.text.size() <= 255 && f.list.size() <= 32);
    }
    return 0;
}
