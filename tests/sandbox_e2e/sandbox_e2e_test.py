#!/usr/bin/env python3
"""The start-up sandbox (least privilege), proven on this machine.

1. Probes from inside (--sandbox-check), replaying a file and capturing live
   in a network namespace, run as root with SUDO_UID/SUDO_GID set: after
   start-up sockeye cannot read /etc/shadow, cannot create a file in /tmp
   (writable by anyone: only the sandbox can refuse), cannot exec /bin/true
   (nor fork), cannot connect to a loopback TCP port, and can still open its
   export file (owned by the SUDO user). A control run with --no-sandbox
   shows the same probes succeed, so the probes themselves are real.
2. The real monitor, --headless --json-log on a veth pair in namespaces the
   test creates, sandbox on: curl's connections to a server in the other
   namespace are captured and attributed to process "curl"; while it runs
   /proc/<pid>/status says NoNewPrivs 1, Seccomp 2, no capability in the
   main thread, Uid = SUDO_UID, and only one thread (process attribution)
   keeps capabilities, those it needs.
3. --sandbox-strict: fully enforced here it runs; on a "kernel" without
   Landlock (simulated by a parent seccomp filter answering ENOSYS to
   landlock_create_ruleset, as some container runtimes do) it exits 1 naming
   the gap, and without --sandbox-strict it runs and says so in one stderr
   line. With everything enforced nothing is printed about the sandbox.

Needs root, ip, curl and python3 (skips with 77 otherwise). Traffic stays
between the namespaces; every wait is bounded; namespaces are deleted."""
import ctypes
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import json

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from netns import NetnsPair, in_ns, sh, wait_for  # noqa: E402

