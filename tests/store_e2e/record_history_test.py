#!/usr/bin/env python3
"""The history store, end to end, on real files and the real sqlite3 shell.

1. For generated captures (sockeye-trafficgen) and a few fetched ones:
   `-r CAPTURE --record OUT --json` prints what `-r CAPTURE --json` prints;
   `sockeye history --store OUT --json` then lists every flow that --json
   listed, each line equal key for key (bytes and packets included), and no
   other; the per-minute usage rows add up to the flows' bytes and packets.
   sqlite3: PRAGMA integrity_check is ok, user_version is the schema
   version, the journal is WAL.
2. Recording the same capture again into the same store changes no
   connection (one row per flow).
3. A second recorder on a store being recorded is refused with one line
   and exit status 1; `history` reads the store meanwhile.
4. `history` of a missing store: one line, exit status 1, no file made.
5. --since: a date after every flow lists none, one before lists all.

Usage: record_history_test.py SOCKEYE TRAFFICGEN FETCHED_CAPTURES_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SOCKEYE = os.path.abspath(sys.argv[1])
TRAFFICGEN = os.path.abspath(sys.argv[2])
FETCHED = sys.argv[3]
SCHEMA_VERSION = 2
TIMEOUT = 120
# A few fetched captures of different kinds, when scripts/fetch-test-captures ran.
# (Not gopacket's pcapng samples: two of their flows share tuple and first packet time,
# at the epoch, which is what identifies a flow in the store.)
FETCHED_NAMES = ["pathspider/real.pcap", "pathspider/tcp_ecn.pcap",
                 "golang-github-google-gopacket-dev/test_loopback.pcap",
                 "python3-dpkt/dns_icmp.pcap",
                 "golang-github-google-gopacket-dev/test_dns.pcap", "python3-dpkt/nb6-http.pcap"]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*cmd, stdin=None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False, stdin=stdin)


def flows_of(jsonl):
    out = {}
    for line in jsonl.splitlines():
        obj = json.loads(line)
        if obj.get("type") != "flow":
            continue
        key = (obj["protocol"], obj["source_ip"], obj["source_port"], obj["destination_ip"],
               obj["destination_port"], obj["vlan"], obj["generation"], obj["first_seen"])
        out[key] = obj
    return out


def sqlite(db, sql):
    r = run("sqlite3", "-readonly", db, sql)
    return r.stdout.strip() if r.returncode == 0 else "error: " + r.stderr.strip()


def record_and_compare(name, capture, work):
    db = os.path.join(work, name + ".db")
    plain = run(SOCKEYE, "-r", capture, "--json", "--no-geoip")
    recorded = run(SOCKEYE, "-r", capture, "--json", "--no-geoip", "--record", db)
    check(plain.returncode == recorded.returncode,
          f"{name}: --record keeps the exit status ({plain.returncode}, {recorded.returncode})")
    check(plain.stdout == recorded.stdout, f"{name}: --record does not change --json")
    check("history export to " + db + ":" in recorded.stderr and " 0 dropped" in recorded.stderr,
          f"{name}: the history export's totals line, nothing dropped ({recorded.stderr.strip()!r})")
    expected = flows_of(plain.stdout)
    hist = run(SOCKEYE, "history", "--store", db, "--json")
    check(hist.returncode == 0, f"{name}: history exits 0 ({hist.stderr.strip()!r})")
    got = flows_of(hist.stdout)
    lines = [l for l in hist.stdout.splitlines() if l]
    check(len(lines) == len(got), f"{name}: one history line per flow")
    check(len(expected) > 0, f"{name}: the capture has flows ({len(expected)})")
    missing = [k for k in expected if k not in got]
    check(not missing, f"{name}: every --json flow is in the history ({len(missing)} missing)")
    extra = [k for k in got if k not in expected]
    check(not extra, f"{name}: no other flow in the history ({len(extra)} extra)")
    differ = [k for k in expected if k in got and got[k] != expected[k]]
    check(not differ, f"{name}: every flow's line equals --json's, bytes and packets included"
          + (f" (first: {expected[differ[0]]} vs {got[differ[0]]})" if differ else ""))
    firsts = [json.loads(l)["first_seen"] for l in lines]
    check(firsts == sorted(firsts, reverse=True), f"{name}: newest first")
    check(sqlite(db, "PRAGMA integrity_check") == "ok", f"{name}: sqlite3 integrity_check ok")
    check(sqlite(db, "PRAGMA user_version") == str(SCHEMA_VERSION), f"{name}: schema version written")
    check(sqlite(db, "PRAGMA journal_mode") == "wal", f"{name}: WAL journal")
    for col in ("bytes_sent", "bytes_received", "packets_sent", "packets_received"):
        want = sum(f[col] for f in expected.values())
        have = sqlite(db, f"SELECT coalesce(sum({col}), 0) FROM usage_minutes")
        check(have == str(want), f"{name}: usage_minutes {col} adds up to the flows' ({have} vs {want})")
    return db, expected


def main():
    work = tempfile.mkdtemp(prefix="sockeye-store-e2e.")
    try:
        captures = []
        for scenario in ("tcp-mix", "udp-icmp-arp", "vlan", "pcapng"):
            path = os.path.join(work, scenario + ".pcap")
            gen = run(TRAFFICGEN, scenario, path)
            check(gen.returncode == 0, f"trafficgen {scenario}")
            captures.append((scenario, path))
        for rel in FETCHED_NAMES:
            path = os.path.join(FETCHED, rel)
            if os.path.exists(path):
                captures.append((os.path.basename(rel).replace(".", "_"), path))
            else:
                print(f"note: {rel} not fetched (scripts/fetch-test-captures); not compared")
        results = {}
        for name, path in captures:
            results[name] = (path,) + record_and_compare(name, path, work)

        # 2. The same capture again: no new connection rows.
        path, db, expected = results["tcp-mix"]
        again = run(SOCKEYE, "-r", path, "--json", "--no-geoip", "--record", db)
        check(again.returncode == 0, "tcp-mix recorded twice: exit 0")
        check(sqlite(db, "SELECT count(*) FROM connections") == str(len(expected)),
              "tcp-mix recorded twice: still one row per flow")

        # 3. A recorder holding the store (reading a pipe that stays open).
        live_db = os.path.join(work, "held.db")
        with open(path, "rb") as f:
            header = f.read(24)  # the pcap file header: the reader waits for packets
        holder = subprocess.Popen([SOCKEYE, "-r", "-", "--headless", "--record", live_db],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            holder.stdin.write(header)
            holder.stdin.flush()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and sqlite(live_db, "PRAGMA user_version") != str(SCHEMA_VERSION):
                time.sleep(0.1)
            check(sqlite(live_db, "PRAGMA user_version") == str(SCHEMA_VERSION), "first recorder made the store")
            second = run(SOCKEYE, "-r", path, "--json", "--record", live_db)
            err = second.stderr.strip().splitlines()
            check(second.returncode == 1, f"second recorder refused with exit 1 ({second.returncode})")
            check(len(err) == 1 and "another sockeye is already recording" in err[0] and live_db in err[0],
                  f"second recorder: one clear line ({err!r})")
            check(second.stdout == "", "second recorder printed no flows")
            reader = run(SOCKEYE, "history", "--store", live_db, "--json")
            check(reader.returncode == 0 and reader.stderr == "",
                  f"history reads the store while it is recorded ({reader.stderr.strip()!r})")
        finally:
            holder.stdin.close()
            try:
                holder.wait(timeout=30)
            except subprocess.TimeoutExpired:
                holder.kill()
                holder.wait()
        check(holder.returncode == 0, f"first recorder exits 0 at the end of its input ({holder.returncode})")

        # 4. A missing store.
        missing = os.path.join(work, "nothing-here.db")
        r = run(SOCKEYE, "history", "--store", missing)
        check(r.returncode == 1, f"missing store: exit 1 ({r.returncode})")
        check(r.stderr == f"sockeye: {missing}: no history store here (record one with --record)\n",
              f"missing store: one clear line ({r.stderr!r})")
        check(not os.path.exists(missing), "missing store: not created")

        # 5. --since (tcp-mix's packets are at fixed times).
        path, db, expected = results["tcp-mix"]
        later = max(f["last_seen"] for f in expected.values())
        year = int(later[:4])
        r = run(SOCKEYE, "history", "--store", db, "--json", "--since", f"{year + 1}-01-01T00:00Z")
        check(r.returncode == 0 and r.stdout == "", "--since after every flow lists none")
        r = run(SOCKEYE, "history", "--store", db, "--json", "--since", "1971-01-01")
        check(len(flows_of(r.stdout)) == len(expected), "--since before every flow lists all")
        r = run(SOCKEYE, "history", "--store", db, "--since", "yesterday")
        check(r.returncode == 2 and "--since" in r.stderr, "--since yesterday is a usage error")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
