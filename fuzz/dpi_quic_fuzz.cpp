// Fuzz target for QUIC: a sequence of records, each one datagram of a flow.
// Record: [kind/direction byte][u16 length][bytes]. Kind 0 feeds the bytes
// as a raw datagram; kinds 1 and 2 first protect them as the frames of a
// client / server Initial with a fixed DCID, so the fuzzer reaches frame
// parsing, CRYPTO reassembly and the ClientHello parser behind the AEAD.
// Besides the sanitizers it checks the tracker's promises: no_match leaves
// the info untouched, and per-flow memory stays bounded.
// DPI registry entries: QUIC
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "core/byte_reader.hpp"
#include "dpi/protocols/quic.hpp"
#include "dpi/protocols/quic_builder.hpp"
#include "dpi/protocols/quic_frames.hpp"

namespace {

namespace quic = sockeye::dpi::quic;

// Part of the regression corpus format: do not change.
constexpr std::array<std::uint8_t, 8> kDcid = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
constexpr std::array<std::uint8_t, 4> kClientScid = {0xc1, 0xc2, 0xc3, 0xc4};
constexpr std::array<std::uint8_t, 8> kServerScid = {0x5e, 0x5e, 0x5e, 0x5e,
                                                     0x5e, 0x5e, 0x5e, 0x5e};
constexpr std::size_t kMaxRecords = 16;
// Keys, a full CRYPTO buffer and a jumbo scratch: anything above is a leak.
constexpr std::size_t kMaxTrackerHeap = 160 * 1024;

void check(bool condition) {
    if (!condition) std::abort();
}

struct NullSink final : quic::FrameSink {
    void on_crypto(std::uint64_t, std::span<const std::uint8_t>) override {}
    void on_connection_close(bool, std::uint64_t, std::uint64_t,
                             std::span<const std::uint8_t>) override {}
};

std::vector<std::uint8_t> protect(std::span<const std::uint8_t> frames, bool server,
                                  std::uint8_t selector, std::uint64_t pn) {
    quic::InitialSpec spec;
    spec.version = (selector & 0x10) != 0 ? quic::kVersion2 : quic::kVersion1;
    spec.dcid = server ? std::span<const std::uint8_t>(kClientScid)
                       : std::span<const std::uint8_t>(kDcid);
    spec.scid = server ? std::span<const std::uint8_t>(kServerScid)
                       : std::span<const std::uint8_t>(kClientScid);
    spec.key_dcid = kDcid;
    spec.from_server = server;
    spec.frames = frames;
    spec.packet_number = pn;
    spec.pn_length = static_cast<std::size_t>((selector >> 5) & 0x03) + 1;
    return quic::build_initial(spec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);
    {
        // The frame parser on its own, over the raw input.
        NullSink sink;
        (void)quic::parse_frames(input, sink);
        (void)quic::QuicTracker::looks_like_quic(input);
    }

    quic::QuicTracker tracker;
    sockeye::snapshot::AppInfo info;
    sockeye::core::ByteReader r(input);
    bool alive = true;
    for (std::uint64_t n = 0; n < kMaxRecords && alive && !r.empty(); ++n) {
        const std::uint8_t selector = r.u8();
        const std::size_t len = r.u16_be();
        const auto bytes = r.take(std::min(len, r.remaining()));
        if (!r.ok()) break;
        const bool from_initiator = (selector & 0x80) == 0;
        std::vector<std::uint8_t> built;
        std::span<const std::uint8_t> datagram = bytes;
        const unsigned kind = selector & 0x03u;
        if (kind == 1 || kind == 2) {
            built = protect(bytes, kind == 2, selector, n);
            datagram = built;
        }
        const auto before = info.fields.size();
        const auto before_protocol = info.protocol;
        const auto verdict =
            tracker.on_datagram(datagram, from_initiator, static_cast<std::int64_t>(n), info);
        if (verdict == sockeye::dpi::Verdict::no_match) {
            check(info.fields.size() == before && info.protocol == before_protocol);
            alive = false;
        }
        check(tracker.heap_bytes() <= kMaxTrackerHeap);
        for (const auto& f : info.fields) check(f.text.size() <= 4096 && f.list.size() <= 64);
    }
    return 0;
}
