#!/usr/bin/env python3
"""README.md documents exactly the fields sockeye writes.

Runs `sockeye -r CAPTURE --json --json-log FILE` over captures the test writes
(DNS query and answer with A, AAAA and CNAME records, mDNS, LLMNR, NetBIOS-NS,
an HTTP exchange closed with FIN) and, when present, every capture under the
directories given (the golden captures), and compares the keys of the output
with the tables of README.md:
  - flow lines: every key is in the "JSON output" table and every field of
    that table appears (the live-only table is checked not to appear in
    capture-file output, but for the fields of the "From a capture file"
    table, written for peers on the capture's own network);
  - the summary line and the --json-log events likewise, against their tables;
  - the fields written only with geo databases (the "With geo databases"
    table, event rows that say so): absent without one, present in a run
    with a database the test writes (tests/lib/mmdb_writer.py);
  - the `dpi` object: every key of a protocol is in that protocol's row of
    the "Deep packet inspection" table; for the rows the written captures
    cover completely (DNS/mDNS/LLMNR, NetBIOS-NS, HTTP) every documented
    field appears.
Usage: documented_fields_test.py SOCKEYE README [CAPTURE_DIR...]"""
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import Checks  # noqa: E402
import mmdb_writer  # noqa: E402
from crafted_pcap import (ACK, FIN, PSH, UDP, TcpConnection, dns_name, dns_query, ether,  # noqa: E402
                          ipv4, udp, write_pcap)
import struct  # noqa: E402
import socket  # noqa: E402

SOCKEYE, README = sys.argv[1], sys.argv[2]
CAPTURE_DIRS = sys.argv[3:]
FULLY_COVERED = ("DNS", "NetBIOS-NS", "HTTP")
check = Checks(echo=True)


# ---------------------------------------------------------------- README

def section(text, title):
    start = text.index(title)
    end = text.find("\n### ", start + len(title))
    return text[start:end if end >= 0 else len(text)]


def table_after(text, marker):
    """Rows (lists of cells) of the first Markdown table after `marker`."""
    rows = []
    lines = text[text.index(marker):].splitlines()
    in_table = False
    for line in lines:
        if line.startswith("|"):
            in_table = True
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            if not set(cells[0]) <= set("- "):
                rows.append(cells)
        elif in_table:
            break
    return rows[1:]  # without the header


def names(cell):
    return set(re.findall(r"`([a-z_0-9]+)`", cell))


def documented(readme):
    json_section = section(readme, "### JSON output")
    flow = set().union(*(names(r[0]) for r in table_after(json_section, "| field | meaning |")))
    live = set().union(*(names(r[0]) for r in table_after(json_section, "Live capture adds")))
    summary = set().union(*(names(r[0]) for r in table_after(json_section, "The summary object")))
    geo = set().union(*(names(r[0]) for r in table_after(json_section, "With geo databases")))
    link = set().union(*(names(r[0]) for r in table_after(json_section, "From a capture file, a line whose remote")))
    event_rows = table_after(readme, "### Connection events")
    events = set().union(*(names(r[0]) for r in event_rows))
    event_geo = set().union(*(names(r[0]) for r in event_rows if r[1].lower().startswith("with geo databases")))
    dpi = {}
    for protocols, fields in table_after(section(readme, "### Deep packet inspection"), "| protocol |"):
        for p in protocols.split(","):
            dpi[p.strip()] = names(fields)
    return flow, live, summary, events, dpi, geo, event_geo, link


# ---------------------------------------------------------------- captures

def dns_answer(ident, name, records, flags=0x8180):
    """A response to an A query for `name` with (type, rdata) records owned by `name`."""
    msg = struct.pack("!HHHHHH", ident, flags, 1, len(records), 0, 0) + dns_name(name) + struct.pack("!HH", 1, 1)
    for rtype, rdata in records:
        msg += b"\xc0\x0c" + struct.pack("!HHIH", rtype, 1, 60, len(rdata)) + rdata
    return msg


def netbios_name(name):
    padded = name.ljust(15)[:15] + b"\x00"
    return bytes(c for b in padded for c in (ord("A") + (b >> 4), ord("A") + (b & 15)))


def build_capture(path):
    frames = []

    def datagram(t, src, sport, dst, dport, payload):
        frames.append((t, ether(ipv4(src, dst, UDP, udp(sport, dport, payload)))))

    records = [(5, dns_name(b"cdn.example")), (1, socket.inet_aton("192.0.2.7")),
               (28, socket.inet_pton(socket.AF_INET6, "2001:db8::7"))]
    datagram(0.00, "10.9.0.2", 40000, "10.9.0.53", 53, dns_query(1, b"www.example"))
    datagram(0.01, "10.9.0.53", 53, "10.9.0.2", 40000, dns_answer(1, b"www.example", records))
    datagram(0.10, "10.9.0.2", 5353, "224.0.0.251", 5353, dns_query(0, b"printer.local"))
    datagram(0.11, "10.9.0.9", 5353, "10.9.0.2", 5353, dns_answer(0, b"printer.local", records[1:2], 0x8400))
    datagram(0.20, "10.9.0.2", 40001, "224.0.0.252", 5355, dns_query(2, b"nas"))
    datagram(0.21, "10.9.0.8", 5355, "10.9.0.2", 40001, dns_answer(2, b"nas", records[1:2], 0x8000))
    nb = struct.pack("!HHHHHH", 3, 0x0110, 1, 0, 0, 0) + b"\x20" + netbios_name(b"FRED") + b"\0" + \
        struct.pack("!HH", 0x20, 1)
    datagram(0.30, "10.9.0.2", 137, "10.9.0.255", 137, nb)
    datagram(0.31, "10.9.0.7", 137, "10.9.0.2", 137, nb[:2] + b"\x85\x00" + nb[4:])

    web = TcpConnection(frames, "10.9.0.2", 40002, "10.9.0.80", 80, 0.4)
    web.handshake()
    web.send(True, PSH | ACK, b"GET /index.html HTTP/1.1\r\nHost: www.example\r\nUser-Agent: test/1\r\n\r\n")
    web.send(False, PSH | ACK, b"HTTP/1.1 200 OK\r\nServer: srv/2\r\nContent-Length: 2\r\n\r\nok")
    web.send(True, ACK)
    web.send(True, FIN | ACK)
    web.send(False, FIN | ACK)
    web.send(True, ACK)
    write_pcap(path, frames)


