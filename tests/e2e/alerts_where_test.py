#!/usr/bin/env python3
"""[[alert]] rules and --where with live traffic, inside two network
namespaces joined by a veth pair.

sockeye runs --headless in A with a config of four rules (each limited to
curl or python3 by its filter), --json-log, --metrics on A's loopback, and
--where "process:curl" with --pcap-export; then in A:
  - curl fetches over TLS from B (openssl s_server): a new destination and a
    new JA4 for curl;
  - curl downloads a file from B at 3 MB/s for six seconds: a flow above
    the 1 MB/s rule;
  - a python3 program opens a TCP listening port: a port opening;
  - bash sends a UDP datagram (a flow --where leaves out).
Checked after SIGTERM:
  - the event log has an "alert" line for each rule, naming its condition,
    curl's pid (or python3's for the port) and what was found (the server
    name, a JA4 as tshark computes it, a rate above 1 MB/s, the port);
    the rules that matched nothing raised nothing;
  - /metrics (scraped before SIGTERM) counts each rule's alerts in
    sockeye_alerts_total{rule=...};
  - --where: the event log's connections, the metrics' per-process series
    and the pcap's packets are curl's
    only (the UDP datagram is in neither), and the pcap has curl's
    connections from their first packet (frames wait for their flow's
    owner): the TLS one packet for packet as tcpdump has it.

Traffic goes only between the namespaces (and on A's loopback); every wait
is bounded; the namespaces are deleted on exit."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import Checks  # noqa: E402
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

SOCKEYE = sys.argv[1]
TOOLS = ("ip", "tshark", "openssl", "curl")
METRICS = "127.0.0.1:9477"

CONFIG = """
[[alert]]
name = "curl-new-host"
filter = "process:curl"
condition = "new_destination"
cooldown = "0s"

[[alert]]
name = "curl-fingerprint"
filter = "process:curl"
condition = "new_ja4"

[[alert]]
name = "curl-fast"
filter = "process:curl"
rate_above = "1M"
cooldown = "1h"

[[alert]]
name = "python-listens"
filter = "process:python3"
condition = "listening"

