#!/usr/bin/env python3
"""A container's traffic is named after the container, before and after NAT.

Podman (from Debian, no registry: the image is `podman import` of a rootfs
holding Debian's busybox-static) runs a container with a known --name on its
default bridge. Inside it, busybox's wget and tftp open TCP and UDP connections
to servers in a namespace that stands for the outside world, reached through
the host's MASQUERADE over a veth, and to servers on the host itself (the
bridge's address). sockeye runs on the host twice, on the bridge and on the
outer veth. Every flow of the container must carry the container's process
(comm and pid from the kernel's owner records) and its container name. A flow
between the host and the container is named after the end that started it
(TCP: the one that connected), as a loopback flow is; over unconnected UDP
sockets at both ends nothing tells, and the host's server is named; on the
outer veth, where the source is the host's address, the tuple conntrack(8)
reports as translated must be the one sockeye traced back (`process_match`
"nat"). Skips (77) when not root or podman, runc or busybox is missing.

With --packaged-caps, both sockeyes run as uid 65534 holding exactly the
capabilities the package grants (the kernel's records, conntrack and the
runtime's root-only state files all need one of them).

    podman_test.py SOCKEYE [--packaged-caps]"""
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import Netns, in_ns, sh, stop, wait_for  # noqa: E402
from packaged_caps import packaged_command  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
PACKAGED_CAPS = "--packaged-caps" in sys.argv[2:]
IMAGE = "localhost/sockeye-test-busybox:1"
BUSYBOX = "/bin/busybox"
TCP_PORT, UDP_PORT = 8480, 8481
HOST_TCP_PORT, HOST_UDP_PORT = 8482, 8483
# Podman here: runc and cgroupfs (crun refuses this machine's hybrid cgroup
# layout), and limits no higher than ours (raising them is not permitted).
PODMAN = ["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"]
LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]

SERVERS = r"""
import socket, sys, threading
host, tcp_port, udp_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def tcp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, tcp_port)); s.listen(16)
    while True:
        c, _ = s.accept()
        c.recv(4096)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000)
        c.close()
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((host, udp_port))
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(b"\x00\x05\x00\x01not here\x00", peer)  # a TFTP error: the client stops at once
threading.Thread(target=tcp, daemon=True).start()
udp()
"""


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def ensure_image():
    if sh(*PODMAN, "image", "exists", IMAGE, check=False).returncode == 0:
        return
    with tempfile.TemporaryDirectory(prefix="sockeye-rootfs-") as d:
        tar = os.path.join(d, "rootfs.tar")
        with tarfile.open(tar, "w") as t:
            t.add(BUSYBOX, arcname="bin/busybox")
            for applet in ("sh", "wget", "tftp", "sleep", "echo"):
                info = tarfile.TarInfo(f"bin/{applet}")
                info.type = tarfile.SYMTYPE
                info.linkname = "busybox"
                t.addfile(info)
        sh(*PODMAN, "import", tar, IMAGE, timeout=120)


