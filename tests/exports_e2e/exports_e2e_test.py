#!/usr/bin/env python3
"""Exports end to end, inside two network namespaces joined by a veth pair.

sockeye runs --headless on one end with --pcapng-export, --pcap-export and
--json-log while curl talks HTTP and TLS to servers in the other namespace
and tcpdump captures the same interface as the oracle. After SIGTERM:
  - the pcapng and the pcap open in capinfos/tshark and hold, conversation
    by conversation, the same packets and bytes as tcpdump's capture;
  - every packet of a curl connection carries the comment
    "process=curl pid=<curl's pid> dir=out|in" (dir matching the packet's
    direction), plus "app=TLS sni=<name>" or "app=HTTP host=<name>" once DPI
    has seen the ClientHello / request;
  - the JSON event log has new_connection and connection_closed for every
    curl connection with pid, process_name, service_name, dpi_protocol and
    dpi_domain, and closed events whose bytes and packets equal tshark's;
  - the pcap sidecar lists the closed connections and, flushed at SIGTERM,
    the UDP flow that was still open.
A second run exports pcapng to /dev/full: the error is reported once on
stderr, the export stops, and the monitor keeps running (its event log
still gets the events) and exits 3, the status for lost export records.

Traffic goes only between the namespaces; every wait is bounded; the
namespaces are deleted on exit."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import Checks  # noqa: E402
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

SOCKEYE = sys.argv[1]
TOOLS = ("ip", "tcpdump", "tshark", "capinfos", "openssl", "curl")
# TCP flows end 10 s after their FIN (the table's closing timeout); the run
# lasts past that so the closed events and sidecar lines are written.
CLOSE_WAIT_S = 12


def accepts(net, port):
    """A TCP connection from inside B to B's address and port succeeds."""
    return sh(*in_ns(net.b, "bash", "-c", f"exec 3<>/dev/tcp/{net.B4}/{port}"),
              check=False).returncode == 0


def start_servers(tmp, net):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
       "-days", "2", "-subj", "/CN=tls.exports.test")
    net.spawn(net.b, "timeout", "90", "openssl", "s_server", "-accept", f"{net.B4}:8443", "-cert",
              cert, "-key", key, "-www", "-quiet")
    net.spawn(net.b, "timeout", "90", sys.executable, "-m", "http.server", "--bind", net.B4, "8080",
              "--directory", tmp)
    for port in (8443, 8080):
        if not wait_for(lambda: accepts(net, port), 10):
            raise RuntimeError(f"server on port {port} did not start")


def curl(net, *args):
    """Runs curl in A; returns its pid (ip netns exec execs curl in place)."""
    p = subprocess.Popen(in_ns(net.a, "curl", "-s", "-o", "/dev/null", "--max-time", "5", *args),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    p.wait(timeout=15)
    return p.pid


def tshark_fields(path, *fields, display_filter=None):
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"]
    if display_filter:
        cmd += ["-Y", display_filter]
    for f in fields:
        cmd += ["-e", f]
    return [line.split("|") for line in sh(*cmd).stdout.splitlines()]


def conversations(path, a4):
    """(proto, client port, server port) -> [packets A->B, bytes A->B, packets B->A, bytes B->A];
    a4 is A's address."""
    conv = defaultdict(lambda: [0, 0, 0, 0])
    for src, sport, dport, usport, udport, length in tshark_fields(
            path, "ip.src", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "frame.len",
            # ICMP errors quote a UDP header whose ports are no conversation.
            display_filter="not icmp"):
        if not src:
            continue
        proto, s, d = ("TCP", sport, dport) if sport else ("UDP", usport, udport)
        if not s:
            continue
        out = src == a4
        key = (proto, int(s), int(d)) if out else (proto, int(d), int(s))
        i = 0 if out else 2
        conv[key][i] += 1
        conv[key][i + 1] += int(length)
    return dict(conv)


def packet_count(path):
    out = sh("capinfos", "-M", "-c", path).stdout
    for line in out.splitlines():
        if "Number of packets" in line:
            return int(line.split(":")[1].strip())
    raise RuntimeError(f"capinfos: no packet count in {out!r}")


def run_sockeye(net, tmp, name, extra, traffic, wait_after, done=None):
    """Starts sockeye --headless in A, runs traffic(), waits wait_after
    seconds (and then, if given, until done() holds, at most 30 s more),
    SIGTERMs it."""
    err_path = os.path.join(tmp, f"{name}.err")
    with open(err_path, "w") as err:
        p = net.spawn(net.a, SOCKEYE, "-i", net.if_a, "--headless", *extra, stderr=err)
        time.sleep(1.5)  # capture open
        result = traffic()
        time.sleep(wait_after)
        deadline = time.monotonic() + 30
        while done is not None and not done() and time.monotonic() < deadline:
            time.sleep(0.2)
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=30)
    return rc, open(err_path).read(), result


