#!/usr/bin/env python3
"""Traffic between other hosts (forwarded, bridged, mirrored) is reported as
not local, and a local flow next to it is still attributed.

sockeye captures in namespace A (eBPF attribution where it loads, else
userspace) while namespace B sends through the veth, from a packet socket,
crafted frames of flows none of whose addresses is A's (TCP, UDP, and
spoofed multicast and loopback sources as floods use), and a local curl
fetches a page from B. In sockeye's --json output every crafted flow must
say unattributed_reason "not_local" with no process, and the curl flow
must name curl. Skips (77) when not root or curl is missing.

    not_local_test.py SOCKEYE
    not_local_test.py --send IFACE     (the sender, run inside namespace B)"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from crafted_pcap import SYN, TCP, UDP, ether, ipv4, tcp, udp  # noqa: E402
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

PORT = 8097


def foreign_frames():
    """(time, frame) of flows between addresses that are not A's, and the
    (protocol, source, destination) of each flow."""
    frames, flows = [], []
    t = 0.0
    for i in range(60):
        src, dst = f"203.0.113.{i + 1}", f"198.51.100.{i % 7 + 1}"
        frames.append((t, ether(ipv4(src, dst, TCP, tcp(40000 + i, 443, 1000, 0, SYN)))))
        flows.append(("TCP", src, dst))
        t += 0.001
    for i in range(40):
        src, dst = f"192.0.2.{i + 1}", f"198.51.100.{i % 5 + 20}"
        frames.append((t, ether(ipv4(src, dst, UDP, udp(30000 + i, 53, b"\x00" * 12)))))
        flows.append(("UDP", src, dst))
        t += 0.001
    # Spoofed sources: a multicast and a loopback address sending to a
    # host that is not A.
    for i, src in enumerate(("239.50.212.150", "127.203.24.202")):
        frames.append((t, ether(ipv4(src, "198.51.100.99", TCP, tcp(32000 + i, 80, 1, 0, SYN)))))
        flows.append(("TCP", src, "198.51.100.99"))
        t += 0.001
    return frames, flows


def send(interface):
    """Puts the crafted frames on `interface` as they are (a packet socket:
    no routing, no address checks), a millisecond apart."""
    frames, _ = foreign_frames()
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((interface, 0))
        for _, frame in frames:
            s.send(frame)
            time.sleep(0.001)
    return 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--send":
        return send(sys.argv[2])
    sockeye_path = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        print("SKIP: needs root")
        return 77
    if shutil.which("curl") is None:
        print("SKIP: curl is not installed")
        return 77
    _, flows = foreign_frames()
    with NetnsPair("nl", "nl", v4="10.213.41.0/24") as net:
        net.spawn(net.b, sys.executable, "-m", "http.server", "--bind", net.B4, str(PORT))
        url = f"http://{net.B4}:{PORT}/"
        up = wait_for(lambda: sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", url),
                                 check=False).returncode == 0, 10)
        assert up, "http.server did not come up"

        sockeye = net.spawn(net.a, sockeye_path, "-i", net.if_a, "--json", "--no-resolve", "-d", "60",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)  # capture handle and attribution thread up
        assert sockeye.poll() is None, sockeye.stderr.read()
        sh(*in_ns(net.b, sys.executable, os.path.abspath(__file__), "--send", net.if_b), timeout=60)
        r = sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", "-w", "%{local_port}", "--max-time", "5",
                      url), check=False)
        assert r.returncode == 0 and r.stdout.strip().isdigit(), f"curl failed: {r.stderr}"
        curl_port = int(r.stdout.strip())
        time.sleep(1.5)  # answers in before the final snapshot

        sockeye.send_signal(signal.SIGINT)
        out, err = sockeye.communicate(timeout=30)
        assert sockeye.returncode == 0, f"sockeye exited {sockeye.returncode}: {err}"
        records = [json.loads(line) for line in out.splitlines() if line.strip()]
        by_tuple = {(r["protocol"], r["source_ip"], r["destination_ip"]): r
                    for r in records if r.get("type") == "flow"}
        missing = [f for f in flows if f not in by_tuple]
        assert not missing, f"{len(missing)} crafted flows not reported, e.g. {missing[:3]}"
        wrong = [(f, by_tuple[f].get("unattributed_reason"), by_tuple[f].get("pid"))
                 for f in flows
                 if by_tuple[f].get("unattributed_reason") != "not_local" or by_tuple[f].get("pid")]
        assert not wrong, f"{len(wrong)} foreign flows not reported not_local, e.g. {wrong[:3]}"

        curl = [r for r in records if r.get("type") == "flow" and r["protocol"] == "TCP"
                and r["source_port"] == curl_port and r["destination_port"] == PORT]
        assert curl, f"no flow for curl's port {curl_port}"
        assert curl[0].get("process_name") == "curl", \
            f"the local curl flow: process {curl[0].get('process_name')!r}, " \
            f"reason {curl[0].get('unattributed_reason')!r}"
        print(f"{len(flows)} foreign flows reported not_local; the local curl flow named curl "
              f"({curl[0].get('process_match')})")
        return 0


if __name__ == "__main__":
    sys.exit(main())
