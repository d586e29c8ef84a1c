// Builds sock_diag reply datagrams byte by byte, as the kernel would send
// them (host byte order headers, network order ports and addresses), for
// the parser tests and the fuzz seeds.
#pragma once

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace sockeye::host::test {

struct FakeSocket {
    std::uint8_t family = AF_INET;
    std::uint8_t state = 1;
    std::string src = "127.0.0.1";
    std::uint16_t sport = 0;
    std::string dst = "0.0.0.0";
    std::uint16_t dport = 0;
    std::uint32_t uid = 0;
    std::uint32_t inode = 0;
    int v6only = -1;  // -1: no INET_DIAG_SKV6ONLY attribute
    // INET_DIAG_INFO: a struct tcp_info with this tcpi_rtt (-1: none), cut to
    // `info_bytes` when that is set (an older or hostile kernel).
    std::int64_t tcpi_rtt_us = -1;
    std::size_t info_bytes = sizeof(tcp_info);
};

inline void put(std::vector<std::uint8_t>& out, const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    out.insert(out.end(), b, b + n);
}

inline void pad4(std::vector<std::uint8_t>& out) {
    while (out.size() % 4 != 0) out.push_back(0);
}

inline void put_header(std::vector<std::uint8_t>& out, std::uint32_t len, std::uint16_t type,
                       std::uint32_t seq) {
    nlmsghdr h{};
    h.nlmsg_len = len;
    h.nlmsg_type = type;
    h.nlmsg_flags = NLM_F_MULTI;
    h.nlmsg_seq = seq;
    put(out, &h, sizeof h);
}

inline void put_socket(std::vector<std::uint8_t>& out, const FakeSocket& s, std::uint32_t seq) {
    inet_diag_msg m{};
    m.idiag_family = s.family;
    m.idiag_state = s.state;
    m.id.idiag_sport = htons(s.sport);
    m.id.idiag_dport = htons(s.dport);
    inet_pton(s.family, s.src.c_str(), m.id.idiag_src);
    inet_pton(s.family, s.dst.c_str(), m.id.idiag_dst);
    m.id.idiag_cookie[0] = 0x1234;
    m.idiag_uid = s.uid;
    m.idiag_inode = s.inode;
    const std::size_t info_len = s.tcpi_rtt_us >= 0 ? 4 + ((s.info_bytes + 3) & ~std::size_t{3}) : 0;
    const std::size_t attr_len = (s.v6only >= 0 ? 8 : 0) + info_len;
    put_header(out, static_cast<std::uint32_t>(sizeof(nlmsghdr) + sizeof m + attr_len), SOCK_DIAG_BY_FAMILY, seq);
    put(out, &m, sizeof m);
    if (s.tcpi_rtt_us >= 0) {
        tcp_info info{};
        info.tcpi_rtt = static_cast<std::uint32_t>(s.tcpi_rtt_us);
        info.tcpi_rttvar = 1234;
        const auto len = static_cast<std::uint16_t>(4 + s.info_bytes);
        const std::uint16_t type = INET_DIAG_INFO;
        put(out, &len, 2);
        put(out, &type, 2);
        put(out, &info, s.info_bytes);
        pad4(out);
    }
    if (s.v6only >= 0) {
        const std::uint16_t len = 5;  // header + one byte
        const std::uint16_t type = INET_DIAG_SKV6ONLY;
        put(out, &len, 2);
        put(out, &type, 2);
        out.push_back(static_cast<std::uint8_t>(s.v6only));
        pad4(out);
    }
}

inline void put_done(std::vector<std::uint8_t>& out, std::uint32_t seq, std::int32_t code = 0) {
    put_header(out, static_cast<std::uint32_t>(sizeof(nlmsghdr) + 4), NLMSG_DONE, seq);
    put(out, &code, 4);
}

inline void put_error(std::vector<std::uint8_t>& out, std::uint32_t seq, std::int32_t negative_errno) {
    put_header(out, static_cast<std::uint32_t>(sizeof(nlmsghdr) + 4 + sizeof(nlmsghdr)), NLMSG_ERROR, seq);
    put(out, &negative_errno, 4);
    nlmsghdr original{};
    put(out, &original, sizeof original);
}

}  // namespace sockeye::host::test
