#!/usr/bin/env python3
"""The terminal UI end to end, in tmux, on a network the test builds.

Two network namespaces joined by a veth pair. Namespace B runs an HTTPS server
(openssl s_server), an HTTP server (python http.server) and a DNS server
(dnsmasq). Namespace A runs sockeye's UI on its veth inside a tmux pane, and
curl clients plus a dig query. The pane must show the client's process name
(attributed through sock_diag + /proc), the TLS SNI and the HTTP host; the
filter `/process:curl` must narrow the table to curl's flows; `q` must quit
and leave the terminal as it was (no alternate screen, cooked mode, cursor).

First, on namespace A's lo, where nothing flows, the table must be drawn and
`q` must quit without a packet to wake the capture.

Traffic stays between the namespaces; every loop is bounded in count and
time; namespaces, servers and the tmux server are removed on exit."""
import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402
from tmux_server import TmuxServer  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
TMUX = TmuxServer(f"sockeye-tui-{os.getpid()}")
SNI, HTTP_HOST, DNS_NAME = "tui-tls.example", "tui-web.example", "tui-dns.example"
DNS_ANSWER = "10.213.9.99"
WIDTH, HEIGHT = 200, 50


def tmux(*args, check=True):
    return TMUX.run(*args, check=check)


def pane():
    return tmux("capture-pane", "-p", "-t", "ui").stdout


def pane_shows(predicate, seconds, failure, screen=pane):
    """Waits up to `seconds` for predicate(); on time-out prints the screen
    and "FAIL: failure" and returns False."""
    if wait_for(predicate, seconds):
        return True
    print(screen())
    print(f"FAIL: {failure}")
    return False


@contextlib.contextmanager
def tmux_server():
    """The test's own tmux server, killed on the way out (with the pane's
    shell and whatever still runs in it)."""
    try:
        yield
    finally:
        TMUX.close()


def start_servers(net, workdir):
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
       f"/CN={SNI}", "-keyout", f"{workdir}/key.pem", "-out", f"{workdir}/cert.pem")
    # Big enough that a rate-limited download keeps each connection open for
    # several refreshes of the UI.
    with open(f"{workdir}/big.bin", "wb") as f:
        f.write(os.urandom(400_000))
    net.spawn(net.b, "openssl", "s_server", "-quiet", "-WWW", "-accept", "4433", "-cert",
              f"{workdir}/cert.pem", "-key", f"{workdir}/key.pem", cwd=workdir)
    net.spawn(net.b, sys.executable, "-m", "http.server", "--bind", net.B4, "8080", cwd=workdir)
    # The name points at an address nobody talks to: sniffed DNS names label
    # remote hosts, and the curl flows to B4 must not carry this one.
    with open(f"{workdir}/hosts", "w") as f:
        f.write(f"{DNS_ANSWER} {DNS_NAME}\n")
    net.spawn(net.b, "dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
              f"--addn-hosts={workdir}/hosts", f"--listen-address={net.B4}", "--bind-interfaces",
              "--port=53", "--user=root", "--pid-file=", cwd=workdir)
    ok = wait_for(lambda: sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null",
                                    f"http://{net.B4}:8080/"), check=False).returncode == 0, 10)
    assert ok, "http.server did not come up"


def clients(net):
    """Long-lived downloads (rate-limited) so the flows stay active on screen."""
    common = ["curl", "-s", "-o", "/dev/null", "--limit-rate", "40k", "--max-time", "20"]
    return [
        net.spawn(net.a, *common, "-k", "--resolve", f"{SNI}:4433:{net.B4}",
                  f"https://{SNI}:4433/big.bin"),
        net.spawn(net.a, *common, "-H", f"Host: {HTTP_HOST}", f"http://{net.B4}:8080/big.bin"),
    ]


