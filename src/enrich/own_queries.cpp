#include "enrich/own_queries.hpp"

#include <algorithm>

namespace sockeye::enrich {

void OwnQueryLog::opened(int fd, snapshot::FlowProtocol protocol, std::uint16_t local_port,
                         const core::IpAddress& remote, std::uint16_t remote_port, Clock::time_point now) {
    if (max_records_ == 0) return;
    // A reused descriptor number means the old socket is gone.
    closed(fd, now);
    records_.erase(std::remove_if(records_.begin(), records_.end(),
                                  [&](const Record& r) { return expired(r, now); }),
                   records_.end());
    if (records_.size() >= max_records_) records_.erase(records_.begin());
    records_.push_back(Record{fd, protocol, local_port, remote, remote_port, {}});
}

void OwnQueryLog::closed(int fd, Clock::time_point now) {
    for (Record& r : records_) {
        if (r.fd == fd) {
            r.fd = -1;
            r.closed_at = now;
        }
    }
}

bool OwnQueryLog::matches(snapshot::FlowProtocol protocol, std::uint16_t local_port,
                          const core::IpAddress& remote, std::uint16_t remote_port,
                          Clock::time_point now) const {
    return std::any_of(records_.begin(), records_.end(), [&](const Record& r) {
        return r.protocol == protocol && r.local_port == local_port && r.remote_port == remote_port &&
               r.remote == remote && !expired(r, now);
    });
}

}  // namespace sockeye::enrich
