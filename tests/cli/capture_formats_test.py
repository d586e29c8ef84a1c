#!/usr/bin/env python3
"""Capture input the Wireshark tools read, checked against them.

1. mergecap output of an Ethernet capture and a Linux cooked (SLL) capture:
   one pcapng file with two interfaces of different link types (libpcap
   1.10 refuses it). Flows from both appear, and every conversation's packet
   and byte counts equal tshark's (tests/oracle/tshark_crosscheck.py).
2. Packet comments in sockeye's --pcapng-export layout (added with editcap)
   name the flow's process: pid and process_name in --json, matched as
   pcapng_comment.
3. Timestamps past 2038 in classic pcap (unsigned 32-bit seconds, up to
   2106-02-07) and in pcapng read as capinfos reads them, not as 1970.

Usage: capture_formats_test.py SOCKEYE TRAFFICGEN"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SOCKEYE = os.path.abspath(sys.argv[1])
TRAFFICGEN = os.path.abspath(sys.argv[2])
HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "..", "oracle", "tshark_crosscheck.py")
TIMEOUT = 120
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*cmd, env=None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False)


def sockeye_json(path):
    r = run(SOCKEYE, "-r", path, "--json")
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    return r, [l for l in lines if l["type"] == "flow"], [l for l in lines if l["type"] == "summary"]


def merged_capture(tmp):
    eth, sll = os.path.join(tmp, "eth.pcap"), os.path.join(tmp, "sll.pcap")
    merged = os.path.join(tmp, "merged.pcapng")
    check(run(TRAFFICGEN, "tcp-mix", eth).returncode == 0, "trafficgen tcp-mix")
    check(run(TRAFFICGEN, "linktypes-sll", sll).returncode == 0, "trafficgen linktypes-sll")
    r = run("mergecap", "-F", "pcapng", "-w", merged, eth, sll)
    check(r.returncode == 0, f"mergecap: {r.stderr.strip()}")
    info = run("capinfos", "-E", merged).stdout
    check("Per packet" in info, f"mergecap wrote several link types: {info.strip()}")

    r, flows, summary = sockeye_json(merged)
    check(r.returncode == 0, f"sockeye reads the merged file (exit {r.returncode}): {r.stderr.strip()}")
    check(summary and summary[0]["link_type"] in ("EN10MB,LINUX_SLL", "LINUX_SLL,EN10MB"),
          f"both link types in the summary: {summary and summary[0]['link_type']}")
    # tcp-mix's flows are on 10.1.x / fd00:1::; linktypes-sll's elsewhere.
    _, eth_flows, _ = sockeye_json(eth)
    _, sll_flows, _ = sockeye_json(sll)
    key = lambda f: (f["protocol"], f["source_ip"], f["source_port"], f["destination_ip"],
                     f["destination_port"], f["packets_sent"], f["packets_received"])
    merged_keys = sorted(map(key, flows))
    check(merged_keys == sorted(map(key, eth_flows + sll_flows)),
          f"the merged file has the flows of both inputs ({len(eth_flows)} + {len(sll_flows)} "
          f"vs {len(flows)})")
    o = run(sys.executable, ORACLE, "--sockeye", SOCKEYE, "--tshark", shutil.which("tshark"),
            "--capture", merged)
    check(o.returncode == 0, "tshark conversations match:\n" + o.stdout + o.stderr)
    return merged


def comments(tmp, merged):
    # The first frame is tcp-mix's first SYN (mergecap orders by time; the
    # SLL capture's clock starts later, checked below).
    commented = os.path.join(tmp, "commented.pcapng")
    r = run("editcap", "-a", "1:process=curl pid=4242 dir=out app=TLS sni=example.com",
            merged, commented)
    check(r.returncode == 0, f"editcap -a: {r.stderr.strip()}")
    first = run("tshark", "-r", commented, "-c", "1", "-T", "fields", "-e", "ip.src", "-e",
                "ipv6.src", "-e", "tcp.srcport", "-e", "frame.comment").stdout.split("\t")
    r, flows, _ = sockeye_json(commented)
    check(r.returncode == 0, f"sockeye reads the commented file: {r.stderr.strip()}")
    owned = [f for f in flows if f.get("process_name") is not None]
    check(len(owned) == 1, f"one flow has a recorded owner: {len(owned)}")
    if owned:
        f = owned[0]
        check(f["pid"] == 4242 and f["process_name"] == "curl" and
              f["process_match"] == "pcapng_comment",
              f"pid 4242, curl, pcapng_comment: {f['pid']} {f['process_name']} {f['process_match']}")
        check(f["source_ip"] in first[:2] and str(f["source_port"]) == first[2],
              f"the owner is on the commented frame's flow ({first[:3]} vs "
              f"{f['source_ip']}:{f['source_port']})")
    others = [f for f in flows if f.get("process_name") is None]
    check(bool(others) and all(f["unattributed_reason"] == "offline" for f in others),
          "flows without a comment: no process, reason offline")


def late_timestamps(tmp):
    # Classic pcap, microseconds: 2040-01-01, then the last second of 2106-02-07.
    pcap = os.path.join(tmp, "late.pcap")
    arp = bytes.fromhex("ffffffffffff020000000001080600010800060400010200000000010a000001"
                        "0000000000000a000002") + bytes(18)
    with open(pcap, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for sec, usec in ((2208988800, 5), (4294967295, 999999)):
            out.write(struct.pack("<IIII", sec, usec, len(arp), len(arp)) + arp)
    # The same frames in pcapng (written by editcap from the pcap).
    pcapng = os.path.join(tmp, "late.pcapng")
    check(run("editcap", "-F", "pcapng", pcap, pcapng).returncode == 0, "editcap to pcapng")
    env = dict(os.environ, TZ="UTC")
    for path in (pcap, pcapng):
        name = os.path.basename(path)
        info = run("capinfos", "-a", "-e", path, env=env).stdout
        times = {}
        for line in info.splitlines():
            if ":" in line and line.split(":", 1)[0].strip() in ("First packet time", "Last packet time"):
                key, value = line.split(":", 1)
                times[key.strip()] = value.strip().replace(" ", "T") + "Z"
        check(times.get("First packet time") == "2040-01-01T00:00:00.000005Z" and
              times.get("Last packet time") == "2106-02-07T06:28:15.999999Z",
              f"{name}: capinfos reads 2040 and 2106: {times}")
        # 66 years apart: the first ARP flow has long ended when the second frame comes.
        r, flows, _ = sockeye_json(path)
        check(r.returncode == 0 and len(flows) == 2, f"{name}: two ARP flows: {r.stderr.strip()}")
        seen = sorted((f["first_seen"], f["last_seen"]) for f in flows)
        check(bool(seen) and seen[0][0] == times.get("First packet time") and
              seen[-1][1] == times.get("Last packet time"),
              f"{name}: first and last seen as capinfos: {seen}")


def main():
    for tool in ("mergecap", "editcap", "capinfos", "tshark"):
        if shutil.which(tool) is None:
            print(f"skip: {tool} not installed")
            return 77
    tmp = tempfile.mkdtemp(prefix="sockeye-formats-")
    try:
        merged = merged_capture(tmp)
        comments(tmp, merged)
        late_timestamps(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
