"""Hand-built Ethernet/IPv4 frames and classic pcap files, for tests that need
exact bytes on the wire (hostile names, odd port pairs) rather than a
scenario of the traffic generator.

    frames = [(0.0, ether(ipv4("10.0.0.1", "10.0.0.2", UDP, udp(5353, 53, dns_query(7, b"x.test")))))]
    write_pcap(path, frames)
"""
import socket
import struct

TCP, UDP = 6, 17
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
T0 = 1_700_000_000  # capture start (seconds)


def _checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src, dst, proto, payload):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    header = header[:10] + struct.pack("!H", _checksum(header)) + header[12:]
    return header + payload


def ether(ip_packet):
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip_packet


def tcp(sport, dport, seq, ack, flags, data=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def dns_name(name):
    """`name` (bytes, labels split on '.') in wire form; labels may hold any byte."""
    out = b""
    for label in name.split(b"."):
        out += bytes([len(label)]) + label
    return out + b"\0"


def dns_query(ident, name, qtype=1):
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + dns_name(name) + struct.pack("!HH", qtype, 1)


def tls_client_hello(sni):
    """A TLS 1.2 ClientHello record with one cipher suite and a server_name extension."""
    server_name = struct.pack("!BH", 0, len(sni)) + sni
    sni_ext = struct.pack("!HHH", 0, len(server_name) + 2, len(server_name)) + server_name
    body = (b"\x03\x03" + bytes(range(32)) + b"\x00" + struct.pack("!H", 2) + b"\x13\x01" + b"\x01\x00" +
            struct.pack("!H", len(sni_ext)) + sni_ext)
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


class TcpConnection:
    """Frames of one TCP connection with consistent sequence numbers."""

    def __init__(self, frames, client, cport, server, sport, t):
        self.frames, self.t = frames, t
        self.ends = {True: (client, cport), False: (server, sport)}
        self.next = {True: 1000, False: 5000}

    def send(self, from_client, flags, data=b"", step=0.001):
        (src, sp), (dst, dp) = self.ends[from_client], self.ends[not from_client]
        ack = self.next[not from_client] if flags & ACK else 0
        self.frames.append((self.t, ether(ipv4(src, dst, TCP, tcp(sp, dp, self.next[from_client], ack,
                                                                  flags, data)))))
        self.next[from_client] += len(data) + (1 if flags & (SYN | FIN) else 0)
        self.t += step

    def handshake(self):
        self.send(True, SYN)
        self.send(False, SYN | ACK)
        self.send(True, ACK)


def write_pcap(path, frames):
    """(seconds after T0, frame bytes) pairs, in time order, as an Ethernet pcap."""
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, frame in sorted(frames, key=lambda f: f[0]):
            usec = int(round(t * 1e6))
            out.write(struct.pack("<IIII", T0 + usec // 1_000_000, usec % 1_000_000, len(frame), len(frame)))
            out.write(frame)
