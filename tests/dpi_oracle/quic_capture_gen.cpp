// sockeye-quic-capgen: writes a pcap of QUIC handshakes that no Debian
// program produces on demand, for the DPI oracle (tshark decrypts the same
// Initials and must agree with sockeye on version and SNI):
//   - the ClientHello's CRYPTO data split across 2 and 3 Initial packets,
//     each in its own datagram, some pieces sent out of order;
//   - Initials coalesced into one datagram (two client Initials carrying the
//     two halves; a server Initial coalesced with a Handshake packet);
//   - QUIC v1 and v2 (RFC 9369), IPv4 and IPv6;
//   - on ports no QUIC registry names: 4433, 8443, 50000, 61000.
// Packets are protected with the library's Initial keys (quic_builder), the
// frames around them built byte by byte by tests/trafficgen.
//
// usage: sockeye-quic-capgen OUT.pcap
#include <cstdio>
#include <string>
#include <vector>

#include "capture_writer.hpp"
#include "dpi/protocols/quic_builder.hpp"
#include "packet_builder.hpp"

namespace {

namespace tg = sockeye::trafficgen;
namespace quic = sockeye::dpi::quic;
using Bytes = std::vector<std::uint8_t>;

void u8(Bytes& b, unsigned v) { b.push_back(static_cast<std::uint8_t>(v)); }
void u16(Bytes& b, unsigned v) {
    u8(b, v >> 8);
    u8(b, v);
}
void u24(Bytes& b, std::size_t v) {
    u8(b, static_cast<unsigned>(v >> 16));
    u16(b, static_cast<unsigned>(v & 0xffff));
}
void raw(Bytes& b, const Bytes& x) { b.insert(b.end(), x.begin(), x.end()); }
void text(Bytes& b, const std::string& s) { b.insert(b.end(), s.begin(), s.end()); }
// reserve() first: g++ 12 at -O3 misreads the insert after a push_back
// as out of bounds (-Warray-bounds).
Bytes vec8(const Bytes& x) {
    Bytes b;
    b.reserve(1 + x.size());
    u8(b, static_cast<unsigned>(x.size()));
    raw(b, x);
    return b;
}
Bytes vec16(const Bytes& x) {
    Bytes b;
    b.reserve(2 + x.size());
    u16(b, static_cast<unsigned>(x.size()));
    raw(b, x);
    return b;
}
Bytes extension(unsigned type, const Bytes& body) {
    Bytes b;
    u16(b, type);
    raw(b, vec16(body));
    return b;
}

// A TLS 1.3 ClientHello as QUIC carries it: SNI, ALPN, supported_versions,
// x25519 key share and quic_transport_parameters. `filler` adds a padding
// extension so the message spans several packets when split.
Bytes client_hello(const std::string& sni, const std::string& alpn, std::uint8_t seed,
                   std::size_t filler) {
    Bytes name;
    text(name, sni);
    Bytes sni_list;
    u8(sni_list, 0);
    raw(sni_list, vec16(name));
    Bytes protocol;
    text(protocol, alpn);
    Bytes groups;
    u16(groups, 0x001d);
    u16(groups, 0x0017);
    Bytes sigs;
    for (unsigned s : {0x0403u, 0x0804u, 0x0401u}) u16(sigs, s);
    Bytes versions;
    u16(versions, 0x0304);
    Bytes key_share;
    u16(key_share, 0x001d);
    raw(key_share, vec16(Bytes(32, static_cast<std::uint8_t>(seed ^ 0x5a))));
    Bytes params;  // initial_max_data (0x04) = 1048576, max_idle_timeout (0x01) = 30000
    for (unsigned v : {0x04u, 0x04u, 0x80u, 0x10u, 0x00u, 0x00u, 0x01u, 0x04u, 0x80u, 0x00u, 0x75u, 0x30u})
        u8(params, v);

    Bytes exts;
    raw(exts, extension(0x0000, vec16(sni_list)));
    raw(exts, extension(0x000a, vec16(groups)));
    raw(exts, extension(0x000d, vec16(sigs)));
    raw(exts, extension(0x0010, vec16(vec8(protocol))));
    raw(exts, extension(0x002b, vec8(versions)));
    raw(exts, extension(0x0033, vec16(key_share)));
    raw(exts, extension(0x002d, vec8(Bytes{1})));
    raw(exts, extension(0x0039, params));
    if (filler > 0) raw(exts, extension(0x0015, Bytes(filler, 0)));

    Bytes suites;
    for (unsigned s : {0x1301u, 0x1302u, 0x1303u}) u16(suites, s);
    Bytes body;
    u16(body, 0x0303);
    for (std::size_t i = 0; i < 32; ++i) u8(body, (seed + i * 7) & 0xff);
    raw(body, vec8({}));  // legacy session id: empty in QUIC
    raw(body, vec16(suites));
    raw(body, vec8(Bytes{0}));
    raw(body, vec16(exts));
    Bytes msg;
    u8(msg, 1);
    u24(msg, body.size());
    raw(msg, body);
    return msg;
}

Bytes cid(std::uint8_t seed, std::size_t n) {
    Bytes c;
    for (std::size_t i = 0; i < n; ++i) c.push_back(static_cast<std::uint8_t>(seed * 31 + i * 17 + 3));
    return c;
}

struct Piece {
    std::size_t offset;
    std::size_t length;
};

// One handshake: which pieces of the ClientHello go in which client
// Initial, and how the Initials are packed into datagrams.
struct Handshake {
    std::uint32_t version;
    tg::Addr client, server;
    std::uint16_t client_port, server_port;
    std::string sni;
    std::size_t filler;
    // datagrams[d] = the Initial packets (each a list of CRYPTO pieces,
    // fractions of the message in 1/6ths) coalesced into datagram d.
    std::vector<std::vector<std::vector<Piece>>> datagrams;
};

class Writer {
public:
    explicit Writer(const std::string& path)
        : out_(path, tg::FileFormat::pcap, tg::LinkType::ethernet) {}
    bool ok() const { return out_.ok(); }
    bool close() { return out_.close(); }

