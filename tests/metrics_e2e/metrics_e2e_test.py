#!/usr/bin/env python3
"""--metrics end to end, checked by Prometheus' own tools.

Replay: the test writes a 7-second capture (TCP with HTTP, an open TCP
connection, DNS over UDP, ICMP echo, one truncated TCP packet), starts a real
`prometheus` on loopback scraping every second, then runs
  sockeye -r CAPTURE --headless --speed 1 --metrics 127.0.0.1:PORT
and checks:
  - /metrics answers while the file replays, and its counters only grow;
  - at the end, `promtool check metrics` accepts the exposition (no lint
    problems), the Content-Type is text/plain; version=0.0.4, and the values
    agree with tshark (packets, bytes) and with sockeye's own --json for the
    same file (flows, per-direction flow bytes, DPI classifications,
    anomalies, active flows by protocol and state);
  - Prometheus scraped it (up == 1), saw values from the middle of the replay
    (min_over_time below the final count) with no counter resets, and its
    latest values equal what sockeye served, series by series;
  - GET / is 404, POST /metrics is 405; a second sockeye on the same port
    exits 1 with a clear message, a malformed ADDR:PORT exits 2;
  - SIGTERM ends sockeye with exit 0 and a stderr total for the metrics export.
Countries: with a city database the test writes (tests/lib/mmdb_writer.py),
`--metrics-countries` adds sockeye_country_{bytes,packets}_total whose
values equal --json's flow bytes and packets summed by the remote's country
(or the range of an address never looked up); promtool accepts it; without
the flag no sockeye_country_ family is served.
Live: in a network namespace the test creates, sockeye captures on lo with
--metrics while curl scrapes it; the scrape traffic shows up as curl's
(rx: the expositions it received, larger than its requests, tx) and per
interface (lo), and promtool accepts it.

Skips (77) without root, ip, tshark, promtool, prometheus or curl. Every wait
is bounded; every process is killed and every temp dir and namespace removed."""
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import Checks  # noqa: E402
from crafted_pcap import ether, ipv4, tcp, udp, write_pcap  # noqa: E402
import mmdb_writer  # noqa: E402
from netns import Netns, in_ns, sh, stop, wait_for  # noqa: E402

SOCKEYE = sys.argv[1]
NS = f"sk-metrics-{os.getpid()}"
TOOLS = ("ip", "tshark", "promtool", "prometheus", "curl")
T0 = 1_700_000_000  # capture start (seconds)

check = Checks(echo=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- capture

def dns_message(ident, response):
    q = b"\x07example\x03org\x00" + struct.pack("!HH", 1, 1)
    if not response:
        return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + q
    answer = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + socket.inet_aton("93.184.216.34")
    return struct.pack("!HHHHHH", ident, 0x8180, 1, 1, 0, 0) + q + answer


SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
CLIENT = "10.1.0.2"


def build_capture(path):
    """(time offset, frame) pairs over ~7 s, written as pcap."""
    frames = []

    def at(t, src, dst, proto, payload):
        frames.append((t, ether(ipv4(src, dst, proto, payload))))

    web = "10.1.0.10"
    # An HTTP exchange that opens and closes.
    at(0.10, CLIENT, web, 6, tcp(40001, 80, 1000, 0, SYN))
    at(0.12, web, CLIENT, 6, tcp(80, 40001, 5000, 1001, SYN | ACK))
    at(0.14, CLIENT, web, 6, tcp(40001, 80, 1001, 5001, ACK))
    get = b"GET /index.html HTTP/1.1\r\nHost: metrics.test\r\nUser-Agent: t\r\n\r\n"
    at(0.30, CLIENT, web, 6, tcp(40001, 80, 1001, 5001, PSH | ACK, get))
    body = b"HTTP/1.1 200 OK\r\nContent-Length: 600\r\n\r\n" + b"x" * 600
    at(0.40, web, CLIENT, 6, tcp(80, 40001, 5001, 1001 + len(get), PSH | ACK, body))
    at(0.42, CLIENT, web, 6, tcp(40001, 80, 1001 + len(get), 5001 + len(body), ACK))
    at(0.60, CLIENT, web, 6, tcp(40001, 80, 1001 + len(get), 5001 + len(body), FIN | ACK))
    at(0.62, web, CLIENT, 6, tcp(80, 40001, 5001 + len(body), 1002 + len(get), FIN | ACK))
    at(0.64, CLIENT, web, 6, tcp(40001, 80, 1002 + len(get), 5002 + len(body), ACK))
    # DNS over UDP.
    at(0.80, CLIENT, "10.1.0.53", 17, udp(50000, 53, dns_message(0x1234, False)))
    at(0.82, "10.1.0.53", CLIENT, 17, udp(53, 50000, dns_message(0x1234, True)))
    # A long TCP connection that stays open: data every quarter second.
    bulk = "10.1.0.11"
    at(1.00, CLIENT, bulk, 6, tcp(40002, 8443, 100, 0, SYN))
    at(1.02, bulk, CLIENT, 6, tcp(8443, 40002, 900, 101, SYN | ACK))
    at(1.04, CLIENT, bulk, 6, tcp(40002, 8443, 101, 901, ACK))
    seq, rseq = 101, 901
    for i in range(24):
        t = 1.25 + i * 0.25
        chunk = bytes([i]) * (200 + 37 * i)
        at(t, CLIENT, bulk, 6, tcp(40002, 8443, seq, rseq, PSH | ACK, chunk))
        seq += len(chunk)
        at(t + 0.02, bulk, CLIENT, 6, tcp(8443, 40002, rseq, seq, ACK))
    # ICMP echo.
    echo = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1) + b"ping" * 8
    reply = struct.pack("!BBHHH", 0, 0, 0, 0x77, 1) + b"ping" * 8
    at(2.00, CLIENT, "10.1.0.1", 1, echo)
    at(2.01, "10.1.0.1", CLIENT, 1, reply)
    # A truncated TCP header: an anomaly.
    at(3.00, CLIENT, web, 6, tcp(40003, 80, 1, 0, SYN)[:10])

    frames.sort(key=lambda f: f[0])
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, frame in frames:
            usec = int(round(t * 1e6))
            out.write(struct.pack("<IIII", T0 + usec // 1_000_000, usec % 1_000_000, len(frame),
                                  len(frame)))
            out.write(frame)
    return len(frames)


