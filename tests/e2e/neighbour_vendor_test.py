#!/usr/bin/env python3
"""A peer on the local network is named by the maker of its interface.

Namespace B's veth gets a MAC address from a Raspberry Pi prefix (b8:27:eb,
IEEE MA-L) and IPv6 too; sockeye captures live in namespace A while A pings
B over IPv4 and IPv6 and fetches a page from it over TCP. The oracle for
the MAC is the kernel's neighbour table as `ip neigh` prints it in A; every
flow to B must carry that MAC as remote_mac and "Raspberry Pi" as
remote_vendor, and flows to A's own loopback none.

Traffic stays between the namespaces; every wait is bounded; the namespaces
are deleted on exit."""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
PI_MAC = "b8:27:eb:5c:0f:fe"
PORT = 8080


def neighbours(net):
    """ip neigh in A: address -> MAC, for entries with one."""
    out = {}
    for line in sh(*in_ns(net.a, "ip", "neigh", "show"), check=False).stdout.splitlines():
        words = line.split()
        if "lladdr" in words:
            out[words[0]] = words[words.index("lladdr") + 1]
    return out


def main():
    with NetnsPair("oui", "ou", v4="10.213.17.0/24", v6="fd00:213:17::/64") as net, \
            tempfile.TemporaryDirectory(prefix="sockeye-oui-") as workdir:
        sh(*in_ns(net.b, "ip", "link", "set", net.if_b, "address", PI_MAC))
        with open(os.path.join(workdir, "index.html"), "w") as f:
            f.write("hello\n")
        net.spawn(net.b, sys.executable, "-m", "http.server", "--bind", net.B4, str(PORT), cwd=workdir)
        url = f"http://{net.B4}:{PORT}/index.html"
        assert wait_for(lambda: sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", url),
                                   check=False).returncode == 0, 10), "http.server did not come up"

        sockeye = net.spawn(net.a, SOCKEYE, "-i", net.if_a, "--json", "--no-resolve", "-d", "4",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)  # the capture handle comes up
        sh(*in_ns(net.a, "ping", "-c", "2", "-i", "0.2", net.B4), check=False, timeout=10)
        sh(*in_ns(net.a, "ping", "-6", "-c", "2", "-i", "0.2", net.B6), check=False, timeout=10)
        sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", url), check=False, timeout=10)
        out, err = sockeye.communicate(timeout=30)
        table = neighbours(net)
        print(f"ip neigh in A: {table}")
        if sockeye.returncode != 0:
            print(err)
            print(f"FAIL: sockeye exited {sockeye.returncode}")
            return 1
        flows = [json.loads(l) for l in out.splitlines() if '"type":"flow"' in l]
        to_b = [f for f in flows if f["destination_ip"] in (net.B4, net.B6)]
        problems = []
        for want in (net.B4, net.B6):
            if table.get(want) != PI_MAC:
                problems.append(f"the kernel has no neighbour entry {want} -> {PI_MAC}: {table}")
            if not any(f["destination_ip"] == want for f in to_b):
                problems.append(f"no flow to {want} in sockeye's output")
        for f in to_b:
            got = (f.get("remote_mac"), f.get("remote_vendor"))
            if got != (table.get(f["destination_ip"]), "Raspberry Pi"):
                problems.append(f"{f['protocol']} to {f['destination_ip']}: remote_mac/vendor {got}")
            else:
                print(f"{f['protocol']} to {f['destination_ip']}: {got[0]} {got[1]}")
        for line in problems:
            print(f"FAIL: {line}")
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
