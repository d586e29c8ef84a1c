#!/usr/bin/env python3
"""Vendors of local-network peers in capture files, against tshark and the
IEEE registry text.

For `sockeye -r FILE --json`, every flow that carries a remote_mac must be
backed by the frames as tshark dissects them: the destination address was
the IP source of frames with that Ethernet source, arriving with an initial
TTL / hop limit (64, 128, 255: not routed), never from another MAC, and the
MAC is no gateway (at most 2 IPv4 sources, 3 IPv6 /64 prefixes in the whole
file). remote_vendor must be made of words of the organisation that
/usr/share/ieee-data/oui.csv (Debian's ieee-data) registers for the prefix.

Named cases keep it from passing on empty output: the HTTP exchange of
test_ethernet.pcap names its server's SMC interface; the Cisco router of
test_dns.pcap and the gateway of tcp_http.pcap each carry many IPv4 sources
and label nobody; pathspider's routed peers (TTL 251) get nothing.

usage: link_vendor_crosscheck.py SOCKEYE TSHARK CAPTURE_DIR"""
import csv
import ipaddress
import json
import os
import re
import subprocess
import sys

INITIAL_HOPS = {64, 128, 255}
OUI_CSV = "/usr/share/ieee-data/oui.csv"


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)


def registry():
    """MA-L prefix (6 hex digits, upper case) -> organisation name(s)."""
    out = {}
    with open(OUI_CSV, newline="", encoding="utf-8", errors="replace") as f:
        for row in csv.reader(f):
            if len(row) >= 3 and row[0] == "MA-L" and len(row[1]) == 6:
                out[row[1].upper()] = out.get(row[1].upper(), "") + " " + row[2]
    return out


def alnum(text):
    return re.sub(r"[^0-9a-z]", "", text.lower())


def frames(tshark, capture):
    """(eth.src, IP source, hop count) of each IP frame with an Ethernet
    header; an ICMP error's quoted header is not the frame's own, so only
    the first (outer) value of each field counts."""
    r = run([tshark, "-r", capture, "-T", "fields", "-E", "separator=\t",
             "-e", "eth.src", "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.ttl", "-e", "ipv6.hlim"])
    if r.returncode != 0:
        raise SystemExit(f"FAIL: tshark -r {capture}: {r.stderr.strip()}")
    out = []
    for line in r.stdout.splitlines():
        cols = (line.split("\t") + [""] * 5)[:5]
        mac, v4, v6, ttl, hlim = (c.split(",")[0] for c in cols)
        src = v4 or v6
        hops = ttl if v4 else hlim
        if mac and src and hops:
            out.append((mac.lower(), ipaddress.ip_address(src).compressed, int(hops)))
    return out


def sockeye_flows(sockeye, capture):
    env = dict(os.environ, SOCKEYE_GEOIP_PATH="/nonexistent")
    r = subprocess.run([sockeye, "-r", capture, "--json"], capture_output=True, text=True,
                       timeout=300, check=False, env=env)
    if r.returncode != 0:
        raise SystemExit(f"FAIL: sockeye -r {capture} exited {r.returncode}: {r.stderr.strip()}")
    flows = [json.loads(l) for l in r.stdout.splitlines() if '"type":"flow"' in l]
    if not flows:
        raise SystemExit(f"FAIL: sockeye -r {capture}: no flows")
    return flows


def is_gateway(mac, seen):
    v4 = {ip for m, ip, _ in seen if m == mac and ":" not in ip}
    v6 = {ipaddress.ip_network(ip + "/64", strict=False) for m, ip, _ in seen if m == mac and ":" in ip}
    return len(v4) > 2 or len(v6) > 3


