#include "dpi/protocols/quic.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "core/hex.hpp"
#include "dpi/protocols/quic_frames.hpp"
#include "dpi/protocols/quic_initial.hpp"
#include "dpi/protocols/tls_handshake.hpp"

namespace sockeye::dpi::quic {
namespace {

constexpr std::size_t kClientSide = 0;
constexpr std::size_t kServerSide = 1;
constexpr std::size_t kHandshakeHeaderBytes = 4;  // msg_type, u24 length
constexpr std::uint8_t kClientHelloType = 1;
constexpr std::size_t kMaxScratchBytes = 65536;   // a UDP payload never exceeds it
constexpr std::size_t kVersionBytes = 4;
// Clients pad every datagram carrying an Initial to 1200 bytes, and servers
// answer unknown versions only on such datagrams (RFC 9000 §14.1, §6.1).
constexpr std::size_t kMinInitialDatagram = 1200;

std::size_t side(bool client) { return client ? kClientSide : kServerSide; }

bool same_cid(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Reason phrases are bytes, kept as they are: the JSON writer escapes them.
std::string capped(std::span<const std::uint8_t> bytes, std::size_t max) {
    const auto n = static_cast<std::ptrdiff_t>(std::min(bytes.size(), max));
    return std::string(bytes.begin(), bytes.begin() + n);
}

}  // namespace

const char* state_name(ConnectionState state) {
    switch (state) {
        case ConnectionState::initial: return "INITIAL";
        case ConnectionState::handshake: return "HANDSHAKE";
        case ConnectionState::connected: return "CONNECTED";
        case ConnectionState::closed: return "CLOSED";
    }
    return "INITIAL";
}

// Receives the frames of one decrypted Initial.
class QuicTracker::Sink final : public FrameSink {
public:
    Sink(QuicTracker& tracker, bool client, snapshot::AppInfo& info)
        : tracker_(tracker), client_(client), info_(info) {}