def quiet_interface_draws_and_quits(net):
    """On an interface nothing crosses (namespace A's lo), the table must be
    drawn at once and q must still quit: no packet ever wakes the capture."""
    tmux("send-keys", "-t", "ui",
         f"ip netns exec {net.a} {SOCKEYE} -i lo --no-resolve; echo QUIET-EXIT=$?", "Enter")
    def table_drawn():
        text = pane()
        return "no connections" in text and "lo · 0 flows" in text
    if not pane_shows(table_drawn, 20, "on a quiet interface the UI drew no table"):
        return False
    # Live, the footer clock is the wall clock: it moves on an idle link
    # (it used to show the last packet's time, 00:00:00 before the first).
    def footer_clock():
        found = re.findall(r"(\d\d:\d\d:\d\d) *$", pane().rstrip("\n").splitlines()[-1])
        return found[0] if found else None
    first = footer_clock()
    if first is None or first == "00:00:00" or not wait_for(lambda: footer_clock() != first, 5):
        print(pane())
        print(f"FAIL: on a quiet interface the footer clock does not show the time ({first})")
        return False
    tmux("send-keys", "-t", "ui", "q")
    if not pane_shows(lambda: "QUIET-EXIT=0" in pane(), 10,
                      "on a quiet interface q did not end sockeye with status 0"):
        return False
    print("quiet interface: table drawn, q quits")
    return True


def vanished_interface_is_shown(net):
    """An interface that disappears under the capture: the UI must say the
    capture failed at once (it used to freeze and tell only after q), and q
    must then exit 1 with the error."""
    link = "sockeye-gone"
    # A veth pair of its own inside namespace A (no dummy driver everywhere).
    sh(*in_ns(net.a, "ip", "link", "add", link, "type", "veth", "peer", "name", link + "-p"))
    sh(*in_ns(net.a, "ip", "link", "set", link, "up"))
    sh(*in_ns(net.a, "ip", "link", "set", link + "-p", "up"))
    tmux("send-keys", "-t", "ui",
         f"ip netns exec {net.a} {SOCKEYE} -i {link} --no-resolve --refresh 200; echo GONE-EXIT=$?",
         "Enter")
    if not pane_shows(lambda: f"{link} · " in pane(), 20,
                      "the UI on a veth of its own drew no table"):
        return False
    sh(*in_ns(net.a, "ip", "link", "del", link))
    if not pane_shows(lambda: "✗ capture failed" in pane(), 10,
                      "the capture on a deleted interface did not show as failed in the UI"):
        return False
    tmux("send-keys", "-t", "ui", "q")
    if not pane_shows(lambda: "GONE-EXIT=1" in pane(), 10,
                      "after a failed capture q did not exit 1"):
        return False
    print("vanished interface: shown as failed at once, q exits 1")
    tmux("send-keys", "-t", "ui", "clear", "Enter")
    return True


def count_stop_freezes_counters(net):
    """-c N ends the capture: the UI says so at once, and the drop counters
    stand still afterwards (the kernel used to go on counting drops on the
    open handle nobody read any more)."""
    tmux("send-keys", "-t", "ui",
         f"ip netns exec {net.a} {SOCKEYE} -i {net.if_a} -c 5 --no-resolve --refresh 200; "
         f"echo COUNT-EXIT=$?", "Enter")
    if not pane_shows(lambda: f"{net.if_a} · " in pane(), 20, "the UI with -c 5 drew no table"):
        return False
    # Far more than the capture ring holds, still going while the counters
    # are read (bounded: -c and -w).
    flood = net.spawn(net.b, "ping", "-f", "-q", "-c", "200000", "-s", "1400", "-w", "8", net.A4)
    if not pane_shows(lambda: "capture stopped after -c 5 packets" in pane(), 10,
                      "-c 5 did not show as a stopped capture"):
        return False

    def drops_shown():
        found = re.findall(r"([\d.]+[kMG]?) dropped", pane().splitlines()[0])
        return found[0] if found else "0"
    before = drops_shown()
    time.sleep(2)  # ten refreshes, the flood still on
    after = drops_shown()
    flood.wait(timeout=20)
    if before != after:
        print(pane())
        print(f"FAIL: drops went on being counted after -c 5 ended the capture "
              f"({before} -> {after})")
        return False
    tmux("send-keys", "-t", "ui", "q")
    if not pane_shows(lambda: "COUNT-EXIT=0" in pane(), 10, "q after -c 5 did not exit 0"):
        return False
    print("-c 5: shown as stopped, no drops counted afterwards")
    tmux("send-keys", "-t", "ui", "clear", "Enter")
    return True