def main():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing or os.geteuid() != 0:
        print(f"SKIP: needs root and {', '.join(missing) or 'nothing else'}")
        return 77
    check = Checks()
    workdir = tempfile.TemporaryDirectory(prefix="sockeye-exports-", ignore_cleanup_errors=True)
    with workdir as tmp, NetnsPair("ex", "sx", v4="10.213.9.0/24") as net:
        A4, B4 = net.A4, net.B4
        start_servers(tmp, net)
        ref = os.path.join(tmp, "ref.pcap")
        tcpdump = net.start_tcpdump(net.a, "-i", net.if_a, "-U", "-w", ref)

        ng, pc, log = (os.path.join(tmp, n) for n in ("out.pcapng", "out.pcap", "events.jsonl"))

        def traffic():
            pids = {}
            pids["tls"] = curl(net, "-k", "--resolve", f"tls.exports.test:8443:{B4}",
                               "https://tls.exports.test:8443/")
            pids["http"] = curl(net, "--resolve", f"web.exports.test:8080:{B4}",
                                "http://web.exports.test:8080/")
            # A UDP flow still open at SIGTERM (UDP flows idle out after 60 s).
            sh(*in_ns(net.a, "bash", "-c", f"echo hello > /dev/udp/{B4}/9999"), check=False)
            return pids

        def both_closed():
            # The event log is written as it goes: on a busy machine the
            # closing timeout's expiry may land a little after CLOSE_WAIT_S.
            try:
                with open(log) as f:
                    closed = [json.loads(line) for line in f if '"connection_closed"' in line]
            except (OSError, ValueError):
                return False
            return {e.get("destination_port") for e in closed} >= {8443, 8080}

        rc, err, pids = run_sockeye(net, tmp, "main", ["--pcapng-export", ng, "--pcap-export",
                                                       pc, "--json-log", log], traffic,
                                    CLOSE_WAIT_S, both_closed)
        time.sleep(0.3)
        tcpdump.terminate()
        tcpdump.wait(timeout=10)
        check(rc == 0, f"sockeye exited {rc}: {err}")
        check("pcapng export to" in err and "0 dropped" in err, f"no export totals on stderr: {err}")

        # Captures: both open, and hold tcpdump's conversations exactly.
        theirs = conversations(ref, A4)
        check(bool(theirs), "the oracle capture has no conversations")
        for path in (ng, pc):
            check(packet_count(path) > 0, f"{path}: capinfos sees no packets")
            ours = conversations(path, A4)
            for key in sorted(set(ours) | set(theirs)):
                check(ours.get(key) == theirs.get(key),
                      f"{os.path.basename(path)} {key}: {ours.get(key)} tcpdump {theirs.get(key)}")
        check(packet_count(ng) == packet_count(pc), "pcapng and pcap packet counts differ")

        # Per-packet comments on the curl connections.
        servers = {8443: ("tls", "app=TLS sni=tls.exports.test"),
                   8080: ("http", "app=HTTP host=web.exports.test:8080")}
        seen_app = defaultdict(int)
        rows = tshark_fields(ng, "ip.src", "tcp.srcport", "tcp.dstport", "frame.comment",
                             display_filter="tcp.port == 8443 || tcp.port == 8080")
        check(len(rows) >= 10, f"only {len(rows)} curl packets in the pcapng")
        for src, sport, dport, comment in rows:
            server = int(dport) if src == A4 else int(sport)
            kind, app = servers[server]
            want = f"process=curl pid={pids[kind]} dir={'out' if src == A4 else 'in'}"
            check(comment.startswith(want), f"{kind} packet {src}:{sport}->{dport}: comment "
                                            f"{comment!r}, expected it to start with {want!r}")
            if app in comment:
                check(comment == f"{want} {app}", f"unexpected comment {comment!r}")
                seen_app[kind] += 1
        for kind in ("tls", "http"):
            check(seen_app[kind] >= 3, f"{kind}: only {seen_app[kind]} packets name the application")

        # The event log: one open and one close per curl connection.
        events = [json.loads(line) for line in open(log)]
        by_port = defaultdict(list)
        for e in events:
            check(e["event"] in ("new_connection", "connection_closed"), f"bad event {e}")
            by_port[(e["protocol"], e["source_port"], e["destination_port"])].append(e)
        for key, (pkts_out, bytes_out, pkts_in, bytes_in) in theirs.items():
            proto, client, server = key
            evs = by_port.get((proto, client, server), [])
            names = [e["event"] for e in evs]
            if proto == "UDP":
                check(names == ["new_connection"], f"UDP flow {key}: events {names}")
                continue
            if not check(names == ["new_connection", "connection_closed"], f"{key}: events {names}"):
                continue
            kind = servers[server][0]
            for e in evs:
                check(e["pid"] == pids[kind] and e["process_name"] == "curl",
                      f"{key}: process {e['pid']} {e['process_name']}, curl was {pids[kind]}")
                check(e["source_ip"] == A4 and e["destination_ip"] == B4, f"{key}: orientation {e}")
            closed = evs[1]
            check((closed["packets_sent"], closed["bytes_sent"], closed["packets_received"],
                   closed["bytes_received"]) == (pkts_out, bytes_out, pkts_in, bytes_in),
                  f"{key}: closed event counts {closed} vs tshark {theirs[key]}")
            check(closed["duration_secs"] >= 0, f"{key}: duration {closed['duration_secs']}")
            check(closed["dpi_protocol"] == ("TLS" if kind == "tls" else "HTTP"),
                  f"{key}: dpi_protocol {closed['dpi_protocol']}")
            check(closed["dpi_domain"] == ("tls.exports.test" if kind == "tls" else "web.exports.test:8080"),
                  f"{key}: dpi_domain {closed['dpi_domain']}")
            check(closed["service_name"] is not None, f"{key}: no service_name")

        # The sidecar: closed curl connections, and the UDP flow open at exit.
        side = [json.loads(line) for line in open(pc + ".connections.jsonl")]
        side_keys = {(f["protocol"], f["source_port"], f["destination_port"]): f for f in side}
        for key in theirs:
            f = side_keys.get(key)
            if not check(f is not None, f"sidecar lacks {key}"):
                continue
            want_active = key[0] == "UDP"
            check((f["end_reason"] == "active") == want_active,
                  f"sidecar {key}: end_reason {f['end_reason']}")
            check(f.get("process_name") == ("curl" if key[0] == "TCP" else f.get("process_name")),
                  f"sidecar {key}: process {f.get('process_name')}")

        # A full disk: pcapng to /dev/full. Reported once, monitoring goes on.
        log2 = os.path.join(tmp, "events2.jsonl")
        rc, err, pids2 = run_sockeye(
            net, tmp, "full", ["--pcapng-export", "/dev/full", "--json-log", log2, "-d", "20"],
            lambda: {"http": curl(net, f"http://{B4}:8080/")}, 2)
        check(rc == 3, f"/dev/full run exited {rc} (want 3, records lost): {err}")
        check(err.count("pcapng export stopped") == 1 and "No space left on device" in err,
              f"/dev/full: error not reported exactly once: {err!r}")
        events2 = [json.loads(line) for line in open(log2)]
        check(any(e["event"] == "new_connection" and e["destination_port"] == 8080 and
                  e["pid"] == pids2["http"] for e in events2),
              f"/dev/full: the event log missed the curl connection: {events2}")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