    void udp(const Handshake& h, bool from_client, const Bytes& payload) {
        const tg::Addr& src = from_client ? h.client : h.server;
        const tg::Addr& dst = from_client ? h.server : h.client;
        const auto l4 = tg::udp_datagram(src, dst, from_client ? h.client_port : h.server_port,
                                         from_client ? h.server_port : h.client_port, payload);
        const auto ip = tg::ip_wrap(src, dst, tg::kProtoUdp, l4);
        tg::LinkContext link;
        const auto frame = tg::encapsulate(link, src.v6 ? tg::kEtherIpv6 : tg::kEtherIpv4, ip, from_client);
        ts_ns_ += 1'250'000;  // 1.25 ms apart
        out_.write(ts_ns_, frame);
    }

private:
    tg::CaptureWriter out_;
    std::int64_t ts_ns_ = 1'717'200'000'000'000'000;
};

bool write_handshake(Writer& w, const Handshake& h, std::uint8_t seed) {
    const Bytes dcid = cid(seed, 8);
    const Bytes scid = cid(static_cast<std::uint8_t>(seed + 1), 5);
    const Bytes server_scid = cid(static_cast<std::uint8_t>(seed + 2), 6);
    const Bytes hello = client_hello(h.sni, "h3", seed, h.filler);
    const std::size_t n = hello.size();
    std::uint64_t pn = 0;
    for (const auto& datagram : h.datagrams) {
        Bytes payload;
        for (std::size_t p = 0; p < datagram.size(); ++p) {
            Bytes frames;
            for (const Piece& piece : datagram[p]) {
                // Offsets in sixths of the message, so every split is exact.
                const std::size_t from = n * piece.offset / 6;
                const std::size_t to = n * (piece.offset + piece.length) / 6;
                quic::append_crypto_frame(frames, from,
                                          std::span<const std::uint8_t>(hello).subspan(from, to - from));
            }
            quic::InitialSpec spec;
            spec.version = h.version;
            spec.dcid = dcid;
            spec.scid = scid;
            spec.packet_number = pn++;
            spec.pn_length = 2;
            spec.frames = frames;
            // The last packet of a datagram pads it to 1200 bytes (RFC 9000 14.1).
            if (p + 1 == datagram.size()) spec.pad_to = payload.size() < 1200 ? 1200 - payload.size() : 0;
            const Bytes packet = quic::build_initial(spec);
            if (packet.empty()) return false;
            raw(payload, packet);
        }
        w.udp(h, true, payload);
    }
    // The server: an Initial with an ACK frame, coalesced with a Handshake
    // packet (opaque to everyone without the handshake keys).
    Bytes ack;
    for (unsigned v : {0x02u, 0x00u, 0x00u, 0x00u, 0x00u}) u8(ack, v);
    ack[1] = static_cast<std::uint8_t>(pn - 1);
    quic::InitialSpec server;
    server.version = h.version;
    server.dcid = scid;
    server.scid = server_scid;
    server.key_dcid = dcid;
    server.from_server = true;
    server.pn_length = 1;
    server.frames = ack;
    Bytes reply = quic::build_initial(server);
    if (reply.empty()) return false;
    raw(reply, quic::build_long_packet(h.version, quic::PacketType::handshake, scid, server_scid,
                                       Bytes(120, 0x33)));
    w.udp(h, false, reply);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: sockeye-quic-capgen OUT.pcap\n");
        return 2;
    }
    const tg::Addr c4 = tg::ipv4(10, 77, 0, 1), s4 = tg::ipv4(10, 77, 0, 2);
    const tg::Addr c6 = tg::ipv6({0xfd00, 0x77, 0, 0, 0, 0, 0, 1});
    const tg::Addr s6 = tg::ipv6({0xfd00, 0x77, 0, 0, 0, 0, 0, 2});
    using P = std::vector<Piece>;
    const std::vector<Handshake> handshakes = {
        // v1, two Initials in two datagrams.
        {quic::kVersion1, c4, s4, 40001, 4433, "split2-v1.quic.test", 0,
         {{P{{0, 3}}}, {P{{3, 3}}}}},
        // v2, three Initials in three datagrams, the middle piece last.
        {quic::kVersion2, c4, s4, 40002, 8443, "split3-v2.quic.test", 0,
         {{P{{0, 2}}}, {P{{4, 2}}}, {P{{2, 2}}}}},
        // v1, two Initials coalesced into one datagram.
        {quic::kVersion1, c4, s4, 40003, 50000, "coalesced-v1.quic.test", 0,
         {{P{{0, 3}}, P{{3, 3}}}}},
        // v2 over IPv6, coalesced pair then a third Initial; a padding
        // extension makes the ClientHello longer than one packet.
        {quic::kVersion2, c6, s6, 40004, 61000, "coalesced-v2.quic.test", 1400,
         {{P{{0, 2}}, P{{2, 2}}}, {P{{4, 2}}}}},
        // v1 over IPv6, two CRYPTO frames per packet, out of order.
        {quic::kVersion1, c6, s6, 40005, 8443, "frames-v1.quic.test", 0,
         {{P{{1, 1}, {0, 1}}}, {P{{3, 3}, {2, 1}}}}},
    };
    Writer w(argv[1]);
    if (!w.ok()) {
        std::fprintf(stderr, "sockeye-quic-capgen: cannot write %s\n", argv[1]);
        return 1;
    }
    std::uint8_t seed = 1;
    for (const auto& h : handshakes) {
        if (!write_handshake(w, h, seed)) {
            std::fprintf(stderr, "sockeye-quic-capgen: cannot build %s\n", h.sni.c_str());
            return 1;
        }
        seed = static_cast<std::uint8_t>(seed + 11);
    }
    return w.close() ? 0 : 1;
}
