// Fuzz target for the neighbour dump's reply parser (host/neighbours): the
// input is one netlink datagram as recv() would return it; the expected
// sequence number is taken from its first header so inputs reach the
// message bodies. Besides the sanitizers, it checks the parser's promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "host/neighbours.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> datagram(data, size);
    std::uint32_t seq = 0;
    if (size >= 12) std::memcpy(&seq, data + 8, 4);  // nlmsg_seq, host order
    std::vector<sockeye::host::Neighbour> out;
    sockeye::host::NeighbourReply reply;
    sockeye::host::parse_neighbour_datagram(datagram, seq, out, reply);
    // Each neighbour takes a header, an ndmsg and two attributes.
    check(out.size() * (16 + 12 + 8 + 8) <= size);
    for (const auto& n : out) check(n.ip.is_v4() || n.ip.is_v6());
    // Parsing is a pure function of the bytes.
    std::vector<sockeye::host::Neighbour> again;
    sockeye::host::NeighbourReply reply2;
    sockeye::host::parse_neighbour_datagram(datagram, seq, again, reply2);
    check(again.size() == out.size() && reply2.done == reply.done && reply2.error == reply.error &&
          reply2.malformed == reply.malformed);
    for (std::size_t i = 0; i < out.size(); ++i) check(again[i].ip == out[i].ip && again[i].mac == out[i].mac);
    return 0;
}
