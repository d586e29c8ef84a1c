// One TCP connection as a sequence of segments with consistent sequence and
// acknowledgement numbers, so that tshark's and sockeye's TCP analysis see
// exactly the events a scenario asks for (retransmission, reordering, ...).
#pragma once

#include <cstdint>

#include "packet_builder.hpp"
#include "trace.hpp"

namespace sockeye::trafficgen {

struct TcpEndpoints {
    Addr client;
    Addr server;
    std::uint16_t client_port = 0;
    std::uint16_t server_port = 0;
};

class TcpConversation {
public:
    TcpConversation(Trace& trace, const LinkContext& link, const TcpEndpoints& ends, std::int64_t start_ns,
                    std::uint32_t client_isn, std::uint32_t server_isn);

    // Time between consecutive segments of this connection.
    void set_step(std::int64_t step_ns) { step_ns_ = step_ns; }
    void pause(std::int64_t ns) { now_ns_ += ns; }
    [[nodiscard]] std::int64_t now() const { return now_ns_; }

    void handshake(bool with_options);
    // A SYN nobody answers, sent `attempts` times with doubling back-off from 1 s.
    void unanswered_syn(int attempts);
    void data(bool from_client, std::uint32_t len);
    void ack(bool from_client);
    // Request, acknowledged response, final ACK.
    void exchange(std::uint32_t request, std::uint32_t response);
    // A data segment, sent again after a (simulated) RTO, then acknowledged.
    void retransmission(bool from_client, std::uint32_t len);
    // Two segments sent in reverse order, then acknowledged.
    void out_of_order(bool from_client, std::uint32_t len1, std::uint32_t len2);
    // Segments A B C; the receiver lost A and sends duplicate ACKs for B and C;
    // A is retransmitted and everything acknowledged.
    void fast_retransmit(bool from_client, std::uint32_t len);
    // FIN, ACK, FIN, ACK.
    void fin_close(bool client_first);
    void reset(bool from_client);

private:
    void emit(bool from_client, std::uint8_t flags, std::uint32_t seq, std::uint32_t len, Bytes options = {});

    Trace& trace_;
    LinkContext link_;
    TcpEndpoints ends_;
    std::int64_t now_ns_;
    std::int64_t step_ns_ = 400 * kUs;
    std::uint32_t client_next_;  // next sequence number the client sends
    std::uint32_t server_next_;
    std::uint32_t tsval_ = 1000;
};

}  // namespace sockeye::trafficgen
