#!/usr/bin/env python3
"""Ping round trips in capture files, against tshark.

For every capture at hand, tshark's icmp.resptime / icmpv6.resptime of each
echo reply (tshark pairs each reply with its request by identifier and
sequence) are the samples; sockeye's rtt_ms of the ICMP flow with that
identifier between those two addresses must be their RFC 6298 smoothing
(the first sample, then srtt = (7 srtt + r) / 8, in nanoseconds), to the
microsecond the JSON prints. A flow tshark times and sockeye does not, or the
other way round, fails too.

Replies to a request older than the requester's two latest are not timed by
sockeye (a ping flow keeps two outstanding requests); tshark times them.
Captures with such replies would show here as a difference: none of the
corpus has one.

Named cases keep it from passing on empty output: dpkt's dns_icmp.pcap pings
four resolvers (one answers once out of three) and the generated
gen-udp-icmp-arp capture pings over IPv4 and IPv6.

usage: icmp_rtt_crosscheck.py SOCKEYE TSHARK CAPTURE_DIR... (searched recursively)"""
import json
import os
import subprocess
import sys

NAMED = {("dns_icmp.pcap", "8.8.8.8"), ("dns_icmp.pcap", "8.8.4.4"),
         ("gen-udp-icmp-arp.pcap", "192.0.2.1"), ("gen-udp-icmp-arp.pcap", "2001:db8:0:5::1")}


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)


def first(value):
    return value.split(",")[0] if value else ""


def tshark_samples(tshark, capture):
    """(identifier, frozenset of the two addresses) -> resptimes in ns, in order."""
    fields = ["ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "icmp.ident", "icmp.resptime",
              "icmpv6.echo.identifier", "icmpv6.resptime"]
    cmd = [tshark, "-n", "-r", capture, "-Y", "icmp.resptime or icmpv6.resptime", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    out = run(cmd)
    samples = {}
    for line in out.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(fields) - len(cols))
        src, dst = (cols[0], cols[1]) if cols[0] else (cols[2], cols[3])
        ident, resp = (cols[4], cols[5]) if cols[5] else (cols[6], cols[7])
        if not src or not ident or not resp:
            continue
        ident = int(first(ident), 0)
        # resptime is in milliseconds with microsecond digits.
        ns = round(float(resp) * 1_000_000)
        samples.setdefault((ident, frozenset((src, dst))), []).append(ns)
    return samples


def smoothed(samples):
    srtt = None
    for r in samples:
        srtt = r if srtt is None else (7 * srtt + r) // 8
    return srtt


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    sockeye, tshark, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    failures, checked, named_seen = [], 0, set()
    captures = []
    for d in dirs:
        for root, _, names in os.walk(d):
            captures += [(n, os.path.join(root, n)) for n in names if n.endswith((".pcap", ".pcapng"))]
    for name, capture in sorted(captures):
        out = run([sockeye, "--no-sandbox", "--no-geoip", "-r", capture, "--json"])
        if out.returncode not in (0, 1):
            continue
        expected = tshark_samples(tshark, capture)
        for line in out.stdout.splitlines():
            try:
                flow = json.loads(line)
            except json.JSONDecodeError:
                continue
            if flow.get("type") != "flow" or flow.get("protocol") not in ("ICMP", "ICMPv6"):
                continue
            key = (flow["source_port"], frozenset((flow["source_ip"], flow["destination_ip"])))
            want = smoothed(expected.get(key, []))
            got = flow.get("rtt_ms")
            where = f"{name}: {flow['source_ip']} -> {flow['destination_ip']} id {flow['source_port']}"
            if want is None and got is None:
                continue
            checked += 1
            if (name, flow["destination_ip"]) in NAMED:
                named_seen.add((name, flow["destination_ip"]))
            if want is None or got is None or abs(got - want / 1e6) > 0.0015:
                failures.append(f"{where}: sockeye rtt_ms {got}, tshark's replies smooth to "
                                f"{None if want is None else want / 1e6} "
                                f"(samples {expected.get(key)})")
    for case in sorted(NAMED - named_seen):
        failures.append(f"named case not checked: {case[0]} ping to {case[1]} (capture missing?)")
    for f in failures:
        print("FAIL:", f)
    print(f"{checked} ping flows checked against tshark, {len(failures)} failed")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
