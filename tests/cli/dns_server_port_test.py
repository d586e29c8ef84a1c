#!/usr/bin/env python3
"""The DNS family (DNS, mDNS, LLMNR) is named by the server's port.

A crafted capture holds a DNS query from source port 5353 to a resolver on 53
with its answer, the same from 5355, an answer from 53 to 5353 whose query the
capture missed, and real mDNS (5353 <-> 5353 multicast) and LLMNR (to 5355).
`sockeye -r CAPTURE --json` must call the first three DNS and the others mDNS
and LLMNR, as tshark's dissectors do.
Usage: dns_server_port_test.py SOCKEYE"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import Checks  # noqa: E402
from crafted_pcap import UDP, dns_query, ether, ipv4, udp, write_pcap  # noqa: E402

SOCKEYE = sys.argv[1]
CLIENT, RESOLVER = "10.9.0.2", "10.9.0.53"
check = Checks(echo=True)


def answer_of(query):
    """The query turned into an empty NOERROR answer (QR and RA set)."""
    return query[:2] + b"\x81\x80" + query[4:]


def build_capture(path):
    frames = []

    def datagram(t, src, sport, dst, dport, payload):
        frames.append((t, ether(ipv4(src, dst, UDP, udp(sport, dport, payload)))))

    q = dns_query(1, b"from5353.example")
    datagram(0.0, CLIENT, 5353, RESOLVER, 53, q)
    datagram(0.01, RESOLVER, 53, CLIENT, 5353, answer_of(q))
    q = dns_query(2, b"from5355.example")
    datagram(0.1, CLIENT, 5355, RESOLVER, 53, q)
    datagram(0.11, RESOLVER, 53, CLIENT, 5355, answer_of(q))
    datagram(0.2, RESOLVER, 53, "10.9.0.3", 5353, answer_of(dns_query(3, b"answeronly.example")))
    datagram(0.3, CLIENT, 5353, "224.0.0.251", 5353, dns_query(0, b"printer.local", 12))
    datagram(0.4, CLIENT, 40000, "224.0.0.252", 5355, dns_query(4, b"nas"))
    write_pcap(path, frames)


def main():
    tmp = tempfile.mkdtemp()
    try:
        capture = os.path.join(tmp, "dns.pcap")
        build_capture(capture)
        want = {"from5353.example": "DNS", "from5355.example": "DNS", "answeronly.example": "DNS",
                "printer.local": "mDNS", "nas": "LLMNR"}

        if shutil.which("tshark"):
            out = subprocess.run(["tshark", "-r", capture, "-T", "fields", "-e", "frame.protocols",
                                  "-e", "dns.qry.name"], capture_output=True, text=True, timeout=60).stdout
            names = {"dns": "DNS", "mdns": "mDNS", "llmnr": "LLMNR"}
            for line in out.splitlines():
                protocols, name = line.split("\t")
                check(names.get(protocols.split(":")[-1]) == want[name],
                      f"tshark calls {name} {protocols.split(':')[-1]} (oracle agrees with {want[name]})")

        r = subprocess.run([SOCKEYE, "-r", capture, "--json"], capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, f"--json exit {r.returncode}: {r.stderr}")
        got = {f.get("dpi_domain"): f.get("dpi_protocol")
               for f in map(json.loads, r.stdout.splitlines()) if f.get("type") == "flow"}
        for name, protocol in want.items():
            check(got.get(name) == protocol, f"{name}: sockeye says {got.get(name)}, want {protocol}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
