#!/usr/bin/env python3
"""CPU per million packets of a live monitor watching a replayed capture:
tcpreplay sends PCAP at RATE packets/s from namespace B through a veth
into namespace A, where the monitor captures. None of the capture's
addresses is one of A's, as on a router or a mirror port. Modes, run in
turn RUNS times each (so a drift in the machine's load hits all alike):

  ebpf      sockeye with attribution (eBPF)
  no-ebpf   sockeye --no-ebpf (attribution from sock_diag + /proc)
  off       sockeye --no-processes --no-ebpf
  iftop     iftop -t (text mode), for comparison

CPU is user + system of the monitor's process (all threads, from wait4)
from its start to its end, packets what tcpreplay says it sent. With
STRACE=1 each sockeye run is under `strace -c -f` instead and its syscall
table is printed (CPU numbers are then strace's, not sockeye's).

    SOCKEYE_REPLAY_RATE=30000 SOCKEYE_REPLAY_RUNS=3 SOCKEYE_REPLAY_MODES=ebpf,off,iftop \\
        replay_cpu_bench.py SOCKEYE PCAP

SOCKEYE may also be LABEL=PATH[,LABEL=PATH...] (e.g. before=...,after=...):
each sockeye mode then runs with each binary in turn.

A measurement, not a test: asserts only that the runs worked (exit 77 when
not root or tcpreplay is missing)."""
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh  # noqa: E402

RATE = int(os.environ.get("SOCKEYE_REPLAY_RATE", "30000"))
RUNS = int(os.environ.get("SOCKEYE_REPLAY_RUNS", "3"))
MODES = os.environ.get("SOCKEYE_REPLAY_MODES", "ebpf,no-ebpf,off,iftop").split(",")
STRACE = os.environ.get("STRACE") == "1"
# Also a run without traffic per monitor (same wall time): its CPU (start-up,
# timers, periodic refreshes) is subtracted for a marginal per-packet cost.
IDLE = os.environ.get("SOCKEYE_REPLAY_IDLE") == "1"

SOCKEYE_ARGS = {"ebpf": [], "no-ebpf": ["--no-ebpf"], "off": ["--no-processes", "--no-ebpf"]}


def monitor_command(mode, sockeye, interface, seconds, strace_out):
    if mode == "iftop":
        return ["iftop", "-t", "-n", "-N", "-P", "-B", "-i", interface, "-s", str(seconds)]
    cmd = [sockeye, "-i", interface, "--headless", "--no-resolve", "-d", str(seconds),
           *SOCKEYE_ARGS[mode]]
    if strace_out:
        cmd = ["strace", "-c", "-f", "-o", strace_out, *cmd]
    return cmd


def replay_seconds(pcap):
    packets = int(re.search(r"Number of packets:\s+(\d+)",
                            sh("capinfos", "-c", "-M", pcap).stdout).group(1))
    return packets, packets / RATE


def run(net, mode, sockeye, pcap, duration, idle=False):
    strace_out = None
    if STRACE and mode != "iftop":
        strace_out = tempfile.mktemp(prefix="sockeye-strace-")
    limit = int(duration + 30)
    monitor = subprocess.Popen(in_ns(net.a, *monitor_command(mode, sockeye, net.if_a, limit, strace_out)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    assert monitor.poll() is None, f"{mode} ended early: {monitor.stderr.read()}"
    if idle:
        time.sleep(duration)
        sent = 0
    else:
        replay = sh(*in_ns(net.b, "tcpreplay", "-i", net.if_b, "-p", str(RATE), pcap),
                    timeout=duration * 3 + 60)
        sent = int(re.search(r"Actual: (\d+) packets", replay.stdout).group(1))
    time.sleep(1)
    monitor.send_signal(signal.SIGINT)
    _, status, usage = os.wait4(monitor.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    err = monitor.stderr.read()
    assert code == 0 or (mode == "iftop" and code in (-2, 130)), f"{mode} exited {code}: {err}"
    table = ""
    if strace_out:
        with open(strace_out) as f:
            table = f.read()
        os.unlink(strace_out)
    return sent, usage.ru_utime, usage.ru_stime, table


def main():
    if os.geteuid() != 0:
        print("SKIP: needs root")
        return 77
    for tool in ("tcpreplay", "capinfos") + (("iftop",) if "iftop" in MODES else ()):
        if shutil.which(tool) is None:
            print(f"SKIP: {tool} is not installed")
            return 77
    binaries = [tuple(b.split("=", 1)) if "=" in b else ("", b) for b in sys.argv[1].split(",")]
    binaries = [(label, os.path.abspath(path)) for label, path in binaries]
    pcap = os.path.abspath(sys.argv[2])
    runs = [(mode, label, path) for mode in MODES
            for label, path in (binaries if mode != "iftop" else [("", "")])]
    packets, duration = replay_seconds(pcap)
    print(f"{pcap}: {packets} packets at {RATE}/s = {duration:.1f} s per run; modes {MODES}, "
          f"{RUNS} runs each", flush=True)
    net = NetnsPair("rp", "rp", v4="10.213.31.0/24")
    net.setup()
    try:
        results = {}
        idle_cpu = {}
        if IDLE:
            for mode, label, sockeye in runs:
                name = f"{mode} {label}".strip()
                _, user, system, _ = run(net, mode, sockeye, pcap, duration, idle=True)
                idle_cpu[name] = user + system
                print(f"idle {name}: CPU {user + system:.2f} s (user {user:.2f}, system {system:.2f}) "
                      f"over {duration + 3:.1f} s without traffic", flush=True)
        for i in range(RUNS):
            for mode, label, sockeye in runs:
                name = f"{mode} {label}".strip()
                sent, user, system, table = run(net, mode, sockeye, pcap, duration)
                total = user + system
                per_million = total * 1e6 / sent
                results.setdefault(name, []).append(per_million)
                if name in idle_cpu:
                    results.setdefault(name + " (marginal)", []).append(
                        (total - idle_cpu[name]) * 1e6 / sent)
                print(f"run {i + 1} {name}: {sent} packets; CPU {total:.2f} s (user {user:.2f}, "
                      f"system {system:.2f}) = {per_million:.2f} CPU-s per million packets",
                      flush=True)
                if table:
                    print(table, flush=True)
        for mode, per in results.items():
            print(f"{mode}: CPU-s per million packets min {min(per):.2f}, median "
                  f"{statistics.median(per):.2f} (n={len(per)})")
        return 0
    finally:
        net.teardown()


if __name__ == "__main__":
    sys.exit(main())
