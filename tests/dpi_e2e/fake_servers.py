#!/usr/bin/env python3
"""Tiny servers for the DPI real-traffic test, run inside the server
namespace: a DNS responder (UDP and TCP, IPv4 and IPv6) and an SSH server
that sends its banner and a KEXINIT, then hangs up. Each serves a bounded
number of requests and exits after `lifetime` seconds at most.

usage: fake_servers.py dns|ssh ADDR4 ADDR6 PORT LIFETIME"""
import selectors
import socket
import struct
import sys
import time

ANSWERS = {  # qname -> list of (type, rdata)
    "www.sockeye.test": [(5, "edge.sockeye.test"), (1, "192.0.2.10")],
    "v6.sockeye.test": [(28, "2001:db8::10")],
    "tcp.sockeye.test": [(1, "192.0.2.11")],
}


def encode_name(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


def dns_answer(query):
    qid, _flags, qd = struct.unpack(">HHH", query[:6])
    pos, labels = 12, []
    while query[pos]:
        labels.append(query[pos + 1:pos + 1 + query[pos]].decode())
        pos += 1 + query[pos]
    qname = ".".join(labels)
    question = query[12:pos + 5]
    records = ANSWERS.get(qname, [])
    body = b""
    owner = b"\xc0\x0c"
    for rtype, value in records:
        if rtype == 1:
            rdata = socket.inet_pton(socket.AF_INET, value)
        elif rtype == 28:
            rdata = socket.inet_pton(socket.AF_INET6, value)
        else:
            rdata = encode_name(value)
        body += owner + struct.pack(">HHIH", rtype, 1, 60, len(rdata)) + rdata
        if rtype == 5:
            owner = encode_name(value)
    rcode = 0 if records else 3
    header = struct.pack(">HHHHHH", qid, 0x8180 | rcode, 1, len(records), 0, 0)
    return header + question + body


def name_list(s):
    return struct.pack(">I", len(s)) + s.encode()


def ssh_kexinit():
    payload = bytes([20]) + b"\x11" * 16
    for s in ("curve25519-sha256,diffie-hellman-group14-sha256", "ssh-ed25519",
              "aes128-ctr,aes256-ctr", "aes128-ctr,aes256-ctr", "hmac-sha2-256", "hmac-sha2-256",
              "none", "none", "", ""):
        payload += name_list(s)
    payload += b"\0" + b"\0\0\0\0"
    padding = 8 - ((len(payload) + 5) % 8)
    if padding < 4:
        padding += 8
    return struct.pack(">IB", len(payload) + padding + 1, padding) + payload + b"\0" * padding


def main():
    kind, addr4, addr6, port, lifetime = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    sel = selectors.DefaultSelector()
    for family, addr in ((socket.AF_INET, addr4), (socket.AF_INET6, addr6)):
        if kind == "dns":
            u = socket.socket(family, socket.SOCK_DGRAM)
            u.bind((addr, port))
            sel.register(u, selectors.EVENT_READ, "udp")
        t = socket.socket(family, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((addr, port))
        t.listen(8)
        sel.register(t, selectors.EVENT_READ, "listen")
    print("ready", flush=True)
    deadline = time.monotonic() + lifetime
    served = 0
    while time.monotonic() < deadline and served < 32:
        for key, _ in sel.select(timeout=0.2):
            sock = key.fileobj
            if key.data == "udp":
                data, peer = sock.recvfrom(4096)
                sock.sendto(dns_answer(data), peer)
                served += 1
            elif key.data == "listen":
                conn, _ = sock.accept()
                conn.settimeout(2)
                try:
                    if kind == "dns":
                        length = struct.unpack(">H", conn.recv(2))[0]
                        query = b""
                        while len(query) < length:
                            chunk = conn.recv(length - len(query))
                            if not chunk:
                                break
                            query += chunk
                        answer = dns_answer(query)
                        conn.sendall(struct.pack(">H", len(answer)) + answer)
                    else:
                        conn.sendall(b"SSH-2.0-SockeyeFake_1.0 e2e\r\n")
                        conn.recv(4096)  # client banner (and maybe its KEXINIT)
                        conn.sendall(ssh_kexinit())
                        time.sleep(0.3)
                        conn.recv(65536)
                except (OSError, struct.error):
                    pass
                conn.close()
                served += 1


if __name__ == "__main__":
    main()
