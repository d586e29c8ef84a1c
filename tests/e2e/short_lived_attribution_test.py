#!/usr/bin/env python3
"""Short-lived processes are still attributed: sockeye captures live in a
network namespace while a loop runs `curl` against an HTTP server in a second
namespace, each curl a separate process that connects and exits within about
100 ms. Every curl connection in sockeye's JSON must name its process; the
issue's bar is 90% of attempts, the test prints the measured rate.

Oracle for "which flows are curl's": the client ports curl used, read from
curl's own --write-out (%{local_port}), not from sockeye.

With --packaged-caps, sockeye runs as uid 65534 holding exactly the
capabilities the Debian package grants (packaging/capabilities), as ambient
capabilities through setpriv: root hides a missing capability, this does not.
Its start-up must then say nothing about degraded attribution.

Traffic stays between the two namespaces; the loop is bounded in count and
time; the namespaces are deleted on exit."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402
from packaged_caps import packaged_command  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
PACKAGED_CAPS = "--packaged-caps" in sys.argv[2:]
RUNS = int(os.environ.get("SOCKEYE_SHORT_LIVED_RUNS", "60"))
REQUIRED_RATE = 0.90
PORT = 8080


def sockeye_command(workdir):
    return packaged_command(SOCKEYE, workdir) if PACKAGED_CAPS else [SOCKEYE]


def main():
    with NetnsPair("sl", "ss", v4="10.213.11.0/24") as net, \
            tempfile.TemporaryDirectory(prefix="sockeye-sl-") as workdir:
        net.spawn(net.b, sys.executable, "-m", "http.server", "--bind", net.B4, str(PORT))
        url = f"http://{net.B4}:{PORT}/"
        up = wait_for(lambda: sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", url),
                                 check=False).returncode == 0, 10)
        assert up, "http.server did not come up"

        sockeye = net.spawn(net.a, *sockeye_command(workdir), "-i", net.if_a, "--json", "--no-resolve", "-d", "120",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)  # capture handle and attribution thread up
        assert sockeye.poll() is None, sockeye.stderr.read()

        ports, lifetimes = set(), []
        for _ in range(RUNS):
            t0 = time.monotonic()
            r = sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", "-w", "%{local_port}",
                          "--max-time", "5", url), check=False)
            lifetimes.append(time.monotonic() - t0)
            if r.returncode == 0 and r.stdout.strip().isdigit():
                ports.add(int(r.stdout.strip()))
        assert len(ports) >= RUNS * 0.9, f"only {len(ports)} of {RUNS} curl runs succeeded"
        time.sleep(1.5)  # let the last answers arrive before the final snapshot

        sockeye.send_signal(signal.SIGINT)
        out, err = sockeye.communicate(timeout=30)
        assert sockeye.returncode == 0, f"sockeye exited {sockeye.returncode}: {err}"
        if PACKAGED_CAPS:
            assert "degraded" not in err, f"the packaged capabilities are not enough: {err}"
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


if __name__ == "__main__":
    sys.exit(main())
