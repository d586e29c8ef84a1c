#!/usr/bin/env python3
"""sockeye report's numbers against --json's, on real files.

For generated captures (sockeye-trafficgen) and a few fetched ones:
`-r CAPTURE --record OUT`, then `sockeye report --store OUT --json` by
process and app equals, key for key, the sums of bytes and packets (and the
count of flows) of the flow lines `-r CAPTURE --json` prints (by host: the
sums the sqlite3 shell makes of the connection rows, as --json prints
remote_name only with attribution, which -r does not have);
`--csv`'s total row equals the JSON total; `--filter proto:udp` equals the
sums of the UDP flow lines; `history --filter proto:udp` lists exactly them.
Across a restart of the recorder: two captures recorded one after the other
into one store report the sums of both --json outputs, by app and by day.

Usage: report_numbers_test.py SOCKEYE TRAFFICGEN FETCHED_CAPTURES_DIR"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

SOCKEYE = os.path.abspath(sys.argv[1])
TRAFFICGEN = os.path.abspath(sys.argv[2])
FETCHED = sys.argv[3]
TIMEOUT = 120
FETCHED_NAMES = ["python3-dpkt/nb6-http.pcap", "python3-dpkt/dns_icmp.pcap",
                 "golang-github-google-gopacket-dev/test_dns.pcap", "pathspider/real.pcap"]
# Every record, whatever its year: a span back past the epoch.
EVERYTHING = ["--since", "100000d"]
COUNTS = ("bytes_received", "bytes_sent", "packets_received", "packets_sent")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def flow_lines(jsonl):
    return [o for o in (json.loads(l) for l in jsonl.splitlines() if l) if o.get("type") == "flow"]


def key_of(flow, by):
    if by == "process":
        return flow.get("process_name") or ""
    if by == "app":
        return flow.get("dpi_protocol") or ""
    if by == "host":
        return flow.get("remote_name") or ""
    raise ValueError(by)


def expected_sums(flows, by):
    sums = defaultdict(lambda: dict.fromkeys(COUNTS + ("connections",), 0))
    for f in flows:
        s = sums[key_of(f, by)]
        for c in COUNTS:
            s[c] += f[c]
        s["connections"] += 1
    return dict(sums)


def stored_by_host(db):
    """The connection rows' sums by remote name, by the sqlite3 shell: with -r
    (no attribution) the --json lines do not carry remote_name."""
    r = run("sqlite3", "-readonly", "-json", db,
            "SELECT coalesce(remote_name, '') AS k, sum(bytes_received) AS bytes_received, "
            "sum(bytes_sent) AS bytes_sent, sum(packets_received) AS packets_received, "
            "sum(packets_sent) AS packets_sent, count(*) AS connections FROM connections GROUP BY 1")
    if r.returncode != 0:
        return {"error": r.stderr.strip()}
    return {row.pop("k"): row for row in json.loads(r.stdout or "[]")}


def reported(db, *args):
    r = run(SOCKEYE, "report", "--store", db, *EVERYTHING, "--json", *args)
    if r.returncode != 0:
        return None, r.stderr.strip()
    doc = json.loads(r.stdout)
    return {row["key"]: {c: row[c] for c in COUNTS + ("connections",)} for row in doc["rows"]}, doc


def compare(name, got, want):
    check(got == want, f"{name}: report equals the reference sums ({len(want)} keys)"
          + ("" if got == want else f" got {got} want {want}"))


def main():
    work = tempfile.mkdtemp(prefix="sockeye-report-e2e.")
    try:
        captures = []
        for scenario in ("tcp-mix", "udp-icmp-arp", "vlan"):
            path = os.path.join(work, scenario + ".pcap")
            check(run(TRAFFICGEN, scenario, path).returncode == 0, f"trafficgen {scenario}")
            captures.append((scenario, path))
        for rel in FETCHED_NAMES:
            path = os.path.join(FETCHED, rel)
            if os.path.exists(path):
                captures.append((os.path.basename(rel).replace(".", "_"), path))
            else:
                print(f"note: {rel} not fetched (scripts/fetch-test-captures); not compared")
        check(len(captures) >= 3, "at least the generated captures")

        flows_of = {}
        for name, path in captures:
            plain = run(SOCKEYE, "-r", path, "--json", "--no-geoip")
            flows = flow_lines(plain.stdout)
            flows_of[name] = flows
            check(len(flows) > 0, f"{name}: --json lists flows ({len(flows)})")
            db = os.path.join(work, name + ".db")
            rec = run(SOCKEYE, "-r", path, "--no-geoip", "--json", "--record", db)
            check(rec.returncode == plain.returncode, f"{name}: recorded ({rec.stderr.strip()!r})")
            for by in ("process", "app", "host"):
                got, doc = reported(db, "--by", by)
                if got is None:
                    check(False, f"{name}: report --by {by} runs ({doc})")
                    continue
                want = stored_by_host(db) if by == "host" else expected_sums(flows, by)
                compare(f"{name} by {by}", got, want)
                total = {c: sum(f[c] for f in flows) for c in COUNTS}
                total["connections"] = len(flows)
                check({c: doc["total"][c] for c in total} == total, f"{name} by {by}: the total")
            # The CSV's total row is the JSON's.
            r = run(SOCKEYE, "report", "--store", db, *EVERYTHING, "--csv", "--by", "app")
            rows = list(csv.DictReader(io.StringIO(r.stdout)))
            check(r.returncode == 0 and rows and rows[-1]["rank"] == "total"
                  and int(rows[-1]["bytes"]) == sum(f["bytes_sent"] + f["bytes_received"] for f in flows)
                  and int(rows[-1]["connections"]) == len(flows), f"{name}: --csv total row")
            # --filter: from the connection rows, the filter language's proto:udp.
            udp = [f for f in flows if f["protocol"] == "UDP"]
            got, doc = reported(db, "--by", "app", "--filter", "proto:udp")
            if got is None:
                check(False, f"{name}: report --filter runs ({doc})")
            else:
                compare(f"{name} --filter proto:udp", got, expected_sums(udp, "app"))
            h = run(SOCKEYE, "history", "--store", db, "--json", "--filter", "proto:udp")
            check(h.returncode == 0 and len(flow_lines(h.stdout)) == len(udp),
                  f"{name}: history --filter proto:udp lists the {len(udp)} UDP flows")

        # Across a restart of the recorder: two runs into one store.
        names = [n for n, _ in captures][:3] + [n for n, _ in captures][-1:]
        db = os.path.join(work, "restarted.db")
        both = []
        for name in names:
            path = dict(captures)[name]
            rec = run(SOCKEYE, "-r", path, "--no-geoip", "--json", "--record", db)
            check(rec.returncode == 0, f"restart: {name} recorded into the shared store")
            both += flows_of[name]
        for by in ("app", "host"):
            got, doc = reported(db, "--by", by)
            if got is None:
                check(False, f"restart: report --by {by} runs ({doc})")
                continue
            want = stored_by_host(db) if by == "host" else expected_sums(both, by)
            compare(f"restart ({len(names)} recorder runs) by {by}", got, want)
        r = run(SOCKEYE, "report", "--store", db, *EVERYTHING, "--json", "--by", "day")
        doc = json.loads(r.stdout) if r.returncode == 0 else {"total": {}}
        check(doc["total"].get("bytes") == sum(f["bytes_sent"] + f["bytes_received"] for f in both)
              and doc["total"].get("connections") == len(both), "restart: by day, the same total")
        r = run(SOCKEYE, "report", "--store", db, "--by", "nobody")
        check(r.returncode == 2 and "--by" in r.stderr, "--by nobody is a usage error")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
