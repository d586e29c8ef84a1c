#!/usr/bin/env python3
"""QUIC DPI end to end with a real QUIC client and server from Debian
(ngtcp2's gtlsclient / gtlsserver, packages ngtcp2-client and ngtcp2-server)
inside a network namespace the test creates: tcpdump captures the loopback,
sockeye reads the capture (-r ... --json), and tshark -- which decrypts
client Initials itself -- is the oracle for what sockeye reports.

Scenarios (unusual ports, so nothing relies on 443):
  * v1 over IPv4 to port 7443, server name quic.sockeye.test;
  * a reserved version (0x1a2a3a4a) over IPv6 to port 9001, server name
    vn.sockeye.test: the server answers Version Negotiation and the client
    retries with v1 from a new port.

For every flow on which tshark sees a ClientHello, sockeye must report
dpi_protocol QUIC, the same SNI (dpi_domain and dpi.sni), the same QUIC
version and the same ALPN list. Handshakes that complete must reach state
CONNECTED; the negotiation flow must list the versions the server offered.

Server names come from /etc/netns/<ns>/hosts, which `ip netns exec` mounts
over /etc/hosts inside the namespace only. Traffic stays on the namespace's
loopback; every wait is bounded; the namespace and its files are removed on
exit. Exit status 77 (skipped) without root or without the tools."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import Netns, in_ns, sh, stop  # noqa: E402

SKIP = 77
NS = f"sk-quic-{os.getpid()}"
V1_NAME, VN_NAME = "quic.sockeye.test", "vn.sockeye.test"
V1_PORT, VN_PORT = 7443, 9001
RESERVED_VERSION = "0x1a2a3a4a"


def version_name(hex_text):
    """tshark's quic.version (0x00000001) in sockeye's naming."""
    v = int(hex_text, 16)
    if v == 1:
        return "v1"
    if v == 0x6B3343CF:
        return "v2"
    if v >> 8 == 0xFF0000:
        return f"draft-{v & 0xFF}"
    return f"0x{v:08x}"


def setup(ns, work):
    ns.write_etc("hosts", f"127.0.0.1 localhost {V1_NAME}\n::1 localhost6 {VN_NAME}\n")
    www = os.path.join(work, "www")
    os.makedirs(www)
    with open(os.path.join(www, "index.html"), "w") as f:
        f.write("hello over quic\n")
    sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-keyout", os.path.join(work, "key.pem"), "-out", os.path.join(work, "cert.pem"),
       "-days", "2", "-subj", f"/CN={V1_NAME}")
    return www


def run_traffic(args, ns, work, www):
    cap = os.path.join(work, "quic.pcap")
    # Immediate mode: otherwise the last packets can still sit in the
    # capture ring's open block when tcpdump is stopped, and are lost.
    dump = ns.start_tcpdump(ns.name, "-i", "lo", "--immediate-mode", "-U", "-n", "-w", cap, "udp")
    key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
    servers = []
    for addr, port in (("127.0.0.1", V1_PORT), ("::1", VN_PORT)):
        log = open(os.path.join(work, f"server-{port}.log"), "w")
        servers.append(ns.spawn(ns.name, args.server, "-q", "-d", www, addr, str(port), key, cert,
                                stdout=log, stderr=subprocess.STDOUT))
    time.sleep(0.5)
    common = ["-q", "--exit-on-all-streams-close", "--timeout=5s"]
    sh(*in_ns(ns.name, args.client, *common, V1_NAME, str(V1_PORT),
              f"https://{V1_NAME}:{V1_PORT}/index.html"), timeout=30)
    sh(*in_ns(ns.name, args.client, *common, "-v", RESERVED_VERSION, "--preferred-versions=v1",
              VN_NAME, str(VN_PORT), f"https://{VN_NAME}:{VN_PORT}/index.html"), timeout=30)
    time.sleep(0.5)
    for s in servers:
        stop(s)
    stop(dump)
    return cap


def tshark_hellos(args, cap):
    """(port, port) -> {version, sni, alpn} for each packet carrying a ClientHello."""
    # Decode-as for the test's ports: tshark's QUIC heuristic does not claim
    # every port (9001 goes to another dissector); sockeye needs no hint.
    decode_as = [a for port in (V1_PORT, VN_PORT) for a in ("-d", f"udp.port=={port},quic")]
    out = sh(args.tshark, "-r", cap, *decode_as, "-Y", "tls.handshake.type == 1", "-T", "fields",
             "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,",
             "-e", "udp.srcport", "-e", "udp.dstport", "-e", "quic.version",
             "-e", "tls.handshake.extensions_server_name", "-e", "tls.handshake.extensions_alpn_str",
             timeout=120).stdout
    hellos = {}
    for line in out.splitlines():
        sport, dport, versions, sni, alpn = line.split("|")
        key = frozenset((int(sport), int(dport)))
        hellos.setdefault(key, {"version": version_name(versions.split(",")[0]), "sni": sni,
                                "alpn": [a for a in alpn.split(",") if a]})
    return hellos


def sockeye_flows(args, cap):
    out = sh(args.sockeye, "-r", cap, "--json", timeout=120).stdout
    flows = {}
    for line in out.splitlines():
        obj = json.loads(line)
        if obj.get("type") == "flow" and obj.get("protocol") == "UDP":
            flows[frozenset((obj["source_port"], obj["destination_port"]))] = obj
    return flows


def check(hellos, flows):
    failures = []
    names = sorted(h["sni"] for h in hellos.values())
    if sorted(set(names)) != sorted({V1_NAME, VN_NAME}):
        failures.append(f"scenario: tshark saw server names {names}")
    for key, want in sorted(hellos.items(), key=lambda kv: sorted(kv[0])):
        flow = flows.get(key)
        label = "/".join(str(p) for p in sorted(key))
        if flow is None:
            failures.append(f"{label}: no sockeye flow")
            continue
        dpi = flow.get("dpi") or {}
        got = {"protocol": flow.get("dpi_protocol"), "domain": flow.get("dpi_domain"),
               "sni": dpi.get("sni"), "version": dpi.get("version"), "alpn": dpi.get("alpn")}
        expected = {"protocol": "QUIC", "domain": want["sni"], "sni": want["sni"],
                    "version": want["version"], "alpn": want["alpn"]}
        for field, value in expected.items():
            if got[field] != value:
                failures.append(f"{label}: {field} sockeye={got[field]!r} tshark={value!r}")
        if want["version"] == RESERVED_VERSION:
            if "v1" not in (dpi.get("versions") or []):
                failures.append(f"{label}: Version Negotiation not reported: {dpi}")
        elif dpi.get("state") != "CONNECTED":
            failures.append(f"{label}: state {dpi.get('state')!r}, want 'CONNECTED'")
        print(f"{label}: {got} state={dpi.get('state')} versions={dpi.get('versions')}")
    if len(hellos) < 3:
        failures.append(f"expected 3 ClientHello flows (v1, probe, retry), tshark saw {len(hellos)}")
    return failures


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sockeye", required=True)
    p.add_argument("--tshark", default="tshark")
    p.add_argument("--server", default="gtlsserver")
    p.add_argument("--client", default="gtlsclient")
    p.add_argument("--keep", help="copy the capture here (for a failing run)")
    args = p.parse_args()
    if os.geteuid() != 0:
        print("skipped: needs root for network namespaces")
        return SKIP
    for tool in (args.tshark, args.server, args.client, "tcpdump", "openssl", "ip"):
        if shutil.which(tool) is None and not os.path.exists(tool):
            print(f"skipped: {tool} not installed (scripts/deps)")
            return SKIP
    with tempfile.TemporaryDirectory(prefix="sockeye-quic-") as work:
        with Netns(NS) as ns:
            www = setup(ns, work)
            cap = run_traffic(args, ns, work, www)
        if args.keep:
            shutil.copy(cap, args.keep)
        failures = check(tshark_hellos(args, cap), sockeye_flows(args, cap))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
