"""Logs the identifier of every ICMP and ICMPv6 echo request that reaches
this namespace -- the eBPF end-to-end test's oracle for which flows were
ping's (ping does not print its identifier). A raw socket gets a copy of
each request; the kernel still answers it. Usage: echo_logger.py IDS_FILE;
writes "4 <id>" or "6 <id>" lines."""
import select
import socket
import sys

ids_file = sys.argv[1]
v4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
v6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
with open(ids_file, "a", buffering=1) as log:
    while True:
        ready, _, _ = select.select([v4, v6], [], [])
        for s in ready:
            data = s.recv(65535)
            if s is v4:
                # An IPv4 raw socket sees the IP header first.
                if len(data) < 20:
                    continue
                data = data[(data[0] & 0x0F) * 4:]
                echo_request, family = 8, 4
            else:
                echo_request, family = 128, 6
            if len(data) >= 8 and data[0] == echo_request and data[1] == 0:
                log.write(f"{family} {int.from_bytes(data[4:6], 'big')}\n")
