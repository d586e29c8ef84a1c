"""What the tshark oracles share: running a tool with a bound, addresses in
one spelling, endpoints printed alike, and sockeye's TCP/UDP flows read from
`-r FILE --json` (each suite wraps a JSON flow in its own Flow class)."""
import ipaddress
import json
import subprocess

TIMEOUT_S = 600


def run(cmd):
    """The finished process (stdout and stderr as bytes); never raises on a
    non-zero exit, only when the bound passes."""
    return subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)


def norm_ip(text):
    """An address in its compressed form (IPv6 spelled one way); other text
    as it is."""
    try:
        return ipaddress.ip_address(text).compressed
    except ValueError:
        return text


def fmt_ep(ep):
    addr, port = ep
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def sockeye_flows(sockeye, capture, make_flow):
    """make_flow(obj) for each TCP/UDP flow line of `sockeye -r capture
    --json`, and the finished process."""
    r = run([sockeye, "-r", capture, "--json"])
    flows = []
    for line in r.stdout.decode(errors="replace").splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if obj.get("type") == "flow" and obj.get("protocol") in ("TCP", "UDP"):
            flows.append(make_flow(obj))
    return flows, r
