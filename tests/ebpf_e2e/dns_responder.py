"""A minimal DNS responder for the eBPF end-to-end test: answers every
query on ADDR:53 (UDP) with NXDOMAIN, and appends the client's source port
to PORTS_FILE -- the test's oracle for which flows were dig's."""
import socket
import sys

addr, ports_file = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, 53))
with open(ports_file, "a", buffering=1) as log:
    while True:
        query, peer = s.recvfrom(4096)
        if len(query) < 12:
            continue
        # Same id and question; QR=1, RD copied, RA=1, RCODE=3; no records.
        flags = 0x8000 | (query[2] << 8 & 0x0100) | 0x0080 | 3
        reply = query[:2] + flags.to_bytes(2, "big") + query[4:6] + b"\0\0\0\0\0\0" + query[12:]
        s.sendto(reply, peer)
        log.write(f"{peer[1]}\n")
