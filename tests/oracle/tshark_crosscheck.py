#!/usr/bin/env python3
"""tshark oracle: compare sockeye's per-flow packet and byte counts (per
direction) with what tshark 4.0 reports for the same capture.

How tshark is asked, and why this way (verified against tshark 4.0.17):

* `tshark -r CAP -q -z conv,tcp -z conv,udp -o ip.defragment:FALSE
  -o ipv6.defragment:FALSE` is the reference. With defragmentation off tshark
  dissects the transport header of a *first* fragment (offset 0, MF set) and
  counts that frame in the conversation; later fragments are shown as
  "Fragmented IP protocol" / "IPv6 fragment" and are in no conversation. That
  is exactly sockeye's rule (first fragment -> flow, later ones -> none). With
  defragmentation on, tshark would instead count the frame that completes the
  datagram (checked on the `fragments` scenario).
* tshark 4.0 prints bytes as "N bytes" below 10 000 and rounded ("14 kB")
  above, so the table alone cannot give exact byte counts. The exact route is
  `-T fields` with frame.len, frame.protocols and every ip/ipv6/tcp/udp
  address, port and stream field; we aggregate those exactly the way the
  conversation tap does, then check the aggregate against the table (frames
  always, bytes where the table is exact). If that self-check fails, our model
  of tshark is wrong and the test fails with "oracle self-check".
* The tap's rules we mirror: one entry per (stream index, address pair, port
  pair): a new TCP connection on a reused 4-tuple is a new stream (like
  sockeye's generations); UDP (and TCP) streams do NOT include the VLAN, so the
  same 5-tuple on two VLANs is one tshark conversation but two sockeye flows.
  Transport headers quoted inside ICMP/ICMPv6 errors are not tapped (though
  ICMPv6 errors still get a tcp.stream field); sockeye counts those frames
  as ICMP, so both agree.
* Matching: sockeye flows and tshark conversations are grouped by protocol and
  unordered endpoint pair. Equal counts on both sides are paired in start
  order; otherwise the group totals are compared. That happens when sockeye
  splits by VLAN, and when sockeye ends an idle UDP flow (idle_timeout) and
  starts a new one where tshark keeps one conversation (e.g. NTP every 18
  minutes in pathspider/real.pcap).

Legitimate differences are excluded by name (EXCLUSIONS below) and printed.
Standard library only.
"""
import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lib"))
from oracle_common import fmt_ep, norm_ip, run, sockeye_flows  # noqa: E402


# Named, precise exclusions. Each is reported when it applies.
TUNNEL_INNER = ("tunnel-inner",
                "tshark taps the transport header inside a tunnel (IP-in-IP, GRE, Teredo, ...) "
                "and reports the inner conversation; sockeye attributes the frame to the outer flow")
UNREADABLE = ("unreadable",
              "neither tshark nor sockeye can read the file")

CONV_ROW = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+"
                      r"(\d+)\s+(\d+)\s+(\S+)\s+(-?[\d.]+)\s+([\d.]+)\s*$")
