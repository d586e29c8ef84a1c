// Fuzz target for ctnetlink's reply parser (host/conntrack): the input is
// one netlink datagram as recv() would return it; the expected sequence
// number is taken from its first header so inputs reach the message bodies.
// Besides the sanitizers, it checks the parser's promises and that tracing a
// flow back through whatever entry came out never invents a tuple.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "host/conntrack.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sockeye::host;
    const std::span<const std::uint8_t> datagram(data, size);
    std::uint32_t seq = 0;
    if (size >= 12) std::memcpy(&seq, data + 8, 4);  // nlmsg_seq, host order
    const ConntrackReply reply = parse_conntrack_datagram(datagram, seq);
    const ConntrackReply again = parse_conntrack_datagram(datagram, seq);
    check(reply.error == again.error && reply.malformed == again.malformed &&
          reply.entry.has_value() == again.entry.has_value());
    if (!reply.entry) return 0;
    const ConntrackEntry& e = *reply.entry;
    check(e.original.ip_proto == e.reply.ip_proto);
    check(e.original.source.is_v4() || e.original.source.is_v6());
    // Seen as the reply travels: the owner, if any, is the original sender.
    const SocketTuple seen{e.reply.ip_proto, e.reply.destination, e.reply.destination_port, e.reply.source,
                           e.reply.source_port};
    if (const auto owner = untranslated_owner(seen, e)) {
        check(owner->ip_proto == e.original.ip_proto);
        check(owner->local_port == e.original.source_port || owner->local_port == e.reply.source_port);
    }
    return 0;
}
