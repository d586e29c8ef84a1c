#!/usr/bin/env python3
"""tshark oracle for DPI: per flow, the SNI, HTTP Host, DNS query name, QUIC
version and QUIC SNI that `sockeye -r CAPTURE --json` reports must equal what
tshark decodes from the same packets.

What tshark is asked (one `tshark -r CAP -T fields` run, checked against
tshark 4.0.17):
  tls.handshake.extensions_server_name  TLS SNI over TCP, and QUIC SNI (tshark
                                        decrypts client Initials itself and
                                        dissects the ClientHello inside QUIC)
  http.host, dns.qry.name, dns.resp.name, dns.count.queries, quic.version
plus frame time, addresses, ports and frame.protocols. Each frame is put on
the sockeye flow of the same transport and endpoint pair whose
[first_seen, last_seen] holds the frame's time (so TCP generations on a reused
4-tuple and UDP flows split by the idle timeout are told apart).

The rules, per sockeye flow (each is exact; where tshark and sockeye
legitimately differ the rule says precisely how, and the test prints how often
each relaxation applied):

  SNI   tshark's SNIs in the flow, in frame order: sockeye's dpi_domain must
        equal the first one and dpi_protocol be TLS (TCP) or QUIC (UDP). A
        flow may carry a second ClientHello (HelloRetryRequest, a QUIC client
        retrying): sockeye keeps the first [first-only]. sockeye reporting a
        TLS/QUIC domain where tshark saw no SNI fails.
  QUIC  the set of quic.version values tshark decodes in the flow must
        contain sockeye's dpi.version, and every version tshark lists must be
        one sockeye reports in dpi.version or dpi.versions (Version
        Negotiation lists) [vn-list].
  HTTP  tshark's http.host values in frame order: dpi_domain must equal the
        first and dpi_protocol be HTTP. sockeye keeps the Host of the first
        request of a keep-alive connection, tshark lists every request
        [first-only]. tshark dissects SSDP (UDP 1900) as HTTP; sockeye calls it
        SSDP and keeps the Host header, always the multicast group, in
        dpi.host rather than as a domain: there dpi.host must equal tshark's
        first http.host [ssdp-host]. tshark dissects HTTP only on its registered ports (its
        HTTP heuristic is off by default), while sockeye's probes run on any
        port: for flows sockeye calls HTTP (or TLS, or DNS) on a port tshark
        does not give to that dissector (`tshark -G decodes`), tshark is run
        with `-d tcp.port==P,http` (tls, dns) for that server port
        [decode-as], so the values are still compared, never skipped.
  DNS   (DNS, mDNS, LLMNR) dpi_domain must equal the query name of the first
        DNS message tshark decodes in the flow, or, when that message has no
        question (mDNS announcements), its first record owner name. sockeye
        keeps the first query name per flow while tshark lists every message
        [first-only]. tshark shows the root name as "<Root>"; sockeye reports
        no domain for it [root-name]. A DNS message the capture cut short
        (snapshot length) still gives tshark its question; sockeye keeps it
        too (ProbeContext::truncated), so no rule is needed there.
  Frames tshark dissects inside an ICMP error (the quoted datagram) or
  inside a tunnel (a second IP layer) belong to no sockeye TCP/UDP flow here
  (sockeye counts them as ICMP or as the outer flow, see
  tests/oracle/tshark_crosscheck.py) and are left out [icmp-quoted],
  [tunnel-inner].
  Frames no sockeye flow covers (sockeye rejected the datagram, e.g. a bad
  length, which tshark still dissects as far as it can) are listed and fail.

Exit 0 when every flow agrees, 1 otherwise. Standard library only.
"""
import argparse
import datetime
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lib"))
from oracle_common import fmt_ep, norm_ip, run, sockeye_flows  # noqa: E402

AGG = "\x1f"  # aggregator between occurrences of a field (never in a name)

FIELDS = ["frame.number", "frame.time_epoch", "frame.protocols",
          "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
          "tls.handshake.extensions_server_name", "http.host",
          "dns.qry.name", "dns.resp.name", "dns.count.queries", "quic.version"]

# sockeye's application -> the tshark dissector that must own its server port.
DISSECTOR = {"HTTP": "http", "TLS": "tls", "DNS": "dns", "mDNS": "mdns", "LLMNR": "llmnr"}

QUIC_NAMES = {"v1": 0x00000001, "v2": 0x6b3343cf, "negotiation": 0x00000000}


