#!/usr/bin/env python3
"""The RTT of a live download is the network's, not the network's plus this
host's delayed ACKs: sockeye captures in namespace A while curl there
downloads from an HTTP server in namespace B, slowly (--limit-rate) so the
client's ACKs wait for its delayed-ACK timer. The oracle is the kernel's own
estimate for the same socket, `ss -tin` (rtt:SRTT/RTTVAR), read while the
download runs. curl's --limit-rate lets the first second or so through at
full speed, so the file is large and ss is polled often: a busy CI machine
once finished the download before the first poll.

Before, sockeye summed both halves of the round trip as a passive observer
between two hosts would, and the client's ACK delay made a veth's 0.05 ms
read as ~10 ms. Now a flow with one local end reports the half from here to
the peer and back. No netem on every kernel, so no artificial delay: the
bound is relative to the kernel's RTT (at most 1 ms or 5x it).

sockeye also reports the kernel's own estimate for the socket
(kernel_rtt_ms, tcp_info through sock_diag): the same number ss shows, so it
must lie within the range of ss's samples (with 0.1 ms of slack for the
moment each was read).

Traffic stays between the namespaces; every wait is bounded; the
namespaces are deleted on exit."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
PORT = 8080


def kernel_rtt_ms(net, client_port):
    """ss's smoothed RTT (ms) of curl's socket, or None when it is gone."""
    out = sh(*in_ns(net.a, "ss", "-tin", "sport", f"= :{client_port}"), check=False).stdout
    found = re.findall(r"\brtt:([\d.]+)/", out)
    return float(found[-1]) if found else None


def main():
    with NetnsPair("rtt", "rt", v4="10.213.13.0/24") as net, \
            tempfile.TemporaryDirectory(prefix="sockeye-rtt-") as workdir:
        with open(os.path.join(workdir, "big.bin"), "wb") as f:
            f.write(os.urandom(3_000_000))
        net.spawn(net.b, sys.executable, "-m", "http.server", "--bind", net.B4, str(PORT),
                  cwd=workdir)
        url = f"http://{net.B4}:{PORT}/big.bin"
        assert wait_for(lambda: sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", "-r", "0-0", url),
                                   check=False).returncode == 0, 10), "http.server did not come up"

        sockeye = net.spawn(net.a, SOCKEYE, "-i", net.if_a, "--json", "--no-resolve", "-d", "60",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)  # capture handle up
        assert sockeye.poll() is None, sockeye.stderr.read()

        # Fixed client port, so the same socket is found in ss and in sockeye.
        client_port = 47123
        curl = net.spawn(net.a, "curl", "-s", "-o", "/dev/null", "--limit-rate", "300k",
                         "--local-port", str(client_port), "--max-time", "30", url)
        samples = []
        deadline = time.monotonic() + 30
        while curl.poll() is None and time.monotonic() < deadline:
            rtt = kernel_rtt_ms(net, client_port)
            if rtt is not None:
                samples.append(rtt)
            time.sleep(0.05)
        assert curl.wait(timeout=10) == 0, "curl failed"
        assert samples, "ss never showed curl's socket"
        time.sleep(1)

        sockeye.send_signal(signal.SIGINT)
        out, err = sockeye.communicate(timeout=30)
        assert sockeye.returncode == 0, f"sockeye exited {sockeye.returncode}: {err}"
        flows = [json.loads(line) for line in out.splitlines()]
        ours = [f for f in flows if f.get("type") == "flow" and f.get("protocol") == "TCP"
                and f.get("source_port") == client_port and f.get("destination_port") == PORT]
        assert len(ours) == 1, f"want one flow for curl's port {client_port}, got {ours}"
        rtt_ms = ours[0].get("rtt_ms")
        kernel = samples[-1]
        bound = max(1.0, 5 * kernel)
        print(f"download RTT: sockeye {rtt_ms} ms, kernel (ss -ti) {kernel} ms "
              f"(samples {min(samples)}..{max(samples)}), bound {bound:.2f} ms; "
              f"{ours[0]['bytes_received']} bytes received")
        if rtt_ms is None or rtt_ms > bound:
            print("FAIL: sockeye's RTT is not the network's round trip")
            return 1
        kernel_rtt = ours[0].get("kernel_rtt_ms")
        low, high = min(samples) - 0.1, max(samples) + 0.1
        print(f"kernel RTT reported by sockeye: {kernel_rtt} ms, ss range {low:.3f}..{high:.3f} ms")
        if kernel_rtt is None or not low <= kernel_rtt <= high:
            print("FAIL: sockeye's kernel_rtt_ms is not the kernel's estimate for curl's socket")
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
