#!/usr/bin/env python3
"""A full disk stops the recording with one message; sockeye goes on.

In a mount namespace of its own (it re-runs itself under `unshare -m`, so
the mount can never outlive the test or show outside it), a 3 MiB tmpfs
holds the store. Recording 100,000 flows (sockeye-trafficgen udp-spray)
there fills it. Then:
  - stderr has exactly one line about it while running ("history export
    stopped: FILE: ... database or disk is full") and the exit totals line
    that every export prints;
  - sockeye kept running: its --json output is the same as without --record;
  - the exit status is 3 (an export lost records, as for every export), and
    0 with --export-loss-ok;
  - the store is intact (integrity_check ok) and `sockeye history` reads the
    connections committed before the disk filled (possibly none: the
    recorder commits what is queued together, up to 65,536 flows).

Usage: disk_full_test.py SOCKEYE TRAFFICGEN"""
import os
import shutil
import subprocess
import sys
import tempfile

SOCKEYE = os.path.abspath(sys.argv[1])
TRAFFICGEN = os.path.abspath(sys.argv[2])
INSIDE = "--in-namespace"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def scenario():
    work = tempfile.mkdtemp(prefix="sockeye-diskfull.")
    disk = os.path.join(work, "disk")
    os.mkdir(disk)
    mounted = False
    try:
        capture = os.path.join(work, "spray.pcap")
        check(run(TRAFFICGEN, "udp-spray", capture, "--packets", "100000").returncode == 0, "trafficgen")
        r = run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk)
        mounted = r.returncode == 0
        check(mounted, f"a 3 MiB tmpfs ({r.stderr.strip()!r})")
        if not mounted:
            return
        plain = run(SOCKEYE, "-r", capture, "--json", "--no-geoip")
        for loss_ok in (False, True):
            db = os.path.join(disk, f"h{int(loss_ok)}.db")
            extra = ["--export-loss-ok"] if loss_ok else []
            rec = run(SOCKEYE, "-r", capture, "--json", "--no-geoip", "--record", db, *extra)
            lines = rec.stderr.strip().splitlines()
            stopped = [l for l in lines if "history export stopped" in l]
            check(len(stopped) == 1 and db in stopped[0] and "full" in stopped[0],
                  f"one line says the recording stopped ({stopped})")
            check(len(lines) == 2 and lines[-1].startswith(f"sockeye: history export to {db}: "),
                  f"and only the exit totals besides ({lines})")
            check(rec.stdout == plain.stdout, "--json is unchanged: sockeye kept running")
            want = 0 if loss_ok else 3
            check(rec.returncode == want, f"exit status {rec.returncode} (want {want}"
                  f"{', --export-loss-ok' if loss_ok else ': records were lost'})")
            check(run("sqlite3", db, "PRAGMA integrity_check").stdout.strip() == "ok", "integrity_check ok")
            rows = run("sqlite3", db, "SELECT count(*) FROM connections").stdout.strip()
            hist = run(SOCKEYE, "history", "--store", db, "--json")
            n = len([l for l in hist.stdout.splitlines() if l])
            # How many got in depends on how the transactions fell (a batch of
            # queued snapshots commits as one): none at all is possible.
            check(hist.returncode == 0 and rows.isdigit() and n == int(rows) and n < 100_000,
                  f"history reads the {rows} connections committed before the disk filled ({n})")
            os.remove(db)
            for suffix in ("-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
    finally:
        if mounted:
            run("umount", disk)
        shutil.rmtree(work, ignore_errors=True)


def main():
    if INSIDE not in sys.argv:
        # A private mount namespace: the tmpfs goes away with it.
        r = subprocess.run(["unshare", "-m", "--propagation", "private", sys.executable,
                            os.path.abspath(__file__), SOCKEYE, TRAFFICGEN, INSIDE],
                           timeout=300, check=False)
        return r.returncode
    scenario()
    print(f"{len(failures)} check(s) failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
