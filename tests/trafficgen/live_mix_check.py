#!/usr/bin/env python3
"""live-mix is replayed by make bench-live through a veth with the default
1500-byte MTU, which drops larger frames, and stands for a real uplink: every
frame must fit (1514 bytes, 1518 with an 802.1Q tag), and IPv4, IPv6 and
tagged flows must all be there. tshark reads the capture (the oracle), so a
broken frame or a wrong length shows too.

    live_mix_check.py SOCKEYE-TRAFFICGEN OUTDIR"""
import os
import subprocess
import sys

PACKETS = 20000


def main():
    gen, outdir = sys.argv[1], sys.argv[2]
    path = os.path.join(outdir, "live-mix-check.pcap")
    subprocess.run([gen, "live-mix", path, "--packets", str(PACKETS)], check=True, timeout=60)
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-E", "separator=/t",
                          "-e", "frame.len", "-e", "vlan.id", "-e", "ip.version", "-e", "ipv6.version",
                          "-e", "tcp.srcport", "-e", "udp.srcport"],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == PACKETS, f"tshark read {len(rows)} frames of {PACKETS}"
    too_long = [r for r in rows if int(r[0]) > (1518 if r[1] else 1514)]
    assert not too_long, f"{len(too_long)} frames over the MTU, e.g. {too_long[:3]}"
    tagged = sum(1 for r in rows if r[1])
    v4 = sum(1 for r in rows if r[2] == "4")
    v6 = sum(1 for r in rows if r[3] == "6")
    transport = sum(1 for r in rows if r[4] or r[5])
    print(f"{PACKETS} frames: {v4} IPv4, {v6} IPv6, {tagged} 802.1Q-tagged, {transport} TCP or UDP")
    assert v4 + v6 == PACKETS, "frames that are neither IPv4 nor IPv6"
    assert v6 >= PACKETS * 0.15, "too few IPv6 frames"
    assert tagged >= PACKETS * 0.05, "too few tagged frames"
    assert v4 >= PACKETS * 0.5, "too few IPv4 frames"
    assert transport >= PACKETS * 0.95, "too few TCP/UDP frames"
    return 0


if __name__ == "__main__":
    sys.exit(main())
