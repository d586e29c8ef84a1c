"""Network namespaces for sockeye's end-to-end suites.

The e2e suites (tests/e2e, dpi_e2e, dpi_e2e_quic, ebpf_e2e, exports_e2e, metrics_e2e,
sandbox_e2e, tui_e2e) run real clients, servers, tcpdump and sockeye inside
namespaces they create, so their traffic never reaches the host's network and
the host's traffic never reaches their captures. This module is the one copy
of what they share:

  sh, in_ns        run a command (bounded, output captured), in a namespace;
  wait_for, stop   bounded polling; SIGTERM-then-SIGKILL for one process;
  Netns            one namespace with only loopback up (optionally its own
                   /etc files, which `ip netns exec` mounts over /etc);
  NetnsPair        two namespaces joined by a veth, IPv4 and optionally IPv6
                   on both ends: A (.1 / ::1) runs sockeye and the clients,
                   B (.2 / ::2) the servers.

Both classes are context managers: on the way out, whatever raised, the
processes started through spawn() / start_tcpdump() are stopped and then the
namespaces deleted (a namespace with a process still inside would outlive
`ip netns del`, and its veth with it). Names carry a tag, the test's pid by
default, so concurrent or left-over runs never collide.

A suite imports it relative to its own path:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    from netns import NetnsPair, in_ns, sh  # noqa: E402
"""
import ipaddress
import os
import select
import shutil
import signal
import subprocess
import time

# A command that hangs must fail the test with a traceback, not run into
# ctest's timeout, which kills the driver before it can delete namespaces.
DEFAULT_TIMEOUT = 60


def sh(*cmd, check=True, timeout=DEFAULT_TIMEOUT, **kw):
    """Runs cmd with its output captured as text; raises on a non-zero exit
    unless check=False, and after `timeout` seconds in any case."""
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=timeout,
                          **kw)


def in_ns(ns, *cmd):
    """The command line that runs cmd inside namespace ns. `ip netns exec`
    execs cmd in place, so a Popen of it has cmd's own pid."""
    return ["ip", "netns", "exec", ns, *cmd]