    void on_crypto(std::uint64_t offset, std::span<const std::uint8_t> data) override {
        // The server's Initial CRYPTO data is its ServerHello, which carries
        // nothing we report; only the client's stream is kept.
        if (!client_ || tracker_.hello_done_ || tracker_.hello_gave_up_) return;
        (void)tracker_.crypto_.add(offset, data);
    }
    void on_connection_close(bool application, std::uint64_t error_code,
                             std::uint64_t frame_type,
                             std::span<const std::uint8_t> reason) override {
        (void)frame_type;
        tracker_.note_close(client_, application, error_code, reason, info_);
    }

private:
    QuicTracker& tracker_;
    bool client_;
    snapshot::AppInfo& info_;
};

QuicTracker::QuicTracker() = default;
QuicTracker::~QuicTracker() = default;

bool QuicTracker::looks_like_quic(std::span<const std::uint8_t> datagram) {
    LongHeader hdr;
    if (parse_long_header(datagram, hdr) != HeaderStatus::ok) return false;
    if (hdr.type == PacketType::version_negotiation)
        return hdr.dcid.size() <= kMaxCidBytes && hdr.scid.size() <= kMaxCidBytes;
    if (hdr.type == PacketType::unknown) {
        // A version probe: only a full-size Initial datagram is plausible.
        return datagram.size() >= kMinInitialDatagram && hdr.dcid.size() <= kMaxCidBytes &&
               hdr.scid.size() <= kMaxCidBytes && (hdr.first_byte & kFixedBit) != 0;
    }
    // The fixed bit may only be greased once the peer allowed it (RFC 9287),
    // which cannot have happened before a flow's first packet.
    return (hdr.first_byte & kFixedBit) != 0;
}

bool QuicTracker::short_header_has_dcid(std::span<const std::uint8_t> datagram,
                                        const ConnectionId& cid) {
    core::ByteReader r(datagram);
    const std::uint8_t first = r.u8();
    if (!r.ok() || (first & kLongHeaderBit) != 0) return false;
    const auto dcid = r.take(cid.size);
    // A packet number byte and an AEAD tag must follow the DCID.
    return r.ok() && r.remaining() > crypto::kGcmTagBytes && same_cid(dcid, cid.view());
}

bool QuicTracker::finished() const { return state_ >= ConnectionState::connected; }

std::size_t QuicTracker::heap_bytes() const {
    return (keys_ ? sizeof(InitialKeys) : 0) + crypto_.capacity() + scratch_.capacity();
}

Verdict QuicTracker::on_datagram(std::span<const std::uint8_t> datagram, bool from_initiator,
                                 std::int64_t ts_ns, snapshot::AppInfo& info) {
    (void)ts_ns;  // states come from packet types, not from time
    changed_ = false;
    if (!confirmed_) {
        const bool first = !seen_long_[kClientSide] && !seen_long_[kServerSide];
        if (first && !looks_like_quic(datagram)) return Verdict::no_match;
        if (unconfirmed_datagrams_ >= kMaxUnconfirmedDatagrams) return Verdict::no_match;
        ++unconfirmed_datagrams_;
    }
    if (finished()) return Verdict::match;

    DatagramResult result;
    auto rest = datagram;
    for (std::size_t i = 0; i < kMaxPacketsPerDatagram && !rest.empty(); ++i) {
        LongHeader hdr;
        const HeaderStatus status = parse_long_header(rest, hdr);
        if (status == HeaderStatus::short_header) {
            handle_short(rest, from_initiator, result, info);
            break;
        }
        if (status != HeaderStatus::ok) break;
        if (hdr.type == PacketType::unknown) {
            if (i == 0 && looks_like_quic(rest)) {
                result.well_formed = true;
                handle_unknown_version(hdr, rest, from_initiator, result, info);
            }
            break;
        }
        result.well_formed = true;
        handle_long(hdr, rest.first(hdr.packet_size), from_initiator, result, info);
        rest = rest.subspan(hdr.packet_size);
    }
    if (result.confirmed || (seen_long_[kClientSide] && seen_long_[kServerSide]))
        confirmed_ = true;
    release_if_done();
    return confirmed_ ? Verdict::match : Verdict::need_more;
}

void QuicTracker::handle_long(const LongHeader& hdr, std::span<const std::uint8_t> packet,
                              bool from_initiator, DatagramResult& result,
                              snapshot::AppInfo& info) {
    if (hdr.type == PacketType::version_negotiation) {
        handle_version_negotiation(hdr, from_initiator, result, info);
        return;
    }
    const bool client = is_client(from_initiator);
    if (client || version_ == 0) set_version(hdr.version, info);
    if (info.find("state") == nullptr) {
        info.set_text("state", state_name(state_));
        changed_ = true;
    }
    seen_long_[side(client)] = true;
    // Endpoints may change their CID during the handshake: keep the latest.
    (void)(client ? client_cid_ : server_cid_).assign(hdr.scid);

    switch (hdr.type) {
        case PacketType::initial:
            handle_initial(hdr, packet, from_initiator, result, info);
            break;
        case PacketType::handshake:
            set_state(ConnectionState::handshake, info);
            break;
        default:
            break;  // 0-RTT is opaque; a Retry only changes the server CID
    }
}

void QuicTracker::handle_unknown_version(const LongHeader& hdr,
                                         std::span<const std::uint8_t> datagram,
                                         bool from_initiator, DatagramResult& result,
                                         snapshot::AppInfo& info) {
    // Header fields first, as for any long header; then try a known
    // version's layout and keys, which authenticate the guess if they open
    // the packet.
    handle_long(hdr, datagram, from_initiator, result, info);
    LongHeader guessed;
    if (parse_unknown_long_header(datagram, guessed) == HeaderStatus::ok &&
        guessed.type == PacketType::initial)
        handle_initial(guessed, datagram.first(guessed.packet_size), from_initiator, result, info);
}

void QuicTracker::handle_version_negotiation(const LongHeader& hdr, bool from_initiator,
                                             DatagramResult& result,
                                             snapshot::AppInfo& info) {
    // Only servers send Version Negotiation.
    if (!client_side_known_ && is_client(from_initiator)) {
        std::swap(client_cid_, server_cid_);
        std::swap(seen_long_[kClientSide], seen_long_[kServerSide]);
        std::swap(seen_short_[kClientSide], seen_short_[kServerSide]);
        client_is_source_ = !from_initiator;
    }
    client_side_known_ = true;
    // It echoes the client's CIDs, swapped: proof it answers this flow.
    if (seen_long_[kClientSide] && same_cid(hdr.dcid, client_cid_.view())) result.confirmed = true;
    seen_long_[kServerSide] = true;

    std::vector<std::string> names;
    core::ByteReader r(hdr.versions);
    while (r.remaining() >= kVersionBytes && names.size() < kMaxVersionsListed)
        names.push_back(version_name(r.u32_be()));
    info.set_list("versions", std::move(names));
    changed_ = true;
}

void QuicTracker::handle_initial(const LongHeader& hdr, std::span<const std::uint8_t> packet,
                                 bool from_initiator, DatagramResult& result,
                                 snapshot::AppInfo& info) {
    bool client = is_client(from_initiator);
    if (!client_side_known_) {
        // Whoever sends an Initial that opens with keys from its own DCID is
        // the client: the server's Initials use the client's DCID's keys.
        if (!open_initial(hdr, packet, true, true)) {
            if (client && initial_salt(hdr.version).empty() && !ids_reported_) {
                // A version whose keys we cannot derive: report the header.
                info.set_text("dcid", core::hex(hdr.dcid));
                info.set_text("scid", core::hex(hdr.scid));
                ids_reported_ = true;
                changed_ = true;
            }
            return;
        }
        if (!client) {
            // The capture started with the server's side: swap what we
            // attributed to each side.
            std::swap(client_cid_, server_cid_);
            std::swap(seen_long_[kClientSide], seen_long_[kServerSide]);
            std::swap(seen_short_[kClientSide], seen_short_[kServerSide]);
            std::swap(expected_pn_[kClientSide], expected_pn_[kServerSide]);
            client_is_source_ = from_initiator;
        }
        client_side_known_ = true;
        client = true;
        result.confirmed = true;
        set_version(hdr.version, info);
        if (!ids_reported_) {
            info.set_text("dcid", core::hex(hdr.dcid));
            info.set_text("scid", core::hex(hdr.scid));
            ids_reported_ = true;
            changed_ = true;
        }
    } else if (!open_initial(hdr, packet, client, client)) {
        return;
    }
    result.confirmed = true;
    Sink sink(*this, client, info);
    (void)parse_frames(opened_.payload, sink);
    if (client) try_client_hello(info);
}

bool QuicTracker::open_initial(const LongHeader& hdr, std::span<const std::uint8_t> packet,
                               bool client_side, bool may_derive) {
    if (opened_packets_ >= kMaxOpenedPackets || packet.size() > kMaxScratchBytes) return false;
    if (scratch_.size() < packet.size()) scratch_.resize(packet.size());
    const std::size_t space = side(client_side);
    if (keys_) {
        auto& protection = client_side ? keys_->client : keys_->server;
        if (open_long_packet(protection, packet, hdr.pn_offset, expected_pn_[space], scratch_,
                             opened_) == OpenStatus::ok) {
            ++opened_packets_;
            expected_pn_[space] = std::max(expected_pn_[space], opened_.packet_number + 1);
            return true;
        }
    }
    // A new client DCID (the first one, or the one a Retry asked for)
    // brings new keys; anything else cannot be opened.
    if (!client_side || !may_derive || key_derivations_ >= kMaxKeyDerivations) return false;
    if (keys_ && same_cid(keys_->dcid.view(), hdr.dcid)) return false;
    ++key_derivations_;
    auto fresh = std::make_unique<InitialKeys>();
    if (!derive_initial_keys(hdr.layout_version, hdr.dcid, *fresh)) return false;
    if (open_long_packet(fresh->client, packet, hdr.pn_offset, expected_pn_[space], scratch_,
                         opened_) != OpenStatus::ok)
        return false;
    keys_ = std::move(fresh);
    ++opened_packets_;
    expected_pn_[space] = std::max(expected_pn_[space], opened_.packet_number + 1);
    return true;
}

void QuicTracker::try_client_hello(snapshot::AppInfo& info) {
    if (hello_done_ || hello_gave_up_) return;
    const auto bytes = crypto_.contiguous();
    if (bytes.size() < kHandshakeHeaderBytes) return;
    core::ByteReader r(bytes);
    const std::uint8_t type = r.u8();
    const std::size_t needed = kHandshakeHeaderBytes + r.u24_be();
    if (type != kClientHelloType || needed > CryptoStream::kMaxBytes) {
        hello_gave_up_ = true;
        crypto_.release();
        return;
    }
    // Parse once, when the whole message is there.
    if (bytes.size() < needed) return;
    tls::ClientHello hello;
    if (tls::parse_client_hello(bytes.first(needed), hello) == tls::ParseStatus::ok) {
        tls::add_client_hello_fields(hello, 'q', info);
        hello_done_ = true;
        changed_ = true;
    } else {
        hello_gave_up_ = true;
    }
    crypto_.release();
}

void QuicTracker::handle_short(std::span<const std::uint8_t> packet, bool from_initiator,
                               DatagramResult& result, snapshot::AppInfo& info) {
    (void)result;
    // A short header alone says nothing: it must follow long headers.
    if (packet.empty() || (!seen_long_[kClientSide] && !seen_long_[kServerSide])) return;
    const bool client = is_client(from_initiator);
    const ConnectionId& expected = client ? server_cid_ : client_cid_;
    // Peers may grease the fixed bit (RFC 9287; ngtcp2 does): without it,
    // only a matching non-empty DCID tells a packet from trailing padding.
    if ((packet[0] & kFixedBit) == 0 && expected.empty()) return;
    if (!short_header_has_dcid(packet, expected)) return;
    seen_short_[side(client)] = true;
    if (seen_short_[kClientSide] && seen_short_[kServerSide])
        set_state(ConnectionState::connected, info);
}

void QuicTracker::set_state(ConnectionState state, snapshot::AppInfo& info) {
    if (state <= state_) return;
    state_ = state;
    info.set_text("state", state_name(state));
    changed_ = true;
}

void QuicTracker::set_version(std::uint32_t version, snapshot::AppInfo& info) {
    if (version == version_) return;
    version_ = version;
    info.set_text("version", version_name(version));
    changed_ = true;
}

void QuicTracker::note_close(bool by_client, bool application, std::uint64_t code,
                             std::span<const std::uint8_t> reason, snapshot::AppInfo& info) {
    set_state(ConnectionState::closed, info);
    info.set_text("closed_by", by_client ? "client" : "server");
    info.set_text("close_type", application ? "application" : "transport");
    info.set_number("close_error", static_cast<std::int64_t>(code));
    if (!reason.empty()) info.set_text("close_reason", capped(reason, kMaxReasonBytes));
    changed_ = true;
}

void QuicTracker::release_if_done() {
    if (!finished()) return;
    keys_.reset();
    crypto_.release();
    std::vector<std::uint8_t>().swap(scratch_);
}

}  // namespace sockeye::dpi::quic

namespace sockeye::dpi {

Verdict probe_quic(const ProbeContext& /*ctx*/, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& /*info*/) {
    return quic::QuicTracker::looks_like_quic(payload) ? Verdict::need_more : Verdict::no_match;
}

std::unique_ptr<FlowParser> make_quic_parser() { return std::make_unique<quic::QuicTracker>(); }

}  // namespace sockeye::dpi
