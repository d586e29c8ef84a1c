#include "snapshot/process_info.hpp"

namespace sockeye::snapshot {

std::string_view process_match_name(ProcessMatch m) {
    switch (m) {
        case ProcessMatch::none: return "none";
        case ProcessMatch::exact: return "exact";
        case ProcessMatch::listener: return "listener";
        case ProcessMatch::wildcard: return "wildcard";
        case ProcessMatch::ebpf: return "ebpf";
        case ProcessMatch::pcapng_comment: return "pcapng_comment";
        case ProcessMatch::announced: return "announced";
        case ProcessMatch::nat: return "nat";
    }
    return "none";
}

std::string_view unattributed_reason_name(UnattributedReason r) {
    switch (r) {
        case UnattributedReason::none: return "none";
        case UnattributedReason::offline: return "offline";
        case UnattributedReason::not_local: return "not_local";
        case UnattributedReason::no_socket: return "no_socket";
        case UnattributedReason::no_permission: return "no_permission";
        case UnattributedReason::pending: return "pending";
    }
    return "none";
}

}  // namespace sockeye::snapshot
