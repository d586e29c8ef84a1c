#!/usr/bin/env python3
"""[[alert]] rules over capture files: the --json-log alert lines against
what the same run's --json says of the flows.

A file read at once has one snapshot, the last: every flow is judged there.
With cooldown 0 and no process (files have none), a new_destination rule
alerts once per distinct destination of the flows its filter selects (the
name the flow asked for, its HTTP host without the port, else its
address), and a new_ja4 rule once per distinct JA4. The --json lines give
both independently of the alert code. A rule whose filter selects nothing
raises nothing, and a bad rule is refused with its line.

usage: alerts_test.py SOCKEYE TRAFFICGEN CAPTURE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

TIMEOUT_S = 300
failures = []

CONFIG = """
[[alert]]
name = "dns-names"
filter = "app:dns"
condition = "new_destination"
cooldown = "0s"

[[alert]]
name = "web-hosts"
filter = "port:80 or port:443"
condition = "new_destination"
cooldown = 0

[[alert]]
name = "fingerprints"
condition = "new_ja4"
cooldown = "0s"

[[alert]]
name = "never"
filter = "port:1 and port:2"
condition = "new_destination"
"""


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)


def without_port(host):
    head, sep, tail = host.rpartition(":")
    if sep and tail.isdigit() and ":" not in head:
        return head
    return host


def destination(o):
    if o.get("remote_name"):
        return o["remote_name"]
    if o.get("dpi_domain"):
        return without_port(o["dpi_domain"])
    return o["destination_ip"]


def expected(flows):
    dns = {destination(o) for o in flows if o["dpi_protocol"] == "DNS"}
    web = {destination(o) for o in flows if {80, 443} & {o["source_port"], o["destination_port"]}}
    ja4 = {o["dpi"]["ja4"] for o in flows if o.get("dpi") and o["dpi"].get("ja4")}
    return {"dns-names": dns, "web-hosts": web, "fingerprints": ja4}


def check_capture(sockeye, capture, config, tmp):
    name = os.path.basename(capture)
    log = os.path.join(tmp, name + ".alerts.jsonl")
    r = run([sockeye, "-r", capture, "--config", config, "--json", "--json-log", log])
    check(r.returncode == 0, f"{name}: exit {r.returncode}: {r.stderr.decode()}")
    flows = [json.loads(x) for x in r.stdout.decode().splitlines()]
    flows = [o for o in flows if o.get("type") == "flow"]
    alerts = [json.loads(x) for x in Path(log).read_text().splitlines() if '"event":"alert"' in x]
    got = {}
    for a in alerts:
        got.setdefault(a["rule"], []).append(a["detail"])
        check(a["program"] is None and a["pid"] is None, f"{name}: a file's alert names a program: {a}")
    want = expected(flows)
    for rule, details in want.items():
        seen = got.get(rule, [])
        check(len(seen) == len(set(seen)), f"{name} {rule}: a destination alerted twice: {sorted(seen)}")
        check(set(seen) == details, f"{name} {rule}: alerts {sorted(set(seen))}, want {sorted(details)}")
    check("never" not in got, f"{name}: a rule that selects nothing raised {got.get('never')}")
    print(f"{name}: " + ", ".join(f"{r} {len(got.get(r, []))}" for r in want))
    return sum(len(v) for v in want.values())


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    sockeye, trafficgen, capture_dir = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "config.toml")
        Path(config).write_text(CONFIG)
        captures = []
        path = os.path.join(tmp, "udp-icmp-arp.pcap")
        r = run([trafficgen, "udp-icmp-arp", path])
        if r.returncode != 0:
            raise SystemExit(f"trafficgen: {r.stderr.decode()}")
        captures.append(path)
        for rel in ("pathspider/real.pcap", "pathspider/mss_ipv4.pcap", "python3-dpkt/http.pcap"):
            path = os.path.join(capture_dir, rel)
            if os.path.exists(path):
                captures.append(path)
            else:
                print(f"note: {rel} not fetched; checked on the generated capture only")
        total = sum(check_capture(sockeye, c, config, tmp) for c in captures)
        check(total > 0, "the captures raised no alert at all (the test needs some)")

        bad = os.path.join(tmp, "bad.toml")
        Path(bad).write_text('[[alert]]\nname = "x"\ncondition = "new_ja4"\nfilter = "port:"\n')
        r = run([sockeye, "-r", captures[0], "--json", "--config", bad])
        err = r.stderr.decode()
        check(r.returncode == 1 and ":4: filter: missing value after 'port:' at 5" in err,
              f"a bad alert filter: exit {r.returncode}, {err!r}")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
