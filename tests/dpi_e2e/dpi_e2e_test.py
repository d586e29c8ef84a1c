#!/usr/bin/env python3
"""DPI on real traffic. Two network namespaces joined by a veth pair (MTU
1280, offloads off and a small advertised MSS so ClientHellos and
certificates span TCP segments); real clients and servers from Debian:
openssl s_server + curl for TLS 1.2 and 1.3 over IPv4 and IPv6, python's
http.server + curl for HTTP, dnsmasq + dig for DNS over UDP and TCP (IPv4
and IPv6), and sshd + the ssh client (its own config and a host key made
here, never the system service; authentication fails in BatchMode, the
banner and KEXINIT exchange is what counts). tcpdump captures; then what
the DPI detector extracts (dpi_pcap_probe) must equal what tshark decodes
from the same packets: SNI, ALPN, JA3, negotiated version and cipher suite,
HTTP host / method / URI / status, DNS query names, answers and response
times, SSH banners and KEXINIT algorithm lists.

Traffic stays between the namespaces; every loop is bounded; the namespaces
are deleted on exit. Exit 77 (skip) without root or the tools."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import Checks  # noqa: E402
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

PROBE = sys.argv[1]
SSHD = "/usr/sbin/sshd"
TOOLS = ("ip", "tcpdump", "tshark", "openssl", "curl", "ssh", "ssh-keygen", "dnsmasq", "dig", SSHD,
         "/usr/bin/python3")


def network():
    """Client in A, servers in B. MTU 1280, offloads off (the capture must
    show the segments on the wire, not GSO super-packets) and each side
    advertising an MSS of 200, so the peer's handshake messages span
    several segments."""
    return NetnsPair("dpi", "skd", v4="10.213.9.0/24", v6="fd53:6b79:6529::/64", mtu=1280,
                     offloads=False, advmss=200)


def listening(ns, port):
    return sh(*in_ns(ns, "ss", "-ltnH", f"sport = :{port}"), check=False).stdout.strip()


def start(net, *cmd, **kw):
    """A server in B; its stdin a pipe kept open, so it never reads end of input."""
    return net.spawn(net.b, *cmd, stdin=subprocess.PIPE, **kw)


# The zone dnsmasq serves: names only under sockeye.test (--local makes it
# authoritative there: NXDOMAIN for the rest, no upstream).
DNSMASQ_RECORDS = ["--host-record=www.sockeye.test,192.0.2.10",
                   "--cname=alias.sockeye.test,www.sockeye.test",
                   "--host-record=v6.sockeye.test,2001:db8::10",
                   "--host-record=tcp.sockeye.test,192.0.2.11,2001:db8::11"]
# (server's address family, name, type, transport, port): UDP and TCP, IPv4
# and IPv6, a CNAME chain, an NXDOMAIN, and DNS over TCP on another port
# (found by its content; tshark is told with -d).
OTHER_DNS_PORT = 5300
DIG_QUERIES = [(4, "alias.sockeye.test", "A", "+notcp", 53),
               (6, "v6.sockeye.test", "AAAA", "+notcp", 53),
               (4, "missing.sockeye.test", "A", "+notcp", 53),
               (4, "tcp.sockeye.test", "A", "+tcp", 53),
               (6, "tcp.sockeye.test", "AAAA", "+tcp", 53),
               (4, "tcp.sockeye.test", "A", "+tcp", OTHER_DNS_PORT)]


def start_dnsmasq(net, port):
    start(net, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv",
          "--no-hosts", "--bind-interfaces", f"--listen-address={net.B4}",
          f"--listen-address={net.B6}", f"--port={port}", "--user=root", "--pid-file=",
          "--local=/sockeye.test/", *DNSMASQ_RECORDS)


# FTP on a port other than 21 (found by content), with the data connections
# of each mode: EPSV, PASV, and active PORT (IPv4) and EPRT (IPv6), which
# content alone cannot name: the control connection announces them.
FTP_PORT = 2121
FTP_FILE = "data.bin"
SYSTEM_PYTHON = "/usr/bin/python3"  # where Debian's python3-pyftpdlib is


def start_ftpd(tmp, net):
    root = os.path.join(tmp, "ftp")
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, FTP_FILE), "wb") as f:
        f.write(os.urandom(20_000))
    for addr in (net.B4, net.B6):
        start(net, SYSTEM_PYTHON, "-m", "pyftpdlib", "-i", addr, "-p", str(FTP_PORT), "-d", root)


def ftp_transfers(net):
    """(mode, curl options): every way a data connection is announced."""
    return [("EPSV", [f"ftp://{net.B4}:{FTP_PORT}/{FTP_FILE}"]),
            ("PASV", ["--disable-epsv", f"ftp://{net.B4}:{FTP_PORT}/{FTP_FILE}"]),
            ("PORT", ["--disable-eprt", "--ftp-port", net.A4, f"ftp://{net.B4}:{FTP_PORT}/{FTP_FILE}"]),
            ("EPRT", ["--ftp-port", net.A6, f"ftp://[{net.B6}]:{FTP_PORT}/{FTP_FILE}"])]


def start_sshd(tmp, net):
    key = os.path.join(tmp, "ssh_host_ed25519_key")
    sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
    config = os.path.join(tmp, "sshd_config")
    with open(config, "w") as f:
        f.write(f"ListenAddress {net.B4}\nListenAddress [{net.B6}]\nPidFile none\nUsePAM no\n"
                "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                "AuthorizedKeysFile none\nStrictModes no\nLogLevel ERROR\n")
    # sshd refuses to start without its privilege separation directory; a
    # system that never ran the service may lack it.
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    start(net, SSHD, "-D", "-e", "-f", config, "-h", key, "-p", "22")


def traffic(tmp, net):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
       "-days", "2", "-subj", "/O=Sockeye E2E/CN=tls.sockeye.test")
    s4, s6 = net.B4, net.B6
    tls = [("1.3", 4433, s4, "tls13-v4.sockeye.test"), ("1.2", 4434, s4, "tls12-v4.sockeye.test"),
           ("1.3", 4435, s6, "tls13-v6.sockeye.test"), ("1.2", 4436, s6, "tls12-v6.sockeye.test")]
    for version, port, addr, _ in tls:
        flag = "-tls1_3" if version == "1.3" else "-tls1_2"
        start(net, "openssl", "s_server", "-accept", f"[{addr}]:{port}" if ":" in addr
              else f"{addr}:{port}", "-cert", cert, "-key", key, flag, "-www", "-quiet")
    start(net, sys.executable, "-m", "http.server", "8080", "--bind", "::", cwd=tmp)
    start_dnsmasq(net, 53)
    start_dnsmasq(net, OTHER_DNS_PORT)
    start_sshd(tmp, net)
    start_ftpd(tmp, net)
    for port in (4433, 4434, 4435, 4436, 8080, 53, OTHER_DNS_PORT, 22, FTP_PORT):
        if not wait_for(lambda: listening(net.b, port), 10, step=0.05):
            raise RuntimeError(f"server on port {port} did not start")

    for version, port, addr, name in tls:
        host = f"[{addr}]" if ":" in addr else addr
        limit = ["--tlsv1.3"] if version == "1.3" else ["--tls-max", "1.2"]
        sh(*in_ns(net.a, "curl", "-sk", "--max-time", "10", *limit, "--resolve",
                  f"{name}:{port}:{host}", f"https://{name}:{port}/"), check=False)
    for host in (s4, f"[{s6}]"):
        sh(*in_ns(net.a, "curl", "-s", "--max-time", "10", "-A", "sockeye-e2e/1.0",
                  f"http://{host}:8080/"), check=False)
    for family, name, qtype, transport, port in DIG_QUERIES:
        server = s4 if family == 4 else s6
        sh(*in_ns(net.a, "dig", f"@{server}", "-p", str(port), name, qtype, transport,
                  "+tries=1", "+time=3"), check=False)
    for _, options in ftp_transfers(net):
        sh(*in_ns(net.a, "curl", "-s", "--max-time", "10", "-o", "/dev/null", *options), check=False)
    sh(*in_ns(net.a, "timeout", "10", "ssh", "-o", "BatchMode=yes", "-o",
              "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
              "ConnectTimeout=5", f"nobody@{s4}", "true"), check=False)


def tshark(pcap, display_filter, *fields):
    cmd = ["tshark", "-r", pcap, "-Y", display_filter, "-T", "fields", "-E", "separator=|",
           "-E", "aggregator=,", "-o", "tls.desegment_ssl_records:TRUE",
           "-o", "tls.desegment_ssl_application_data:TRUE",
           "-d", f"tcp.port=={OTHER_DNS_PORT},dns", "-d", f"udp.port=={OTHER_DNS_PORT},dns",
           "-d", f"tcp.port=={FTP_PORT},ftp"]
    for f in ("ip.src", "ipv6.src", "tcp.srcport", "udp.srcport", "ip.dst", "ipv6.dst",
              "tcp.dstport", "udp.dstport") + fields:
        cmd += ["-e", f]
    rows = []
    for line in sh(*cmd).stdout.splitlines():
        f = line.split("|")
        src, sport = f[0] or f[1], int(f[2] or f[3])
        dst, dport = f[4] or f[5], int(f[6] or f[7])
        rows.append(((src, sport), (dst, dport), f[8:]))
    return rows


def main():
    if os.geteuid() != 0 or any(shutil.which(t) is None for t in TOOLS):
        print("skip: needs root and " + ", ".join(TOOLS))
        return 77
    expect = Checks()
    tmp = tempfile.mkdtemp(prefix="sockeye-dpi-e2e-")
    pcap = os.path.join(tmp, "dpi.pcap")
    with network() as net:
        dump = net.start_tcpdump(net.a, "-i", net.if_a, "-U", "-s", "0", "-w", pcap)
        traffic(tmp, net)
        time.sleep(1.0)
        dump.send_signal(signal.SIGINT)
        dump.wait(timeout=10)

    out = sh(PROBE, pcap)
    flows = {}
    for line in out.stdout.splitlines():
        f = json.loads(line)
        flows[((f["client"], f["client_port"]), (f["server"], f["server_port"]))] = f
    print(out.stderr.strip())

    def flow(a, b):
        return flows.get((a, b)) or flows.get((b, a)) or {}

    def field(f, name, default=None):
        return f.get("fields", {}).get(name, default)

    # TLS ClientHello: SNI, ALPN, JA3 against tshark.
    hellos = tshark(pcap, "tls.handshake.type == 1", "tls.handshake.extensions_server_name",
                    "tls.handshake.extensions_alpn_str", "tls.handshake.ja3",
                    "tls.handshake.ja3_full")
    expect(len(hellos) == 4, f"4 ClientHellos expected, tshark saw {len(hellos)}")
    for src, dst, (sni, alpn, ja3, ja3_full) in hellos:
        f = flow(src, dst)
        expect(f.get("protocol") == "TLS", f"{src}->{dst}: protocol {f.get('protocol')}")
        expect(f.get("domain") == sni, f"{src}->{dst}: SNI {f.get('domain')!r} vs tshark {sni!r}")
        expect(",".join(field(f, "alpn", [])) == alpn, f"{src}->{dst}: ALPN {field(f, 'alpn')} vs {alpn}")
        expect(field(f, "ja3_hash") == ja3, f"{src}->{dst}: JA3 {field(f, 'ja3_hash')} vs {ja3}")
        expect(field(f, "ja3") == ja3_full, f"{src}->{dst}: JA3 string differs")
        # tshark 4.0 has no JA4: check its shape (curl limited to 1.2 says t12).
        expect(re.fullmatch(r"t1[23]d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}", field(f, "ja4", "")) is not None,
               f"{src}->{dst}: JA4 {field(f, 'ja4')}")
    # ServerHello: negotiated version and cipher suite.
    names = {0x0303: "TLS 1.2", 0x0304: "TLS 1.3"}
    servers = tshark(pcap, "tls.handshake.type == 2", "tls.handshake.version",
                     "tls.handshake.extensions.supported_version", "tls.handshake.ciphersuite")
    expect(len(servers) == 4, f"4 ServerHellos expected, tshark saw {len(servers)}")
    for src, dst, (legacy, selected, suite) in servers:
        f = flow(src, dst)
        version = int(selected or legacy, 16)
        expect(field(f, "negotiated_version") == names.get(version),
               f"{dst}<-{src}: negotiated {field(f, 'negotiated_version')} vs {version:#06x}")
        expect(field(f, "cipher_suite", "").startswith("TLS_"), f"{dst}<-{src}: suite {field(f, 'cipher_suite')} ({suite})")
        if version == 0x0303:
            expect(field(f, "cert_subject") == "O=Sockeye E2E, CN=tls.sockeye.test",
                   f"{dst}<-{src}: cert subject {field(f, 'cert_subject')!r}")
            expect(bool(field(f, "cert_not_after")), f"{dst}<-{src}: no cert validity")

    # HTTP requests and responses.
    requests = tshark(pcap, "http.request", "http.host", "http.request.method", "http.request.uri",
                      "http.user_agent")
    expect(len(requests) == 2, f"2 HTTP requests expected, tshark saw {len(requests)}")
    for src, dst, (host, method, uri, agent) in requests:
        f = flow(src, dst)
        expect(f.get("protocol") == "HTTP", f"{src}->{dst}: protocol {f.get('protocol')}")
        expect(f.get("domain") == host, f"{src}->{dst}: host {f.get('domain')!r} vs {host!r}")
        expect(field(f, "method") == method and field(f, "path") == uri, f"{src}->{dst}: request line")
        expect(field(f, "user_agent") == agent, f"{src}->{dst}: user agent")
    for src, dst, (code, server) in tshark(pcap, "http.response", "http.response.code", "http.server"):
        f = flow(src, dst)
        expect(field(f, "status") == int(code), f"{dst}<-{src}: status {field(f, 'status')} vs {code}")
        expect(field(f, "server") == server, f"{dst}<-{src}: server {field(f, 'server')!r}")

    # DNS: query names, answers, ids; and the name table.
    queries = tshark(pcap, "dns.flags.response == 0", "dns.qry.name", "dns.id")
    expect(len(queries) == len(DIG_QUERIES),
           f"{len(DIG_QUERIES)} DNS queries expected, tshark saw {len(queries)}")
    for src, dst, (qname, qid) in queries:
        f = flow(src, dst)
        expect(f.get("protocol") == "DNS", f"{src}->{dst}: protocol {f.get('protocol')}")
        expect(f.get("domain") == qname, f"{src}->{dst}: query {f.get('domain')!r} vs {qname!r}")
        expect(field(f, "id") == int(qid, 16), f"{src}->{dst}: id")
    responses = tshark(pcap, "dns.flags.response == 1", "dns.a", "dns.aaaa", "dns.cname",
                       "dns.flags.rcode", "dns.time")
    expect(len(responses) == len(DIG_QUERIES),
           f"{len(DIG_QUERIES)} DNS responses expected, tshark saw {len(responses)}")
    for src, dst, (a, aaaa, cname, rcode, elapsed) in responses:
        f = flow(src, dst)
        expect(",".join(field(f, "a", [])) == a, f"{dst}<-{src}: A {field(f, 'a')} vs {a!r}")
        expect(",".join(field(f, "aaaa", [])) == aaaa, f"{dst}<-{src}: AAAA {field(f, 'aaaa')} vs {aaaa!r}")
        expect(",".join(field(f, "cname", [])) == cname, f"{dst}<-{src}: CNAME vs {cname!r}")
        expect(field(f, "rcode") == ("NOERROR" if rcode == "0" else "NXDOMAIN"), f"{dst}<-{src}: rcode")
        # dns.time is the query -> response time tshark computes from the
        # same packet timestamps (seconds, microsecond resolution here).
        expect(elapsed != "" and field(f, "response_time_us") == round(float(elapsed) * 1e6),
               f"{dst}<-{src}: response time {field(f, 'response_time_us')} us vs tshark {elapsed} s")

    # SSH banners both ways, and the server's KEXINIT.
    banners = tshark(pcap, "ssh.protocol", "ssh.protocol")
    expect(len(banners) == 2, f"2 SSH banners expected, tshark saw {len(banners)}")
    expect(any("OpenSSH" in b for _, _, (b,) in banners), "no OpenSSH banner (sshd did not answer)")
    for src, dst, (banner,) in banners:
        f = flow(src, dst)
        side = "client" if dst[1] == 22 else "server"
        expect(f.get("protocol") == "SSH", f"{src}->{dst}: protocol {f.get('protocol')}")
        expect(field(f, f"{side}_banner") == banner.strip(), f"{src}->{dst}: {side} banner {field(f, side + '_banner')!r} vs {banner!r}")
    kex = tshark(pcap, "ssh.kex_algorithms", "ssh.kex_algorithms")
    expect(len(kex) == 2, f"2 SSH KEXINITs expected (client and server), tshark saw {len(kex)}")
    for src, dst, (algorithms,) in kex:
        f = flow(src, dst)
        side = "client" if dst[1] == 22 else "server"
        expect(",".join(field(f, f"{side}_kex", [])) == algorithms, f"{src}->{dst}: {side} kex")

    # FTP: the control connections by content on port 2121, and every data
    # connection tshark follows from the control channel (it is told the
    # port) labelled FTP-DATA; no other flow is.
    controls = tshark(pcap, "ftp.request.command == \"RETR\"")
    expect(len(controls) == len(ftp_transfers(net)),
           f"{len(ftp_transfers(net))} FTP downloads expected, tshark saw {len(controls)} RETR")
    for src, dst, _ in controls:
        expect(flow(src, dst).get("protocol") == "FTP", f"{src}->{dst}: protocol {flow(src, dst).get('protocol')}")
    # tshark 4.0 follows the passive modes' data connections (ftp-data) but
    # not active ones whose server connects from another port than 20, so
    # those are found from the PORT / EPRT arguments tshark decoded.
    data = {tuple(sorted((src, dst))) for src, dst, _ in tshark(pcap, "ftp-data")}
    announced = []
    for _, _, (command, *arg_parts) in tshark(pcap, "ftp.request.command == \"PORT\" or "
                                              "ftp.request.command == \"EPRT\"",
                                              "ftp.request.command", "ftp.request.arg"):
        arg = "|".join(arg_parts)  # EPRT's delimiter is tshark's field separator
        if command == "PORT":
            n = [int(x) for x in arg.split(",")]
            announced.append((".".join(map(str, n[:4])), n[4] * 256 + n[5]))
        else:
            _, _, addr, port, _ = arg.split(arg[0])
            announced.append((addr, int(port)))
    for endpoint in announced:
        data |= {tuple(sorted((k[0], k[1]))) for k in flows if endpoint in k and k[1] != endpoint[1:]}
    expect(len(data) == len(ftp_transfers(net)),
           f"{len(ftp_transfers(net))} FTP data connections expected, found {len(data)}: {sorted(data)}")
    for src, dst in data:
        f = flow(src, dst)
        expect(f.get("protocol") == "FTP-DATA", f"{src}<->{dst}: data connection is {f.get('protocol')}")
    labelled = {tuple(sorted((k[0], k[1]))) for k, f in flows.items() if f.get("protocol") == "FTP-DATA"}
    expect(labelled == data, f"FTP-DATA flows: extra {sorted(labelled - data)}, missing {sorted(data - labelled)}")

    # Segmentation really happened (otherwise the test proves less).
    big = tshark(pcap, "tcp.len > 0 and tcp.len <= 200 and tcp.port == 4434")
    expect(len(big) > 3, "handshakes did not span small segments")

    shutil.rmtree(tmp, ignore_errors=True)
    return expect.report()


if __name__ == "__main__":
    sys.exit(main())
