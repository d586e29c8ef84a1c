#!/usr/bin/env python3
"""packaging/systemd/sockeye.service, the unit the .deb installs (disabled).

1. systemd-analyze verify passes with no message (its ExecStart pointed at
   the built binary, the man page on MANPATH for Documentation=), and
   systemd-analyze security --offline rates it no worse than 4.5 ("OK").
2. Its capabilities (AmbientCapabilities=, CapabilityBoundingSet=) are
   exactly those packaging/capabilities grants the binary, and ExecStart is
   the documented command line.
3. What the unit relies on, run as it would run it (no systemd is PID 1 in
   the test environment): the ExecStart command as uid 65534 with only those
   capabilities (ambient, through setpriv) and XDG_STATE_HOME set as the unit
   sets it, live on a namespace's loopback for a few seconds, records into
   XDG_STATE_HOME/sockeye/history.db (integrity_check ok, the connections to
   its own metrics endpoint in it) and serves the metrics meanwhile.

Usage: service_unit_test.py SOCKEYE SOURCE_DIR"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

SOCKEYE = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from netns import Netns, in_ns, sh, wait_for  # noqa: E402
from packaged_caps import packaged_capabilities, packaged_command  # noqa: E402

UNIT = os.path.join(ROOT, "packaging", "systemd", "sockeye.service")
EXEC = "/usr/bin/sockeye --headless --record --metrics 127.0.0.1:9100"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def unit_values(text):
    values = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def main():
    if shutil.which("systemd-analyze") is None:
        print("FAIL systemd-analyze is not installed (scripts/deps: systemd)")
        return 1
    with open(UNIT) as f:
        text = f.read()
    values = unit_values(text)
    work = tempfile.mkdtemp(prefix="sockeye-unit.")
    try:
        # 1. verify and security.
        man = os.path.join(work, "man", "man1")
        os.makedirs(man)
        with open(os.path.join(ROOT, "packaging", "man", "sockeye.1"), "rb") as src, \
                gzip.open(os.path.join(man, "sockeye.1.gz"), "wb") as dst:
            dst.write(src.read())
        unit = os.path.join(work, "sockeye.service")
        with open(unit, "w") as f:
            f.write(text.replace("/usr/bin/sockeye", SOCKEYE))
        env = dict(os.environ, MANPATH=os.path.join(work, "man"))
        r = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True,
                           env=env, timeout=60, check=False)
        check(r.returncode == 0 and not (r.stdout + r.stderr).strip(),
              f"systemd-analyze verify: exit {r.returncode}, {(r.stdout + r.stderr).strip()!r}")
        r = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit], capture_output=True,
                           text=True, timeout=60, check=False)
        m = re.search(r"Overall exposure level for sockeye.service: ([0-9.]+)", r.stdout + r.stderr)
        check(m is not None and float(m.group(1)) <= 4.5,
              f"systemd-analyze security: exposure {m.group(1) if m else '?'} (at most 4.5)")

        # 2. capabilities and command line.
        want = sorted("CAP_" + c.lstrip("+").upper() for c in packaged_capabilities().split(","))
        for key in ("AmbientCapabilities", "CapabilityBoundingSet"):
            have = sorted(" ".join(values.get(key, [])).split())
            # Kernels before 5.8 lack cap_perfmon and cap_bpf: the unit names them anyway.
            check(set(want) <= set(have) and set(have) - set(want) <= {"CAP_PERFMON", "CAP_BPF"},
                  f"{key} = the package's capabilities ({have})")
        check(values.get("ExecStart") == [EXEC], f"ExecStart is {EXEC!r} ({values.get('ExecStart')})")
        for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                           ("StateDirectory", "sockeye"), ("DynamicUser", "yes")):
            check(values.get(key) == [value], f"{key}={value}")
        check(values.get("Environment") == ["XDG_STATE_HOME=%S"], "XDG_STATE_HOME is the state root (%S)")

        # 3. The command as the unit runs it.
        state = os.path.join(work, "state")
        os.mkdir(state, 0o700)
        os.chown(state, 65534, 65534)
        os.chmod(work, 0o755)
        bindir = os.path.join(work, "bin")
        os.mkdir(bindir)
        port = 19100 + os.getpid() % 500
        args = EXEC.split()[1:]
        args[args.index("127.0.0.1:9100")] = f"127.0.0.1:{port}"
        with Netns(f"sk-unit-{os.getpid()}") as ns:
            cmd = packaged_command(SOCKEYE, bindir) + ["-i", "lo", "-d", "4", "--no-geoip"] + args[0:]
            err = open(os.path.join(work, "err"), "w")
            proc = ns.spawn(ns.name, "env", f"XDG_STATE_HOME={state}", *cmd, stderr=err)
            url = f"http://127.0.0.1:{port}/metrics"
            scraped = wait_for(lambda: sh(*in_ns(ns.name, "curl", "-s", "--max-time", "1", url),
                                          check=False).stdout, 10, step=0.2)
            check(bool(scraped) and "sockeye_" in scraped, "the metrics endpoint answers")
            for _ in range(3):
                sh(*in_ns(ns.name, "curl", "-s", "-o", "/dev/null", "--max-time", "1", url), check=False)
            status = proc.wait(timeout=30)
            err.close()
            with open(os.path.join(work, "err")) as f:
                stderr = f.read().strip()
            check(status == 0, f"sockeye exits 0 after -d 4 ({status}: {stderr!r})")
        db = os.path.join(state, "sockeye", "history.db")
        check(os.path.exists(db), f"the store is {db}")
        if os.path.exists(db):
            st = os.stat(db)
            check(st.st_uid == 65534, f"owned by the service's user ({st.st_uid})")
            r = subprocess.run(["sqlite3", db, "PRAGMA integrity_check; SELECT count(*) FROM connections "
                                "WHERE destination_port = " + str(port)], capture_output=True, text=True,
                               timeout=30, check=False)
            lines = r.stdout.split()
            check(lines[:1] == ["ok"] and len(lines) == 2 and int(lines[1]) >= 3,
                  f"integrity_check ok, the scrapes recorded ({lines})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} check(s) failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