SOCKEYE = os.path.abspath(sys.argv[1])
PORT = 8080
USER_ID = 4242  # SUDO_UID/SUDO_GID: any non-root id will do, no passwd entry needed
ENV = dict(os.environ, SUDO_UID=str(USER_ID), SUDO_GID=str(USER_ID))
# What process attribution keeps (sandbox.cpp needed_capabilities()).
CAP_DAC_READ_SEARCH, CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_SYS_NICE = 2, 12, 19, 23
ATTRIBUTION_CAPS = sum(1 << c for c in (CAP_DAC_READ_SEARCH, CAP_NET_ADMIN, CAP_SYS_PTRACE,
                                        CAP_SYS_NICE))

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def write_pcap(path, packets=5):
    """A small Ethernet/IPv4/UDP capture for the -r runs."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    for i in range(packets):
        payload = b"sandbox-e2e %d" % i
        udp = struct.pack("!HHHH", 40000 + i, 9999, 8 + len(payload), 0) + payload
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                         bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
        frame = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip + udp
        out.append(struct.pack("<IIII", 1_700_000_000 + i, 0, len(frame), len(frame)) + frame)
    with open(path, "wb") as f:
        f.write(b"".join(out))


def probes(stdout):
    """{probe: (allowed, errno name)} from --sandbox-check output."""
    result = {}
    for line in stdout.splitlines():
        m = re.match(r"sandbox-check: (.+): (allowed|blocked \((\w+):.*\))$", line)
        if m and not m.group(1).startswith(("enforced", "not enforced", "sandbox")):
            result[m.group(1)] = (m.group(2) == "allowed", m.group(3))
    return result


def find(result, prefix):
    for name, value in result.items():
        if name.startswith(prefix):
            return value
    return None


def export_file(tmp, name):
    """An export file the SUDO user owns (as it would be after `sudo -u`),
    so that only the sandbox decides whether sockeye may reopen it."""
    path = os.path.join(tmp, name)
    open(path, "w").close()
    os.chown(path, USER_ID, USER_ID)
    return path


def assert_confined(result, export, label, landlock_net):
    check(find(result, "read /etc/shadow") == (False, "EACCES"), f"{label}: /etc/shadow unreadable")
    check(find(result, "read /etc/os-release") == (False, "EACCES"),
          f"{label}: world-readable /etc/os-release unreadable (Landlock)")
    check(find(result, "read /proc/self/status") == (True, None), f"{label}: /proc readable")
    check(find(result, "write outside the exports /tmp/") == (False, "EACCES"),
          f"{label}: no file created in /tmp (outside the export paths)")
    check(find(result, f"write export {export}") == (True, None),
          f"{label}: the export file stays writable")
    check(find(result, "fork") == (False, "EPERM"), f"{label}: fork refused (seccomp)")
    check(find(result, "exec /bin/true") == (False, "EPERM"), f"{label}: exec refused (seccomp)")
    check(find(result, "regain root") == (False, "EPERM"), f"{label}: setuid(0) refused")
    check(find(result, "new packet socket") == (False, "EPERM"), f"{label}: no new packet socket")
    if landlock_net:
        check(find(result, "TCP connect to 127.0.0.1:") == (False, "EACCES"),
              f"{label}: TCP connect to a loopback port refused (Landlock)")
    check(find(result, "accept on a listener opened before") == (True, None),
          f"{label}: a listener opened before the sandbox still accepts")


def landlock_abi():
    out = sh(SOCKEYE, "--version").stdout
    m = re.search(r"landlock ABI (\d+)", out)
    return int(m.group(1)) if m else 0


def test_check_replay(tmp, capture, abi):
    export = export_file(tmp, "replay-events.jsonl")
    r = sh(SOCKEYE, "-r", capture, "--sandbox-check", "--json-log", export, env=ENV, check=False)
    print(r.stdout, end="")
    check(r.returncode == 0, f"replay --sandbox-check exits 0 (got {r.returncode}: {r.stderr})")
    check("sandbox-check: sandbox: 5/5 layers" in r.stdout, "replay: 5/5 layers enforced")
    check(f"uid {USER_ID}" in r.stdout, f"replay: root dropped to SUDO_UID {USER_ID}")
    assert_confined(probes(r.stdout), export, "replay", abi >= 4)

    # The control: without the sandbox every probe goes through.
    r = sh(SOCKEYE, "-r", capture, "--sandbox-check", "--no-sandbox", "--json-log", export,
           env=ENV, check=False)
    control = probes(r.stdout)
    check(r.returncode == 0, "replay --sandbox-check --no-sandbox exits 0")
    blocked = [name for name, (allowed, _) in control.items() if not allowed]
    check(not blocked and len(control) >= 12,
          f"--no-sandbox control: all {len(control)} probes allowed (blocked: {blocked})")


def test_check_live(net, tmp, abi):
    export = export_file(tmp, "live-events.jsonl")
    r = sh(*in_ns(net.a, SOCKEYE, "-i", net.if_a, "--sandbox-check", "--headless", "--json-log",
                  export), env=ENV, check=False, timeout=60)
    print(r.stdout, end="")
    check(r.returncode == 0, f"live --sandbox-check exits 0 (got {r.returncode}: {r.stderr})")
    check("sandbox-check: sandbox: 5/5 layers" in r.stdout, "live: 5/5 layers enforced")
    check("capabilities: none outside process attribution" in r.stdout,
          "live: the main thread keeps no capability")
    assert_confined(probes(r.stdout), export, "live", abi >= 4)


def status_fields(path):
    fields = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def test_live_monitor(net, tmp):
    """Server and monitor are stopped by the pair's teardown if a step raises."""
    events = export_file(tmp, "events.jsonl")
    net.spawn(net.b, sys.executable, "-m", "http.server", "--bind", net.B4, str(PORT),
              "--directory", tmp)
    url = f"http://{net.B4}:{PORT}/"
    up = wait_for(lambda: sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", url),
                             check=False).returncode == 0, 10)
    assert up, "http.server did not come up"

    sockeye = net.spawn(net.a, SOCKEYE, "-i", net.if_a, "--headless", "--no-resolve",
                        "--json-log", events, "-d", "60", env=ENV, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
    time.sleep(2)  # capture, sandbox and threads up
    check(sockeye.poll() is None, "the sandboxed monitor is running")

    main = status_fields(f"/proc/{sockeye.pid}/status")
    print(f"main thread: Uid {main['Uid']} NoNewPrivs {main['NoNewPrivs']} Seccomp "
          f"{main['Seccomp']} CapEff {main['CapEff']} CapPrm {main['CapPrm']} "
          f"CapBnd {main['CapBnd']}")
    check(main["NoNewPrivs"] == "1", "NoNewPrivs 1")
    check(main["Seccomp"] == "2", "Seccomp 2 (filter)")
    check(int(main["CapEff"], 16) == 0 and int(main["CapPrm"], 16) == 0,
          "main thread: no effective or permitted capability")
    check(int(main["CapBnd"], 16) & ~ATTRIBUTION_CAPS == 0,
          "bounding set reduced to what attribution uses")
    check(main["Uid"].split() == [str(USER_ID)] * 4, f"Uid {USER_ID} (SUDO_UID), not 0")
    check(main["Gid"].split() == [str(USER_ID)] * 4, f"Gid {USER_ID} (SUDO_GID)")
    with_caps = []
    for tid in os.listdir(f"/proc/{sockeye.pid}/task"):
        t = status_fields(f"/proc/{sockeye.pid}/task/{tid}/status")
        check(t["Seccomp"] == "2" and t["NoNewPrivs"] == "1",
              f"thread {tid} ({t['Name']}): seccomp and no_new_privs")
        if int(t["CapEff"], 16):
            with_caps.append((tid, int(t["CapEff"], 16)))
    check(len(with_caps) == 1 and with_caps[0][1] == ATTRIBUTION_CAPS,
          f"only the attribution thread keeps capabilities: {with_caps}")

    ports = set()
    for _ in range(5):
        r = sh(*in_ns(net.a, "curl", "-s", "-o", "/dev/null", "-w", "%{local_port}",
                      "--max-time", "5", url), check=False)
        if r.returncode == 0 and r.stdout.strip().isdigit():
            ports.add(int(r.stdout.strip()))
        time.sleep(0.2)
    check(len(ports) >= 4, f"curl ran ({len(ports)} of 5 connections)")
    time.sleep(2)  # the next snapshot carries the new connections
    sockeye.send_signal(signal.SIGTERM)
    _, err = sockeye.communicate(timeout=30)
    check(sockeye.returncode == 0, f"monitor exits 0 after SIGTERM (got {sockeye.returncode})")
    check("sockeye: sandbox" not in err, f"fully enforced: nothing said about the sandbox ({err!r})")

    named = {}
    with open(events) as f:
        for line in f:
            e = json.loads(line)
            if e.get("destination_port") == PORT and (
                    e.get("source_port") not in named or e.get("process_name")):
                named[e.get("source_port")] = e.get("process_name")
    captured = ports & named.keys()
    attributed = [p for p in captured if named[p] == "curl"]
    print(f"curl connections: {len(ports)}, captured: {len(captured)}, "
          f"attributed to curl: {len(attributed)}")
    check(captured == ports, f"every curl connection captured ({sorted(ports - captured)})")
    check(len(attributed) == len(ports), "every curl connection attributed to process curl")


# A parent seccomp filter that answers ENOSYS to landlock_create_ruleset
# (444 on every architecture): a kernel or container without Landlock.
def no_landlock():
    nr_landlock_create_ruleset = 444
    ret_errno_enosys = 0x00050000 | 38
    ret_allow = 0x7FFF0000
    insns = [(0x20, 0, 0, 0),                                # A = seccomp_data.nr
             (0x15, 0, 1, nr_landlock_create_ruleset),       # if A == 444
             (0x06, 0, 0, ret_errno_enosys),                 #   return ENOSYS
             (0x06, 0, 0, ret_allow)]                        # return ALLOW
    buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in insns))

    class Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = Prog(len(insns), ctypes.cast(buf, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        os._exit(90)
    if libc.prctl(22, 2, ctypes.byref(prog), 0, 0) != 0:  # PR_SET_SECCOMP, FILTER
        os._exit(91)


def test_strict(capture):
    r = sh(SOCKEYE, "-r", capture, "--summary", "--sandbox-strict", env=ENV, check=False)
    check(r.returncode == 0 and "sockeye: sandbox" not in r.stderr,
          f"--sandbox-strict runs when every layer holds (exit {r.returncode}, {r.stderr!r})")
    r = sh(SOCKEYE, "-r", capture, "--summary", env=ENV, check=False)
    check(r.returncode == 0 and r.stderr == "", f"quiet when fully enforced ({r.stderr!r})")

    r = subprocess.run([SOCKEYE, "-r", capture, "--summary", "--sandbox-strict"], env=ENV,
                       capture_output=True, text=True, preexec_fn=no_landlock)
    print(f"strict without Landlock: exit {r.returncode}: {r.stderr.strip()}")
    check(r.returncode == 1, "--sandbox-strict without Landlock exits 1")
    check("--sandbox-strict" in r.stderr and "Landlock: no" in r.stderr and "4/5 layers" in r.stderr,
          "and names the gap")
    check("192.0.2.1" not in r.stdout, "and prints no flows")

    r = subprocess.run([SOCKEYE, "-r", capture, "--summary"], env=ENV, capture_output=True,
                       text=True, preexec_fn=no_landlock)
    print(f"without Landlock: exit {r.returncode}: {r.stderr.strip()}")
    check(r.returncode == 0 and "192.0.2.1" in r.stdout, "without --sandbox-strict it runs")
    lines = [l for l in r.stderr.splitlines() if l.startswith("sockeye: sandbox: ")]
    check(len(lines) == 1 and "4/5 layers" in lines[0] and "Landlock" in lines[0],
          "one stderr line names the missing layer")

    r = subprocess.run([SOCKEYE, "-r", capture, "--sandbox-check"], env=ENV, capture_output=True,
                       text=True, preexec_fn=no_landlock)
    result = probes(r.stdout)
    check(find(result, "exec /bin/true") == (False, "EPERM"),
          "without Landlock seccomp still refuses exec")
    check(find(result, "read /etc/shadow") == (False, "EACCES"),
          "without Landlock the uid switch still keeps /etc/shadow closed")


def main():
    if os.geteuid() != 0:
        print("sandbox_e2e: needs root (drops root, opens capture handles)")
        return 77
    for tool in ("ip", "curl"):
        if shutil.which(tool) is None:
            print(f"sandbox_e2e: {tool} is missing")
            return 77
    abi = landlock_abi()
    if abi <= 0:
        print("sandbox_e2e: this kernel has no Landlock; the layers cannot all be shown")
        return 77
    tmp = tempfile.mkdtemp(prefix="sockeye-sandbox-e2e-")
    os.chmod(tmp, 0o755)  # the SUDO user may pass through to its export files
    capture = os.path.join(tmp, "udp.pcap")
    write_pcap(capture)
    try:
        test_check_replay(tmp, capture, abi)
        test_strict(capture)
        with NetnsPair("sb", "sb", v4="10.213.13.0/24") as net:
            test_check_live(net, tmp, abi)
            test_live_monitor(net, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"sandbox_e2e: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