def capture(command, interface, seconds):
    return subprocess.Popen([*command, "-i", interface, "--json", "--no-resolve", "--no-dpi", "-d", str(seconds)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def conntrack_entries(outside):
    """(orig src, orig sport, reply dst, reply dport, proto) per translated
    connection to the outside namespace, as conntrack(8) lists them."""
    out = sh("conntrack", "-L", "-d", outside, check=False).stdout + \
        sh("conntrack", "-L", "-p", "udp", "-d", outside, check=False).stdout
    entries = set()
    for line in out.splitlines():
        fields = line.split()
        proto = fields[0]
        kv = [f.split("=", 1) for f in fields if "=" in f]
        srcs = [v for k, v in kv if k == "src"]
        sports = [v for k, v in kv if k == "sport"]
        dsts = [v for k, v in kv if k == "dst"]
        dports = [v for k, v in kv if k == "dport"]
        if len(srcs) >= 2 and len(dports) >= 2:
            entries.add((proto, srcs[0], int(sports[0]), dsts[1], int(dports[1])))
    return entries


def main():
    if os.geteuid() != 0:
        skip("needs root (network namespaces, podman)")
    for tool in ("podman", "runc", "conntrack"):
        if not shutil.which(tool):
            skip(f"{tool} is not installed (scripts/deps installs it)")
    if not os.path.exists(BUSYBOX):
        skip("busybox-static is not installed")
    ensure_image()
    tag = f"{os.getpid() % 10000}"
    name = f"sockeye-e2e-{tag}-{random.randrange(1000)}"
    outer_if, inner_if = f"skc{tag}h", f"skc{tag}o"
    host_ip, outside_ip = "203.0.113.1", "203.0.113.2"
    problems = []
    with Netns(f"sk-container-{tag}") as outside, tempfile.TemporaryDirectory(prefix="sockeye-ct-") as workdir:
        command = packaged_command(SOCKEYE, workdir) if PACKAGED_CAPS else [SOCKEYE]
        sh("ip", "link", "add", outer_if, "type", "veth", "peer", "name", inner_if)
        try:
            sh("ip", "link", "set", inner_if, "netns", outside.name)
            sh("ip", "addr", "add", f"{host_ip}/30", "dev", outer_if)
            sh("ip", "link", "set", outer_if, "up")
            sh(*in_ns(outside.name, "ip", "addr", "add", f"{outside_ip}/30", "dev", inner_if))
            sh(*in_ns(outside.name, "ip", "link", "set", inner_if, "up"))
            outside.spawn(outside.name, sys.executable, "-c", SERVERS, outside_ip, str(TCP_PORT), str(UDP_PORT))
            script = (f"sleep 4; for i in 1 2 3; do "
                      f"wget -q -O /dev/null http://{outside_ip}:{TCP_PORT}/x; "
                      f"tftp -g -r x -l /dev/null {outside_ip} {UDP_PORT}; "
                      f"wget -q -O /dev/null http://BRIDGE_IP:{HOST_TCP_PORT}/y; "
                      f"tftp -g -r x -l /dev/null BRIDGE_IP {HOST_UDP_PORT}; "
                      f"done; echo clients-done; sleep 60")
            # The bridge exists while a container is on the default network:
            # the container waits for the servers and captures to start.
            bridge = json.loads(sh(*PODMAN, "network", "inspect", "podman").stdout)[0]
            bridge_if = bridge["network_interface"]
            bridge_ip = bridge["subnets"][0]["gateway"]
            sh(*PODMAN, "run", "-d", *LIMITS, "--name", name, IMAGE, "/bin/sh", "-c",
               script.replace("BRIDGE_IP", bridge_ip), timeout=120)
            try:
                if not wait_for(lambda: os.path.exists(f"/sys/class/net/{bridge_if}"), 10):
                    raise RuntimeError(f"podman's bridge {bridge_if} did not appear")
                host_servers = subprocess.Popen([sys.executable, "-c", SERVERS, bridge_ip, str(HOST_TCP_PORT),
                                                 str(HOST_UDP_PORT)])
                host_server_pid = host_servers.pid
                try:
                    # Captures end while the container (and so the bridge) is still there.
                    seconds = 20
                    sockeyes = {bridge_if: capture(command, bridge_if, seconds),
                                outer_if: capture(command, outer_if, seconds)}
                    done = wait_for(lambda: "clients-done" in sh(*PODMAN, "logs", name, check=False).stdout, 60,
                                    step=0.5)
                    if not done:
                        logs = sh(*PODMAN, "logs", name, check=False)
                        problems.append(f"the container's clients did not finish: {(logs.stdout + logs.stderr)[-300:]}")
                    translated = conntrack_entries(outside_ip)
                    outputs = {}
                    for iface, proc in sockeyes.items():
                        out, err = proc.communicate(timeout=60)
                        if proc.returncode != 0:
                            problems.append(f"sockeye -i {iface} exited {proc.returncode}: {err.strip()[-300:]}")
                        outputs[iface] = [json.loads(l) for l in out.splitlines() if '"type":"flow"' in l]
                finally:
                    stop(host_servers)
            finally:
                sh(*PODMAN, "rm", "-f", name, check=False, timeout=60)
        finally:
            sh("ip", "link", "del", outer_if, check=False)
    problems += check(outputs, bridge_if, outer_if, bridge_ip, outside_ip, host_ip, name, translated,
                      host_server_pid)
    if problems:
        for p in problems:
            print("FAIL:", p)
        return 1
    print("PASS: every container flow named after its container, on the bridge and after NAT")
    return 0


def check(outputs, bridge_if, outer_if, bridge_ip, outside_ip, host_ip, name, translated, host_server_pid):
    problems = []
    wanted = {(bridge_if, "TCP", outside_ip, TCP_PORT): 3, (bridge_if, "UDP", outside_ip, UDP_PORT): 3,
              (outer_if, "TCP", outside_ip, TCP_PORT): 3, (outer_if, "UDP", outside_ip, UDP_PORT): 3,
              (bridge_if, "TCP", bridge_ip, HOST_TCP_PORT): 3, (bridge_if, "UDP", bridge_ip, HOST_UDP_PORT): 3}
    for (iface, proto, server, port), count in wanted.items():
        flows = [f for f in outputs.get(iface, []) if f.get("protocol") == proto and
                 server in (f.get("destination_ip"), f.get("source_ip")) and
                 port in (f.get("destination_port"), f.get("source_port"))]
        if len(flows) < count:
            problems.append(f"{iface}: {len(flows)} {proto} flows with {server}:{port}, want {count}")
        for f in flows:
            what = f"{iface} {proto} {f.get('source_ip')}:{f.get('source_port')} -> " \
                   f"{f.get('destination_ip')}:{f.get('destination_port')}"
            comm = f.get("process_comm") or f.get("process_name")
            if (proto, server) == ("UDP", bridge_ip):
                # Unconnected UDP sockets at both ends: no record says who
                # started it, so the host's end (the flow's local one) is named.
                if f.get("pid") != host_server_pid:
                    problems.append(f"{what}: pid {f.get('pid')} ({comm}), want the host's server {host_server_pid}")
                continue
            if comm not in ("wget", "tftp", "busybox"):
                problems.append(f"{what}: process {comm!r} (pid {f.get('pid')}, "
                                f"match {f.get('process_match')}, reason {f.get('unattributed_reason')})")
                continue
            if f.get("container_name") != name:
                problems.append(f"{what}: container_name {f.get('container_name')!r}, want {name!r} "
                                f"(container {f.get('container')!r})")
            if iface == outer_if:
                if f.get("process_match") != "nat":
                    problems.append(f"{what}: process_match {f.get('process_match')!r}, want 'nat'")
                key = (proto.lower(), host_ip, f.get("source_port"))
                if not any((p, ip, sp) == key for (p, _, _, ip, sp) in
                           [(e[0], e[1], e[2], e[3], e[4]) for e in translated]):
                    problems.append(f"{what}: conntrack lists no translation to {host_ip}:{f.get('source_port')}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
