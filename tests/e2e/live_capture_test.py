#!/usr/bin/env python3
"""Live capture end to end: two network namespaces joined by a veth pair,
real traffic between them (ping, ping -6, HTTP with curl against python's
http.server), sockeye capturing on one end and tcpdump beside it as the
oracle. Every TCP, UDP and ICMP-echo conversation sockeye reports must match
what tshark counts in tcpdump's capture of the same interface, packet for
packet and byte for byte, and flows must be oriented local -> remote.

Traffic goes only between the namespaces; every loop is bounded; the
namespaces are deleted on exit."""
import json
import os
import sys
import tempfile
import time
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

SOCKEYE = sys.argv[1]


def tshark_conversations(pcap):
    """(proto, frozenset of two endpoints) -> {endpoint: (packets, bytes) sent}"""
    out = sh("tshark", "-r", pcap, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f",
             "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst", "-e", "ipv6.dst",
             "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport",
             "-e", "icmp.type", "-e", "icmpv6.type", "-e", "icmp.ident", "-e", "icmpv6.echo.identifier",
             "-e", "frame.len").stdout
    conv = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for line in out.splitlines():
        f = line.split("|")
        src, dst = f[0] or f[1], f[2] or f[3]
        if not src:
            continue
        length = int(f[12])
        if f[8] or f[9]:
            # ICMP: echo sessions only. Errors quote an inner TCP/UDP header
            # whose ports tshark reports too; those are not conversations.
            if f[8] not in ("0", "8") and f[9] not in ("128", "129"):
                continue
            ident = int(f[10] or f[11], 0)
            key, s, d = ("ICMP" if f[8] else "ICMPv6"), (src, ident), (dst, ident)
        elif f[4]:
            key, s, d = "TCP", (src, int(f[4])), (dst, int(f[5]))
        elif f[6]:
            key, s, d = "UDP", (src, int(f[6])), (dst, int(f[7]))
        else:
            continue
        entry = conv[(key, frozenset((s, d)))]
        entry[s][0] += 1
        entry[s][1] += length
    return conv


def sockeye_conversations(flows):
    conv = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for f in flows:
        if f["protocol"] not in ("TCP", "UDP", "ICMP", "ICMPv6"):
            continue
        s = (f["source_ip"], f["source_port"])
        d = (f["destination_ip"], f["destination_port"])
        entry = conv[(f["protocol"], frozenset((s, d)))]
        entry[s][0] += f["packets_sent"]
        entry[s][1] += f["bytes_sent"]
        entry[d][0] += f["packets_received"]
        entry[d][1] += f["bytes_received"]
    return conv


def normalise(conv):
    return {k: {ep: tuple(v) for ep, v in sides.items() if v[0]} for k, sides in conv.items()}


def main():
    failures = []
    checks = 0
    tmp = tempfile.mkdtemp(prefix="sockeye-e2e-")
    with NetnsPair("e2e", "sk", v4="10.213.7.0/24", v6="fd53:6b79:6521::/64") as net:
        ref = os.path.join(tmp, "ref.pcap")
        tcpdump = net.start_tcpdump(net.a, "-i", net.if_a, "-U", "-w", ref)
        sockeye_out = open(os.path.join(tmp, "sockeye.jsonl"), "w")
        sockeye_err = open(os.path.join(tmp, "sockeye.err"), "w")
        sockeye = net.spawn(net.a, SOCKEYE, "-i", net.if_a, "--json", "-d", "6",
                            stdout=sockeye_out, stderr=sockeye_err)
        net.spawn(net.b, "timeout", "20", sys.executable, "-m", "http.server", "--bind", "::",
                  "8080", "--directory", tmp)
        time.sleep(1.0)
        wait_for(lambda: sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", "--max-time", "2",
                                   f"http://{net.B4}:8080/"), check=False).returncode == 0, 5,
                 step=0.05)

        sh(*in_ns(net.a, "ping", "-c", "4", "-i", "0.2", "-W", "1", net.B4))
        sh(*in_ns(net.a, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "1", net.B6))
        for url in (f"http://{net.B4}:8080/", f"http://[{net.B6}]:8080/",
                    f"http://{net.B4}:8080/missing"):
            sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", "--max-time", "3", url), check=False)
        sh(*in_ns(net.a, "bash", "-c", f"echo hello > /dev/udp/{net.B4}/9999"), check=False)

        if sockeye.wait(timeout=20) != 0:
            failures.append(f"sockeye exited {sockeye.returncode}")
        time.sleep(0.3)
        tcpdump.terminate()
        tcpdump.wait(timeout=10)
        sockeye_out.close()
        sockeye_err.close()

        lines = [json.loads(l) for l in open(os.path.join(tmp, "sockeye.jsonl"))]
        flows = [l for l in lines if l["type"] == "flow"]
        summary = [l for l in lines if l["type"] == "summary"]
        if len(summary) != 1:
            failures.append("no summary line")
        ours = normalise(sockeye_conversations(flows))
        theirs = normalise(tshark_conversations(ref))
        if not theirs:
            failures.append("the oracle capture has no conversations: traffic did not flow")
        # sockeye also reports non-echo ICMP (errors, neighbour discovery) as
        # flows; the oracle above keeps echo sessions only, so compare ICMP
        # conversations that the oracle knows.
        ours = {k: v for k, v in ours.items() if not k[0].startswith("ICMP") or k in theirs}
        for key in sorted(set(ours) | set(theirs), key=str):
            if ours.get(key) != theirs.get(key):
                failures.append(f"{key[0]} {sorted(key[1])}: sockeye {ours.get(key)} tshark {theirs.get(key)}")
        protocols = {f["protocol"] for f in flows}
        for wanted in ("TCP", "UDP", "ICMP", "ICMPv6"):
            if wanted not in protocols:
                failures.append(f"no {wanted} flow seen")
        for f in flows:
            if f["protocol"] in ("TCP", "UDP") and f["source_ip"] not in (net.A4, net.A6):
                failures.append(f"flow not oriented local->remote: {f}")
        tcp_states = {f["state"] for f in flows if f["protocol"] == "TCP"}
        if not tcp_states & {"TIME_WAIT", "CLOSED", "FIN_WAIT_2", "LAST_ACK", "CLOSING"}:
            failures.append(f"no TCP flow saw its teardown: {tcp_states}")
        checks = 4 + len(set(ours) | set(theirs))
    for f in failures:
        print("FAIL", f)
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
