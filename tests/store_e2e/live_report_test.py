#!/usr/bin/env python3
"""sockeye report after a live recording, against tshark on the same veth.

Two namespaces joined by a veth (tests/lib/netns.py). B serves HTTP
(python's http.server, a 300 kB file) and DNS (dnsmasq, one name from a
hosts file); A runs sockeye live on its end of the veth with --record, and
tcpdump beside it, while curl downloads the file three times and dig asks
for the name twice. Then `sockeye report --by process --json` must list curl
and dig with the bytes and packets tshark counts for their conversations in
tcpdump's capture: the sum of frame.len over the TCP frames to or from port
8080 (curl) and the UDP frames to or from port 53 (dig), each direction on
its own. Both count whole link-layer frames, so the tolerance is zero: a
difference would be a lost or misattributed packet. (tshark -z conv,tcp
rounds sizes over 1000 bytes to kB, so the sums come from -T fields.)
`--by app` must show HTTP and DNS with the same sums.

Traffic stays between the namespaces; every wait is bounded; the namespaces
are deleted on the way out.

Usage: live_report_test.py SOCKEYE"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
NAME = "files.sockeye.test"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def tshark_sums(pcap, local):
    """{"curl": [...], "dig": [...]}: packets and bytes sent by the local end
    (A) and received by it, for port 8080 over TCP and port 53 over UDP."""
    out = sh("tshark", "-r", pcap, "-T", "fields", "-E", "separator=|", "-e", "ip.src",
             "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport",
             "-e", "frame.len").stdout
    sums = {k: {"packets_sent": 0, "bytes_sent": 0, "packets_received": 0, "bytes_received": 0}
            for k in ("curl", "dig")}
    for line in out.splitlines():
        src, tsport, tdport, usport, udport, length = line.split("|")
        if not src:
            continue
        if "8080" in (tsport, tdport):
            s = sums["curl"]
        elif "53" in (usport, udport):
            s = sums["dig"]
        else:
            continue
        way = "sent" if src == local else "received"
        s["packets_" + way] += 1
        s["bytes_" + way] += int(length)
    return sums


def report(db, by):
    r = sh(SOCKEYE, "report", "--store", db, "--since", "1h", "--by", by, "--json", check=False)
    if r.returncode != 0:
        return {}, r.stderr.strip()
    return {row["key"]: row for row in json.loads(r.stdout)["rows"]}, ""


def main():
    for tool in ("curl", "dig", "dnsmasq", "tshark", "tcpdump"):
        if shutil.which(tool) is None:
            print(f"FAIL {tool} is not installed (scripts/deps)")
            return 1
    tmp = tempfile.mkdtemp(prefix="sockeye-live-report.")
    os.chmod(tmp, 0o755)
    try:
        with open(os.path.join(tmp, "big.bin"), "wb") as f:
            f.write(os.urandom(300_000))
        with NetnsPair("rep", "sr", v4="10.213.18.0/24") as net:
            with open(os.path.join(tmp, "hosts"), "w") as f:
                f.write(f"{net.B4} {NAME}\n")
            net.spawn(net.b, "timeout", "60", sys.executable, "-m", "http.server", "--bind", net.B4,
                      "8080", "--directory", tmp)
            net.spawn(net.b, "timeout", "60", "dnsmasq", "--keep-in-foreground", "--no-resolv",
                      "--no-hosts", f"--addn-hosts={tmp}/hosts", f"--listen-address={net.B4}",
                      "--bind-interfaces", "--port=53", "--user=root", "--pid-file=")
            # The servers up before anything is captured: their probes stay out.
            up = wait_for(lambda: sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", "--max-time", "2",
                                            f"http://{net.B4}:8080/hosts"), check=False).returncode == 0,
                          15, step=0.1)
            check(bool(up), "http.server answers")
            up = wait_for(lambda: sh(*in_ns(net.a, "dig", "+short", "+time=1", "+tries=1", f"@{net.B4}",
                                            NAME), check=False).stdout.strip() == net.B4, 15, step=0.1)
            check(bool(up), "dnsmasq answers")
            time.sleep(1.5)  # the probes' connections close before the capture starts

            ref = os.path.join(tmp, "ref.pcap")
            tcpdump = net.start_tcpdump(net.a, "-i", net.if_a, "-U", "-w", ref)
            db = os.path.join(tmp, "live.db")
            err = open(os.path.join(tmp, "sockeye.err"), "w")
            sockeye = net.spawn(net.a, SOCKEYE, "-i", net.if_a, "--headless", "--no-geoip", "-d", "10",
                                "--record", db, stderr=err)
            # Recording once the store has its schema (sockeye opened it).
            ready = wait_for(lambda: os.path.exists(db) and sh("sqlite3", "-readonly", db,
                                                                "PRAGMA user_version", check=False
                                                                ).stdout.strip() not in ("", "0"), 10)
            check(bool(ready), "sockeye opened the store")
            time.sleep(1.0)  # its capture is open
            for _ in range(3):
                r = sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", "--max-time", "5",
                              f"http://{net.B4}:8080/big.bin"), check=False)
                check(r.returncode == 0, "curl downloads the file")
            for _ in range(2):
                r = sh(*in_ns(net.a, "dig", "+time=2", "+tries=1", f"@{net.B4}", NAME), check=False)
                check(r.returncode == 0, "dig gets an answer")
            status = sockeye.wait(timeout=30)
            err.close()
            check(status == 0, f"sockeye exits 0 after -d 10 ({status}: "
                  f"{open(os.path.join(tmp, 'sockeye.err')).read().strip()!r})")
            time.sleep(0.3)
            tcpdump.terminate()
            tcpdump.wait(timeout=10)

            want = tshark_sums(ref, net.A4)
            check(want["curl"]["bytes_received"] > 900_000, f"tshark saw the downloads ({want['curl']})")
            check(want["dig"]["packets_sent"] >= 2, f"tshark saw the queries ({want['dig']})")
            got, error = report(db, "process")
            check(not error, f"report --by process runs ({error})")
            for process in ("curl", "dig"):
                row = got.get(process)
                check(row is not None, f"report lists {process} ({sorted(got)})")
                if row is None:
                    continue
                have = {k: row[k] for k in want[process]}
                check(have == want[process], f"{process}: report {have} == tshark {want[process]}")
            check(got.get("curl", {}).get("connections") == 3, "curl: 3 connections")
            check(got.get("dig", {}).get("connections") == 2, "dig: 2 connections")
            apps, error = report(db, "app")
            check(not error, f"report --by app runs ({error})")
            for app, process in (("HTTP", "curl"), ("DNS", "dig")):
                row = apps.get(app, {})
                check(row.get("bytes_received") == want[process]["bytes_received"]
                      and row.get("bytes_sent") == want[process]["bytes_sent"],
                      f"--by app {app}: {process}'s bytes ({row})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} check(s) failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
