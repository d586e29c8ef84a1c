#!/usr/bin/env python3
"""A download whose capture starts after the handshake is still a download.

In a pair of network namespaces the test records a real 8 MiB download over
TCP (client in A on an ephemeral port, server in B on port 80) with tcpdump,
then cuts the capture so it starts at the server's first data segment: no
SYN, no SYN/ACK, the server speaks first. `sockeye -r CUT --json` must still
make the client the source (the port rule of src/flow/port_roles.hpp), with
bytes_received (server -> client) and bytes_sent (client -> server) equal to
what tshark sums per direction over the same file, and received much larger
than sent.

Skips (77) without root, ip, tcpdump or tshark. Every wait is bounded; the
namespaces are removed whatever happens.
Usage: mid_connection_test.py SOCKEYE"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import Checks  # noqa: E402
from netns import NetnsPair, in_ns, sh, stop, wait_for  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
SIZE = 8 * 1024 * 1024
PORT = 80
check = Checks(echo=True)

SERVER = f"""
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", {PORT}))
s.listen(1)
s.settimeout(30)
c, _ = s.accept()
c.recv(100)
block = b"x" * 65536
for _ in range({SIZE} // 65536):
    c.sendall(block)
c.close()
"""

CLIENT = """
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
c.sendall(b"GET /big\\r\\n")
got = 0
while True:
    data = c.recv(1 << 16)
    if not data:
        break
    got += len(data)
print(got, c.getsockname()[1])
"""


def tshark_byte_sums(capture, port):
    """(bytes from the server, bytes to the server), frame lengths summed by tshark."""
    out = sh("tshark", "-r", capture, "-q", "-z",
             f"io,stat,0,SUM(frame.len)frame.len && tcp.srcport=={port},"
             f"SUM(frame.len)frame.len && tcp.dstport=={port}").stdout
    row = [line for line in out.splitlines() if "<>" in line][-1]
    cells = [c.strip() for c in row.strip("|").split("|")]
    return int(cells[1]), int(cells[2])


def main():
    if os.geteuid() != 0 or not all(shutil.which(t) for t in ("ip", "tcpdump", "tshark", "editcap")):
        print("skipped: needs root, ip, tcpdump, tshark and editcap")
        return 77
    tmp = tempfile.mkdtemp()
    try:
        full, cut = os.path.join(tmp, "full.pcap"), os.path.join(tmp, "cut.pcap")
        with NetnsPair("midconn", "mc", v4="10.213.9.0/24", offloads=False) as net:
            tcpdump = net.start_tcpdump(net.a, "-i", net.if_a, "-U", "-s", "128", "-w", full, "tcp")
            server = net.spawn(net.b, sys.executable, "-c", SERVER)
            listening = wait_for(lambda: f":{PORT} " in sh(*in_ns(net.b, "ss", "-ltn")).stdout, 10)
            check(bool(listening), "server listens")
            client = sh(*in_ns(net.a, sys.executable, "-c", CLIENT, net.B4, str(PORT)), timeout=60)
            got, client_port = map(int, client.stdout.split())
            check(got == SIZE, f"client received {got} bytes")
            server.wait(timeout=30)
            wait_for(lambda: False, 0.5)  # tcpdump writes the last segments (-U)
            stop(tcpdump)

        # The cut capture starts at the server's first data segment.
        first = sh("tshark", "-r", full, "-Y", f"tcp.srcport=={PORT} && tcp.len>0", "-T", "fields",
                   "-e", "frame.number").stdout.split()[:1]
        check(bool(first), "the full capture has the server's data")
        sh("editcap", full, cut, f"1-{int(first[0]) - 1}")  # deletes the frames before it
        syns = sh("tshark", "-r", cut, "-Y", "tcp.flags.syn==1").stdout.strip()
        check(syns == "", f"the cut capture has no SYN: {syns}")
        opener = sh("tshark", "-r", cut, "-T", "fields", "-e", "tcp.srcport", "-c", "1").stdout.strip()
        check(opener == str(PORT), f"the cut capture starts with the server ({opener})")
        from_server, to_server = tshark_byte_sums(cut, PORT)

        for name, capture in (("cut", cut), ("full", full)):
            r = subprocess.run([SOCKEYE, "-r", capture, "--json"], capture_output=True, text=True,
                               timeout=120)
            check(r.returncode == 0, f"{name}: sockeye exit {r.returncode}: {r.stderr}")
            flows = [f for f in map(json.loads, r.stdout.splitlines()) if f.get("type") == "flow"]
            check(len(flows) == 1, f"{name}: one flow ({len(flows)})")
            if not flows:
                continue
            f = flows[0]
            check((f["source_ip"], f["source_port"]) == (net.A4, client_port),
                  f"{name}: source is the client {net.A4}:{client_port}, "
                  f"not {f['source_ip']}:{f['source_port']}")
            check((f["destination_ip"], f["destination_port"]) == (net.B4, PORT),
                  f"{name}: destination is the server")
            check(f["bytes_received"] > 10 * f["bytes_sent"],
                  f"{name}: a download: received {f['bytes_received']} >> sent {f['bytes_sent']}")
            if name == "cut":
                check((f["bytes_received"], f["bytes_sent"]) == (from_server, to_server),
                      f"cut: bytes received/sent {f['bytes_received']}/{f['bytes_sent']}, "
                      f"tshark {from_server}/{to_server}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
