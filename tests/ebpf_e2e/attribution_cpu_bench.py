#!/usr/bin/env python3
"""Attribution CPU with eBPF vs userspace: sockeye captures headless in
namespace A while one client process there opens short TCP connections to
a server in namespace B at RATE per second for SECONDS; sockeye's CPU time
(user + system, all threads, from wait4) is printed for runs with eBPF and
with --no-ebpf, alternating (PAIRS pairs, so a drift in the machine's load
hits both modes alike), each also as CPU per 1000 connections; then the
min and median per mode. Asserts only that the runs worked and the load
reached half its target rate (the numbers are for the report, not a pass
bar).

    SOCKEYE_CPU_RATE=1000 SOCKEYE_CPU_SECONDS=20 SOCKEYE_CPU_PAIRS=3 \
        attribution_cpu_bench.py SOCKEYE

Skips (77) when not root or eBPF does not load here."""
import os
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
RATE = int(os.environ.get("SOCKEYE_CPU_RATE", "1000"))
SECONDS = float(os.environ.get("SOCKEYE_CPU_SECONDS", "20"))
PAIRS = int(os.environ.get("SOCKEYE_CPU_PAIRS", "3"))
PORT = 9099

SERVER = """
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(({addr!r}, {port})); s.listen(4096)
while True:
    c, _ = s.accept(); c.close()
"""

CLIENT = """
import socket, sys, time
rate, seconds, done = {rate}, {seconds}, 0
start = time.monotonic()
while time.monotonic() - start < seconds:
    # Paced: connection n starts at start + n / rate.
    wait = start + done / rate - time.monotonic()
    if wait > 0: time.sleep(wait)
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\\x01\\0\\0\\0\\0\\0\\0\\0")  # RST: no TIME_WAIT pile-up
    try:
        c.connect(({addr!r}, {port}))
    except OSError:
        pass
    c.close(); done += 1
print(done / (time.monotonic() - start))
"""


def run(net, extra):
    sockeye = subprocess.Popen(in_ns(net.a, SOCKEYE, "-i", net.if_a, "--headless", "--no-resolve",
                                     "-d", str(int(SECONDS + 30)), *extra),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    assert sockeye.poll() is None, sockeye.stderr.read()
    client = sh(*in_ns(net.a, sys.executable, "-c",
                       CLIENT.format(rate=RATE, seconds=SECONDS, addr=net.B4, port=PORT)),
                timeout=SECONDS + 60)
    achieved = float(client.stdout.strip())
    time.sleep(1)
    sockeye.send_signal(signal.SIGINT)
    _, status, usage = os.wait4(sockeye.pid, 0)
    sockeye.returncode = os.waitstatus_to_exitcode(status)
    assert sockeye.returncode == 0, f"sockeye exited {sockeye.returncode}: {sockeye.stderr.read()}"
    return achieved, usage.ru_utime, usage.ru_stime


def main():
    if os.geteuid() != 0:
        print("SKIP: needs root")
        return 77
    line = next((l for l in sh(SOCKEYE, "--version").stdout.splitlines()
                 if l.startswith("attribution:")), "")
    if not line.startswith("attribution: eBPF"):
        print(f"SKIP: eBPF does not load here: {line}")
        return 77
    net = NetnsPair("eb", "eb", v4="10.213.21.0/24", v6="fd00:5eb:21::/64")
    net.setup()
    server = None
    try:
        server = subprocess.Popen(in_ns(net.b, sys.executable, "-c",
                                        SERVER.format(addr=net.B4, port=PORT)))
        time.sleep(0.5)
        results = {"eBPF": [], "--no-ebpf": []}
        for pair in range(PAIRS):
            for label, extra in (("eBPF", []), ("--no-ebpf", ["--no-ebpf"])):
                achieved, user, system = run(net, extra)
                assert achieved >= RATE / 2, f"load reached only {achieved:.0f} connections/s"
                total = user + system
                per_1000 = 1000 * total / (achieved * SECONDS)
                results[label].append((total, per_1000, achieved))
                print(f"pair {pair + 1} {label}: {achieved:.0f} connections/s for {SECONDS:.0f} s; "
                      f"sockeye CPU {total:.2f} s (user {user:.2f}, system {system:.2f}) = "
                      f"{100 * total / (SECONDS + 3):.1f}% of one core over the run, "
                      f"{1000 * per_1000:.1f} ms per 1000 connections", flush=True)
        for label, runs in results.items():
            totals = [r[0] for r in runs]
            per = [r[1] for r in runs]
            rates = [r[2] for r in runs]
            print(f"{label}: CPU min {min(totals):.2f} s, "
                  f"median {statistics.median(totals):.2f} s; "
                  f"per 1000 connections min {1000 * min(per):.1f} ms, median "
                  f"{1000 * statistics.median(per):.1f} ms; connections/s median "
                  f"{statistics.median(rates):.0f} (n={len(runs)})")
        return 0
    finally:
        if server and server.poll() is None:
            server.kill()
            server.wait()
        net.teardown()


if __name__ == "__main__":
    sys.exit(main())
