// The sockets sockeye's own reverse-DNS queries use, so the app can leave
// them out of the connection table: a monitor should not show its own
// lookups as the busiest "process". A socket stays known for a while after
// it closes, because its flow outlives it in the table.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/ip_address.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::enrich {

class OwnQueryLog {
public:
    using Clock = std::chrono::steady_clock;

    OwnQueryLog(Clock::duration linger, std::size_t max_records)
        : linger_(linger), max_records_(max_records) {}

    void opened(int fd, snapshot::FlowProtocol protocol, std::uint16_t local_port,
                const core::IpAddress& remote, std::uint16_t remote_port, Clock::time_point now);
    void closed(int fd, Clock::time_point now);
    [[nodiscard]] bool matches(snapshot::FlowProtocol protocol, std::uint16_t local_port,
                               const core::IpAddress& remote, std::uint16_t remote_port,
                               Clock::time_point now) const;

private:
    struct Record {
        int fd = -1;  // -1 once closed
        snapshot::FlowProtocol protocol = snapshot::FlowProtocol::udp;
        std::uint16_t local_port = 0;
        core::IpAddress remote{};
        std::uint16_t remote_port = 0;
        Clock::time_point closed_at{};
    };

    [[nodiscard]] bool expired(const Record& r, Clock::time_point now) const {
        return r.fd < 0 && now - r.closed_at > linger_;
    }

    Clock::duration linger_;
    std::size_t max_records_;
    std::vector<Record> records_;  // oldest first; c-ares keeps only a few sockets open
};

}  // namespace sockeye::enrich