def wait_for(predicate, seconds, step=0.1):
    """Polls predicate every `step` seconds until it returns something true,
    which is returned; None once `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(step)
    return None


def stop(proc, seconds=10, sig=signal.SIGTERM):
    """Sends sig, waits up to `seconds`, then SIGKILLs. Returns the exit
    status, or None when the process had to be killed."""
    if proc.poll() is not None:
        return proc.returncode
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def stop_all(procs, seconds=5):
    """SIGTERM to every process still running, then SIGKILL to those that
    have not exited `seconds` later. SIGTERM first: a `timeout N server`
    wrapper passes it on, while SIGKILL would orphan the server."""
    running = [p for p in procs if p.poll() is None]
    for p in running:
        p.terminate()
    deadline = time.monotonic() + seconds
    for p in running:
        try:
            p.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


class _Namespaces:
    """What Netns and NetnsPair share: the processes started in them, and
    setup/teardown as a context manager."""

    def __init__(self):
        self.procs = []

    def spawn(self, ns, *cmd, **kw):
        """Popen of cmd inside ns, stopped at teardown. stdout and stderr go
        to /dev/null unless given."""
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        proc = subprocess.Popen(in_ns(ns, *cmd), **kw)
        self.procs.append(proc)
        return proc

    def start_tcpdump(self, ns, *args, seconds=15.0):
        """Starts `tcpdump args` in ns and returns once it says it listens
        (a fixed sleep lost the first packets on a loaded machine)."""
        proc = self.spawn(ns, "tcpdump", *args, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([proc.stderr], [], [], seconds)
        if not ready or "listening on" not in proc.stderr.readline():
            raise RuntimeError("tcpdump did not start listening")
        return proc

    def __enter__(self):
        try:
            self.setup()
        except BaseException:
            self.teardown()
            raise
        return self

    def __exit__(self, *exc):
        self.teardown()

    def setup(self):
        raise NotImplementedError

    def teardown(self):
        stop_all(self.procs)
        self._delete()

    def _delete(self):
        raise NotImplementedError


class Netns(_Namespaces):
    """One namespace with loopback up, for suites whose traffic stays on lo."""

    def __init__(self, name):
        super().__init__()
        self.name = name
        self.etc = f"/etc/netns/{name}"
        self._wrote_etc = False

    def setup(self):
        sh("ip", "netns", "add", self.name)
        sh(*in_ns(self.name, "ip", "link", "set", "lo", "up"))

    def write_etc(self, filename, text):
        """Writes /etc/netns/<name>/<filename>, which `ip netns exec` mounts
        over /etc/<filename> inside this namespace only (e.g. hosts);
        removed at teardown."""
        os.makedirs(self.etc, exist_ok=True)
        self._wrote_etc = True
        with open(os.path.join(self.etc, filename), "w") as f:
            f.write(text)

    def _delete(self):
        sh("ip", "netns", "del", self.name, check=False)
        if self._wrote_etc:
            shutil.rmtree(self.etc, ignore_errors=True)


class NetnsPair(_Namespaces):
    """Namespaces sk-<name>-a-<tag> and sk-<name>-b-<tag> joined by the veth
    <if_prefix>a<tag> / <if_prefix>b<tag> (cut to 15 characters).

    The address plan is a subnet per family: A gets host 1, B host 2
    (attributes A4, B4, A6, B6; A6/B6 are None without v6). IPv6 addresses
    skip duplicate address detection so they are usable at once.

    Options for captures that must see segments as sent on the wire:
    mtu (both ends), offloads=False (TSO/GSO/GRO off with ethtool, when it
    is installed: otherwise captures show GSO super-packets) and advmss
    (each end advertises that MSS on the subnet routes, so the peer's
    handshake messages span several segments)."""

    def __init__(self, name, if_prefix, v4, v6=None, tag=None, mtu=None, offloads=True,
                 advmss=None):
        super().__init__()
        tag = str(os.getpid() if tag is None else tag)
        self.a, self.b = f"sk-{name}-a-{tag}", f"sk-{name}-b-{tag}"
        self.if_a, self.if_b = f"{if_prefix}a{tag}"[:15], f"{if_prefix}b{tag}"[:15]
        self.net4 = ipaddress.ip_network(v4)
        self.net6 = ipaddress.ip_network(v6) if v6 else None
        self.A4, self.B4 = str(self.net4[1]), str(self.net4[2])
        self.A6, self.B6 = (str(self.net6[1]), str(self.net6[2])) if v6 else (None, None)
        self.mtu, self.offloads, self.advmss = mtu, offloads, advmss

    def ends(self):
        """(namespace, interface, IPv4, IPv6 or None) for A, then B."""
        return ((self.a, self.if_a, self.A4, self.A6), (self.b, self.if_b, self.B4, self.B6))

    def setup(self):
        sh("ip", "netns", "add", self.a)
        sh("ip", "netns", "add", self.b)
        sh("ip", "link", "add", self.if_a, "netns", self.a, "type", "veth", "peer", "name",
           self.if_b, "netns", self.b)
        for ns, ifname, v4, v6 in self.ends():
            sh(*in_ns(ns, "ip", "link", "set", "lo", "up"))
            if self.mtu:
                sh(*in_ns(ns, "ip", "link", "set", ifname, "mtu", str(self.mtu)))
            sh(*in_ns(ns, "ip", "addr", "add", f"{v4}/{self.net4.prefixlen}", "dev", ifname))
            if v6:
                sh(*in_ns(ns, "ip", "-6", "addr", "add", f"{v6}/{self.net6.prefixlen}", "dev",
                          ifname, "nodad"))
            sh(*in_ns(ns, "ip", "link", "set", ifname, "up"))
            if not self.offloads and shutil.which("ethtool"):
                sh(*in_ns(ns, "ethtool", "-K", ifname, "tso", "off", "gso", "off", "gro", "off"),
                   check=False)
            if self.advmss:
                sh(*in_ns(ns, "ip", "route", "replace", str(self.net4), "dev", ifname, "advmss",
                          str(self.advmss)))
                if v6:
                    sh(*in_ns(ns, "ip", "-6", "route", "replace", str(self.net6), "dev", ifname,
                              "advmss", str(self.advmss)))

    def _delete(self):
        for ns in (self.a, self.b):
            sh("ip", "netns", "del", ns, check=False)