def export_loss_reported_after_ui(net):
    """After the UI closes, every export's totals reach the terminal (as in
    the other modes), and a lost record makes the exit status 3."""
    tmux("send-keys", "-t", "ui",
         f"ip netns exec {net.a} {SOCKEYE} -i lo --no-resolve --pcapng-export /dev/full; "
         f"echo LOSS-EXIT=$?", "Enter")
    if not pane_shows(lambda: "lo · " in pane(), 20,
                      "the UI with an export to /dev/full drew no table"):
        return False
    sh(*in_ns(net.a, "ping", "-c", "3", "-i", "0.2", "127.0.0.1"), check=False, timeout=10)
    if not pane_shows(lambda: "pcapng" in pane() and "no space" in pane().lower(), 10,
                      "the side panel does not show the export failing"):
        return False
    tmux("send-keys", "-t", "ui", "q")
    # The command line itself holds "LOSS-EXIT=$?": wait for the number.
    if not pane_shows(lambda: re.search(r"LOSS-EXIT=\d", pane()), 20, "q did not end the UI"):
        return False
    text = pane()
    if not re.search(r"sockeye: pcapng export to /dev/full: \d+ written, [1-9]\d* dropped", text) \
            or "LOSS-EXIT=3" not in text:
        print(text)
        print("FAIL: after the UI, no export totals line with drops, or the exit status is not 3")
        return False
    print("export to /dev/full: totals printed after the UI, exit 3")
    tmux("send-keys", "-t", "ui", "clear", "Enter")
    return True


def export_cadence_ignores_refresh(net, workdir):
    """Exports get a snapshot every second whatever the screen's refresh:
    with --refresh 60000 a --json-log event must still arrive within
    seconds of the flow opening (it used to wait for the next refresh)."""
    log = f"{workdir}/cadence.jsonl"
    tmux("send-keys", "-t", "ui",
         f"ip netns exec {net.a} {SOCKEYE} -i lo --no-resolve --refresh 60000 "
         f"--json-log {log}; echo CADENCE-EXIT=$?", "Enter")
    if not pane_shows(lambda: "lo · " in pane(), 20, "the UI with --refresh 60000 drew no table"):
        return False
    sh(*in_ns(net.a, "ping", "-c", "2", "-i", "0.2", "127.0.0.1"), check=False, timeout=10)
    pinged = time.monotonic()

    def opened():
        try:
            with open(log) as f:
                return any(json.loads(line).get("event") == "new_connection"
                           for line in f if line.strip())
        except (OSError, ValueError):
            return False
    arrived = wait_for(opened, 10)
    waited = time.monotonic() - pinged
    tmux("send-keys", "-t", "ui", "q")
    if not pane_shows(lambda: re.search(r"CADENCE-EXIT=\d", pane()), 20, "q did not end the UI"):
        return False
    # Within the export cadence (1 s) plus the json-log writer and slack.
    if not arrived or waited > 4:
        print(pane())  # the export totals sockeye printed at exit
        try:
            with open(log) as f:
                print(f"json-log: {f.read()[:2000]!r}")
        except OSError as e:
            print(f"json-log unreadable: {e}")
        print("FAIL: with --refresh 60000 no json-log new_connection event within 4 s "
              f"({waited:.1f} s)")
        return False
    print(f"--refresh 60000: json-log event {waited:.1f} s after the flow opened")
    tmux("send-keys", "-t", "ui", "clear", "Enter")
    return True