FIELDS = ["frame.number", "frame.len", "frame.protocols", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.hdr_len", "tcp.len", "udp.srcport", "udp.dstport", "udp.stream"]
ERROR_PARENTS = ("icmp", "icmpv6")


def split_endpoint(text):
    addr, port = text.rsplit(":", 1)
    return (norm_ip(addr), int(port))


class Conversation:
    def __init__(self, proto, a, b, first):
        self.proto = proto
        self.a = a
        self.b = b
        self.first = first  # ordering key
        self.inner = False  # seen inside a tunnel (TUNNEL_INNER)
        self.count = defaultdict(lambda: [0, 0])  # (src, dst) -> [packets, bytes]

    def add(self, src, dst, length):
        c = self.count[(src, dst)]
        c[0] += 1
        c[1] += length

    def pair(self):
        return tuple(sorted([self.a, self.b]))


def tshark_base(tshark, capture):
    return [tshark, "-r", capture, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"]


def tcp_header_ok(v, k):
    """tshark 4.0 taps a TCP header only when its data offset is sane: below 20
    bytes it reports "bogus TCP header length" and returns; beyond the segment
    it throws (and tcp.len is never set). Checked against the table on the
    malformed scenario."""
    hdr, seg = v["tcp.hdr_len"], v["tcp.len"]
    return k < len(hdr) and int(hdr[k]) >= 20 and k < len(seg)


def tshark_fields(tshark, capture, exclusions):
    """Per-conversation exact counts, mirroring the conversation tap."""
    cmd = tshark_base(tshark, capture) + ["-Y", "tcp or udp", "-T", "fields", "-E", "separator=\t",
                                          "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    r = run(cmd)
    convs = {}
    for line in r.stdout.decode(errors="replace").splitlines():
        cols = line.split("\t")
        if len(cols) < len(FIELDS):
            continue
        v = {name: (cols[i].split(",") if cols[i] else []) for i, name in enumerate(FIELDS)}
        number = int(v["frame.number"][0])
        length = int(v["frame.len"][0])
        layers = v["frame.protocols"][0].split(":") if v["frame.protocols"] else []
        seen = defaultdict(int)
        addrs = None
        ip_layers = 0
        in_error = False
        for layer in layers:
            if layer in ("ip", "ipv6"):
                k = seen[layer]
                seen[layer] += 1
                ip_layers += 1
                srcs, dsts = v[f"{layer}.src"], v[f"{layer}.dst"]
                addrs = (norm_ip(srcs[k]), norm_ip(dsts[k])) if k < len(srcs) and k < len(dsts) else None
            elif layer in ERROR_PARENTS:
                in_error = True
            elif layer in ("tcp", "udp"):
                k = seen[layer]
                seen[layer] += 1
                if in_error or addrs is None:
                    continue  # quoted inside an ICMP error: not tapped (see above)
                sports, dports, streams = v[f"{layer}.srcport"], v[f"{layer}.dstport"], v[f"{layer}.stream"]
                if k >= len(sports) or k >= len(dports) or k >= len(streams):
                    continue  # header too short to dissect: tshark raised before tapping
                if layer == "tcp" and not tcp_header_ok(v, k):
                    continue  # bogus data offset: tshark stops before tapping
                src = (addrs[0], int(sports[k]))
                dst = (addrs[1], int(dports[k]))
                key = (layer.upper(), int(streams[k]), tuple(sorted([src, dst])))
                if key not in convs:
                    convs[key] = Conversation(layer.upper(), src, dst, number)
                convs[key].add(src, dst, length)
                if ip_layers > 1:
                    # Kept for the self-check against the table, left out of the comparison.
                    convs[key].inner = True
                    exclusions[TUNNEL_INNER].append(f"frame {number} ({v['frame.protocols'][0]})")
    return list(convs.values()), r


def tshark_table(tshark, capture):
    cmd = tshark_base(tshark, capture) + ["-q", "-z", "conv,tcp", "-z", "conv,udp"]
    r = run(cmd)
    rows = []
    proto = None
    for line in r.stdout.decode(errors="replace").splitlines():
        if line.startswith("TCP Conversations"):
            proto = "TCP"
        elif line.startswith("UDP Conversations"):
            proto = "UDP"
        m = CONV_ROW.match(line)
        if m and proto:
            a, b = split_endpoint(m.group(1)), split_endpoint(m.group(2))
            rows.append({"proto": proto, "a": a, "b": b,
                         "ba": (int(m.group(3)), int(m.group(4)) if m.group(5) == "bytes" else None),
                         "ab": (int(m.group(6)), int(m.group(7)) if m.group(8) == "bytes" else None),
                         "start": float(m.group(12))})
    return rows


def self_check(convs, rows):
    """The exact aggregate must reproduce tshark's own table."""
    problems = []
    by_pair = defaultdict(list)
    for c in convs:
        by_pair[(c.proto, c.pair())].append(c)
    table = defaultdict(list)
    for row in rows:
        table[(row["proto"], tuple(sorted([row["a"], row["b"]])))].append(row)
    for key in sorted(set(by_pair) | set(table)):
        mine = sorted(by_pair.get(key, []), key=lambda c: c.first)
        theirs = sorted(table.get(key, []), key=lambda r: r["start"])
        if len(mine) != len(theirs):
            problems.append(f"{key}: {len(mine)} aggregated vs {len(theirs)} table rows")
            continue
        for c, row in zip(mine, theirs):
            for direction, (frames, nbytes) in (((row["a"], row["b"]), row["ab"]),
                                                ((row["b"], row["a"]), row["ba"])):
                got = c.count.get(direction, [0, 0])
                if got[0] != frames or (nbytes is not None and got[1] != nbytes):
                    problems.append(f"{key} {direction}: aggregated {got} vs table {frames}/{nbytes}")
    return problems


class Flow:
    def __init__(self, obj):
        self.proto = obj["protocol"]
        self.src = (norm_ip(obj["source_ip"]), obj["source_port"])
        self.dst = (norm_ip(obj["destination_ip"]), obj["destination_port"])
        self.first = obj["first_seen"]
        self.vlan = obj.get("vlan", 0)
        self.generation = obj.get("generation", 0)
        self.count = {(self.src, self.dst): [obj["packets_sent"], obj["bytes_sent"]],
                      (self.dst, self.src): [obj["packets_received"], obj["bytes_received"]]}

    def pair(self):
        return tuple(sorted([self.src, self.dst]))


def totals(items):
    out = defaultdict(lambda: [0, 0])
    for it in items:
        for direction, (p, b) in it.count.items():
            out[direction][0] += p
            out[direction][1] += b
    return {k: v for k, v in out.items() if v != [0, 0]}


def compare(convs, flows):
    mismatches = []
    tgroups = defaultdict(list)
    for c in convs:
        tgroups[(c.proto, c.pair())].append(c)
    sgroups = defaultdict(list)
    for f in flows:
        sgroups[(f.proto, f.pair())].append(f)
    for key in sorted(set(tgroups) | set(sgroups)):
        t = sorted(tgroups.get(key, []), key=lambda c: c.first)
        s = sorted(sgroups.get(key, []), key=lambda f: f.first)
        if len(t) == len(s):
            units = list(zip(t, s))
            note = ""
        else:
            units = [(t, s)]
            note = f" (tshark {len(t)} conversation(s), sockeye {len(s)} flow(s): totals compared)"
        for i, (tu, su) in enumerate(units):
            tc = totals(tu if isinstance(tu, list) else [tu])
            sc = totals(su if isinstance(su, list) else [su])
            if tc == sc:
                continue
            label = f"{key[0]} {fmt_ep(key[1][0])} <-> {fmt_ep(key[1][1])}"
            if len(units) > 1:
                label += f" #{i + 1}"
            lines = [label + note, f"    {'direction':60} {'tshark pk/bytes':>18} {'sockeye pk/bytes':>18}"]
            for d in sorted(set(tc) | set(sc)):
                a = tc.get(d, [0, 0])
                b = sc.get(d, [0, 0])
                mark = "" if a == b else "   <-- differs"
                lines.append(f"    {fmt_ep(d[0]) + ' -> ' + fmt_ep(d[1]):60} {a[0]:>7}/{a[1]:<10} "
                             f"{b[0]:>7}/{b[1]:<10}{mark}")
            mismatches.append("\n".join(lines))
    return mismatches


def main():
    ap = argparse.ArgumentParser(description="cross-check sockeye flow counters against tshark")
    ap.add_argument("--sockeye", required=True)
    ap.add_argument("--capture", required=True)
    ap.add_argument("--tshark", default="tshark")
    args = ap.parse_args()

    try:
        open(args.capture, "rb").close()
    except OSError:
        print(f"FAIL: capture {args.capture} is missing: run `make test-data` "
              "(scripts/fetch-test-captures) first", file=sys.stderr)
        return 1

    exclusions = defaultdict(list)
    convs, tr = tshark_fields(args.tshark, args.capture, exclusions)
    rows = tshark_table(args.tshark, args.capture)
    flows, sr = sockeye_flows(args.sockeye, args.capture, Flow)
    s_err = sr.stderr.decode(errors="replace").strip()
    t_err = "\n".join(l for l in tr.stderr.decode(errors="replace").splitlines()
                      if "Running as user" not in l).strip()

    if sr.returncode < 0:
        print(f"FAIL: sockeye died with signal {-sr.returncode}: {s_err}", file=sys.stderr)
        return 1
    if sr.returncode != 0 and tr.returncode != 0 and not convs and not flows:
        name, why = UNREADABLE
        print(f"excluded [{name}]: {why}\n  sockeye: {s_err}\n  tshark: {t_err}")
        return 0

    problems = self_check(convs, rows)
    if problems:
        print("FAIL: oracle self-check: the exact per-frame aggregate does not reproduce "
              "tshark's conversation table:", file=sys.stderr)
        for p in problems[:40]:
            print("  " + p, file=sys.stderr)
        return 1

    for (name, why), where in exclusions.items():
        print(f"excluded [{name}] {len(where)} transport header(s): {why}; e.g. {', '.join(where[:5])}")
    if tr.returncode != 0 or sr.returncode != 0:
        print(f"note: tshark exit {tr.returncode} ({t_err or '-'}); sockeye exit {sr.returncode} "
              f"({s_err or '-'}); comparing what both read")

    mismatches = compare([c for c in convs if not c.inner], flows)
    if mismatches:
        print(f"FAIL: {len(mismatches)} conversation(s) differ between tshark and sockeye "
              f"({args.capture}):", file=sys.stderr)
        for m in mismatches[:60]:
            print(m, file=sys.stderr)
        if len(mismatches) > 60:
            print(f"... and {len(mismatches) - 60} more", file=sys.stderr)
        return 1
    print(f"ok: {len(convs)} tshark conversation(s), {len(flows)} sockeye TCP/UDP flow(s) agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
