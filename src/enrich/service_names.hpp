// Port -> service name ("https", "domain", "ssh"), from a table compiled into
// the binary: a static binary in an empty container has no /etc/services.
#pragma once

#include <cstdint>
#include <string_view>

#include "snapshot/flow_record.hpp"

namespace sockeye::enrich {

// "" when the port has no well-known service for that protocol.
std::string_view service_name(snapshot::FlowProtocol protocol, std::uint16_t port);

// Whether `name` is a service of the table (any port, either transport),
// ASCII case-insensitively: what a filter's `service:` can ever match.
bool is_service_name(std::string_view name);

// The service of a flow: its destination port's, else its source port's
// (a live flow's source is the local side, which may be the server).
std::string_view flow_service(const snapshot::FlowRecord& flow);

}  // namespace sockeye::enrich