def ctrl_z_without_job_control(net):
    """sockeye as the command of a tmux window (no shell with job control,
    like ssh -t or docker run -it): Ctrl+Z must not quit it (the kernel
    discards the stop of an orphaned process group, and sockeye used to exit
    0 with the screen gone); it says why it ignores the key."""
    tmux("new-window", "-d", "-n", "nojc", "-t", "ui",
         f"ip netns exec {net.a} {SOCKEYE} -i lo --no-resolve")
    window = "ui:nojc"
    text = lambda: tmux("capture-pane", "-p", "-t", window, check=False).stdout  # noqa: E731
    if not wait_for(lambda: "lo · " in text(), 20):
        print(text())
        print("FAIL: sockeye in a window of its own drew no table")
        return False
    tmux("send-keys", "-t", window, "C-z")
    if not wait_for(lambda: "Ctrl+Z ignored" in text(), 10):
        print(text())
        print("FAIL: Ctrl+Z without job control did not say it is ignored")
        return False
    tmux("send-keys", "-t", window, "q")
    if not wait_for(lambda: tmux("list-windows", "-t", "ui", "-F", "#{window_name}",
                                 check=False).stdout.split().count("nojc") == 0, 10):
        print("FAIL: q did not end sockeye after an ignored Ctrl+Z")
        return False
    print("Ctrl+Z without job control: ignored with a message, q quits")
    # From an interactive bash (job control), Ctrl+Z still stops it and fg
    # brings the UI back.
    tmux("send-keys", "-t", "ui",
         f"ip netns exec {net.a} {SOCKEYE} -i lo --no-resolve", "Enter")
    if not pane_shows(lambda: "lo · " in pane(), 20, "sockeye under bash drew no table"):
        return False
    tmux("send-keys", "-t", "ui", "C-z")
    if not pane_shows(lambda: "Stopped" in pane(), 10,
                      "Ctrl+Z under a job-control shell did not stop sockeye"):
        return False
    tmux("send-keys", "-t", "ui", "fg", "Enter")
    if not pane_shows(lambda: "lo · " in pane() and "? help" in pane(), 10,
                      "fg did not bring the UI back"):
        return False
    tmux("send-keys", "-t", "ui", "q")
    # fg's status is the job's; asked once the shell has the screen again.
    wait_for(lambda: tmux("display", "-p", "-t", "ui", "#{alternate_on}").stdout.strip() == "0", 10)
    tmux("send-keys", "-t", "ui", "echo JC-EXIT=$?", "Enter")
    if not pane_shows(lambda: "JC-EXIT=0" in pane(), 10, "q after fg did not exit 0"):
        return False
    print("Ctrl+Z under bash: stopped, fg resumes, q quits")
    tmux("send-keys", "-t", "ui", "clear", "Enter")
    return True


def pause_freezes_the_table():
    """Space pauses: with downloads running, the table (everything above the
    status bar) stays exactly as it was for 2 s of refreshes while the status
    bar counts the pause; Space again shows the new numbers, the rows that
    moved marked with a dot."""
    def above_status():
        return pane().rstrip("\n").split("\n")[:-1]
    # Wait until the new downloads are on screen so there is traffic to hide.
    if not pane_shows(lambda: pane().count(SNI) >= 2, 10, "the second downloads never showed"):
        return False
    tmux("send-keys", "-t", "ui", "Space")
    if not pane_shows(lambda: "paused " in pane(), 5, "Space did not pause (no 'paused' in the status bar)"):
        return False
    time.sleep(0.5)  # a frame drawn before the key may still be on its way
    frozen = above_status()
    time.sleep(2.2)
    if above_status() != frozen:
        print("\n".join(frozen), "---", pane(), sep="\n")
        print("FAIL: the table changed while paused")
        return False
    if not pane_shows(lambda: re.search(r"paused [2-9]s", pane()) is not None, 5,
                      "the status bar did not count the pause"):
        return False
    tmux("send-keys", "-t", "ui", "Space")
    # The mark sits left of the table, in the first column (the side
    # panel's bullets are further right).
    def resumed_with_marks():
        text = pane()
        return "paused" not in text and any(line.startswith("•") for line in text.split("\n"))
    if not pane_shows(resumed_with_marks, 5,
                      "after Space again the table was not live with moved rows marked"):
        return False
    print("Space pauses the table while traffic flows; Space resumes with moved rows marked")
    return True


