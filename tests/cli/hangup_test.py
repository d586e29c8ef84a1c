#!/usr/bin/env python3
"""SIGHUP: the terminal going away.

1. The terminal UI in a tmux pane gets SIGHUP: it restores the terminal (cooked
   mode as before, cursor shown, main screen) and exits 0.
2. The pane itself is killed (the pty closes, the kernel hangs up the
   foreground group): sockeye exits 0 within seconds, no crash.
3. --headless gets SIGHUP: it stops like SIGTERM, finishes its exports (a
   readable pcap and its sidecar) and exits 0. Under nohup (SIGHUP ignored)
   it keeps running until SIGTERM.

Live capture only on lo; every wait is bounded; the tmux server is killed on
exit. Usage: hangup_test.py SOCKEYE TRAFFICGEN"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tmux_server import TmuxServer  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
TRAFFICGEN = os.path.abspath(sys.argv[2])
# One tmux server per case: a killed server may linger a moment.
SERVERS = [TmuxServer(f"sockeye-hup-{os.getpid()}-{case}") for case in (0, 1)]
TMUX = [SERVERS[0]]
# Sanitizer builds start and stop several times slower.
SLOW = 3 if os.environ.get("SOCKEYE_SANITIZED") else 1
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def tmux(*args, check_rc=True):
    return TMUX[0].run(*args, check=check_rc)


def wait_for(predicate, seconds, step=0.1):
    deadline = time.monotonic() + seconds * SLOW
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def sockeye_pid(pidfile):
    text = read(pidfile).strip()
    return int(text) if text.isdigit() else None


# The pane runs this wrapper: it records the terminal settings, starts sockeye
# as its child (SIGHUP at its default, as from a login shell), records the
# exit status and the settings again, then stays so the pane can be read.
WRAPPER = r'''
import os, signal, subprocess, sys, time
work, argv = sys.argv[1], sys.argv[2:]
signal.signal(signal.SIGHUP, signal.SIG_IGN)
def write(name, text):
    with open(os.path.join(work, name), "w") as f:
        f.write(text)
write("stty.before", subprocess.run(["stty", "-g"], capture_output=True, text=True).stdout)
p = subprocess.Popen(argv, preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL))
write("pid", str(p.pid))
rc = p.wait()
try:
    after = subprocess.run(["stty", "-g"], capture_output=True, text=True).stdout
except OSError:
    after = ""
write("stty.after", after)
write("rc", str(rc))
time.sleep(60)
'''


def ui_case(work, capture, kill_pane):
    name = "pane killed" if kill_pane else "SIGHUP to the UI"
    TMUX[0] = SERVERS[int(kill_pane)]
    for f in ("pid", "rc", "stty.before", "stty.after"):
        if os.path.exists(os.path.join(work, f)):
            os.remove(os.path.join(work, f))
    wrapper = os.path.join(work, "wrapper.py")
    with open(wrapper, "w") as f:
        f.write(WRAPPER)
    TMUX[0].new_session("ui", 120, 40, sys.executable, wrapper, work, SOCKEYE, "-r", capture,
                        "--no-resolve")
    pidfile = os.path.join(work, "pid")
    up = wait_for(lambda: sockeye_pid(pidfile) and "sockeye" in tmux(
        "capture-pane", "-p", "-t", "ui", check_rc=False).stdout.lower(), 20)
    check(up, f"{name}: the UI is up")
    pid = sockeye_pid(pidfile)
    if pid is None:
        tmux("kill-server", check_rc=False)
        return
    if kill_pane:
        tmux("kill-server")
        gone = wait_for(lambda: not os.path.exists(f"/proc/{pid}") or
                        read(f"/proc/{pid}/stat").split(") ")[-1].startswith("Z"), 10)
        check(gone, f"{name}: sockeye exits after the hang-up")
        check(wait_for(lambda: read(os.path.join(work, "rc")) != "", 10), f"{name}: exit status recorded")
        rc = read(os.path.join(work, "rc"))
        check(rc == "0", f"{name}: exit status 0 (got {rc!r})")
        return
    os.kill(pid, signal.SIGHUP)
    check(wait_for(lambda: read(os.path.join(work, "rc")) != "", 10), f"{name}: sockeye exits")
    rc = read(os.path.join(work, "rc"))
    check(rc == "0", f"{name}: exit status 0 (got {rc!r})")
    before, after = read(os.path.join(work, "stty.before")), read(os.path.join(work, "stty.after"))
    check(before != "" and before == after, f"{name}: terminal settings restored")
    flags = tmux("display-message", "-p", "-t", "ui", "#{alternate_on} #{cursor_flag}").stdout.split()
    check(flags == ["0", "1"], f"{name}: main screen, cursor visible (alternate_on cursor_flag = {flags})")
    tmux("kill-server", check_rc=False)


def headless_case(work, nohup):
    name = "headless under nohup" if nohup else "SIGHUP to --headless"
    out = os.path.join(work, "hup.pcap")
    for f in (out, out + ".connections.jsonl"):
        if os.path.exists(f):
            os.remove(f)
    ignore = (lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)) if nohup else None
    p = subprocess.Popen([SOCKEYE, "-i", "lo", "--headless", "--pcap-export", out],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=ignore)
    # The file is created when the export opens, after the capture handle;
    # its header reaches the disk with the first flush.
    started = wait_for(lambda: os.path.exists(out), 15)
    check(started, f"{name}: export file created")
    time.sleep(0.5 * SLOW)
    # A few packets on lo so the export has records.
    for _ in range(3):
        subprocess.run(["ping", "-c", "1", "-W", "1", "127.0.0.1"], capture_output=True)
    time.sleep(0.5)
    p.send_signal(signal.SIGHUP)
    if nohup:
        try:
            p.wait(timeout=1.5)
        except subprocess.TimeoutExpired:
            pass
        check(p.poll() is None, f"{name}: SIGHUP ignored, still running")
        p.send_signal(signal.SIGTERM)
    try:
        _, err = p.communicate(timeout=15 * SLOW)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    check(p.returncode == 0, f"{name}: exit status 0 (got {p.returncode}; stderr {err.strip()!r})")
    check("pcap export to" in err, f"{name}: export totals reported")
    readable = subprocess.run(["tcpdump", "-r", out, "-w", "/dev/null"], capture_output=True)
    check(readable.returncode == 0, f"{name}: the pcap is complete and readable")
    check(os.path.exists(out + ".connections.jsonl"), f"{name}: the sidecar exists")


def main():
    if shutil.which("tmux") is None:
        print("SKIP: tmux missing")
        return 77
    work = tempfile.mkdtemp(prefix="sockeye-hup-")
    try:
        # A capture spanning minutes at its recorded pace: the UI is still
        # replaying when the hang-up comes.
        capture = os.path.join(work, "tcp.pcap")
        subprocess.run([TRAFFICGEN, "tcp-mix", capture], check=True)
        ui_case(work, capture, kill_pane=False)
        ui_case(work, capture, kill_pane=True)
        headless_case(work, nohup=False)
        headless_case(work, nohup=True)
    finally:
        for server in SERVERS:
            server.close()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
