#!/usr/bin/env python3
"""Sends DNS queries (UDP over IPv4 and IPv6, and one over TCP) to the test
responder and waits for each answer. usage: dns_client.py ADDR4 ADDR6"""
import socket
import struct
import sys


def query(qid, name, qtype):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return q + struct.pack(">HH", qtype, 1)


def udp(family, addr, qid, name, qtype):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(query(qid, name, qtype), (addr, 53))
    s.recvfrom(4096)
    s.close()


def tcp(addr, qid, name, qtype):
    s = socket.create_connection((addr, 53), timeout=2)
    q = query(qid, name, qtype)
    s.sendall(struct.pack(">H", len(q)) + q)
    s.recv(4096)
    s.close()


udp(socket.AF_INET, sys.argv[1], 0x1111, "www.sockeye.test", 1)
udp(socket.AF_INET6, sys.argv[2], 0x2222, "v6.sockeye.test", 28)
udp(socket.AF_INET, sys.argv[1], 0x3333, "missing.sockeye.test", 1)
tcp(sys.argv[1], 0x4444, "tcp.sockeye.test", 1)