def captures(tmp):
    own = os.path.join(tmp, "fields.pcap")
    build_capture(own)
    found = [own]
    for d in CAPTURE_DIRS:
        for root, _, files in os.walk(d):
            found += sorted(os.path.join(root, f) for f in files if f.endswith((".pcap", ".pcapng")))
    return found


# ---------------------------------------------------------------- main

def main():
    with open(README, encoding="utf-8") as f:
        flow_doc, live_doc, summary_doc, event_doc, dpi_doc, geo_doc, event_geo_doc, link_doc = \
            documented(f.read())
    check(bool(flow_doc and live_doc and summary_doc and event_doc and dpi_doc and geo_doc and event_geo_doc
               and link_doc), "README has the flow, live, summary, event, DPI, geo and file link tables")
    check(link_doc <= live_doc, f"file link fields that live capture does not write: {sorted(link_doc - live_doc)}")
    event_doc -= event_geo_doc
    flow_seen, summary_seen, event_seen = set(), set(), set()
    dpi_seen = defaultdict(set)
    with tempfile.TemporaryDirectory() as tmp:
        # Geo fields: absent without a database, present with one.
        country, asn = os.path.join(tmp, "country.mmdb"), os.path.join(tmp, "asn.mmdb")
        mmdb_writer.write_country(country)
        mmdb_writer.write_asn(asn)
        geo_log = os.path.join(tmp, "geo-events.jsonl")
        own = captures(tmp)[0]
        r = subprocess.run([SOCKEYE, "-r", own, "--json", "--json-log", geo_log, "--geoip-dir", country,
                            "--geoip-dir", asn], capture_output=True, text=True, timeout=120)
        geo_lines = [json.loads(line) for line in r.stdout.splitlines()]
        geo_flow_seen = set().union(*(o.keys() for o in geo_lines if o.get("type") == "flow"))
        with open(geo_log, encoding="utf-8") as f:
            geo_event_seen = set().union(*(json.loads(line).keys() for line in f))
        check(geo_doc <= geo_flow_seen, f"with geo databases, flow fields never written: {sorted(geo_doc - geo_flow_seen)}")
        check(geo_flow_seen - flow_doc - geo_doc - link_doc == set(),
              f"with geo databases, undocumented flow keys: {sorted(geo_flow_seen - flow_doc - geo_doc - link_doc)}")
        check(event_geo_doc <= geo_event_seen,
              f"with geo databases, event fields never written: {sorted(event_geo_doc - geo_event_seen)}")
        for capture in captures(tmp):
            log = os.path.join(tmp, "events.jsonl")
            r = subprocess.run([SOCKEYE, "-r", capture, "--json", "--json-log", log],
                               capture_output=True, text=True, timeout=120)
            for line in r.stdout.splitlines():
                obj = json.loads(line)
                if obj.get("type") == "summary":
                    summary_seen |= obj.keys()
                    continue
                flow_seen |= obj.keys()
                if obj.get("dpi"):
                    dpi_seen[obj["dpi_protocol"]] |= obj["dpi"].keys()
            if os.path.exists(log):
                with open(log, encoding="utf-8") as f:
                    for line in f:
                        event_seen |= json.loads(line).keys()
                os.unlink(log)

    check(flow_seen - flow_doc - link_doc == set(),
          f"flow keys not in README: {sorted(flow_seen - flow_doc - link_doc)}")
    check(flow_doc - flow_seen == set(), f"README flow fields never written: {sorted(flow_doc - flow_seen)}")
    check(link_doc <= flow_seen, f"file link fields never written: {sorted(link_doc - flow_seen)}")
    check(flow_seen & (live_doc - link_doc) == set(),
          f"live-only fields in file output: {sorted(flow_seen & (live_doc - link_doc))}")
    check(flow_seen & geo_doc == set(), f"geo fields without a database: {sorted(flow_seen & geo_doc)}")
    check(summary_seen ^ summary_doc == set(),
          f"summary: undocumented {sorted(summary_seen - summary_doc)}, "
          f"never written {sorted(summary_doc - summary_seen)}")
    check(event_seen ^ event_doc == set(),
          f"--json-log: undocumented {sorted(event_seen - event_doc)}, "
          f"never written {sorted(event_doc - event_seen)}")
    for protocol, keys in sorted(dpi_seen.items()):
        check(protocol in dpi_doc, f"DPI protocol {protocol} has no row in README")
        extra = keys - dpi_doc.get(protocol, set())
        check(not extra, f"{protocol}: dpi keys not in README: {sorted(extra)}")
    for row in FULLY_COVERED:
        protocols = [p for p, fields in dpi_doc.items() if fields == dpi_doc.get(row)]
        seen = set().union(*(dpi_seen.get(p, set()) for p in protocols))
        missing = dpi_doc.get(row, set()) - seen
        check(not missing, f"{'/'.join(protocols)}: README fields never written: {sorted(missing)}")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