def check_capture(sockeye, tshark, capture, oui, problems):
    seen = frames(tshark, capture)
    flows = sockeye_flows(sockeye, capture)
    labelled = []
    for f in flows:
        mac = f.get("remote_mac")
        if mac is None:
            if "remote_vendor" in f:
                problems.append(f"{capture}: remote_vendor without remote_mac: {f}")
            continue
        dst = ipaddress.ip_address(f["destination_ip"]).compressed
        what = f"{os.path.basename(capture)}: {f['protocol']} to {dst} labelled {mac} {f.get('remote_vendor')!r}"
        direct = {m for m, ip, hops in seen if ip == dst and hops in INITIAL_HOPS}
        if direct != {mac}:
            problems.append(f"{what}: tshark's frames from {dst} with an initial hop count "
                            f"come from {sorted(direct) or 'no MAC'}")
        if is_gateway(mac, seen):
            problems.append(f"{what}: tshark shows that MAC carrying many sources (a gateway)")
        first = int(mac[:2], 16)
        vendor = f.get("remote_vendor")
        if first & 0x02:
            if vendor != "locally administered":
                problems.append(f"{what}: a locally administered address")
        else:
            organisation = oui.get(mac.replace(":", "")[:6].upper())
            if organisation is None:
                if vendor:
                    problems.append(f"{what}: the prefix is not in {OUI_CSV}")
            else:
                words = [alnum(w) for w in (vendor or "").split() if alnum(w)]
                if not words or any(w not in alnum(organisation) for w in words):
                    problems.append(f"{what}: not words of the registry's '{organisation.strip()}'")
        labelled.append(f)
    return seen, flows, labelled


def main():
    sockeye, tshark, captures = sys.argv[1:4]
    oui = registry()
    if len(oui) < 30000:
        print(f"FAIL: {OUI_CSV} holds {len(oui)} MA-L rows; is Debian's ieee-data installed?")
        return 1
    gp = os.path.join(captures, "golang-github-google-gopacket-dev")
    ps = os.path.join(captures, "pathspider")
    problems = []
    results = {}
    for capture in (os.path.join(gp, "test_ethernet.pcap"), os.path.join(gp, "test_dns.pcap"),
                    os.path.join(ps, "tcp_http.pcap"), os.path.join(ps, "tcp_ipv4_simple.pcap"),
                    os.path.join(ps, "basic_ipv6_tcp.pcap"), os.path.join(ps, "real.pcap")):
        if not os.path.exists(capture):
            print(f"FAIL: {capture} missing (scripts/fetch-test-captures)")
            return 1
        results[os.path.basename(capture)] = check_capture(sockeye, tshark, capture, oui, problems)

    # A local server named by its interface's maker.
    _, _, labelled = results["test_ethernet.pcap"]
    got = {(f["destination_ip"], f["remote_mac"], f["remote_vendor"]) for f in labelled}
    print(f"test_ethernet.pcap: {sorted(got)}")
    if not any(ip == "10.1.1.1" and mac == "c4:39:3a:02:a9:2a" for ip, mac, _ in got):
        problems.append("test_ethernet.pcap: the server 10.1.1.1 is not labelled c4:39:3a:02:a9:2a")

    # Gateways: many IPv4 sources behind one MAC, and nobody labelled.
    for name, router in (("test_dns.pcap", "00:0f:35:bb:0b:40"), ("tcp_http.pcap", "fe:ff:20:00:01:00")):
        seen, flows, labelled = results[name]
        sources = sorted({ip for m, ip, _ in seen if m == router})
        print(f"{name}: {router} carries {len(sources)} sources; {len(labelled)} of {len(flows)} flows labelled")
        if len(sources) <= 2:
            problems.append(f"{name}: tshark shows {router} with only {sources}: not the gateway case")
        if any(f["remote_mac"] == router for f in labelled):
            problems.append(f"{name}: a flow is labelled with the gateway {router}")

    # Routed peers (their TTL decremented on the way) get nothing.
    for name in ("tcp_ipv4_simple.pcap", "basic_ipv6_tcp.pcap"):
        seen, flows, labelled = results[name]
        hops = sorted({(ip, h) for _, ip, h in seen if ip in {f["destination_ip"] for f in flows}})
        print(f"{name}: remote sources and hop counts {hops}; {len(labelled)} labelled")
        if labelled:
            problems.append(f"{name}: routed peers labelled: {[f['destination_ip'] for f in labelled]}")

    # A lab capture of several VirtualBox machines: most peers are local.
    _, flows, labelled = results["real.pcap"]
    vendors = sorted({f["remote_vendor"] for f in labelled})
    print(f"real.pcap: {len(labelled)} of {len(flows)} flows labelled, vendors {vendors}")
    if len(labelled) < 1000:
        problems.append(f"real.pcap: only {len(labelled)} flows labelled")

    for p in problems:
        print(f"FAIL: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
