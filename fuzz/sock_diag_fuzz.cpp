// Fuzz target for the sock_diag reply parser (host/sock_diag): the first
// byte picks TCP or UDP, the rest is one netlink datagram as recv() would
// return it. The expected sequence number is taken from the first header,
// so inputs reach the message bodies instead of being ignored as stale.
// Besides the sanitizers, it checks the parser's promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "host/sock_diag.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t proto = (data[0] & 1) != 0 ? sockeye::host::kProtoUdp : sockeye::host::kProtoTcp;
    const std::span<const std::uint8_t> datagram(data + 1, size - 1);
    std::uint32_t seq = 0;
    if (datagram.size() >= 12) std::memcpy(&seq, datagram.data() + 8, 4);  // nlmsg_seq, host order

    std::vector<sockeye::host::SocketEntry> out;
    sockeye::host::DiagReply reply;
    sockeye::host::parse_diag_datagram(datagram, proto, seq, out, reply);

    // Every message takes at least a 16-byte header.
    check((reply.messages + reply.foreign) * 16u <= datagram.size());
    check(out.size() <= reply.messages);
    for (const auto& e : out) {
        check(e.ip_proto == proto);
        check(e.family == 4 || e.family == 6);
        check(e.local_ip.is_v4() || e.local_ip.is_v6());
        check(e.remote_ip.is_v4() || e.remote_ip.is_v6());
        check(e.inode <= 0xffffffffu);  // idiag_inode is 32 bits on the wire
    }
    // Parsing is a pure function of the bytes.
    std::vector<sockeye::host::SocketEntry> again;
    sockeye::host::DiagReply reply2;
    sockeye::host::parse_diag_datagram(datagram, proto, seq, again, reply2);
    check(again.size() == out.size() && reply2.messages == reply.messages &&
          reply2.malformed == reply.malformed && reply2.error == reply.error && reply2.done == reply.done);
    for (std::size_t i = 0; i < out.size(); ++i) {
        check(again[i].inode == out[i].inode && again[i].local_port == out[i].local_port &&
              again[i].local_ip == out[i].local_ip && again[i].v6only == out[i].v6only);
    }
    return 0;
}