def quic_version_number(name):
    if name in QUIC_NAMES:
        return QUIC_NAMES[name]
    m = re.fullmatch(r"draft-(\d+)", name)
    if m:
        return 0xff000000 | int(m.group(1))
    return int(name, 16)


def micros_rfc3339(text):
    # 2024-01-01T00:00:00.001000Z
    dt = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    delta = dt - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def micros_epoch(text):
    whole, _, frac = text.partition(".")
    frac = (frac + "000000")[:6]
    sign = -1 if whole.startswith("-") else 1
    return int(whole) * 1_000_000 + sign * int(frac)


class Flow:
    def __init__(self, obj):
        self.proto = obj["protocol"]
        self.src = (norm_ip(obj["source_ip"]), obj["source_port"])
        self.dst = (norm_ip(obj["destination_ip"]), obj["destination_port"])
        self.first = micros_rfc3339(obj["first_seen"])
        self.last = micros_rfc3339(obj["last_seen"])
        self.app = obj.get("dpi_protocol")
        self.domain = obj.get("dpi_domain")
        self.dpi = obj.get("dpi") or {}
        self.frames = []  # (frame number, {field: [values]}) in frame order

    def key(self):
        return (self.proto, tuple(sorted([self.src, self.dst])))

    def label(self):
        return f"{self.proto} {fmt_ep(self.src)} -> {fmt_ep(self.dst)}"


def registered_ports(tshark):
    """(tcp|udp, port) -> dissector, from `tshark -G decodes` (the ports
    tshark dissects without being told)."""
    r = run([tshark, "-G", "decodes"])
    table = {}
    for line in r.stdout.decode(errors="replace").splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and cols[0] in ("tcp.port", "udp.port") and cols[1].isdigit():
            table[(cols[0][:3], int(cols[1]))] = cols[2]
    return table


def decode_as(tshark, flows):
    """-d options for flows sockeye classified on a server port that tshark
    does not give to the same dissector by itself."""
    registered = registered_ports(tshark)
    wanted = set()
    for f in flows:
        dissector = DISSECTOR.get(f.app or "")
        transport = f.proto.lower()
        port = f.dst[1]
        if dissector is None or (transport == "udp" and dissector in ("http", "tls")):
            continue
        if registered.get((transport, port)) == dissector:
            continue
        if registered.get((transport, f.src[1])) == dissector:
            continue  # the initiator's port is the registered one (a reply-first flow)
        wanted.add(f"{transport}.port=={port},{dissector}")
    out = []
    for w in sorted(wanted):
        out += ["-d", w]
    return out, sorted(wanted)


