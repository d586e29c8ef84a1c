#!/usr/bin/env python3
"""Process attribution agrees with `ss -tanp` / `ss -uanp`.

Helper processes (python3 -c ...) open loopback sockets: a TCP listener
with a client in another process, a dual-stack IPv6 listener with an IPv4
client, an unconnected UDP socket and a connected one. host_attribution_dump
prints the attributor's answer for each socket; every answer must name the
same pid as ss (one of them, for sockets shared between processes), with a
name ss's 15-character comm is a prefix of. Exit 77 skips.
"""
import os
import re
import shutil
import subprocess
import sys
import time

HELPERS = {
    # Each prints "PORT..." lines, then holds its sockets until stdin closes.
    "tcp_server": r"""
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
print("accepted", flush=True)
sys.stdin.read()
""",
    "tcp_client": r"""
import socket, sys
port = int(sys.argv[1])
c = socket.create_connection(("127.0.0.1", port))
print(c.getsockname()[1], flush=True)
sys.stdin.read()
""",
    "dual_stack_server": r"""
import socket, sys
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 0)); s.listen(8)
port = s.getsockname()[1]
c = socket.create_connection(("127.0.0.1", port))  # an IPv4 client in the same process
a, _ = s.accept()
print(port, c.getsockname()[1], flush=True)
sys.stdin.read()
""",
    "udp": r"""
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 0))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.bind(("127.0.0.1", 0))
v.connect(("127.0.0.1", u.getsockname()[1]))
print(u.getsockname()[1], v.getsockname()[1], flush=True)
sys.stdin.read()
""",
}


def spawn(code, *args):
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def normalize(endpoint):
    """'[::ffff:127.0.0.1]:80' -> ('127.0.0.1', 80); '*:*', '0.0.0.0:*', '[::]:0' -> ('*', 0)."""
    host, _, port = endpoint.rpartition(":")
    host = host.strip("[]")
    if host.startswith("::ffff:"):
        host = host[len("::ffff:"):]
    if host in ("*", "0.0.0.0", "::"):
        host = "*"
    return host, 0 if port in ("*", "") else int(port)


def ss_table(flags):
    out = subprocess.run(["ss", "-n", "-H", "-p", flags], capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 5:
            continue
        # tcp: State Recv-Q Send-Q Local Peer [Process]; -u also starts with State.
        local, peer = normalize(fields[3]), normalize(fields[4])
        users = re.findall(r'\("([^"]*)",pid=(\d+),fd=\d+\)', line)
        table[(local, peer)] = [(name, int(pid)) for name, pid in users]
    return table


def main():
    dump = sys.argv[1]
    if shutil.which("ss") is None:
        print("SKIP: ss (iproute2) not installed")
        return 77
    if os.geteuid() != 0:
        print("SKIP: needs root to see every process's sockets")
        return 77
    procs = []
    try:
        server = spawn(HELPERS["tcp_server"])
        procs.append(server)
        server_port = int(server.stdout.readline())
        client = spawn(HELPERS["tcp_client"], server_port)
        procs.append(client)
        client_port = int(client.stdout.readline())
        assert server.stdout.readline().strip() == "accepted"
        dual = spawn(HELPERS["dual_stack_server"])
        procs.append(dual)
        dual_port, dual_client_port = map(int, dual.stdout.readline().split())
        udp = spawn(HELPERS["udp"])
        procs.append(udp)
        udp_port, udp_client_port = map(int, udp.stdout.readline().split())
        ports = [server_port, client_port, dual_port, dual_client_port, udp_port, udp_client_port]

        result = subprocess.run([dump, "--ports", ",".join(map(str, ports))], capture_output=True,
                                text=True, timeout=30)
        if result.returncode != 0:
            print("host_attribution_dump failed:", result.stderr)
            return 1
        tcp, udp_table = ss_table("-ta"), ss_table("-ua")

        lines = [l.split() for l in result.stdout.splitlines() if l.strip()]
        # Our sockets: listener, accepted + client; dual-stack listener,
        # accepted + client; two UDP sockets = 8.
        expected = {
            ("tcp", server_port, "listener"), ("tcp", server_port, "exact"), ("tcp", client_port, "exact"),
            ("tcp", dual_port, "listener"), ("tcp", dual_port, "exact"), ("tcp", dual_client_port, "exact"),
            ("udp", udp_port, "wildcard"), ("udp", udp_client_port, "exact"),
        }
        seen = set()
        failures = []
        for proto, local, remote, pid, name, match in lines:
            key = (normalize(local), normalize(remote))
            owners = (tcp if proto == "tcp" else udp_table).get(key)
            seen.add((proto, key[0][1], match))
            if owners is None:
                failures.append(f"{proto} {local} {remote}: not in ss output")
                continue
            pids = {p for _, p in owners}
            names = {n for n, _ in owners}
            ok_pid = pid != "-" and int(pid) in pids
            ok_name = any(name.startswith(n) or n.startswith(name[:15]) for n in names)
            status = "ok" if ok_pid and ok_name else "MISMATCH"
            print(f"{status}: {proto} {local} {remote}: sockeye pid={pid} name={name} ({match}); ss {owners}")
            if status != "ok":
                failures.append(f"{proto} {local} {remote}")
        missing = expected - seen
        if missing:
            failures.append(f"sockets missing from the dump: {sorted(missing)}")
        if failures:
            print("FAIL:", *failures, sep="\n  ")
            return 1
        print(f"PASS: {len(lines)} sockets, attribution agrees with ss")
        return 0
    finally:
        for p in procs:
            try:
                p.stdin.close()
            except OSError:
                pass
        deadline = time.time() + 5
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
