// QUIC detection and field extraction for one UDP flow (RFC 9000, 9001,
// 9369): versions, connection IDs, the client's ClientHello read out of
// decrypted Initial packets (SNI, ALPN, JA4), and the connection state.
//
// QUIC is the registry's stateful entry: probe_quic says whether a datagram
// may start a QUIC flow (looks_like_quic), and the detector then keeps a
// QuicTracker (a FlowParser) for the flow and feeds it every datagram until
// finished(). A match verdict does not mean "stop": the tracker keeps
// learning (ClientHello split over Initials, handshake, close) and stays
// cheap once the Initial keys are dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dpi/probe.hpp"
#include "dpi/protocols/quic_crypto_stream.hpp"
#include "dpi/protocols/quic_header.hpp"
#include "dpi/protocols/quic_initial.hpp"
#include "snapshot/app_info.hpp"

namespace sockeye::dpi::quic {

enum class ConnectionState : std::uint8_t { initial, handshake, connected, closed };

// "INITIAL", "HANDSHAKE", "CONNECTED", "CLOSED".
const char* state_name(ConnectionState state);

class QuicTracker final : public FlowParser {
public:
    static constexpr std::uint32_t kMaxOpenedPackets = 32;   // Initials decrypted per flow
    static constexpr std::uint32_t kMaxKeyDerivations = 4;   // first DCID, Retry, a spare
    static constexpr std::uint32_t kMaxUnconfirmedDatagrams = 16;
    static constexpr std::size_t kMaxPacketsPerDatagram = 8;
    static constexpr std::size_t kMaxReasonBytes = 255;
    static constexpr std::size_t kMaxVersionsListed = 16;

    QuicTracker();
    ~QuicTracker() override;
    QuicTracker(const QuicTracker&) = delete;
    QuicTracker& operator=(const QuicTracker&) = delete;

    // Cheap check of a flow's first datagram: a well-formed long header of
    // a version we know (v1, v2, drafts), a Version Negotiation packet, or a
    // full-size (1200-byte) Initial of an unknown version probing for one.
    static bool looks_like_quic(std::span<const std::uint8_t> datagram);

    // One datagram of the flow; `from_initiator` is its direction relative to
    // the flow record (the tracker works out which side is the client).
    // no_match: not QUIC (info untouched; drop the tracker). need_more:
    // plausible, not yet confirmed. match: confirmed QUIC (an Initial
    // decrypted, or well-formed headers both ways); info holds the fields.
    Verdict on_datagram(std::span<const std::uint8_t> datagram, bool from_initiator,
                        std::int64_t ts_ns, snapshot::AppInfo& info);
    Verdict parse(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                  snapshot::AppInfo& info) override {
        return on_datagram(payload, ctx.from_initiator, ctx.ts_ns, info);
    }

    // Whether the last on_datagram call changed `info`.
    [[nodiscard]] bool info_changed() const override { return changed_; }
    // Nothing more to learn: closed, or connected with the ClientHello read
    // (or given up on). The detector may stop feeding datagrams.
    [[nodiscard]] bool finished() const override;

    [[nodiscard]] ConnectionState state() const { return state_; }
    [[nodiscard]] std::uint32_t version() const { return version_; }
    [[nodiscard]] bool client_hello_parsed() const { return hello_done_; }
    // The client's Source CID: what server -> client short headers carry.
    [[nodiscard]] const ConnectionId& client_cid() const { return client_cid_; }
    // The server's Source CID: what client -> server short headers carry.
    [[nodiscard]] const ConnectionId& server_cid() const { return server_cid_; }
    // Heap bytes held now (keys, CRYPTO buffer, scratch), for bounds tests.
    [[nodiscard]] std::size_t heap_bytes() const;

    // Whether a short-header packet is addressed to `cid` (its DCID has no
    // length on the wire, so the expected CID must be known). Lets the
    // detector keep a migrated connection on its flow.
    static bool short_header_has_dcid(std::span<const std::uint8_t> datagram,
                                      const ConnectionId& cid);

private:
    class Sink;
    friend class Sink;

    struct DatagramResult {
        bool well_formed = false;  // at least one packet parsed
        bool confirmed = false;    // something only QUIC produces
    };

    [[nodiscard]] bool is_client(bool from_initiator) const {
        return from_initiator == client_is_source_;
    }
    void handle_long(const LongHeader& hdr, std::span<const std::uint8_t> packet,
                     bool from_initiator, DatagramResult& result, snapshot::AppInfo& info);
    void handle_short(std::span<const std::uint8_t> packet, bool from_initiator,
                      DatagramResult& result, snapshot::AppInfo& info);
    void handle_unknown_version(const LongHeader& hdr, std::span<const std::uint8_t> datagram,
                                bool from_initiator, DatagramResult& result,
                                snapshot::AppInfo& info);
    void handle_version_negotiation(const LongHeader& hdr, bool from_initiator,
                                    DatagramResult& result, snapshot::AppInfo& info);
    void handle_initial(const LongHeader& hdr, std::span<const std::uint8_t> packet,
                        bool from_initiator, DatagramResult& result, snapshot::AppInfo& info);
    bool open_initial(const LongHeader& hdr, std::span<const std::uint8_t> packet,
                      bool client_side, bool may_derive);
    void try_client_hello(snapshot::AppInfo& info);
    void set_state(ConnectionState state, snapshot::AppInfo& info);
    void note_close(bool by_client, bool application, std::uint64_t code,
                    std::span<const std::uint8_t> reason, snapshot::AppInfo& info);
    void set_version(std::uint32_t version, snapshot::AppInfo& info);
    void release_if_done();

    std::unique_ptr<InitialKeys> keys_;
    CryptoStream crypto_;
    std::vector<std::uint8_t> scratch_;  // header + plaintext of the packet being opened
    OpenedPacket opened_;                 // points into scratch_
    ConnectionId client_cid_;
    ConnectionId server_cid_;
    std::uint64_t expected_pn_[2] = {0, 0};  // [client, server] Initial spaces
    std::uint32_t version_ = 0;
    std::uint32_t opened_packets_ = 0;
    std::uint32_t key_derivations_ = 0;
    std::uint32_t unconfirmed_datagrams_ = 0;
    ConnectionState state_ = ConnectionState::initial;
    bool client_is_source_ = true;  // until an Initial decrypts and says otherwise
    bool client_side_known_ = false;
    bool confirmed_ = false;
    bool seen_long_[2] = {false, false};   // [client, server]
    bool seen_short_[2] = {false, false};  // [client, server]
    bool ids_reported_ = false;
    bool hello_done_ = false;
    bool hello_gave_up_ = false;
    bool changed_ = false;
};

}  // namespace sockeye::dpi::quic

namespace sockeye::dpi {

// The registry's QUIC entry: need_more when the datagram may start a QUIC
// flow (the detector then makes a parser with make_quic_parser), else
// no_match. Writes nothing.
Verdict probe_quic(const ProbeContext& ctx, std::span<const std::uint8_t> payload,
                   snapshot::AppInfo& info);
std::unique_ptr<FlowParser> make_quic_parser();

}  // namespace sockeye::dpi
