#!/usr/bin/env python3
"""--ipfix end to end, on 127.0.0.1 only.

For each generated capture (TCP over IPv4 and IPv6; UDP, ICMP, ICMPv6, ARP,
IGMP):
  - UDP: nfcapd (Debian nfdump) collects what
    `sockeye -r FILE --headless --ipfix 127.0.0.1:PORT` sends; after nfcapd's
    SIGTERM flush, `nfdump -r FILE -o csv` must list exactly the flows of
    `sockeye -r FILE --json` (ARP has no IP addresses and is not exported),
    each with the same addresses, ports (TCP/UDP), protocol, packets and
    bytes in both directions (in_* = source -> destination, out_* = the
    reverse, RFC 5103) and the same first/last millisecond;
  - TCP: nfcapd 1.7 has no TCP listener, so a collector here reads the
    stream, checks the framing (message lengths back to back, version 10,
    templates first and once, sequence numbers = records before) and decodes
    every record with the templates it received; the records must equal
    the --json flows the same way;
  - an unreachable collector (TCP, port closed): the error is reported once
    on stderr, sockeye still exits 0 in bounded time and counts every record
    as dropped;
  - geo elements: without databases no template declares them (every round
    above); with a city and an ASN database (tests/lib/mmdb_writer.py) the
    datagrams sent to a UDP socket of the test use the geo templates, and
    the remote's country, ASN, organisation and city of every record, as
    tshark dissects them (its cflow dissector, fed the datagrams as a pcap)
    and as this test's decoder reads them, equal remote_geo of
    `sockeye -r FILE --json` with the same databases.
Skips (exit 77) when nfcapd or nfdump is missing (after the geo round)."""
import calendar
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import crafted_pcap  # noqa: E402
import mmdb_writer  # noqa: E402

