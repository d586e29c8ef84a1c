#!/usr/bin/env python3
"""--where EXPR: the filter language over the outputs of a capture file.

* `-r CAP --where EXPR --json` prints exactly the lines of `-r CAP --json`
  that EXPR selects, in their order, and the same summary line; which ones
  it selects is checked by a rule written here from the JSON fields, and for
  port and protocol terms by tshark: the TCP/UDP conversations of
  `tshark -Y` on the same capture are the conversations printed.
* `--pcap-export` with a port filter holds exactly the frames tshark selects
  with the same port, and its sidecar and `--json-log` only matching flows.
* `--record` keeps only the selected connections.
* `-f` and `--where` combine: the packets -f picks, the connections --where
  selects.
* --summary shows only matching rows and says how many.
* A bad expression, on the command line or as the config's `where`, is
  refused at start with the filter's message (what and where), exit 2 / 1.

usage: where_test.py SOCKEYE TRAFFICGEN TSHARK CAPTURE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lib"))
from oracle_common import norm_ip  # noqa: E402

TIMEOUT_S = 300
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False, **kw)


def json_lines(sockeye, capture, *extra):
    r = run([sockeye, "-r", capture, "--json", *extra])
    if r.returncode != 0:
        raise SystemExit(f"{capture} {extra}: exit {r.returncode}: {r.stderr.decode()}")
    return r.stdout.decode().splitlines()


def total(o):
    return o["bytes_sent"] + o["bytes_received"]


def ports(o):
    return (o["source_port"], o["destination_port"])


# Each expression with the rule that says, from a --json flow object,
# whether it is selected; and for those tshark can check, the display filter
# that selects the same TCP/UDP conversations.
EXPRESSIONS = [
    ("port:53", lambda o: 53 in ports(o), "tcp.port==53 || udp.port==53"),
    ("proto:udp or port:80", lambda o: o["protocol"] == "UDP" or 80 in ports(o),
     "udp || tcp.port==80"),
    ("proto:tcp and not dport:80", lambda o: o["protocol"] == "TCP" and o["destination_port"] != 80,
     None),
    ("not state:closed and bytes>10k", lambda o: o["state"] != "CLOSED" and total(o) > 10_000, None),
    ("app:dns or app:tls", lambda o: o["dpi_protocol"] in ("DNS", "TLS"), None),
    ("(proto:icmp or proto:arp) and packets>=2",
     lambda o: o["protocol"] in ("ICMP", "ARP") and o["packets_sent"] + o["packets_received"] >= 2,
     None),
]


def conversations_sockeye(lines):
    out = set()
    for line in lines:
        o = json.loads(line)
        if o.get("type") == "flow" and o["protocol"] in ("TCP", "UDP"):
            a = (norm_ip(o["source_ip"]), o["source_port"])
            b = (norm_ip(o["destination_ip"]), o["destination_port"])
            out.add((o["protocol"], frozenset((a, b))))
    return out


TSHARK_FIELDS = ["ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport",
                 "udp.srcport", "udp.dstport"]


def tshark_frames(tshark, capture, display_filter):
    """(protocol, endpoint pair) of each TCP/UDP frame tshark selects; frames
    of ICMP errors (which quote a transport header but are ICMP flows to
    sockeye) and later fragments are left out on both sides by the filter."""
    cmd = [tshark, "-r", capture, "-n", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"]
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    full = "(tcp || udp) && !icmp && !icmpv6"
    if display_filter:
        full = f"({display_filter}) && {full}"
    cmd += ["-Y", full]
    r = run(cmd)
    if r.returncode != 0:
        raise SystemExit(f"tshark failed on {capture}: {r.stderr.decode()}")
    frames = []
    for line in r.stdout.decode().splitlines():
        src4, dst4, src6, dst6, tsp, tdp, usp, udp = line.split("|")
        src, dst = norm_ip(src4 or src6), norm_ip(dst4 or dst6)
        proto, sp, dp = ("TCP", tsp, tdp) if tsp else ("UDP", usp, udp)
        frames.append((proto, frozenset(((src, int(sp)), (dst, int(dp))))))
    return frames


def check_json(sockeye, tshark, capture):
    name = os.path.basename(capture)
    full = json_lines(sockeye, capture)
    flows = [line for line in full if json.loads(line).get("type") == "flow"]
    for expr, rule, display_filter in EXPRESSIONS:
        got = json_lines(sockeye, capture, "--where", expr)
        want = [line for line in full
                if json.loads(line).get("type") != "flow" or rule(json.loads(line))]
        check(got == want, f"{name} --where '{expr}': {len(got)} lines, want {len(want)} "
                           "(the selected lines of --json, in order, then the summary)")
        selected = len(got) - (len(full) - len(flows))
        print(f"{name}: --where '{expr}': {selected} of {len(flows)} flows")
        if display_filter and selected > 0:
            want_conv = set(tshark_frames(tshark, capture, display_filter))
            check(conversations_sockeye(got) == want_conv,
                  f"{name} --where '{expr}': the TCP/UDP conversations differ from tshark -Y "
                  f"'{display_filter}' ({len(conversations_sockeye(got))} vs {len(want_conv)})")
    return flows


def check_exports(sockeye, tshark, capture, tmp):
    """A port filter is decided at a flow's first frame: the pcap export holds
    exactly the frames tshark selects by that port."""
    name = os.path.basename(capture)
    pcap = os.path.join(tmp, name + ".where.pcap")
    log = os.path.join(tmp, name + ".where.jsonl")
    for f in (pcap, log):
        if os.path.exists(f):
            os.unlink(f)
    r = run([sockeye, "-r", capture, "--where", "port:80 or port:53", "--pcap-export", pcap,
             "--json-log", log, "--summary"])
    check(r.returncode == 0, f"{name}: exports with --where: exit {r.returncode}: {r.stderr.decode()}")
    want = tshark_frames(tshark, capture, "tcp.port==80 || udp.port==80 || tcp.port==53 || udp.port==53")
    got = tshark_frames(tshark, pcap, None)
    check(len(want) > 0, f"{name}: tshark finds port 80/53 frames (the test needs some)")
    check(sorted(got, key=repr) == sorted(want, key=repr),
          f"{name}: --pcap-export --where holds {len(got)} TCP/UDP frames, tshark selects {len(want)}")
    # Every frame written belongs to a selected flow: none other than TCP/UDP
    # on those ports (tshark reads the whole file here, not only TCP/UDP).
    r = run([tshark, "-r", pcap, "-n", "-Y", "!(tcp.port==80 || udp.port==80 || tcp.port==53 || "
             "udp.port==53)", "-T", "fields", "-e", "frame.number"])
    check(r.stdout.decode().split() == [], f"{name}: the pcap export holds frames of other flows")
    sidecar = pcap + ".connections.jsonl"
    for path, kind in ((sidecar, "sidecar"), (log, "json-log")):
        lines = [json.loads(x) for x in Path(path).read_text().splitlines() if x.strip()]
        records = [o for o in lines if "source_port" in o]
        check(len(records) > 0, f"{name}: the {kind} has records")
        bad = [o for o in records if not ({80, 53} & set(ports(o)))]
        check(not bad, f"{name}: the {kind} holds {len(bad)} records of other flows")


def check_record(sockeye, capture, tmp):
    """The history store keeps only the selected connections: `sockeye
    history --json` lists the flows `--where --json` prints."""
    name = os.path.basename(capture)
    store = os.path.join(tmp, name + ".where.db")
    r = run([sockeye, "-r", capture, "--where", "port:53", "--record", store, "--summary"])
    check(r.returncode == 0, f"{name}: --record --where: exit {r.returncode}: {r.stderr.decode()}")
    r = run([sockeye, "history", "--store", store, "--json"])
    key = lambda o: (o["protocol"], o["source_ip"], o["source_port"], o["destination_ip"],
                     o["destination_port"], o["first_seen"])
    got = sorted(key(json.loads(x)) for x in r.stdout.decode().splitlines()
                 if json.loads(x).get("type") == "flow")
    want = sorted(key(json.loads(x)) for x in json_lines(sockeye, capture, "--where", "port:53")
                  if json.loads(x).get("type") == "flow")
    check(len(want) > 0 and got == want,
          f"{name}: the store holds {len(got)} connections, --where --json prints {len(want)}")


def check_with_bpf(sockeye, capture):
    """-f picks the packets, --where the connections: together, the lines
    of -f alone that --where selects."""
    alone = json_lines(sockeye, capture, "-f", "udp")
    both = json_lines(sockeye, capture, "-f", "udp", "--where", "port:53")
    want = [line for line in alone
            if json.loads(line).get("type") != "flow" or 53 in ports(json.loads(line))]
    check(both == want and len(both) < len(alone), f"-f udp --where port:53: {len(both)} lines, want {len(want)}")


def check_summary(sockeye, capture):
    r = run([sockeye, "-r", capture, "--summary", "--where", "port:53"])
    text = r.stdout.decode()
    check(r.returncode == 0, "--summary --where exits 0")
    last = text.rstrip("\n").splitlines()[-1]
    check(last.startswith("where port:53: ") and " of " in last, f"--summary says what it shows: {last!r}")
    rows = [l for l in text.splitlines()[3:] if l.startswith(("TCP", "UDP"))]
    check(rows and all(":53 " in l + " " for l in rows), "--summary rows are port-53 flows")


def check_refusals(sockeye, capture, tmp):
    for expr, message in (("prot:x", "--where: unknown keyword 'prot' at 0"),
                          ("port:", "--where: missing value after 'port:' at 5"),
                          ("app:bogus", "--where: ")):
        r = run([sockeye, "-r", capture, "--json", "--where", expr])
        err = r.stderr.decode()
        check(r.returncode == 2, f"--where '{expr}' exits 2, got {r.returncode}")
        check(message in err and r.stdout == b"", f"--where '{expr}': {err!r}")
    config = os.path.join(tmp, "config.toml")
    Path(config).write_text('where = "port:53"\n')
    by_config = json_lines(sockeye, capture, "--config", config)
    by_option = json_lines(sockeye, capture, "--where", "port:53")
    check(by_config == by_option, "the config's where selects as --where does")
    Path(config).write_text('where = "port:53 and"\n')
    r = run([sockeye, "-r", capture, "--json", "--config", config])
    check(r.returncode != 0 and "where: " in r.stderr.decode() and ":1:" in r.stderr.decode(),
          f"a bad config where is refused with its line: {r.stderr.decode()!r}")


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    sockeye, trafficgen, tshark, capture_dir = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        captures = []
        for scenario in ("tcp-mix", "udp-icmp-arp"):
            path = os.path.join(tmp, scenario + ".pcap")
            r = run([trafficgen, scenario, path])
            if r.returncode != 0:
                raise SystemExit(f"trafficgen {scenario}: {r.stderr.decode()}")
            captures.append(path)
        # Public captures (scripts/fetch-test-captures): real DNS, HTTP and TLS.
        for rel in ("pathspider/real.pcap", "pathspider/mss_ipv4.pcap", "python3-dpkt/http.pcap"):
            path = os.path.join(capture_dir, rel)
            if os.path.exists(path):
                captures.append(path)
            else:
                print(f"note: {rel} not fetched; checked on the generated captures only")
        for capture in captures:
            check_json(sockeye, tshark, capture)
        for capture in captures:
            if os.path.basename(capture) in ("tcp-mix.pcap", "mss_ipv4.pcap"):
                continue  # no port 80/53 traffic
            check_exports(sockeye, tshark, capture, tmp)
        check_record(sockeye, captures[1], tmp)
        check_with_bpf(sockeye, captures[1])
        check_summary(sockeye, captures[1])
        check_refusals(sockeye, captures[1], tmp)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