def processes_by_program():
    """Processes groups by program: the curl downloads are one row with a
    count, Enter opens it on its pids; g cycles to per-pid, per-container and
    per-remote-host rows and back."""
    tmux("send-keys", "-t", "ui", "3")
    if not pane_shows(lambda: re.search(r"Program +Procs", pane()) and "▸ curl" in pane(), 5,
                      "Processes did not open by program with a closed curl row"):
        return False
    tmux("send-keys", "-t", "ui", "Home")
    tmux("send-keys", "-t", "ui", "Enter")
    if not pane_shows(lambda: "▾ curl" in pane() and re.search(r"[├└] curl +\d+ ", pane()), 5,
                      "Enter did not open the curl row on its pids"):
        return False
    tmux("send-keys", "-t", "ui", "g")
    if not pane_shows(lambda: re.search(r"Process +PID", pane()) and "▾" not in pane(), 5,
                      "g did not switch to one row per pid"):
        return False
    tmux("send-keys", "-t", "ui", "g")
    if not pane_shows(lambda: re.search(r"Container +Procs", pane()), 5,
                      "g did not switch to one row per container"):
        return False
    tmux("send-keys", "-t", "ui", "g")
    # By remote host: the server's address, with curl as the program talking to it.
    if not pane_shows(lambda: re.search(r"Remote +Progs", pane()) and
                      re.search(r"programs +curl", pane()), 5,
                      "g did not switch to one row per remote host naming curl"):
        return False
    tmux("send-keys", "-t", "ui", "g")
    if not pane_shows(lambda: re.search(r"Program +Procs", pane()), 5, "g did not come back to programs"):
        return False
    tmux("send-keys", "-t", "ui", "1")
    print("Processes: curl by program opens on its pids; g cycles program, pid, container, remote host")
    return True


def copy_reaches_tmux_buffer(net):
    """c copies the selected flow's remote address with OSC 52: with
    set-clipboard on, tmux takes it into its paste buffer, as a terminal
    over SSH would into the desktop's clipboard. c again copies the next
    value (the command line is the fourth)."""
    tmux("set-option", "-g", "set-clipboard", "on")
    tmux("delete-buffer", check=False)
    tmux("send-keys", "-t", "ui", "Home")
    tmux("send-keys", "-t", "ui", "c")
    if not pane_shows(lambda: "copied remote address" in pane(), 5, "c did not say what it copied"):
        return False
    def buffer():
        return tmux("show-buffer", check=False).stdout
    if not wait_for(lambda: buffer() == net.B4, 5):
        print(f"FAIL: tmux's buffer holds {buffer()!r} after c, not the remote address {net.B4}")
        return False
    # The curl flows have no name (--no-resolve) and carry their server
    # name, then curl's command line.
    for _ in range(3):
        if "copied command line" in pane():
            break
        tmux("send-keys", "-t", "ui", "c")
        time.sleep(0.3)
    if not wait_for(lambda: buffer().startswith("curl -s -o /dev/null"), 5):
        print(pane())
        print(f"FAIL: successive c did not copy curl's command line (buffer {buffer()!r})")
        return False
    print("c: OSC 52 puts the remote address, then the command line, in tmux's buffer")
    return True


def run_sockeye_in_pane(net, *options):
    """Starts sockeye's UI on namespace A's veth in the pane (a fresh screen),
    echoing its exit status when it ends."""
    tmux("send-keys", "-t", "ui", "clear", "Enter")
    tmux("send-keys", "-t", "ui",
         f"ip netns exec {net.a} {SOCKEYE} -i {net.if_a} --no-resolve --refresh 200 "
         + " ".join(options) + "; echo SOCKEYE-EXIT=$?", "Enter")


def quit_sockeye_in_pane():
    tmux("send-keys", "-t", "ui", "q")
    return pane_shows(lambda: "SOCKEYE-EXIT=0" in pane(), 10, "q did not quit with status 0")