SOCKEYE, TRAFFICGEN = sys.argv[1], sys.argv[2]
SCENARIOS = ("tcp-mix", "udp-icmp-arp")
REVERSE_PEN, SOCKEYE_PEN = 29305, 32473
# sockeye's geo elements: remoteCountry, remoteAsn, remoteAsOrganisation, remoteCity.
GEO_COUNTRY, GEO_ASN, GEO_ORGANISATION, GEO_CITY = 6, 7, 8, 9
GEO_TEMPLATES = (258, 259)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def udp_port_taken(port):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def sockeye_flows(capture):
    """(key + first ms -> (packets, bytes, rpackets, rbytes, last ms)) from --json, IP flows only."""
    out = subprocess.run([SOCKEYE, "-r", capture, "--json"], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    flows = {}
    for line in out.splitlines():
        o = json.loads(line)
        if o.get("type") != "flow" or o["protocol"] == "ARP":
            continue
        ports = o["protocol"] in ("TCP", "UDP")
        # A reused tuple is a new flow: the first millisecond tells them apart.
        key = (o["ip_proto"], o["source_ip"], o["source_port"] if ports else 0,
               o["destination_ip"], o["destination_port"] if ports else 0, ms(o["first_seen"]))
        if key in flows:
            fail(f"two sockeye flows share {key}: the comparison needs unique keys")
        flows[key] = (o["packets_sent"], o["bytes_sent"], o["packets_received"],
                      o["bytes_received"], ms(o["last_seen"]))
    return flows


def ms(text):
    """2024-01-01T00:00:00.011 (UTC; sockeye's with a Z, nfdump's under TZ=UTC) -> epoch ms."""
    return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(text[20:23])


def run_export(capture, target):
    started = time.monotonic()
    r = subprocess.run([SOCKEYE, "-r", capture, "--headless", "--ipfix", target],
                       capture_output=True, text=True, timeout=60)
    return r, time.monotonic() - started


def compare(name, expected, got):
    missing = set(expected) - set(got)
    extra = set(got) - set(expected)
    if missing or extra:
        fail(f"{name}: flows differ; missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}")
    bad = [(k, expected[k], got[k]) for k in expected if expected[k] != got[k]]
    if bad:
        fail(f"{name}: {len(bad)} flows with other counts/times, e.g. {bad[:3]}")
    packets = sum(v[0] + v[2] for v in expected.values())
    octets = sum(v[1] + v[3] for v in expected.values())
    print(f"ok {name}: {len(expected)} flows, {packets} packets, {octets} bytes agree")


# ---------------------------------------------------------------- UDP / nfcapd

def nfdump_flows(nfdir):
    files = [os.path.join(nfdir, f) for f in os.listdir(nfdir) if f.startswith("nfcapd.")]
    if len(files) != 1:
        fail(f"expected one nfcapd file, found {files}")
    js = subprocess.run(["nfdump", "-r", files[0], "-o", "json"], capture_output=True, text=True,
                        timeout=60, check=True).stdout
    flows = {}
    for o in json.loads(js):
        pr = o["proto"]
        ports = pr in (6, 17)
        sa = o.get("src4_addr") or o.get("src6_addr")
        da = o.get("dst4_addr") or o.get("dst6_addr")
        key = (pr, sa, o["src_port"] if ports else 0, da, o["dst_port"] if ports else 0,
               ms(o["first"]))
        if key in flows:
            fail(f"nfdump lists {key} twice")
        flows[key] = (o.get("in_packets", 0), o.get("in_bytes", 0), o.get("out_packets", 0),
                      o.get("out_bytes", 0), ms(o["last"]))
    return flows


def udp_round(capture, tmp, expected):
    nfdir = tempfile.mkdtemp(dir=tmp)
    port = free_port(socket.SOCK_DGRAM)
    nfcapd = subprocess.Popen(["nfcapd", "-b", "127.0.0.1", "-p", str(port), "-w", nfdir,
                               "-t", "3600"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not udp_port_taken(port):
            if nfcapd.poll() is not None or time.monotonic() > deadline:
                fail("nfcapd did not start")
            time.sleep(0.05)
        r, took = run_export(capture, f"127.0.0.1:{port}")
        if r.returncode != 0:
            fail(f"sockeye exited {r.returncode}: {r.stderr}")
        n = len(expected)
        if f"ipfix export to udp://127.0.0.1:{port}: {n} written, 0 dropped" not in r.stderr:
            fail(f"unexpected totals line: {r.stderr!r}")
        time.sleep(0.5)  # nfcapd takes the last datagrams off its socket
    finally:
        nfcapd.send_signal(signal.SIGTERM)  # flushes the file
        try:
            nfcapd.wait(timeout=15)
        except subprocess.TimeoutExpired:
            nfcapd.kill()
            fail("nfcapd did not stop on SIGTERM")
    compare(f"udp nfcapd {os.path.basename(capture)}", expected, nfdump_flows(nfdir))


# ---------------------------------------------------------------- TCP collector

def decode_stream(data):
    """Records of an IPFIX byte stream; checks framing, templates and sequence numbers."""
    templates, records, at, index = {}, [], 0, 0
    while at < len(data):
        if len(data) - at < 16:
            fail("stream ends inside a message header")
        version, length, _export, sequence, _domain = struct.unpack_from("!HHIII", data, at)
        if version != 10 or length < 16 or at + length > len(data):
            fail(f"bad message header at {at}: version {version} length {length}")
        if sequence != len(records):
            fail(f"message {index}: sequence {sequence}, {len(records)} records before it")
        pos, end = at + 16, at + length
        while pos < end:
            set_id, set_len = struct.unpack_from("!HH", data, pos)
            if set_len < 4 or pos + set_len > end:
                fail("bad set length")
            body, pos = data[pos + 4:pos + set_len], pos + set_len
            if set_id == 2:
                if index != 0:
                    fail("templates again inside one TCP session")
                templates.update(parse_templates(body))
            else:
                if set_id not in templates:
                    fail(f"data set {set_id} before its template")
                records += parse_records(templates[set_id], body)
        at, index = end, index + 1
    if not templates:
        fail("no templates on the stream")
    return records


def parse_templates(body):
    out, p = {}, 0
    while len(body) - p >= 4:
        tid, count = struct.unpack_from("!HH", body, p)
        p += 4
        fields = []
        for _ in range(count):
            raw, length = struct.unpack_from("!HH", body, p)
            p += 4
            pen = 0
            if raw & 0x8000:
                pen = struct.unpack_from("!I", body, p)[0]
                p += 4
            fields.append((raw & 0x7FFF, length, pen))
        out[tid] = fields
    return out


def parse_records(fields, body):
    minimum = sum(1 if f[1] == 0xFFFF else f[1] for f in fields)
    out, p = [], 0
    while len(body) - p >= minimum:
        rec = {}
        for fid, length, pen in fields:
            if length == 0xFFFF:
                length = body[p]
                p += 1
                if length == 255:
                    length = struct.unpack_from("!H", body, p)[0]
                    p += 2
            rec[(pen, fid)] = body[p:p + length]
            p += length
        out.append(rec)
    if any(body[p:]):
        fail("non-zero set padding")
    return out


def number(rec, fid, pen=0):
    return int.from_bytes(rec[(pen, fid)], "big")


def record_flows(records):
    flows = {}
    for rec in records:
        if (0, 8) in rec:
            sa, da = socket.inet_ntop(socket.AF_INET, rec[(0, 8)]), socket.inet_ntop(socket.AF_INET, rec[(0, 12)])
        else:
            sa, da = socket.inet_ntop(socket.AF_INET6, rec[(0, 27)]), socket.inet_ntop(socket.AF_INET6, rec[(0, 28)])
        pr = number(rec, 4)
        key = (pr, sa, number(rec, 7), da, number(rec, 11), number(rec, 152))
        if key in flows:
            fail(f"two records for {key}")
        flows[key] = (number(rec, 2), number(rec, 1), number(rec, 2, REVERSE_PEN),
                      number(rec, 1, REVERSE_PEN), number(rec, 153))
        if rec[(SOCKEYE_PEN, 1)] != b"" or number(rec, 2, SOCKEYE_PEN) != 0:
            fail("a capture file has no processes, yet a record names one")
        if any((SOCKEYE_PEN, i) in rec for i in (GEO_COUNTRY, GEO_ASN, GEO_ORGANISATION, GEO_CITY)):
            fail("geo elements in a record of a run without geo databases")
    return flows


def tcp_round(capture, expected):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(20)
    port = listener.getsockname()[1]
    received = bytearray()

    def collect():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        conn.settimeout(20)
        with conn:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                received.extend(chunk)

    t = threading.Thread(target=collect)
    t.start()
    r, _ = run_export(capture, f"tcp://127.0.0.1:{port}")
    t.join(timeout=30)
    listener.close()
    if r.returncode != 0:
        fail(f"sockeye exited {r.returncode}: {r.stderr}")
    if f"{len(expected)} written, 0 dropped" not in r.stderr:
        fail(f"unexpected totals line: {r.stderr!r}")
    compare(f"tcp collector {os.path.basename(capture)}", expected,
            record_flows(decode_stream(bytes(received))))


def unreachable_round(capture, expected):
    port = free_port(socket.SOCK_STREAM)  # closed again: connections are refused
    r, took = run_export(capture, f"tcp://127.0.0.1:{port}")
    if r.returncode != 3:  # records were lost: the export-loss status
        fail(f"unreachable collector: sockeye exited {r.returncode} (want 3): {r.stderr}")
    reports = [l for l in r.stderr.splitlines() if "ipfix export:" in l and "retrying" in l]
    if len(reports) != 1 or "Connection refused" not in reports[0]:
        fail(f"expected the error once, got {r.stderr!r}")
    if f"0 written, {len(expected)} dropped" not in r.stderr:
        fail(f"losses not counted: {r.stderr!r}")
    if took > 10:
        fail(f"exit took {took:.1f} s with the collector down")
    print(f"ok unreachable collector: reported once, {len(expected)} records counted lost, "
          f"exit in {took:.1f} s")


# ---------------------------------------------------------------- geo elements

def geo_capture(path):
    """UDP exchanges with a public remote (looked up), a private one (not
    looked up: empty values) and a second public one."""
    frames = []
    for i, (remote, port) in enumerate((("93.184.216.34", 443), ("10.0.0.2", 53), ("1.1.1.1", 53))):
        t = i * 0.5
        frames.append((t, crafted_pcap.ether(crafted_pcap.ipv4(
            "10.0.0.1", remote, crafted_pcap.UDP, crafted_pcap.udp(40000 + i, port, b"q" * 20)))))
        frames.append((t + 0.1, crafted_pcap.ether(crafted_pcap.ipv4(
            remote, "10.0.0.1", crafted_pcap.UDP, crafted_pcap.udp(port, 40000 + i, b"a" * 30)))))
    crafted_pcap.write_pcap(path, frames)


def json_geo(capture, geo_args):
    """(source, sport, destination, dport) -> (country, asn, organisation, city)
    from remote_geo of --json, with "" / 0 where it says null."""
    out = subprocess.run([SOCKEYE, "-r", capture, "--json"] + geo_args, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    flows = {}
    for line in out.splitlines():
        o = json.loads(line)
        if o.get("type") != "flow":
            continue
        g = o.get("remote_geo")
        if g is None:
            fail(f"--json with geo databases: a flow without remote_geo: {o}")
        flows[(o["source_ip"], o["source_port"], o["destination_ip"], o["destination_port"])] = (
            g["country"] or "", g["asn"] or 0, g["organisation"] or "", g["city"] or "")
    return flows


def tshark_geo(datagrams, port, tmp):
    """The same key -> values from tshark's dissection of the datagrams."""
    pcap = os.path.join(tmp, "ipfix-geo.pcap")
    frames = [(i * 0.001, crafted_pcap.ether(crafted_pcap.ipv4(
        "127.0.0.1", "127.0.0.1", crafted_pcap.UDP, crafted_pcap.udp(50000, port, d))))
        for i, d in enumerate(datagrams)]
    crafted_pcap.write_pcap(pcap, frames)
    text = subprocess.run(["tshark", "-r", pcap, "-d", f"udp.port=={port},cflow", "-V"],
                          capture_output=True, text=True, timeout=60, check=True).stdout
    flows, cur = {}, None
    # "Enterprise Private entry: (Example Enterprise Number for Documentation
    # Use) Type 6: Value (hex bytes): 4e 4c": tshark knows no names for them,
    # and leaves an empty (zero-length) string out.
    pen_entry = re.compile(r"Enterprise Private entry: \((.*)\) Type (\d+): Value \(hex bytes\): ?([0-9a-f ]*)")

    def done(flow):
        if flow is None or GEO_ASN not in flow:
            return
        key = (flow["SrcAddr"], int(flow["SrcPort"]), flow["DstAddr"], int(flow["DstPort"]))
        flows[key] = (flow.get(GEO_COUNTRY, b"").decode(), int.from_bytes(flow[GEO_ASN], "big"),
                      flow.get(GEO_ORGANISATION, b"").decode(), flow.get(GEO_CITY, b"").decode())

    for line in text.splitlines():
        line = line.strip()
        if re.fullmatch(r"Flow \d+", line) or line.startswith(("FlowSet Id", "Frame ")):
            done(cur)
            cur = {} if line.startswith("Flow ") else None
            continue
        if cur is None:
            continue
        m = re.fullmatch(r"(SrcAddr|DstAddr|SrcPort|DstPort): (\S+)", line)
        if m:
            cur[m.group(1)] = m.group(2)
        m = pen_entry.fullmatch(line)
        if m and "Documentation Use" in m.group(1):
            cur[int(m.group(2))] = bytes.fromhex(m.group(3).replace(" ", ""))
    done(cur)
    return flows


def geo_round(tmp):
    if shutil.which("tshark") is None:
        fail("tshark not installed (scripts/deps)")
    capture = os.path.join(tmp, "geo.pcap")
    geo_capture(capture)
    city, asn = os.path.join(tmp, "city.mmdb"), os.path.join(tmp, "asn.mmdb")
    mmdb_writer.write(city, "GeoLite2-City", {"country": {"iso_code": "NL"},
                                              "city": {"names": {"en": "Amsterdam"}}})
    mmdb_writer.write_asn(asn, 64500, "Example Networks")
    geo_args = ["--geoip-dir", city, "--geoip-dir", asn]
    expected = json_geo(capture, geo_args)
    if ("10.0.0.1", 40000, "93.184.216.34", 443) not in expected or \
            expected[("10.0.0.1", 40000, "93.184.216.34", 443)] != ("NL", 64500, "Example Networks", "Amsterdam"):
        fail(f"--json does not look the public remote up: {expected}")
    if expected.get(("10.0.0.1", 40001, "10.0.0.2", 53)) != ("", 0, "", ""):
        fail(f"--json: the private remote has geo values: {expected}")

    collector = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    collector.bind(("127.0.0.1", 0))
    port = collector.getsockname()[1]
    r = subprocess.run([SOCKEYE, "-r", capture, "--headless", "--ipfix", f"127.0.0.1:{port}"] + geo_args,
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        fail(f"sockeye exited {r.returncode}: {r.stderr}")
    datagrams = []
    collector.settimeout(1.0)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            datagrams.append(collector.recv(65535))
        except socket.timeout:
            break
    collector.close()
    if not datagrams:
        fail("no IPFIX datagram arrived")

    templates, records = {}, []
    for d in datagrams:
        pos = 16
        while pos < len(d):
            set_id, set_len = struct.unpack_from("!HH", d, pos)
            body, pos = d[pos + 4:pos + set_len], pos + set_len
            if set_id == 2:
                templates.update(parse_templates(body))
            else:
                if set_id not in GEO_TEMPLATES:
                    fail(f"a data set with template {set_id}: not a geo template")
                records += parse_records(templates[set_id], body)
    if sorted(templates) != list(GEO_TEMPLATES):
        fail(f"templates {sorted(templates)}, want the geo templates {GEO_TEMPLATES}")
    ours = {}
    for rec in records:
        key = (socket.inet_ntop(socket.AF_INET, rec[(0, 8)]), number(rec, 7),
               socket.inet_ntop(socket.AF_INET, rec[(0, 12)]), number(rec, 11))
        ours[key] = (rec[(SOCKEYE_PEN, GEO_COUNTRY)].decode(), number(rec, GEO_ASN, SOCKEYE_PEN),
                     rec[(SOCKEYE_PEN, GEO_ORGANISATION)].decode(), rec[(SOCKEYE_PEN, GEO_CITY)].decode())
    theirs = tshark_geo(datagrams, port, tmp)
    for name, got in (("this test's decoder", ours), ("tshark", theirs)):
        if got != expected:
            fail(f"geo elements as {name} reads them differ from --json:\n  got  {got}\n  want {expected}")
    print(f"ok geo elements: {len(expected)} records, tshark and the test's decoder agree with --json: "
          f"{sorted(theirs.items())}")


def main():
    os.environ["TZ"] = "UTC"  # nfdump prints local times
    with tempfile.TemporaryDirectory() as tmp:
        geo_round(tmp)
    for tool in ("nfcapd", "nfdump"):
        if shutil.which(tool) is None:
            print(f"SKIP: {tool} not installed (Debian package nfdump)")
            sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in SCENARIOS:
            capture = os.path.join(tmp, scenario + ".pcap")
            subprocess.run([TRAFFICGEN, scenario, capture], check=True, capture_output=True)
            expected = sockeye_flows(capture)
            if not expected:
                fail(f"{scenario}: no flows")
            udp_round(capture, tmp, expected)
            tcp_round(capture, expected)
        unreachable_round(capture, expected)
    print("ipfix_e2e: all checks passed")


if __name__ == "__main__":
    main()
