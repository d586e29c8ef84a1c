"""A network namespace pair joined by a veth, IPv4 and IPv6, for the eBPF
end-to-end tests: A runs the clients and sockeye, B the servers. Names carry
the test's pid; teardown() deletes both namespaces (and with them the veth)."""
import subprocess


def sh(*cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def in_ns(ns, *cmd):
    return ["ip", "netns", "exec", ns, *cmd]


class NetnsPair:
    A4, B4 = "10.213.21.1", "10.213.21.2"
    A6, B6 = "fd00:5eb:21::1", "fd00:5eb:21::2"

    def __init__(self, tag):
        self.a, self.b = f"sk-eb-a-{tag}", f"sk-eb-b-{tag}"
        self.if_a, self.if_b = f"eba{tag}"[:15], f"ebb{tag}"[:15]

    def setup(self):
        sh("ip", "netns", "add", self.a)
        sh("ip", "netns", "add", self.b)
        sh("ip", "link", "add", self.if_a, "netns", self.a, "type", "veth", "peer", "name",
           self.if_b, "netns", self.b)
        for ns, ifname, v4, v6 in ((self.a, self.if_a, self.A4, self.A6),
                                   (self.b, self.if_b, self.B4, self.B6)):
            sh(*in_ns(ns, "ip", "link", "set", "lo", "up"))
            sh(*in_ns(ns, "ip", "addr", "add", f"{v4}/24", "dev", ifname))
            sh(*in_ns(ns, "ip", "-6", "addr", "add", f"{v6}/64", "dev", ifname, "nodad"))
            sh(*in_ns(ns, "ip", "link", "set", ifname, "up"))

    def teardown(self):
        for ns in (self.a, self.b):
            sh("ip", "netns", "del", ns, check=False)