def stop(proc):
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def listening_tab_shows_a_server(net, workdir):
    """5: a server started in sockeye's namespace appears with its process
    (the pid `ss -ltnp` names), and once a client in the other namespace
    fetches from it, the row counts the traffic."""
    server = net.spawn(net.a, sys.executable, "-m", "http.server", "--bind", net.A4, "8081",
                       cwd=workdir)
    try:
        ok = wait_for(lambda: ":8081" in sh(*in_ns(net.a, "ss", "-ltnp"), check=False).stdout, 10)
        assert ok, "the server in namespace A did not listen"
        line = [l for l in sh(*in_ns(net.a, "ss", "-ltnp")).stdout.splitlines() if ":8081" in l][0]
        owner = re.search(r"pid=(\d+)", line).group(1)
        tmux("send-keys", "-t", "ui", "5")
        row = re.escape(f"{net.A4}:8081") + r" +\S+ +" + owner + " "
        if not pane_shows(lambda: re.search(r"TCP +" + row, pane()), 10,
                          f"the Listening tab did not list {net.A4}:8081 with pid {owner}"):
            return False
        sh(*in_ns(net.b, "curl", "-s", "-o", "/dev/null", "--max-time", "5",
                  f"http://{net.A4}:8081/big.bin"), check=False)
        if not pane_shows(lambda: re.search(row + r".* [1-9][0-9.]* kB +[0-9.]+ [kM]?B", pane()), 10,
                          "the row did not count the download from namespace B"):
            return False
        tmux("send-keys", "-t", "ui", "1")
    finally:
        stop(server)
    print(f"5: the Listening tab lists {net.A4}:8081 with pid {owner} (as ss says) and counts a download")
    return True


def kill_needs_allow_kill_and_a_yes(net):
    """K stops the selected process only with --allow-kill and only after y:
    a rate-limited curl download (the only flow, by a BPF filter) survives K
    without the flag, survives K with it until y, then dies of SIGTERM."""
    download = net.spawn(net.a, "curl", "-s", "-o", "/dev/null", "--limit-rate", "10k",
                         "--max-time", "60", f"http://{net.B4}:8080/big.bin")
    try:
        for allow in (False, True):
            run_sockeye_in_pane(net, "-f 'tcp port 8080'", "--allow-kill" if allow else "")
            if not pane_shows(lambda: re.search(r"^ curl ", pane(), re.M), 10,
                              "the curl download never showed"):
                return False
            tmux("send-keys", "-t", "ui", "Home")
            tmux("send-keys", "-t", "ui", "K")
            if not allow:
                if not pane_shows(lambda: "needs --allow-kill" in pane(), 5,
                                  "K without --allow-kill did not say it needs the flag"):
                    return False
            else:
                if not pane_shows(lambda: "Stop the process" in pane() and
                                  f"pid {download.pid}" in pane(), 5,
                                  f"K did not ask to stop curl (pid {download.pid})"):
                    return False
            time.sleep(1)
            if download.poll() is not None:
                print(pane())
                print(f"FAIL: curl ended before any confirmation (status {download.returncode})")
                return False
            if allow:
                tmux("send-keys", "-t", "ui", "y")
                if not wait_for(lambda: download.poll() is not None, 5):
                    print(pane())
                    print("FAIL: y did not stop curl")
                    return False
                if download.returncode != -15:
                    print(f"FAIL: curl ended with status {download.returncode}, not by SIGTERM")
                    return False
                if not pane_shows(lambda: "SIGTERM sent to curl" in pane(), 5,
                                  "the dialog did not say SIGTERM was sent"):
                    return False
                tmux("send-keys", "-t", "ui", "Escape")
            if not quit_sockeye_in_pane():
                return False
    finally:
        stop(download)
    print("K: refused without --allow-kill; with it, curl lives until y, then dies of SIGTERM")
    return True


