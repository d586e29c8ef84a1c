#!/usr/bin/env python3
"""The terminal UI end to end, in tmux, on a network the test builds.

Two network namespaces joined by a veth pair. Namespace B runs an HTTPS server
(openssl s_server), an HTTP server (python http.server) and a DNS server
(dnsmasq). Namespace A runs sockeye's UI on its veth inside a tmux pane, and
curl clients plus a dig query. The pane must show the client's process name
(attributed through sock_diag + /proc), the TLS SNI and the HTTP host; the
filter `/process:curl` must narrow the table to curl's flows; `q` must quit
and leave the terminal as it was (no alternate screen, cooked mode, cursor).

Traffic stays between the namespaces; every loop is bounded in count and
time; namespaces, servers and the tmux server are removed on exit."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

SOCKEYE = os.path.abspath(sys.argv[1])
TAG = str(os.getpid())
NS_A, NS_B = f"sk-tui-a-{TAG}", f"sk-tui-b-{TAG}"
IF_A, IF_B = f"sta{TAG}"[:15], f"stb{TAG}"[:15]
A4, B4 = "10.213.9.1", "10.213.9.2"
TMUX_SOCKET = f"sockeye-tui-{TAG}"
SNI, HTTP_HOST, DNS_NAME = "tui-tls.example", "tui-web.example", "tui-dns.example"
DNS_ANSWER = "10.213.9.99"
WIDTH, HEIGHT = 200, 50


def sh(*cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def in_ns(ns, *cmd):
    return ["ip", "netns", "exec", ns, *cmd]


def tmux(*args, check=True):
    return sh("tmux", "-L", TMUX_SOCKET, *args, check=check)


def pane():
    return tmux("capture-pane", "-p", "-t", "ui").stdout


def wait_for(predicate, seconds, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class Network:
    def __init__(self, workdir):
        self.workdir = workdir
        self.procs = []

    def __enter__(self):
        sh("ip", "netns", "add", NS_A)
        sh("ip", "netns", "add", NS_B)
        sh("ip", "link", "add", IF_A, "netns", NS_A, "type", "veth", "peer", "name", IF_B,
           "netns", NS_B)
        for ns, ifname, v4 in ((NS_A, IF_A, A4), (NS_B, IF_B, B4)):
            sh(*in_ns(ns, "ip", "link", "set", "lo", "up"))
            sh(*in_ns(ns, "ip", "addr", "add", f"{v4}/24", "dev", ifname))
            sh(*in_ns(ns, "ip", "link", "set", ifname, "up"))
        return self

    def serve(self, *cmd):
        p = subprocess.Popen(in_ns(NS_B, *cmd), cwd=self.workdir, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def __exit__(self, *exc):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
        tmux("kill-server", check=False)
        for ns in (NS_A, NS_B):
            sh("ip", "netns", "del", ns, check=False)


def start_servers(net, workdir):
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
       f"/CN={SNI}", "-keyout", f"{workdir}/key.pem", "-out", f"{workdir}/cert.pem")
    # Big enough that a rate-limited download keeps each connection open for
    # several refreshes of the UI.
    with open(f"{workdir}/big.bin", "wb") as f:
        f.write(os.urandom(400_000))
    net.serve("openssl", "s_server", "-quiet", "-WWW", "-accept", "4433", "-cert",
              f"{workdir}/cert.pem", "-key", f"{workdir}/key.pem")
    net.serve(sys.executable, "-m", "http.server", "--bind", B4, "8080")
    # The name points at an address nobody talks to: sniffed DNS names label
    # remote hosts, and the curl flows to B4 must not carry this one.
    with open(f"{workdir}/hosts", "w") as f:
        f.write(f"{DNS_ANSWER} {DNS_NAME}\n")
    net.serve("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
              f"--addn-hosts={workdir}/hosts", f"--listen-address={B4}", "--bind-interfaces",
              "--port=53", "--user=root", "--pid-file=")
    ok = wait_for(lambda: sh(*in_ns(NS_A, "curl", "-s", "-o", "/dev/null", f"http://{B4}:8080/"),
                             check=False).returncode == 0, 10)
    assert ok, "http.server did not come up"


def clients():
    """Long-lived downloads (rate-limited) so the flows stay active on screen."""
    common = ["curl", "-s", "-o", "/dev/null", "--limit-rate", "40k", "--max-time", "20"]
    return [
        subprocess.Popen(in_ns(NS_A, *common, "-k", "--resolve", f"{SNI}:4433:{B4}",
                               f"https://{SNI}:4433/big.bin")),
        subprocess.Popen(in_ns(NS_A, *common, "-H", f"Host: {HTTP_HOST}",
                               f"http://{B4}:8080/big.bin")),
    ]


def main():
    for tool in ("tmux", "openssl", "curl", "dnsmasq", "dig"):
        if shutil.which(tool) is None:
            print(f"FAIL: {tool} is not installed (scripts/deps installs it)")
            return 1
    workdir = tempfile.mkdtemp(prefix="sockeye-tui-")
    try:
        with Network(workdir) as net:
            start_servers(net, workdir)
            # A shell in the pane, so we can see what is left after sockeye quits.
            tmux("new-session", "-d", "-s", "ui", "-x", str(WIDTH), "-y", str(HEIGHT),
                 "env", "-u", "TMUX", "TERM=xterm-256color", "bash", "--norc", "--noprofile")
            tmux("send-keys", "-t", "ui", f"stty -a > {workdir}/stty.before", "Enter")
            cmd = (f"ip netns exec {NS_A} {SOCKEYE} -i {IF_A} --no-resolve --refresh 200; "
                   f"echo SOCKEYE-EXIT=$?")
            tmux("send-keys", "-t", "ui", cmd, "Enter")
            assert wait_for(lambda: tmux("display", "-p", "-t", "ui", "#{alternate_on}")
                            .stdout.strip() == "1", 10), "sockeye did not enter the alternate screen"
            downloads = clients()
            dig = sh(*in_ns(NS_A, "dig", f"@{B4}", "+tries=1", "+time=2", DNS_NAME), check=False)
            assert DNS_ANSWER in dig.stdout, f"dnsmasq did not answer: {dig.stdout} {dig.stderr}"

            def shows_everything():
                text = pane()
                return "curl" in text and SNI in text and HTTP_HOST in text
            if not wait_for(shows_everything, 15):
                print(pane())
                print("FAIL: the table never showed curl, the SNI and the HTTP host together")
                return 1
            print("table shows curl, SNI and HTTP host")
            full = pane()

            # Narrow to curl: the DNS flow (owned by dig, or unattributed once
            # dig exited) must disappear, curl's flows must stay.
            assert DNS_NAME in full, "the DNS flow is not in the unfiltered table"
            tmux("send-keys", "-t", "ui", "/")
            tmux("send-keys", "-t", "ui", "-l", "process:curl")
            tmux("send-keys", "-t", "ui", "Enter")

            def narrowed():
                text = pane()
                return DNS_NAME not in text and SNI in text and HTTP_HOST in text
            if not wait_for(narrowed, 5):
                print(pane())
                print("FAIL: /process:curl did not narrow the table to curl's flows")
                return 1
            print("/process:curl narrows the table")

            tmux("send-keys", "-t", "ui", "q")
            if not wait_for(lambda: "SOCKEYE-EXIT=0" in pane(), 10):
                print(pane())
                print("FAIL: q did not end sockeye with status 0")
                return 1
            alt = tmux("display", "-p", "-t", "ui", "#{alternate_on}").stdout.strip()
            cursor = tmux("display", "-p", "-t", "ui", "#{cursor_flag}").stdout.strip()
            tmux("send-keys", "-t", "ui", f"stty -a > {workdir}/stty.after", "Enter")
            wait_for(lambda: os.path.exists(f"{workdir}/stty.after") and
                     os.path.getsize(f"{workdir}/stty.after") > 0, 5)
            with open(f"{workdir}/stty.before") as b, open(f"{workdir}/stty.after") as a:
                before, after = b.read(), a.read()
            for p in downloads:
                p.kill()
                p.wait()
            if alt != "0" or cursor != "1" or before != after:
                print(f"FAIL: terminal not restored: alternate_on={alt} cursor_flag={cursor}")
                print("stty before:", before, "stty after:", after, sep="\n")
                return 1
            print("q quits; alternate screen off, cursor visible, stty settings as before")
            return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