# ---------------------------------------------------------------- helpers

def http(url, method="GET", timeout=5):
    """(status, content-type, body) for one request; status 0 when unreachable."""
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()
    except (urllib.error.URLError, OSError):
        return 0, "", ""


def parse_exposition(text):
    """{(name, frozenset(labels)): float} and {name: type}."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if not line or line.startswith("#"):
            continue
        series, value = line.rsplit(" ", 1)
        labels = {}
        if "{" in series:
            name, rest = series.split("{", 1)
            rest = rest[:-1]
            while rest:
                key, rest = rest.split('="', 1)
                i, val = 0, ""
                while rest[i] != '"':
                    if rest[i] == "\\":
                        val += {"n": "\n", "\\": "\\", '"': '"'}[rest[i + 1]]
                        i += 2
                    else:
                        val += rest[i]
                        i += 1
                labels[key] = val
                rest = rest[i + 1:].lstrip(",")
        else:
            name = series
        samples[(name, frozenset(labels.items()))] = float(value)
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def promtool_check(text, what):
    r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                       text=True, timeout=30)
    check(r.returncode == 0 and not r.stdout.strip() and not r.stderr.strip(),
          f"{what}: promtool check metrics: rc {r.returncode} {r.stdout!r} {r.stderr!r}")


class Prometheus:
    def __init__(self, tmp, target):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cfg = os.path.join(tmp, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: sockeye\n    static_configs:\n"
                    f"      - targets: ['{target}']\n")
        self.log = open(os.path.join(tmp, "prometheus.log"), "w")
        self.proc = subprocess.Popen(
            ["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={tmp}/tsdb",
             f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
            stdout=self.log, stderr=subprocess.STDOUT)

    def ready(self, seconds=30):
        return wait_for(lambda: http(self.url + "/-/ready")[0] == 200, seconds, 0.3)

    def query(self, expr):
        status, _, body = http(self.url + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
        if status != 200:
            return None
        data = json.loads(body)
        return data["data"]["result"] if data.get("status") == "success" else None

    def scalar(self, expr):
        r = self.query(expr)
        return float(r[0]["value"][1]) if r else None

    def close(self):
        stop(self.proc)
        self.log.close()


# ---------------------------------------------------------------- replay

def expected_from_tools(cap):
    lens = subprocess.run(["tshark", "-r", cap, "-T", "fields", "-e", "frame.len"],
                          capture_output=True, text=True, check=True, timeout=60).stdout.split()
    out = subprocess.run([SOCKEYE, "-r", cap, "--json"], capture_output=True, text=True,
                         timeout=60)
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    flows = [x for x in lines if x["type"] == "flow"]
    summary = next(x for x in lines if x["type"] == "summary")
    return len(lens), sum(int(n) for n in lens), flows, summary


def test_replay(tmp):
    cap = os.path.join(tmp, "replay.pcap")
    frames = build_capture(cap)
    packets, wire_bytes, flows, summary = expected_from_tools(cap)
    check(packets == frames, f"tshark reads {packets} of {frames} frames")
    check(summary["packets"] == packets, f"--json summary packets {summary['packets']} != {packets}")

    port = free_port()
    target = f"127.0.0.1:{port}"
    url = f"http://{target}/metrics"
    prom = Prometheus(tmp, target)
    procs = []
    try:
        if not check(prom.ready(), "prometheus did not become ready"):
            return
        err_path = os.path.join(tmp, "sockeye.stderr")
        with open(err_path, "w") as err:
            sk = subprocess.Popen([SOCKEYE, "-r", cap, "--headless", "--speed", "1", "--metrics",
                                   target], stdout=subprocess.DEVNULL, stderr=err)
        procs.append(sk)

        # While replaying: served, and every counter only grows.
        first = wait_for(lambda: http(url)[0] == 200, 10, 0.05)
        check(first, "/metrics did not answer while replaying")
        seen, during = {}, []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "serving its metrics" not in open(err_path).read():
            status, _, body = http(url)
            if status == 200:
                samples, types = parse_exposition(body)
                during.append(value(samples, "sockeye_packets_total"))
                for key, v in samples.items():
                    if types.get(key[0]) == "counter" and key in seen:
                        check(v >= seen[key], f"{key} went from {seen[key]} to {v}")
                    seen[key] = v
            time.sleep(0.3)
        stderr_text = open(err_path).read()
        check("serving its metrics on " + target in stderr_text,
              f"no end-of-file line on stderr: {stderr_text!r}")
        mid = [v for v in during if v is not None and 0 < v < packets]
        check(len(mid) >= 3, f"too few mid-replay values of sockeye_packets_total: {during}")
        check(during == sorted(during), f"packets went backwards: {during}")

        # The final exposition: valid, and equal to the other tools' counts.
        status, ctype, text = http(url)
        check(status == 200, f"final GET {status}")
        check(ctype == "text/plain; version=0.0.4; charset=utf-8", f"Content-Type {ctype!r}")
        promtool_check(text, "replay")
        samples, types = parse_exposition(text)
        check(all(n.startswith("sockeye_") for n, _ in samples), "a metric not named sockeye_*")
        check(value(samples, "sockeye_packets_total") == packets,
              f"packets_total {value(samples, 'sockeye_packets_total')} != tshark {packets}")
        check(value(samples, "sockeye_bytes_total") == wire_bytes,
              f"bytes_total {value(samples, 'sockeye_bytes_total')} != tshark {wire_bytes}")
        check(value(samples, "sockeye_flows_total") == summary["flows"],
              f"flows_total != --json {summary['flows']}")
        tx = sum(f["bytes_sent"] for f in flows)
        rx = sum(f["bytes_received"] for f in flows)
        check(value(samples, "sockeye_unattributed_bytes_total", direction="tx") == tx,
              f"unattributed tx bytes != --json {tx}")
        check(value(samples, "sockeye_unattributed_bytes_total", direction="rx") == rx,
              f"unattributed rx bytes != --json {rx}")
        check(tx > 0 and rx > 0, "no flow bytes at all")
        apps = Counter(f["dpi_protocol"] for f in flows if f.get("dpi_protocol"))
        check({"HTTP", "DNS"} <= set(apps), f"--json classified {dict(apps)}")
        for app, n in apps.items():
            check(value(samples, "sockeye_dpi_classified_flows_total", application=app) == n,
                  f"dpi {app}: {value(samples, 'sockeye_dpi_classified_flows_total', application=app)} != {n}")
        check(summary.get("anomalies"), "the truncated packet made no anomaly")
        for kind, n in (summary.get("anomalies") or {}).items():
            check(value(samples, "sockeye_anomalies_total", kind=kind) == n,
                  f"anomaly {kind} != {n}")
        active = Counter((f["protocol"], f["state"]) for f in flows if f["end_reason"] == "active")
        check(("TCP", "ESTABLISHED") in active, f"the open TCP connection is not active: {active}")
        for (proto, state), n in active.items():
            check(value(samples, "sockeye_active_flows", protocol=proto, state=state) == n,
                  f"active {proto}/{state} != {n}")
        served_active = sum(v for (n, _), v in samples.items() if n == "sockeye_active_flows")
        check(served_active == sum(active.values()), f"active flows {served_active} != {active}")
        check(value(samples, "sockeye_attribution_active") == 0, "files have no attribution")
        check(value(samples, "sockeye_snapshot_timestamp_seconds") >= T0 + 6,
              "snapshot timestamp is not the capture's end")

        # Wrong path, wrong method; the port is taken; a bad address.
        check(http(f"http://{target}/")[0] == 404, "GET / is not 404")
        check(http(url, method="POST")[0] == 405, "POST /metrics is not 405")
        twin = subprocess.run([SOCKEYE, "-r", cap, "--headless", "--metrics", target],
                              capture_output=True, text=True, timeout=30)
        check(twin.returncode == 1 and f"cannot listen on {target}" in twin.stderr,
              f"second sockeye on the port: rc {twin.returncode} {twin.stderr!r}")
        bad = subprocess.run([SOCKEYE, "-r", cap, "--metrics", "::1:9100"], capture_output=True,
                             text=True, timeout=30)
        check(bad.returncode == 2 and "brackets" in bad.stderr,
              f"bad --metrics: rc {bad.returncode} {bad.stderr!r}")

        # Prometheus: scraped it, saw it grow, and holds what sockeye served.
        check(wait_for(lambda: prom.scalar('up{job="sockeye"}') == 1, 15, 0.5),
              "prometheus: up != 1")
        check(wait_for(lambda: prom.scalar("sockeye_packets_total") == packets, 20, 0.5),
              f"prometheus never saw sockeye_packets_total == {packets}")
        low = prom.scalar("min_over_time(sockeye_packets_total[10m])")
        check(low is not None and low < packets,
              f"prometheus saw no mid-replay value (min {low}, final {packets})")
        # resets() drops the metric name, so one query per counter family.
        for name in sorted(n for n, kind in types.items() if kind == "counter"):
            resets = prom.query(f"resets({name}[10m]) > 0")
            check(resets == [], f"prometheus saw {name} reset: {resets}")

        def prom_matches():
            result = prom.query('{__name__=~"sockeye_.+"}')
            if not result:
                return None
            theirs = {}
            for r in result:
                labels = {k: v for k, v in r["metric"].items()
                          if k not in ("__name__", "job", "instance")}
                theirs[(r["metric"]["__name__"], frozenset(labels.items()))] = float(r["value"][1])
            return theirs if theirs == samples else None

        matched = wait_for(prom_matches, 15, 1)
        if not matched:
            result = prom.query('{__name__=~"sockeye_.+"}') or []
            print("prometheus has", len(result), "series; sockeye served", len(samples))
        check(matched, "prometheus' latest values differ from what sockeye served")
        scrapes = value(samples, "sockeye_export_records_total", export="metrics")
        check(scrapes is not None and scrapes >= 3, f"scrapes counted: {scrapes}")

        rc = stop(sk)
        stderr_text = open(err_path).read()
        check(rc == 0, f"sockeye exited {rc} on SIGTERM: {stderr_text!r}")
        check(f"metrics export to {target}:" in stderr_text, f"no metrics total: {stderr_text!r}")
    finally:
        for p in procs:
            stop(p, 5)
        prom.close()


# ---------------------------------------------------------------- live

def test_live(tmp):
    """sockeye -i lo in a namespace of our own; curl's scrapes are the traffic."""
    with Netns(NS) as ns:
        port = 19100  # the namespace is ours: any port is free
        url = f"http://127.0.0.1:{port}/metrics"
        err_path = os.path.join(tmp, "live.stderr")
        with open(err_path, "w") as err:
            sk = ns.spawn(NS, SOCKEYE, "-i", "lo", "--headless", "--no-resolve", "--metrics",
                          f"127.0.0.1:{port}", stderr=err)

        def scrape():
            r = sh(*in_ns(NS, "curl", "-s", "-m", "5", url), check=False, timeout=15)
            return r.stdout if r.returncode == 0 else None

        check(wait_for(scrape, 15, 0.2), f"live /metrics never answered: {open(err_path).read()!r}")

        # Scrape until the scrapes themselves show up as curl's traffic
        # (snapshots come once a second; attribution answers within
        # milliseconds). Both ends are local: each connection is one flow,
        # owned by curl, whose socket matches the 4-tuple exactly.
        def attributed():
            text = scrape()
            if not text:
                return None
            samples, _ = parse_exposition(text)
            rx = value(samples, "sockeye_process_bytes_total", process="curl", direction="rx")
            return (text, samples) if rx else None

        got = wait_for(attributed, 20, 0.5)
        check(got, "curl's scrape traffic never showed per process")
        if got:
            text, samples = got
            promtool_check(text, "live")
            rx = value(samples, "sockeye_process_bytes_total", process="curl", direction="rx")
            tx = value(samples, "sockeye_process_bytes_total", process="curl", direction="tx")
            # curl sends short GETs and receives the exposition: rx >> tx.
            check(tx and rx > 4 * tx, f"curl's directions look swapped: rx {rx} tx {tx}")
            check(value(samples, "sockeye_process_packets_total", process="curl",
                        direction="tx") > 0, "no curl packets")
            check(value(samples, "sockeye_attribution_active") == 1, "attribution not active live")
            check((value(samples, "sockeye_active_flows_by_attribution", status="attributed")
                   or 0) > 0, "no attributed active flows")
            check((value(samples, "sockeye_interface_packets_total", interface="lo",
                         direction="rx") or 0) > 0, "no lo interface counters")
            check(value(samples, "sockeye_processes") >= 1, "no processes counted")
        rc = stop(sk)
        check(rc == 0, f"live sockeye exited {rc}: {open(err_path).read()!r}")


