#include <gtest/gtest.h>

#include "dpi/protocols/ssh.hpp"
#include "unit/dpi/detector_fixture.hpp"
#include "unit/dpi/probe_runner.hpp"

namespace sockeye::dpi {
namespace {

using test::Bytes;

Bytes name_list(std::string_view s) { return Bytes{}.u32(static_cast<std::uint32_t>(s.size())).str(s); }

// A KEXINIT binary packet (RFC 4253 7.1), unencrypted, no MAC.
Bytes kexinit() {
    Bytes payload;
    payload.u8(20).fill(16, 0x5a);
    payload.raw(name_list("curve25519-sha256,ecdh-sha2-nistp256"))
        .raw(name_list("ssh-ed25519,rsa-sha2-512"))
        .raw(name_list("chacha20-poly1305@openssh.com,aes128-ctr"))
        .raw(name_list("chacha20-poly1305@openssh.com,aes128-ctr"))
        .raw(name_list("umac-64-etm@openssh.com"))
        .raw(name_list("umac-64-etm@openssh.com"))
        .raw(name_list("none,zlib@openssh.com"))
        .raw(name_list("none,zlib@openssh.com"))
        .raw(name_list(""))
        .raw(name_list(""))
        .u8(0)
        .u32(0);
    const std::size_t padding = 8 - ((payload.size() + 5) % 8) + 8;
    Bytes packet;
    packet.u32(static_cast<std::uint32_t>(1 + payload.size() + padding)).u8(static_cast<unsigned>(padding));
    packet.raw(payload).fill(padding, 0);
    return packet;
}

TEST(Ssh, ClientBannerAndKexinit) {
    const Bytes banner = Bytes{}.str("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    const Bytes stream = Bytes{}.raw(banner).raw(kexinit());
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ssh, test::tcp_ctx(true, 22), banner.span().first(10), info), Verdict::need_more);
    EXPECT_EQ(test::run_probe(probe_ssh, test::tcp_ctx(true, 22), banner.span(), info), Verdict::match_more);
    EXPECT_EQ(test::run_probe(probe_ssh, test::tcp_ctx(true, 22), stream.span().first(banner.size() + 30), info),
              Verdict::match_more);
    ASSERT_EQ(test::run_probe(probe_ssh, test::tcp_ctx(true, 22), stream.span(), info), Verdict::match);
    EXPECT_EQ(info.protocol, "SSH");
    EXPECT_EQ(info.find("client_banner")->text, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
    EXPECT_EQ(info.find("client_software")->text, "OpenSSH_9.2p1");
    EXPECT_EQ(info.find("client_kex")->list,
              (std::vector<std::string>{"curve25519-sha256", "ecdh-sha2-nistp256"}));
    EXPECT_EQ(info.find("client_host_key")->list,
              (std::vector<std::string>{"ssh-ed25519", "rsa-sha2-512"}));
    EXPECT_EQ(info.find("client_ciphers")->list.size(), 2u);
    EXPECT_EQ(info.find("client_macs")->list, (std::vector<std::string>{"umac-64-etm@openssh.com"}));
    EXPECT_EQ(info.find("client_compression")->list,
              (std::vector<std::string>{"none", "zlib@openssh.com"}));
}

TEST(Ssh, ServerBanner) {
    snapshot::AppInfo info;
    const auto banner = test::as_bytes("SSH-2.0-dropbear_2022.83\r\n");
    EXPECT_EQ(test::run_probe(probe_ssh, test::tcp_ctx(false, 22), banner, info), Verdict::match_more);
    EXPECT_EQ(info.find("server_software")->text, "dropbear_2022.83");
}

TEST(Ssh, NotSsh) {
    snapshot::AppInfo info;
    EXPECT_EQ(test::run_probe(probe_ssh, test::tcp_ctx(true, 22), test::as_bytes("SSX-2.0"), info), Verdict::no_match);
    Bytes long_line = Bytes{}.str("SSH-2.0-").fill(300, 'a');
    EXPECT_EQ(test::run_probe(probe_ssh, test::tcp_ctx(true, 22), long_line.span(), info), Verdict::no_match);
    EXPECT_TRUE(info.protocol.empty());
}

}  // namespace
}  // namespace sockeye::dpi
