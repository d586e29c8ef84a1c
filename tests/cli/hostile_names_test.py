#!/usr/bin/env python3
"""Names off the wire never drive the terminal.

The test writes a capture whose HTTP Host, TLS SNI and DNS query name hold
terminal escape sequences (ESC ] 0 ; title BEL, ESC [ 2 J, ESC [ 5 m) and
checks, with tshark as the oracle that the capture really carries them:
  - `sockeye -r CAPTURE --summary` prints the three flows with their names
    and not one control byte (C0 other than the line feed, DEL, C1 in UTF-8
    or raw) nor malformed UTF-8, also when the file name itself holds them;
  - `--json` escapes them and keeps their value;
  - an error message quoting a file name with control bytes shows them as
    \\xNN on one stderr line.
Usage: hostile_names_test.py SOCKEYE"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import Checks  # noqa: E402
from crafted_pcap import (ACK, PSH, UDP, TcpConnection, dns_query, ether, ipv4,  # noqa: E402
                          tls_client_hello, udp, write_pcap)

SOCKEYE = sys.argv[1]
HOST = b"evil\x1b]0;PWNED\x07\x1b[5mhost.test"
SNI = b"\x1b[2J\x1b]0;TLSPWN\x07bad.test"
DNS = b"dns\x1b]0;DNSPWN\x07.\x1b[2Jx\xc2\x9b2J.test"
check = Checks(echo=True)


def build_capture(path):
    frames = []
    web = TcpConnection(frames, "10.9.0.2", 40001, "10.9.0.80", 80, 0.0)
    web.handshake()
    web.send(True, PSH | ACK, b"GET / HTTP/1.1\r\nHost: " + HOST + b"\r\n\r\n")
    web.send(False, ACK)
    tls = TcpConnection(frames, "10.9.0.2", 40002, "10.9.0.43", 443, 0.1)
    tls.handshake()
    tls.send(True, PSH | ACK, tls_client_hello(SNI))
    tls.send(False, ACK)
    frames.append((0.2, ether(ipv4("10.9.0.2", "10.9.0.53", UDP, udp(40003, 53, dns_query(7, DNS))))))
    write_pcap(path, frames)


def control_free(data, what, layout=b"\n"):
    """No control code point but `layout`, and valid UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return check(False, f"{what}: not valid UTF-8 ({e})")
    bad = sorted({hex(ord(c)) for c in text
                  if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c.encode() not in layout})
    return check(not bad, f"{what}: control characters {bad} reach the output")


def run(*args):
    return subprocess.run([SOCKEYE, *args], capture_output=True, timeout=60, stdin=subprocess.DEVNULL)


def main():
    tmp = tempfile.mkdtemp()
    try:
        capture = os.path.join(tmp, "evil.pcap")
        build_capture(capture)

        if shutil.which("tshark"):
            out = subprocess.run(["tshark", "-r", capture, "-T", "json", "-e", "http.host",
                                  "-e", "tls.handshake.extensions_server_name"],
                                 capture_output=True, text=True, timeout=60).stdout
            values = [v for p in json.loads(out) for vs in p["_source"]["layers"].values() for v in vs]
            check(any("\x1b]0;PWNED\x07" in v for v in values), "tshark sees ESC and BEL in the HTTP Host")
            check(any("\x1b[2J" in v for v in values), "tshark sees ESC in the TLS SNI")

        r = run("-r", capture, "--summary")
        check(r.returncode == 0, f"--summary exit {r.returncode}: {r.stderr!r}")
        control_free(r.stdout, "--summary")
        lines = r.stdout.decode("utf-8", "replace").splitlines()
        for proto, marker in (("HTTP", "PWNED"), ("TLS", "TLSPWN"), ("DNS", "DNSPWN")):
            check(any(f"{proto} " in line and marker in line for line in lines),
                  f"--summary shows the {proto} name (defused): {lines}")

        # The file name is in the summary's first line.
        odd = os.path.join(tmp, "cap\x1b]0;FILEPWN\x07\x1b[2J.pcap")
        shutil.copy(capture, odd)
        r = run("-r", odd, "--summary")
        check(r.returncode == 0 and b"FILEPWN" in r.stdout, "--summary of a file with controls in its name")
        control_free(r.stdout, "--summary header with a hostile file name")

        r = run("-r", capture, "--json")
        check(r.returncode == 0, f"--json exit {r.returncode}")
        control_free(r.stdout, "--json")
        domains = {json.loads(line).get("dpi_domain") for line in r.stdout.decode().splitlines()}
        for name in (HOST, SNI, DNS):
            check(name.decode("utf-8") in domains, f"--json keeps {name!r} as its value: {domains}")

        # A raw 0x9B byte (8-bit CSI) in the name, not valid UTF-8.
        r = run("-r", os.path.join(os.fsencode(tmp), b"no\x1b]0;ERRPWN\x07such\x9b2J.pcap"), "--summary")
        check(r.returncode == 1, f"missing file exit {r.returncode}")
        control_free(r.stderr, "stderr")
        check(r.stderr.count(b"\n") == 1 and b"\\x1b]0;ERRPWN\\x07such\\x9b2J" in r.stderr,
              f"stderr quotes the name's bytes as \\xNN: {r.stderr!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
