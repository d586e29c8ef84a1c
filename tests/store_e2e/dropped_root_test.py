#!/usr/bin/env python3
"""A root run that dropped to nobody leaves its rows in the store file.

sockeye started as root opens the store, then drops root (to nobody, or
SUDO_UID) before it captures. In a root-only directory (0700 root) nobody
can no longer stat the file, which SQLite takes for a moved file: it then
skips the checkpoint it makes at close, and every row of the run would stay
in the -wal. sockeye checkpoints itself once the last write is done. Here:
  - the recorder really runs as another uid while it records (read from
    /proc while it waits on a pipe for packets);
  - after it exits the -wal is empty (or gone) and the main file alone, copied
    away without its -wal, holds every flow (integrity_check ok);
  - a second root run into the same store is not disturbed by the files left
    (an empty -wal and the -shm, which nobody may not remove there), and
    `sockeye history` as root reads both runs.

Usage: dropped_root_test.py SOCKEYE TRAFFICGEN"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

SOCKEYE = os.path.abspath(sys.argv[1])
TRAFFICGEN = os.path.abspath(sys.argv[2])
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def uid_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rows(db):
    r = run("sqlite3", db, "SELECT count(*) FROM connections")
    return int(r.stdout) if r.returncode == 0 and r.stdout.strip().isdigit() else -1


def main():
    if os.geteuid() != 0:
        print("FAIL this test needs root (it checks what a root run leaves)")
        return 1
    work = tempfile.mkdtemp(prefix="sockeye-dropped.")
    try:
        store_dir = os.path.join(work, "state")
        os.mkdir(store_dir, 0o700)
        db = os.path.join(store_dir, "history.db")
        captures = []
        for scenario in ("tcp-mix", "udp-icmp-arp"):
            path = os.path.join(work, scenario + ".pcap")
            check(run(TRAFFICGEN, scenario, path).returncode == 0, f"trafficgen {scenario}")
            captures.append(path)
        flows = []
        for path in captures:
            out = run(SOCKEYE, "-r", path, "--json", "--no-geoip").stdout
            flows.append(sum(1 for l in out.splitlines() if '"type":"flow"' in l))

        # Run 1: from a pipe, so it can be looked at while it waits.
        with open(captures[0], "rb") as f:
            data = f.read()
        proc = subprocess.Popen([SOCKEYE, "-r", "-", "--headless", "--no-geoip", "--record", db],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.stdin.write(data[:24])  # the file header: it starts and waits for packets
            proc.stdin.flush()
            deadline = time.monotonic() + 20
            uid = uid_of(proc.pid)
            while time.monotonic() < deadline and uid == 0:
                time.sleep(0.05)
                uid = uid_of(proc.pid)
            check(uid not in (None, 0), f"the recorder runs as uid {uid}, not root")
            proc.stdin.write(data[24:])
        finally:
            proc.stdin.close()
            status = proc.wait(timeout=60)
        check(status == 0, f"run 1 exits 0 ({proc.stderr.read().decode().strip()!r})")
        wal = db + "-wal"
        check(not os.path.exists(wal) or os.path.getsize(wal) == 0,
              f"the -wal is empty ({os.path.getsize(wal) if os.path.exists(wal) else 'gone'} bytes)")
        alone = os.path.join(work, "alone.db")
        shutil.copyfile(db, alone)
        check(rows(alone) == flows[0], f"the file alone holds every flow ({rows(alone)} of {flows[0]})")
        check(run("sqlite3", alone, "PRAGMA integrity_check").stdout.strip() == "ok", "integrity_check ok")

        # Run 2 into the same store, as root again.
        r = run(SOCKEYE, "-r", captures[1], "--headless", "--no-geoip", "--record", db)
        check(r.returncode == 0, f"run 2 into the same store exits 0 ({r.stderr.strip()!r})")
        check(not os.path.exists(wal) or os.path.getsize(wal) == 0, "the -wal is empty again")
        shutil.copyfile(db, alone)
        check(rows(alone) == flows[0] + flows[1], f"both runs' flows in the file ({rows(alone)})")
        hist = run(SOCKEYE, "history", "--store", db, "--json")
        n = len([l for l in hist.stdout.splitlines() if l])
        check(hist.returncode == 0 and n == flows[0] + flows[1], f"history reads them ({n})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} check(s) failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