def alerts_show_in_the_tab_bar(net, workdir):
    """An [[alert]] rule for curl's new destinations: once curl talks to the
    server, the tab bar counts a new alert, A lists it (rule, condition,
    curl, the server's address) and the count goes away."""
    config = os.path.join(workdir, "alerts.toml")
    with open(config, "w") as f:
        f.write('[[alert]]\nname = "curl-new-host"\nfilter = "process:curl"\n'
                'condition = "new_destination"\n')
    run_sockeye_in_pane(net, "--config", config)
    if not pane_shows(lambda: "Overview" in pane(), 10, "sockeye did not start with the alert rule"):
        return False
    download = net.spawn(net.a, "curl", "-s", "-o", "/dev/null", "--limit-rate", "40k",
                         "--max-time", "20", f"http://{net.B4}:8080/big.bin")
    try:
        if not pane_shows(lambda: "⚑ 1 new alert (A)" in pane().split("\n")[0], 10,
                          "the tab bar did not count curl's new destination"):
            return False
        tmux("send-keys", "-t", "ui", "A")
        if not pane_shows(lambda: re.search(r"curl-new-host +new_destination +curl +" + re.escape(net.B4),
                                            pane()), 5, "A did not list the alert"):
            return False
        tmux("send-keys", "-t", "ui", "Escape")
        if not pane_shows(lambda: "new alert" not in pane(), 5, "the count stayed after A"):
            return False
        if not quit_sockeye_in_pane():
            return False
    finally:
        stop(download)
    print("alerts: the tab bar counts curl's new destination, A lists it, the count goes")
    return True