def tshark_frames(tshark, capture, extra):
    cmd = [tshark, "-r", capture, *extra, "-Y", "tls.handshake.type == 1 or http.host or dns or quic",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", f"aggregator={AGG}"]
    for f in FIELDS:
        cmd += ["-e", f]
    r = run(cmd)
    frames = []
    for line in r.stdout.decode(errors="replace").splitlines():
        cols = line.split("\t")
        if len(cols) < len(FIELDS):
            continue
        frames.append({name: (cols[i].split(AGG) if cols[i] else []) for i, name in enumerate(FIELDS)})
    return frames, r


def frame_endpoints(v):
    """(proto, src, dst) of the outermost transport header, or a reason to skip."""
    layers = v["frame.protocols"][0].split(":") if v["frame.protocols"] else []
    if sum(1 for layer in layers if layer in ("ip", "ipv6")) > 1:
        # IP in IP, L2TP, GRE, Teredo, ...: the DPI fields tshark found are
        # the inner flow's; sockeye attributes the frame to the outer one.
        return None, "tunnel-inner"
    ip_layers = 0
    addrs = None
    seen = defaultdict(int)
    for layer in layers:
        if layer in ("ip", "ipv6"):
            k = seen[layer]
            seen[layer] += 1
            ip_layers += 1
            if ip_layers > 1:
                return None, "tunnel-inner"
            srcs, dsts = v[f"{layer}.src"], v[f"{layer}.dst"]
            if k >= len(srcs) or k >= len(dsts):
                return None, "no-address"
            addrs = (norm_ip(srcs[k]), norm_ip(dsts[k]))
        elif layer in ("icmp", "icmpv6"):
            return None, "icmp-quoted"
        elif layer in ("tcp", "udp"):
            sp, dp = v[f"{layer}.srcport"], v[f"{layer}.dstport"]
            if addrs is None or not sp or not dp:
                return None, "no-address"
            return (layer.upper(), (addrs[0], int(sp[0])), (addrs[1], int(dp[0]))), None
    return None, "no-transport"


class Checker:
    def __init__(self):
        self.failures = []
        self.relaxed = defaultdict(int)
        self.checked = defaultdict(int)

    def fail(self, flow, what):
        self.failures.append(f"{flow.label()}: {what}")

    def check(self, flow):
        snis, hosts, quic = [], [], []
        first_dns = None  # (query names, owner names, query count) of the first DNS message
        dns_messages = 0
        for _, v in flow.frames:
            snis += v["tls.handshake.extensions_server_name"]
            hosts += v["http.host"]
            quic += v["quic.version"]
            if v["dns.count.queries"] or v["dns.qry.name"] or v["dns.resp.name"]:
                dns_messages += 1
                if first_dns is None:
                    first_dns = (v["dns.qry.name"], v["dns.resp.name"], v["dns.count.queries"])
        self.check_sni(flow, snis)
        self.check_quic(flow, quic)
        self.check_http(flow, hosts)
        self.check_dns(flow, first_dns, dns_messages)

    def check_sni(self, flow, snis):
        tls_app = "TLS" if flow.proto == "TCP" else "QUIC"
        if snis:
            self.checked["sni"] += 1
            if flow.app != tls_app or flow.domain != snis[0]:
                self.fail(flow, f"SNI: tshark {snis[0]!r}, sockeye {flow.app} {flow.domain!r}")
            if len(set(snis)) > 1 or len(snis) > 1:
                self.relaxed["first-only (SNI)"] += 1
        elif flow.app == tls_app and flow.domain is not None:
            self.fail(flow, f"SNI: sockeye {flow.domain!r}, tshark saw no SNI")

    def check_quic(self, flow, versions):
        if flow.proto != "UDP":
            return
        numbers = {int(x, 16) for x in versions}
        if numbers:
            self.checked["quic.version"] += 1
            if flow.app != "QUIC":
                self.fail(flow, f"QUIC: tshark versions {sorted(hex(n) for n in numbers)}, sockeye {flow.app}")
                return
            mine = flow.dpi.get("version")
            listed = {quic_version_number(x) for x in flow.dpi.get("versions", [])}
            if mine is None or quic_version_number(mine) not in numbers:
                self.fail(flow, f"QUIC version: sockeye {mine!r}, tshark {sorted(hex(n) for n in numbers)}")
            known = {quic_version_number(mine)} | listed if mine is not None else listed
            extra = {n for n in numbers if n not in known and n != 0}
            if extra:
                self.fail(flow, f"QUIC: tshark versions {sorted(hex(n) for n in extra)} "
                                f"not in sockeye's version {mine!r} / versions {sorted(listed)}")
            if listed:
                self.relaxed["vn-list"] += 1
        elif flow.app == "QUIC":
            self.fail(flow, "QUIC: sockeye says QUIC, tshark decodes no QUIC packet")

    def check_http(self, flow, hosts):
        if hosts and flow.proto == "UDP" and flow.app == "SSDP":
            # tshark dissects SSDP as HTTP over UDP; sockeye names it SSDP and
            # keeps its Host header (the multicast group) in dpi.host.
            self.checked["http.host"] += 1
            if flow.dpi.get("host") != hosts[0]:
                self.fail(flow, f"SSDP host: tshark {hosts[0]!r}, sockeye dpi.host {flow.dpi.get('host')!r}")
            self.relaxed["ssdp-host"] += 1
            return
        if hosts:
            self.checked["http.host"] += 1
            if flow.app != "HTTP" or flow.domain != hosts[0]:
                self.fail(flow, f"HTTP host: tshark {hosts[0]!r}, sockeye {flow.app} {flow.domain!r}")
            if len(hosts) > 1:
                self.relaxed["first-only (HTTP)"] += 1
        elif flow.app == "HTTP" and flow.domain is not None:
            self.fail(flow, f"HTTP host: sockeye {flow.domain!r}, tshark saw no Host")

    def check_dns(self, flow, first, messages):
        dns_app = flow.app in ("DNS", "mDNS", "LLMNR")
        if first is not None:
            self.checked["dns.qry.name"] += 1
            queries, owners, _ = first
            expected = queries[0] if queries else (owners[0] if owners else None)
            if expected == "<Root>":
                expected = None
                self.relaxed["root-name"] += 1
            if not dns_app:
                self.fail(flow, f"DNS: tshark decodes DNS ({expected!r}), sockeye {flow.app}")
            elif flow.domain != expected:
                self.fail(flow, f"DNS name: tshark {expected!r} (first message), sockeye {flow.domain!r}")
            if messages > 1:
                self.relaxed["first-only (DNS)"] += 1
        elif dns_app and flow.domain is not None:
            self.fail(flow, f"DNS: sockeye {flow.domain!r}, tshark decodes no DNS message")


def main():
    ap = argparse.ArgumentParser(description="cross-check sockeye DPI fields against tshark")
    ap.add_argument("--sockeye", required=True)
    ap.add_argument("--capture", required=True)
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--expect", action="append", default=[], metavar="CHECK=N",
                    help="at least N flows must have been compared on CHECK (sni, http.host, "
                         "dns.qry.name, quic.version): for generated captures, where tshark "
                         "decoding nothing would make the test prove nothing")
    args = ap.parse_args()

    try:
        open(args.capture, "rb").close()
    except OSError:
        print(f"FAIL: capture {args.capture} is missing: run `make test-data` "
              "(scripts/fetch-test-captures) first", file=sys.stderr)
        return 1

    flows, sr = sockeye_flows(args.sockeye, args.capture, Flow)
    s_err = sr.stderr.decode(errors="replace").strip()
    if sr.returncode < 0:
        print(f"FAIL: sockeye died with signal {-sr.returncode}: {s_err}", file=sys.stderr)
        return 1
    extra, wanted = decode_as(args.tshark, flows)
    frames, tr = tshark_frames(args.tshark, args.capture, extra)
    if sr.returncode != 0:
        if not flows:
            # Damaged or unreadable (golden tests hold sockeye's exact error):
            # nothing of sockeye's to compare.
            print(f"note: sockeye exit {sr.returncode} ({s_err}); tshark decoded {len(frames)} "
                  "DPI frame(s); no flows to compare")
            return 0
        print(f"note: sockeye exit {sr.returncode} ({s_err}); comparing the flows it read")

    by_key = defaultdict(list)
    for f in flows:
        by_key[f.key()].append(f)
    skipped = defaultdict(int)
    orphans = []
    for v in frames:
        ends, why = frame_endpoints(v)
        if ends is None:
            skipped[why] += 1
            continue
        proto, src, dst = ends
        t = micros_epoch(v["frame.time_epoch"][0])
        owners = [f for f in by_key.get((proto, tuple(sorted([src, dst]))), [])
                  if f.first <= t <= f.last]
        if not owners:
            orphans.append(f"frame {v['frame.number'][0]} {proto} {fmt_ep(src)} -> {fmt_ep(dst)}")
            continue
        for f in owners:
            f.frames.append((int(v["frame.number"][0]), v))

    checker = Checker()
    for f in flows:
        checker.check(f)

    if wanted:
        print(f"decode-as [decode-as]: {', '.join(wanted)}")
    for why, n in sorted(skipped.items()):
        print(f"left out [{why}]: {n} frame(s)")
    for why, n in sorted(checker.relaxed.items()):
        print(f"relaxed [{why}]: {n} flow(s)")
    failures = checker.failures + [f"{o}: tshark decodes DPI fields, no sockeye flow holds the frame"
                                   for o in orphans]
    if failures:
        print(f"FAIL: {len(failures)} DPI difference(s) between tshark and sockeye ({args.capture}):",
              file=sys.stderr)
        for line in failures[:60]:
            print("  " + line, file=sys.stderr)
        if len(failures) > 60:
            print(f"  ... and {len(failures) - 60} more", file=sys.stderr)
        return 1
    short = []
    for spec in args.expect:
        name, _, n = spec.partition("=")
        if checker.checked.get(name, 0) < int(n):
            short.append(f"{name}: {checker.checked.get(name, 0)} flow(s) compared, expected {n}")
    if short:
        print("FAIL: tshark decoded less than this capture holds: " + "; ".join(short),
              file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {n}" for k, n in sorted(checker.checked.items())) or "no DPI fields"
    print(f"ok: {len(flows)} sockeye TCP/UDP flow(s), {len(frames)} tshark DPI frame(s); "
          f"flows compared: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