# ---------------------------------------------------------------- countries

def country_label(flow):
    g = flow["remote_geo"]
    if g["scope"] != "public":
        return g["scope"]
    return g["country"] or "unknown"


def final_exposition(args, tmp, name):
    """The exposition a headless replay serves once the file is read."""
    port = free_port()
    target = f"127.0.0.1:{port}"
    err_path = os.path.join(tmp, name + ".stderr")
    with open(err_path, "w") as err:
        sk = subprocess.Popen([SOCKEYE] + args + ["--headless", "--speed", "max", "--metrics", target],
                              stdout=subprocess.DEVNULL, stderr=err)
    try:
        served = wait_for(lambda: "serving its metrics" in open(err_path).read(), 20, 0.1)
        if not check(served, f"{name}: no end-of-file line: {open(err_path).read()!r}"):
            return ""
        status, _, text = http(f"http://{target}/metrics")
        check(status == 200, f"{name}: GET {status}")
        return text
    finally:
        stop(sk)


def test_countries(tmp):
    cap = os.path.join(tmp, "countries.pcap")
    frames = []
    for i, remote in enumerate(("93.184.216.34", "1.1.1.1", "10.1.0.53", "192.0.2.7")):
        q = bytes([i]) * (40 + 10 * i)
        frames.append((i * 0.1, ether(ipv4(CLIENT, remote, 17, udp(41000 + i, 53, q)))))
        frames.append((i * 0.1 + 0.05, ether(ipv4(remote, CLIENT, 17, udp(53, 41000 + i, q * 3)))))
    write_pcap(cap, frames)
    city = os.path.join(tmp, "city.mmdb")
    mmdb_writer.write(city, "GeoLite2-City", {"country": {"iso_code": "NL"},
                                              "city": {"names": {"en": "Amsterdam"}}})
    geo = ["--geoip-dir", city]
    out = subprocess.run([SOCKEYE, "-r", cap, "--json"] + geo, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    flows = [json.loads(l) for l in out.splitlines() if '"type":"flow"' in l]
    want = {}
    for f in flows:
        for direction, b, p in (("tx", f["bytes_sent"], f["packets_sent"]),
                                ("rx", f["bytes_received"], f["packets_received"])):
            key = (country_label(f), direction)
            bb, pp = want.get(key, (0, 0))
            want[key] = (bb + b, pp + p)
    check({k[0] for k in want} == {"NL", "private", "documentation"},
          f"--json's remotes are not in the expected places: {sorted(want)}")

    text = final_exposition(["-r", cap, "--metrics-countries"] + geo, tmp, "countries")
    promtool_check(text, "countries")
    samples, types = parse_exposition(text)
    check(types.get("sockeye_country_bytes_total") == "counter", "no sockeye_country_bytes_total counter")
    got = {}
    for (name, labels), v in samples.items():
        if name in ("sockeye_country_bytes_total", "sockeye_country_packets_total"):
            d = dict(labels)
            bb, pp = got.get((d["country"], d["direction"]), (0, 0))
            got[(d["country"], d["direction"])] = (bb + int(v), pp) if "bytes" in name else (bb, pp + int(v))
    check(got == want, f"per-country totals {sorted(got.items())} != --json {sorted(want.items())}")

    text = final_exposition(["-r", cap] + geo, tmp, "no-countries")
    check("sockeye_unattributed_bytes_total" in text, "no exposition without --metrics-countries")
    check("sockeye_country_" not in text, "per-country totals without --metrics-countries")
    print(f"countries: {sorted(got.items())}")


def main():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if os.geteuid() != 0 or missing:
        print(f"SKIP: needs root and {', '.join(missing) or 'nothing else'}")
        return 77
    tmp = tempfile.mkdtemp(prefix="sockeye-metrics-")
    try:
        test_replay(tmp)
        test_countries(tmp)
        test_live(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
