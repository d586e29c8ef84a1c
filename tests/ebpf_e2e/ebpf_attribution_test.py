#!/usr/bin/env python3
"""Short-lived clients are named with eBPF: sockeye captures in namespace A
while loops run, each as a separate process that connects and exits within
about 100 ms, `curl` over IPv4 and over IPv6 against an HTTP server in
namespace B, and `dig` (UDP) against a DNS responder there. The same loops
run twice: with eBPF and with --no-ebpf. Every client flow in sockeye's JSON
must name its process; the eBPF rate must reach REQUIRED (the issue asks 99%
of 200 runs; ctest runs SOCKEYE_EBPF_RUNS=60 against 97%); the userspace
rate is printed beside it.

ICMP: `ping -c 1` to B over IPv4 and IPv6 with ping sockets (SOCK_DGRAM
ICMP, which ping uses when net.ipv4.ping_group_range -- per namespace --
admits its group: ping4, ping6) and with raw sockets (the range closed,
Debian's default: ping4_raw, ping6_raw; named from the echo request on
net_dev_queue); ping4_raw_cold flushes A's neighbour table before each run,
so the request waits for ARP and leaves from softirq, after sendmsg().

Oracles: curl's own --write-out %{local_port}; for dig, the source ports the
responder logged; for ping, the echo identifiers a raw socket in B logged.
SOCKEYE_EBPF_KINDS (comma-separated) runs a subset of the kinds.

Skips (77) when not root, when --version says eBPF cannot load here, or
curl/dig is missing; the ping kinds are left out (said so) without ping.
Loops are bounded; the namespaces are deleted on exit."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
RUNS = int(os.environ.get("SOCKEYE_EBPF_RUNS", "60"))
REQUIRED = float(os.environ.get("SOCKEYE_EBPF_REQUIRED", "0.97"))
PORT = 8080
SKIP = 77
PING_KINDS = ("ping4", "ping6", "ping4_raw", "ping6_raw", "ping4_raw_cold")
ALL_KINDS = ("tcp4", "tcp6", "dns") + PING_KINDS


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def preflight():
    """Returns the client kinds to run."""
    if os.geteuid() != 0:
        skip("needs root (network namespaces, eBPF)")
    for tool in ("curl", "dig", "ip"):
        if shutil.which(tool) is None:
            skip(f"{tool} is not installed")
    kinds = [k for k in os.environ.get("SOCKEYE_EBPF_KINDS", ",".join(ALL_KINDS)).split(",") if k]
    unknown = set(kinds) - set(ALL_KINDS)
    assert not unknown, f"unknown SOCKEYE_EBPF_KINDS {sorted(unknown)}"
    if shutil.which("ping") is None and any(k in PING_KINDS for k in kinds):
        print("ping is not installed: the ICMP kinds are left out")
        kinds = [k for k in kinds if k not in PING_KINDS]
    version = sh(SOCKEYE, "--version").stdout
    line = next((l for l in version.splitlines() if l.startswith("attribution:")), "")
    if not line.startswith("attribution: eBPF"):
        skip(f"eBPF does not load here: {line or 'no attribution line in --version'}")
    print(line)
    return kinds


def ping_ids(path, family):
    """The echo identifiers logged so far for IPv4 (4) or IPv6 (6)."""
    with open(path) as f:
        return [int(i) for fam, i in (l.split() for l in f if l.strip()) if int(fam) == family]


def set_ping_sockets(net, enabled):
    """Opens or closes net.ipv4.ping_group_range in A (it is per namespace,
    and covers ICMPv6 ping sockets too): closed, ping falls back to its raw
    socket (cap_net_raw; we are root)."""
    value = "0 2147483647" if enabled else "1 0"
    sh(*in_ns(net.a, "sysctl", "-qw", f"net.ipv4.ping_group_range={value}"))


def client_runs(net, kind, ports_file, ids_file):
    """Runs the client RUNS times; returns the set of its source ports
    (for ping: echo identifiers)."""
    ports = set()
    if kind in PING_KINDS:
        family = 6 if kind.startswith("ping6") else 4
        set_ping_sockets(net, "_raw" not in kind)
        before = set(ping_ids(ids_file, family))
        target = net.B6 if family == 6 else net.B4
        for _ in range(RUNS):
            if kind.endswith("_cold"):
                sh(*in_ns(net.a, "ip", "neigh", "flush", "dev", net.if_a))
            sh(*in_ns(net.a, "ping", f"-{family}", "-n", "-c", "1", "-W", "2", target),
               check=False)
        time.sleep(0.2)
        return set(ping_ids(ids_file, family)) - before
    if kind == "dns":
        before = set(read_ports(ports_file))
        for _ in range(RUNS):
            sh(*in_ns(net.a, "dig", "+noedns", "+tries=1", "+time=2", f"@{net.B4}",
                      "short-lived.example", "A"), check=False)
        time.sleep(0.2)
        return set(read_ports(ports_file)) - before
    host = net.B4 if kind == "tcp4" else f"[{net.B6}]"
    for _ in range(RUNS):
        r = sh(*in_ns(net.a, "curl", "-g", "-s", "-o", "/dev/null", "-w", "%{local_port}",
                      "--max-time", "5", f"http://{host}:{PORT}/"), check=False)
        if r.returncode == 0 and r.stdout.strip().isdigit():
            ports.add(int(r.stdout.strip()))
    return ports


def read_ports(path):
    with open(path) as f:
        return [int(x) for x in f.read().split()]


def flow_filter(kind, net):
    """(protocol, destination port or None for "the identifier", process
    name, destination address) of a kind's flows in sockeye's JSON."""
    if kind in PING_KINDS:
        if kind.startswith("ping6"):
            return "ICMPv6", None, "ping", net.B6
        return "ICMP", None, "ping", net.B4
    if kind == "dns":
        return "UDP", 53, "dig", net.B4
    return "TCP", PORT, "curl", net.B6 if kind == "tcp6" else net.B4


def measure(net, kinds, extra_args, ports_file, ids_file):
    """One sockeye run over all client kinds; {kind: (named, total, reasons, matches)}."""
    sockeye = subprocess.Popen(in_ns(net.a, SOCKEYE, "-i", net.if_a, "--json", "--no-resolve",
                                     "-d", "3600", *extra_args),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)  # capture handle, programs and attribution thread up
        assert sockeye.poll() is None, sockeye.stderr.read()
        oracle = {kind: client_runs(net, kind, ports_file, ids_file) for kind in kinds}
        time.sleep(2)  # let the last answers arrive before the final snapshot
        sockeye.send_signal(signal.SIGINT)
        out, err = sockeye.communicate(timeout=60)
        assert sockeye.returncode == 0, f"sockeye exited {sockeye.returncode}: {err}"
    finally:
        if sockeye.poll() is None:
            sockeye.kill()
            sockeye.wait()
    flows = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    flows = [f for f in flows if f.get("type") == "flow"]
    results = {}
    for kind, ports in oracle.items():
        assert len(ports) >= RUNS * 0.9, f"{kind}: only {len(ports)} of {RUNS} client runs worked"
        proto, dport, name, want_ip = flow_filter(kind, net)
        # An echo flow carries the identifier as both its ports.
        by_port = {f["source_port"]: f for f in flows
                   if f["protocol"] == proto and
                   f["destination_port"] == (f["source_port"] if dport is None else dport) and
                   f["destination_ip"] == want_ip and f["source_port"] in ports}
        missing = ports - by_port.keys()
        assert not missing, f"{kind}: no flow for client ports {sorted(missing)[:10]}"
        wrong = [f.get("process_name") for f in by_port.values()
                 if f.get("process_name") not in (None, name)]
        assert not wrong, f"{kind}: flows attributed to the wrong process: {wrong[:5]}"
        named = sum(1 for f in by_port.values() if f.get("process_name") == name)
        reasons, matches = {}, {}
        for f in by_port.values():
            if f.get("process_name") != name:
                r = f.get("unattributed_reason")
                reasons[r] = reasons.get(r, 0) + 1
            m = f.get("process_match")
            matches[m] = matches.get(m, 0) + 1
        results[kind] = (named, len(ports), reasons, matches)
    return results


def main():
    kinds = preflight()
    net = NetnsPair("eb", "eb", v4="10.213.21.0/24", v6="fd00:5eb:21::/64")
    tmp = tempfile.mkdtemp(prefix="sockeye-ebpf-e2e-")
    ports_file = os.path.join(tmp, "dns-ports")
    ids_file = os.path.join(tmp, "echo-ids")
    open(ports_file, "w").close()
    open(ids_file, "w").close()
    servers = []
    net.setup()
    try:
        servers.append(subprocess.Popen(
            in_ns(net.b, sys.executable, "-m", "http.server", "--bind", "::", str(PORT)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        servers.append(subprocess.Popen(
            in_ns(net.b, sys.executable, os.path.join(os.path.dirname(__file__), "dns_responder.py"),
                  net.B4, ports_file), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        servers.append(subprocess.Popen(
            in_ns(net.b, sys.executable, os.path.join(os.path.dirname(__file__), "echo_logger.py"),
                  ids_file), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 10
        while sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", f"http://{net.B4}:{PORT}/"),
                 check=False).returncode:
            assert time.monotonic() < deadline, "http.server did not come up"
            time.sleep(0.1)

        with_ebpf = measure(net, kinds, [], ports_file, ids_file)
        userspace = measure(net, kinds, ["--no-ebpf"], ports_file, ids_file)
        failed = []
        for kind in kinds:
            e_named, e_total, e_reasons, e_matches = with_ebpf[kind]
            u_named, u_total, u_reasons, _ = userspace[kind]
            e_rate, u_rate = e_named / e_total, u_named / u_total
            print(f"{kind}: eBPF {e_named}/{e_total} = {e_rate:.1%} (matches {e_matches}"
                  f"{', unattributed ' + str(e_reasons) if e_reasons else ''}); "
                  f"--no-ebpf {u_named}/{u_total} = {u_rate:.1%}"
                  f"{' (unattributed ' + str(u_reasons) + ')' if u_reasons else ''}")
            if e_rate < REQUIRED:
                failed.append(kind)
        if failed:
            print(f"FAIL: eBPF rate below {REQUIRED:.0%} for {failed}")
            return 1
        return 0
    finally:
        for p in servers:
            if p.poll() is None:
                p.kill()
                p.wait()
        net.teardown()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