[[alert]]
name = "nobody-fast"
filter = "process:nosuchprogram"
rate_above = "1k"
"""

LISTENER = """
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7777))
s.listen()
time.sleep(float(sys.argv[1]))
"""


def accepts(net, port):
    return sh(*in_ns(net.b, "bash", "-c", f"exec 3<>/dev/tcp/{net.B4}/{port}"),
              check=False).returncode == 0


def curl(net, *args):
    """Runs curl in A; returns its pid (ip netns exec execs curl in place)."""
    p = subprocess.Popen(in_ns(net.a, "curl", "-s", "-o", "/dev/null", "--max-time", "20", *args),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    p.wait(timeout=30)
    return p.pid


def scrape(net):
    r = sh(*in_ns(net.a, "curl", "-s", "--max-time", "5", f"http://{METRICS}/metrics"), check=False)
    return r.stdout


def alerts_total(text, rule):
    for line in text.splitlines():
        if line.startswith(f'sockeye_alerts_total{{rule="{rule}"}} '):
            return int(float(line.split()[-1]))
    return None


def main():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing or os.geteuid() != 0:
        print(f"SKIP: needs root and {', '.join(missing) or 'nothing else'}")
        return 77
    check = Checks(echo=True)
    workdir = tempfile.TemporaryDirectory(prefix="sockeye-alerts-", ignore_cleanup_errors=True)
    with workdir as tmp, NetnsPair("al", "sl", v4="10.213.19.0/24") as net:
        B4 = net.B4
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
           "-days", "2", "-subj", "/CN=tls.alerts.test")
        with open(os.path.join(tmp, "big.bin"), "wb") as f:
            f.write(os.urandom(18_000_000))
        net.spawn(net.b, "timeout", "120", "openssl", "s_server", "-accept", f"{B4}:8443", "-cert",
                  cert, "-key", key, "-www", "-quiet")
        net.spawn(net.b, "timeout", "120", sys.executable, "-m", "http.server", "--bind", B4, "8080",
                  "--directory", tmp)
        for port in (8443, 8080):
            if not wait_for(lambda: accepts(net, port), 10):
                raise RuntimeError(f"server on port {port} did not start")
        config = os.path.join(tmp, "config.toml")
        with open(config, "w") as f:
            f.write(CONFIG)
        listener = os.path.join(tmp, "listener.py")
        with open(listener, "w") as f:
            f.write(LISTENER)
        log, pcap, err_path = (os.path.join(tmp, n) for n in ("events.jsonl", "out.pcap", "err"))
        ref = os.path.join(tmp, "ref.pcap")
        tcpdump = net.start_tcpdump(net.a, "-i", net.if_a, "-U", "-w", ref)
        with open(err_path, "w") as err:
            p = net.spawn(net.a, SOCKEYE, "-i", net.if_a, "--headless", "--config", config,
                          "--json-log", log, "--metrics", METRICS, "--where", "process:curl",
                          "--pcap-export", pcap, stderr=err)
            # The capture open and the first listing of listening ports read
            # (the attributor refreshes every second).
            time.sleep(3)
            tls_pid = curl(net, "-k", "--resolve", f"tls.alerts.test:8443:{B4}",
                           "https://tls.alerts.test:8443/")
            # 3 MB/s for 6 s: past the rate window (5 s), the flow's rate is 3 MB/s.
            big_pid = curl(net, "--limit-rate", "3M", f"http://{B4}:8080/big.bin")
            py = net.spawn(net.a, sys.executable, listener, "6")
            sh(*in_ns(net.a, "bash", "-c", f"echo hello > /dev/udp/{B4}/9999"), check=False)

            def counted():
                text = scrape(net)
                return text if all(alerts_total(text, r) for r in
                                   ("curl-new-host", "curl-fingerprint", "curl-fast",
                                    "python-listens")) else None

            metrics = wait_for(counted, 15, step=0.5) or scrape(net)
            p.send_signal(signal.SIGTERM)
            rc = p.wait(timeout=30)
        py.wait(timeout=15)
        tcpdump.terminate()
        tcpdump.wait(timeout=10)
        err = open(err_path).read()
        check(rc == 0, f"sockeye exited {rc}: {err}")
        events = [json.loads(line) for line in open(log) if line.strip()]
        alerts = [e for e in events if e.get("event") == "alert"]
        by_rule = {}
        for a in alerts:
            by_rule.setdefault(a["rule"], []).append(a)
        print("alerts:", json.dumps(alerts, indent=None)[:3000])

        # Each rule, once at least, about the right program and thing.
        new_host = by_rule.get("curl-new-host", [])
        check(any(a["detail"] == "tls.alerts.test" and a["pid"] == tls_pid for a in new_host),
              f"no new_destination alert for tls.alerts.test from curl {tls_pid}: {new_host}")
        # The HTTP request's Host (its port left out) names the second one.
        check(any(a["detail"] == B4 and a["pid"] == big_pid for a in new_host),
              f"no new_destination alert for {B4} from curl {big_pid}: {new_host}")
        check(all(a["condition"] == "new_destination" and a["program"] == "curl" for a in new_host),
              f"new_destination alerts not all curl's: {new_host}")
        # tshark 4.0 has no JA4: the alert's must be the one the flow itself
        # carries (sockeye -r of tcpdump's capture; tls_handshake tests check
        # JA4 against its definition).
        ja4s = set()
        for line in sh(SOCKEYE, "-r", ref, "--json").stdout.splitlines():
            o = json.loads(line)
            if o.get("type") == "flow" and o.get("destination_port") == 8443 and o.get("dpi"):
                ja4s.add(o["dpi"].get("ja4"))
        fp = by_rule.get("curl-fingerprint", [])
        check(len(fp) == 1 and fp[0]["condition"] == "new_ja4" and fp[0]["pid"] == tls_pid,
              f"expected one new_ja4 alert from curl {tls_pid}: {fp}")
        check(bool(fp) and fp[0]["detail"] in ja4s, f"the alert's JA4 is not the flow's {ja4s}: {fp}")
        fast = by_rule.get("curl-fast", [])
        check(len(fast) == 1 and fast[0]["pid"] == big_pid and fast[0]["destination_port"] == 8080
              and fast[0]["rate_bytes_per_s"] > 1e6,
              f"expected one rate_above alert for curl {big_pid}'s download (cooldown 1h): {fast}")
        listens = by_rule.get("python-listens", [])
        check(len(listens) == 1 and listens[0]["source_port"] == 7777 and
              listens[0]["process_name"] in ("python3", "listener.py") and listens[0]["detail"] == "tcp/0.0.0.0:7777"
              and listens[0]["pid"] == py.pid,
              f"expected one listening alert for python3 {py.pid} on 7777: {listens}")
        check("nobody-fast" not in by_rule, f"a rule whose filter matches nothing fired: {by_rule}")
        # The metrics count them.
        for rule in ("curl-new-host", "curl-fingerprint", "curl-fast", "python-listens"):
            check(alerts_total(metrics, rule) == len(by_rule.get(rule, [])),
                  f"sockeye_alerts_total{{rule={rule}}} = {alerts_total(metrics, rule)}, "
                  f"the log has {len(by_rule.get(rule, []))}")
        check(alerts_total(metrics, "nobody-fast") == 0, "a rule that never fired is not at 0")

        # --where process:curl: the connections, the metrics' processes and
        # the packets are curl's only.
        processes = {line.split('process="')[1].split('"')[0] for line in metrics.splitlines()
                     if line.startswith("sockeye_process_bytes_total{")}
        check(processes == {"curl"}, f"--metrics with --where counts other processes: {processes}")
        conns = [e for e in events if e.get("event") in ("new_connection", "connection_closed")]
        check(bool(conns) and all(e["process_name"] == "curl" for e in conns),
              f"--json-log with --where holds other connections: {[e.get('process_name') for e in conns]}")
        ports = sh("tshark", "-r", pcap, "-T", "fields", "-e", "tcp.dstport", "-e", "udp.dstport",
                   "-e", "tcp.srcport").stdout.split()
        check(ports and "9999" not in ports, "the UDP datagram of bash is in the --where pcap")
        check({"8443", "8080"} <= set(ports), f"a curl conversation is missing from the pcap: {set(ports)}")
        # Frames wait for their flow's owner (half a second at most), so the
        # first packets of curl's connections are there too: the TLS one
        # whole, as tcpdump has it (the download's capture by tcpdump may
        # lose packets under load), and each one's SYN.
        def packets(path, display_filter):
            return sh("tshark", "-r", path, "-Y", display_filter, "-T", "fields", "-e",
                      "frame.len").stdout.split()
        ours, theirs = packets(pcap, "tcp.port == 8443"), packets(ref, "tcp.port == 8443")
        check(ours == theirs, f"the --where pcap has {len(ours)} packets of curl's TLS connection, "
                              f"tcpdump {len(theirs)}")
        for port in (8443, 8080):
            syn = packets(pcap, f"tcp.dstport == {port} && tcp.flags.syn == 1 && tcp.flags.ack == 0")
            check(len(syn) == 1, f"the --where pcap lacks the SYN of curl's connection to {port}")
        other = sh("tshark", "-r", pcap, "-Y", "!(tcp.port == 8443 || tcp.port == 8080)", "-T",
                   "fields", "-e", "frame.number").stdout.split()
        check(other == [], f"the --where pcap holds {len(other)} packets of other flows")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
