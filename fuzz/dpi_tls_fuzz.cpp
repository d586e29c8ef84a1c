// Fuzz target for the TLS probe, the ClientHello parser with its
// fingerprints, the X.509 walk, and the detector's TCP reassembly driving
// it. The whole input is one direction's stream prefix; for the detector it
// is cut into segments whose order and sequence jitter come from the input.
// DPI registry entries: TLS
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "dpi/detector.hpp"
#include "dpi/protocols/tls.hpp"
#include "dpi/protocols/tls_handshake.hpp"
#include "dpi/protocols/x509.hpp"
#include "probe_fuzz_driver.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

void probe_both_sides(std::span<const std::uint8_t> bytes) {
    for (const bool from_initiator : {true, false}) {
        sockeye::dpi::ProbeContext ctx;
        ctx.from_initiator = from_initiator;
        ctx.responder_port = 443;
        sockeye::snapshot::AppInfo info;
        const auto v = sockeye::fuzz::call_probe(sockeye::dpi::probe_tls, ctx, bytes, info);
        if (v == sockeye::dpi::Verdict::no_match) continue;
        for (const auto& f : info.fields) check(f.text.size() <= 1024);
    }
}

void drive_detector(std::span<const std::uint8_t> bytes) {
    sockeye::dpi::DetectorConfig cfg;
    cfg.max_flows = 4;
    cfg.stream_prefix_bytes = 4096;
    sockeye::dpi::Detector detector(cfg);
    std::uint32_t seq = 1000;
    std::size_t pos = 0;
    for (int i = 0; i < 64 && pos < bytes.size(); ++i) {
        const std::uint8_t control = bytes[pos++];
        const std::size_t len = std::min<std::size_t>(1 + (control & 0x3f), bytes.size() - pos);
        sockeye::decode::DecodedFrame f;
        f.transport = sockeye::decode::Transport::tcp;
        f.src_port = 40000;
        f.dst_port = 443;
        f.tcp.flags = sockeye::decode::tcp_flag::kAck;
        // The top bits replay a segment a little early or late.
        const std::uint32_t jitter = (control >> 6) * 7u;
        f.tcp.seq = seq - jitter;
        f.payload = bytes.subspan(pos, len);
        const sockeye::dpi::FlowRef ref{control & 1u, 1, (control & 0x40) == 0};
        detector.inspect(ref, f);
        seq += static_cast<std::uint32_t>(len);
        pos += len;
    }
    check(detector.stats().buffered_bytes <= cfg.max_buffer_bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    probe_both_sides(bytes);

    sockeye::dpi::tls::ClientHello hello;
    if (sockeye::dpi::tls::parse_client_hello(bytes, hello) == sockeye::dpi::tls::ParseStatus::ok) {
        check(sockeye::dpi::tls::ja4(hello, 't').size() == 36);
        check(sockeye::dpi::tls::ja3_hash(hello).size() == 32);
        check(hello.sni.size() <= 255);
    }
    sockeye::dpi::x509::CertSummary cert;
    sockeye::dpi::x509::parse_certificate(bytes, cert);
    check(cert.subject.size() <= 1024 && cert.issuer.size() <= 1024);

    drive_detector(bytes);
    return 0;
}
