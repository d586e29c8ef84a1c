// libFuzzer target for the line-oriented probes: FTP, SMTP, IMAP, POP3, SIP
// and SSDP, and their shared helpers (src/dpi/protocols/text_lines.hpp).
// The first input byte chooses transport, direction and port hints; every
// probe then sees a few prefixes of the rest (a growing TCP stream) and,
// after a match, the whole payload again from the other direction.
// DPI registry entries: FTP, SMTP, IMAP, POP3, SIP, SSDP
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "dpi/protocols/ftp.hpp"
#include "dpi/protocols/imap.hpp"
#include "dpi/protocols/pop3.hpp"
#include "dpi/protocols/sip.hpp"
#include "dpi/protocols/smtp.hpp"
#include "dpi/protocols/ssdp.hpp"
#include "probe_fuzz_driver.hpp"

namespace {

constexpr std::array<sockeye::dpi::ProbeFn, 6> kProbes = {
    sockeye::dpi::probe_ftp,  sockeye::dpi::probe_smtp, sockeye::dpi::probe_imap,
    sockeye::dpi::probe_pop3, sockeye::dpi::probe_sip,  sockeye::dpi::probe_ssdp};
// Port hints, one per probe, used when the mode byte asks for them.
constexpr std::array<std::uint16_t, 6> kPorts = {21, 25, 143, 110, 5060, 1900};

void run(std::span<const std::uint8_t> input) {
    const std::uint8_t mode = input[0];
    const auto payload = input.subspan(1);
    for (std::size_t i = 0; i < kProbes.size(); ++i) {
        sockeye::dpi::ProbeContext ctx;
        ctx.transport =
            (mode & 1) != 0 ? sockeye::dpi::Transport::tcp : sockeye::dpi::Transport::udp;
        ctx.from_initiator = (mode & 2) != 0;
        ctx.initiator_port = 40000;
        ctx.responder_port = (mode & 4) != 0 ? kPorts[i] : 40001;
        for (const std::size_t cut : {payload.size() / 2, payload.size()}) {
            sockeye::snapshot::AppInfo info;
            if (!sockeye::dpi::is_match(
                    sockeye::fuzz::call_probe(kProbes[i], ctx, payload.first(cut), info)))
                continue;
            sockeye::fuzz::call_probe(kProbes[i], ctx, payload, info, sockeye::dpi::Phase::following);
            ctx.from_initiator = !ctx.from_initiator;
            sockeye::fuzz::call_probe(kProbes[i], ctx, payload, info, sockeye::dpi::Phase::following);
            ctx.from_initiator = !ctx.from_initiator;
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    run(std::span<const std::uint8_t>(data, size));
    return 0;
}