def main():
    for tool in ("tmux", "openssl", "curl", "dnsmasq", "dig"):
        if shutil.which(tool) is None:
            print(f"FAIL: {tool} is not installed (scripts/deps installs it)")
            return 1
    workdir = tempfile.mkdtemp(prefix="sockeye-tui-")
    try:
        with NetnsPair("tui", "st", v4="10.213.9.0/24") as net, tmux_server():
            start_servers(net, workdir)
            # A shell in the pane, so we can see what is left after sockeye quits.
            TMUX.new_session("ui", WIDTH, HEIGHT,
                             "env", "-u", "TMUX", "TERM=xterm-256color", "bash", "--norc", "--noprofile")
            tmux("send-keys", "-t", "ui", f"stty -a > {workdir}/stty.before", "Enter")
            if not quiet_interface_draws_and_quits(net):
                return 1
            if not vanished_interface_is_shown(net):
                return 1
            if not count_stop_freezes_counters(net):
                return 1
            if not export_loss_reported_after_ui(net):
                return 1
            if not export_cadence_ignores_refresh(net, workdir):
                return 1
            if not ctrl_z_without_job_control(net):
                return 1
            tmux("send-keys", "-t", "ui", "clear", "Enter")
            cmd = (f"ip netns exec {net.a} {SOCKEYE} -i {net.if_a} --no-resolve --refresh 200; "
                   f"echo SOCKEYE-EXIT=$?")
            tmux("send-keys", "-t", "ui", cmd, "Enter")
            assert wait_for(lambda: tmux("display", "-p", "-t", "ui", "#{alternate_on}")
                            .stdout.strip() == "1", 10), "sockeye did not enter the alternate screen"
            downloads = clients(net)
            dig = sh(*in_ns(net.a, "dig", f"@{net.B4}", "+tries=1", "+time=2", DNS_NAME),
                     check=False)
            assert DNS_ANSWER in dig.stdout, f"dnsmasq did not answer: {dig.stdout} {dig.stderr}"

            def shows_everything():
                text = pane()
                # The UI redraws once a second: the DNS flow may land a frame
                # after the curl flows, so wait for it too.
                return all(s in text for s in ("curl", SNI, HTTP_HOST, DNS_NAME))
            if not wait_for(shows_everything, 15):
                print(pane())
                print("FAIL: the table never showed curl, the SNI, the HTTP host and the DNS name")
                return 1
            print("table shows curl, SNI, HTTP host and DNS name")
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

            more = clients(net)
            downloads += more
            if not pause_freezes_the_table():
                return 1
            if not processes_by_program():
                return 1
            if not copy_reaches_tmux_buffer(net):
                return 1
            # b: every rate in bits (b/s, and the side panel's interface rates).
            tmux("send-keys", "-t", "ui", "b")
            if not pane_shows(lambda: "b/s" in pane() and "B/s" not in pane(), 5,
                              "b did not show the rates in bits"):
                return 1
            tmux("send-keys", "-t", "ui", "b")
            if not pane_shows(lambda: "B/s" in pane() and "b/s" not in pane(), 5,
                              "b again did not show the rates in bytes"):
                return 1
            print("b: rates in bits, then in bytes again")
            # T: no rate left in the table (the side panel's interface rates stay).
            def table_rates():
                return any("B/s" in line.split("│")[0] for line in pane().split("\n")[1:-1])
            tmux("send-keys", "-t", "ui", "T")
            if not pane_shows(lambda: re.search(r"Recv. +Sent", pane()) and not table_rates(), 5,
                              "T did not show totals (Recv, Sent) instead of rates"):
                return 1
            tmux("send-keys", "-t", "ui", "T")
            if not pane_shows(lambda: re.search(r"Down. +Up", pane()), 5, "T again did not show rates"):
                return 1
            print("T: Down and Up as totals, then as rates again")
            # i: the side panel goes and comes back (at 200 columns the
            # curl rows leave it room).
            if not pane_shows(lambda: "Interfaces" in pane(), 5, "no side panel at 200 columns"):
                return 1
            tmux("send-keys", "-t", "ui", "i")
            if not pane_shows(lambda: "Interfaces" not in pane() and "│" not in pane(), 5,
                              "i did not hide the side panel"):
                return 1
            tmux("send-keys", "-t", "ui", "i")
            if not pane_shows(lambda: "Interfaces" in pane(), 5, "i again did not show the side panel"):
                return 1
            print("i: the side panel hides and shows")
            if not listening_tab_shows_a_server(net, workdir):
                return 1

            # Esc and q in one write (as typed quickly): Esc closes the
            # filter prompt and q still quits; neither may be swallowed.
            # Line editing: Ctrl+U empties the line, ↑ brings back the
            # filter applied before, Home and typing insert at the start,
            # Ctrl+W then takes the word before the cursor back out.
            tmux("send-keys", "-t", "ui", "/")
            if not pane_shows(lambda: "Filter: " in pane(), 5, "/ did not open the filter prompt"):
                return 1
            tmux("send-keys", "-t", "ui", "C-u")
            tmux("send-keys", "-t", "ui", "Up")
            tmux("send-keys", "-t", "ui", "Home")
            tmux("send-keys", "-t", "ui", "-l", "not ")
            if not pane_shows(lambda: "Filter: not process:curl" in pane(), 5,
                              "↑ and Home did not give 'not process:curl' in the prompt"):
                return 1
            tmux("send-keys", "-t", "ui", "C-w")
            if not pane_shows(lambda: re.search(r"Filter: process:curl +Enter", pane()) is not None, 5,
                              "Ctrl+W did not delete the word before the cursor"):
                return 1
            # The cursor is at the start now: Ctrl+K empties the line from there.
            tmux("send-keys", "-t", "ui", "C-k")
            tmux("send-keys", "-t", "ui", "-l", "vlan:5000")
            tmux("send-keys", "-t", "ui", "Enter")
            if not pane_shows(lambda: "VLAN id out of range" in pane(), 5,
                              "vlan:5000 was not flagged in the prompt"):
                return 1
            print("filter prompt: Ctrl+U, ↑ history, Home, insert, Ctrl+W; vlan:5000 flagged")
            tmux("send-keys", "-t", "ui", "Escape", "q")
            if not wait_for(lambda: "SOCKEYE-EXIT=0" in pane(), 10):
                print(pane())
                print("FAIL: Esc q typed at once did not close the prompt and quit with status 0")
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
            if not kill_needs_allow_kill_and_a_yes(net):
                return 1
            if not alerts_show_in_the_tab_bar(net, workdir):
                return 1
            return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
