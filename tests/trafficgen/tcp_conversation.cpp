#include "tcp_conversation.hpp"

#include <utility>

namespace sockeye::trafficgen {

TcpConversation::TcpConversation(Trace& trace, const LinkContext& link, const TcpEndpoints& ends,
                                 std::int64_t start_ns, std::uint32_t client_isn, std::uint32_t server_isn)
    : trace_(trace), link_(link), ends_(ends), now_ns_(start_ns), client_next_(client_isn),
      server_next_(server_isn) {}

void TcpConversation::emit(bool from_client, std::uint8_t flags, std::uint32_t seq, std::uint32_t len,
                           Bytes options) {
    TcpFields f;
    f.source_port = from_client ? ends_.client_port : ends_.server_port;
    f.destination_port = from_client ? ends_.server_port : ends_.client_port;
    f.seq = seq;
    // Every segment acknowledges all the peer has sent so far (the callers
    // that model loss pass explicit sequence numbers instead).
    f.ack = (flags & kAck) != 0 ? (from_client ? server_next_ : client_next_) : 0;
    f.flags = flags;
    f.options = std::move(options);
    f.payload_len = len;
    f.fill = static_cast<std::uint8_t>(from_client ? 'c' : 's');
    const Addr& src = from_client ? ends_.client : ends_.server;
    const Addr& dst = from_client ? ends_.server : ends_.client;
    const Bytes seg = tcp_segment(src, dst, f);
    const Bytes packet = ip_wrap(src, dst, kProtoTcp, seg, static_cast<std::uint16_t>(tsval_));
    trace_.add_packet(now_ns_, link_, ethertype_for(src), packet, from_client);
    now_ns_ += step_ns_;
    ++tsval_;
}

void TcpConversation::handshake(bool with_options) {
    const std::uint32_t client_isn = client_next_;
    emit(true, kSyn, client_isn, 0, with_options ? syn_options(1460, 7, tsval_, 0) : Bytes{});
    client_next_ = client_isn + 1;
    const std::uint32_t server_isn = server_next_;
    emit(false, kSyn | kAck, server_isn, 0, with_options ? syn_options(1440, 9, tsval_, tsval_ - 1) : Bytes{});
    server_next_ = server_isn + 1;
    emit(true, kAck, client_next_, 0);
}

void TcpConversation::unanswered_syn(int attempts) {
    const std::uint32_t isn = client_next_;
    std::int64_t backoff = 1000 * kMs;
    for (int i = 0; i < attempts; ++i) {
        emit(true, kSyn, isn, 0, syn_options(1460, 7, tsval_, 0));
        pause(backoff);
        backoff *= 2;
    }
    client_next_ = isn + 1;
}

void TcpConversation::data(bool from_client, std::uint32_t len) {
    std::uint32_t& next = from_client ? client_next_ : server_next_;
    const std::uint32_t seq = next;
    next += len;
    emit(from_client, kPsh | kAck, seq, len);
}

void TcpConversation::ack(bool from_client) {
    emit(from_client, kAck, from_client ? client_next_ : server_next_, 0);
}

void TcpConversation::exchange(std::uint32_t request, std::uint32_t response) {
    data(true, request);
    data(false, response);
    ack(true);
}

void TcpConversation::retransmission(bool from_client, std::uint32_t len) {
    std::uint32_t& next = from_client ? client_next_ : server_next_;
    const std::uint32_t seq = next;
    next += len;
    emit(from_client, kPsh | kAck, seq, len);
    pause(200 * kMs);  // Linux's minimum RTO
    emit(from_client, kPsh | kAck, seq, len);
    ack(!from_client);
}

void TcpConversation::out_of_order(bool from_client, std::uint32_t len1, std::uint32_t len2) {
    std::uint32_t& next = from_client ? client_next_ : server_next_;
    const std::uint32_t first = next;
    next += len1 + len2;
    emit(from_client, kPsh | kAck, first + len1, len2);
    emit(from_client, kPsh | kAck, first, len1);
    ack(!from_client);
}

void TcpConversation::fast_retransmit(bool from_client, std::uint32_t len) {
    std::uint32_t& next = from_client ? client_next_ : server_next_;
    const std::uint32_t a = next;
    emit(from_client, kAck, a, len);
    emit(from_client, kAck, a + len, len);
    emit(from_client, kAck, a + 2 * len, len);
    // The receiver still expects A: three ACKs for `a` (the first is the
    // original, two are duplicates).
    const std::uint32_t saved = next;
    for (int i = 0; i < 3; ++i) {
        emit(!from_client, kAck, from_client ? server_next_ : client_next_, 0);
    }
    next = saved + 3 * len;
    emit(from_client, kPsh | kAck, a, len);
    ack(!from_client);
}

void TcpConversation::fin_close(bool client_first) {
    std::uint32_t& first_next = client_first ? client_next_ : server_next_;
    std::uint32_t& second_next = client_first ? server_next_ : client_next_;
    const std::uint32_t fin1 = first_next;
    first_next += 1;
    emit(client_first, kFin | kAck, fin1, 0);
    emit(!client_first, kAck, second_next, 0);
    const std::uint32_t fin2 = second_next;
    second_next += 1;
    emit(!client_first, kFin | kAck, fin2, 0);
    emit(client_first, kAck, first_next, 0);
}

void TcpConversation::reset(bool from_client) {
    emit(from_client, kRst | kAck, from_client ? client_next_ : server_next_, 0);
}

}  // namespace sockeye::trafficgen
