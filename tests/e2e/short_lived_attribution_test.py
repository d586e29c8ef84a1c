#!/usr/bin/env python3
"""Short-lived processes are still attributed: sockeye captures live in a
network namespace while a loop runs `curl` against an HTTP server in a second
namespace, each curl a separate process that connects and exits within about
100 ms. Every curl connection in sockeye's JSON must name its process; the
issue's bar is 90% of attempts, the test prints the measured rate.

Oracle for "which flows are curl's": the client ports curl used, read from
curl's own --write-out (%{local_port}), not from sockeye.

Traffic stays between the two namespaces; the loop is bounded in count and
time; the namespaces are deleted on exit."""
import json
import os
import signal
import subprocess
import sys
import time

SOCKEYE = os.path.abspath(sys.argv[1])
RUNS = int(os.environ.get("SOCKEYE_SHORT_LIVED_RUNS", "60"))
REQUIRED_RATE = 0.90
TAG = str(os.getpid())
NS_A, NS_B = f"sk-sl-a-{TAG}", f"sk-sl-b-{TAG}"
IF_A, IF_B = f"ssa{TAG}"[:15], f"ssb{TAG}"[:15]
A4, B4 = "10.213.11.1", "10.213.11.2"
PORT = 8080


def sh(*cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def in_ns(ns, *cmd):
    return ["ip", "netns", "exec", ns, *cmd]


def setup():
    sh("ip", "netns", "add", NS_A)
    sh("ip", "netns", "add", NS_B)
    sh("ip", "link", "add", IF_A, "netns", NS_A, "type", "veth", "peer", "name", IF_B,
       "netns", NS_B)
    for ns, ifname, v4 in ((NS_A, IF_A, A4), (NS_B, IF_B, B4)):
        sh(*in_ns(ns, "ip", "link", "set", "lo", "up"))
        sh(*in_ns(ns, "ip", "addr", "add", f"{v4}/24", "dev", ifname))
        sh(*in_ns(ns, "ip", "link", "set", ifname, "up"))


def teardown():
    for ns in (NS_A, NS_B):
        sh("ip", "netns", "del", ns, check=False)


def main():
    setup()
    server = sockeye = None
    try:
        server = subprocess.Popen(in_ns(NS_B, sys.executable, "-m", "http.server", "--bind", B4,
                                        str(PORT)),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://{B4}:{PORT}/"
        deadline = time.monotonic() + 10
        while sh(*in_ns(NS_A, "curl", "-s", "-o", "/dev/null", url), check=False).returncode:
            assert time.monotonic() < deadline, "http.server did not come up"
            time.sleep(0.1)

        sockeye = subprocess.Popen(in_ns(NS_A, SOCKEYE, "-i", IF_A, "--json", "--no-resolve",
                                         "-d", "120"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)  # capture handle and attribution thread up
        assert sockeye.poll() is None, sockeye.stderr.read()

        ports, lifetimes = set(), []
        for _ in range(RUNS):
            t0 = time.monotonic()
            r = sh(*in_ns(NS_A, "curl", "-s", "-o", "/dev/null", "-w", "%{local_port}",
                          "--max-time", "5", url), check=False)
            lifetimes.append(time.monotonic() - t0)
            if r.returncode == 0 and r.stdout.strip().isdigit():
                ports.add(int(r.stdout.strip()))
        assert len(ports) >= RUNS * 0.9, f"only {len(ports)} of {RUNS} curl runs succeeded"
        time.sleep(1.5)  # let the last answers arrive before the final snapshot

        sockeye.send_signal(signal.SIGINT)
        out, err = sockeye.communicate(timeout=30)
        assert sockeye.returncode == 0, f"sockeye exited {sockeye.returncode}: {err}"
        by_port = {}
        for line in out.splitlines():
            rec = json.loads(line)
            if rec.get("type") == "flow" and rec["protocol"] == "TCP" and \
                    rec["destination_port"] == PORT and rec["source_port"] in ports:
                by_port[rec["source_port"]] = rec
        missing = ports - by_port.keys()
        assert not missing, f"sockeye has no flow for curl ports {sorted(missing)[:10]}"
        named = [p for p, rec in by_port.items() if rec.get("process_name") == "curl"]
        rate = len(named) / len(ports)
        lifetimes.sort()
        median_ms = lifetimes[len(lifetimes) // 2] * 1000
        print(f"short-lived curl runs attributed: {len(named)}/{len(ports)} = {rate:.1%} "
              f"(median curl lifetime incl. ip netns exec {median_ms:.0f} ms)")
        wrong = [rec.get("process_name") for p, rec in by_port.items()
                 if rec.get("process_name") not in (None, "curl")]
        assert not wrong, f"flows attributed to the wrong process: {wrong[:5]}"
        if rate < REQUIRED_RATE:
            reasons = {}
            for p, rec in by_port.items():
                if rec.get("process_name") != "curl":
                    reasons[rec.get("unattributed_reason")] = reasons.get(
                        rec.get("unattributed_reason"), 0) + 1
            print(f"FAIL: below {REQUIRED_RATE:.0%}; unattributed reasons: {reasons}")
            return 1
        return 0
    finally:
        for p in (sockeye, server):
            if p and p.poll() is None:
                p.kill()
                p.wait()
        teardown()


if __name__ == "__main__":
    sys.exit(main())
