#!/usr/bin/env python3
"""sockeye's .mmdb reader against mmdblookup (libmaxminddb) on real databases.

For each database that scripts/fetch-geoip --tests fetches (GeoLite2's layout,
ip-location-db's flat one, and an ASN database converted from CSV by
scripts/geoip-asn-mmdb), and for every address in the test captures plus a
fixed random sample, the record sockeye finds (prefix length and the whole
decoded value) must equal what mmdblookup prints for the same file, and
GeoDatabases' country, ASN and organisation must be the ones the record holds
at that vendor's paths. Exits non-zero on any difference, and when there is
nothing to compare.
"""
import argparse
import concurrent.futures
import ipaddress
import json
import pathlib
import random
import re
import subprocess
import sys

SAMPLE_V4 = 800
SAMPLE_V6 = 400


def capture_addresses(tshark, captures):
    found = set()
    files = sorted(p for p in pathlib.Path(captures).rglob("*") if p.suffix in (".pcap", ".pcapng"))
    for f in files:
        r = subprocess.run([tshark, "-n", "-r", str(f), "-T", "fields", "-e", "ip.src", "-e", "ip.dst",
                            "-e", "ipv6.src", "-e", "ipv6.dst", "-E", "separator=,", "-E", "aggregator=,"],
                           capture_output=True, text=True, timeout=120)
        for line in r.stdout.splitlines():
            for field in line.split(","):
                field = field.strip()
                if not field:
                    continue
                try:
                    found.add(str(ipaddress.ip_address(field)))
                except ValueError:
                    pass
    return found, len(files)


def random_addresses():
    rng = random.Random(17)
    out = set()
    while len(out) < SAMPLE_V4:
        out.add(str(ipaddress.IPv4Address(rng.getrandbits(32))))
    v6 = set()
    while len(v6) < SAMPLE_V6:
        # Global unicast (2000::/3), where the databases have data.
        v6.add(str(ipaddress.IPv6Address((0b001 << 125) | rng.getrandbits(125))))
    return out | v6


SCALAR = re.compile(r'^(?:"(?P<s>.*)"|(?P<v>\S+)) <(?P<t>\w+)>$')
KEY = re.compile(r'^"(?P<k>.*)":$')


def parse_mmdblookup(text):
    """(prefix length, record) from `mmdblookup -v` output; record None when absent."""
    m = re.search(r"Record prefix length: (\d+)", text)
    prefix = int(m.group(1)) if m else None
    if "Could not find an entry" in text:
        return prefix, None
    lines = [l.strip() for l in text.splitlines()]
    start = next(i for i, l in enumerate(lines) if l in ("{", "["))
    pos = start

    def value():
        nonlocal pos
        line = lines[pos]
        pos += 1
        if line == "{":
            out = {}
            while lines[pos] != "}":
                k = KEY.match(lines[pos]).group("k")
                pos += 1
                out[k] = value()
            pos += 1
            return out
        if line == "[":
            out = []
            while lines[pos] != "]":
                out.append(value())
            pos += 1
            return out
        m = SCALAR.match(line)
        if not m:
            raise ValueError("cannot read mmdblookup line: " + line)
        t = m.group("t")
        if t == "utf8_string":
            return m.group("s")
        v = m.group("v")
        if t in ("uint16", "uint32", "uint64", "int32"):
            return int(v)
        if t == "boolean":
            return v == "true"
        if t in ("double", "float"):
            return float(v)
        return v

    return prefix, value()


def same(ours, theirs):
    """Equal records; numbers printed with %f by mmdblookup compare to 1e-5."""
    if isinstance(theirs, float) and isinstance(ours, (int, float)):
        return abs(ours - theirs) <= 1e-5 * max(1.0, abs(theirs))
    if isinstance(theirs, dict):
        return isinstance(ours, dict) and ours.keys() == theirs.keys() and all(
            same(ours[k], theirs[k]) for k in theirs)
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(
            same(a, b) for a, b in zip(ours, theirs))
    return type(ours) is type(theirs) and ours == theirs


def expected_country(layout, record):
    if record is None:
        return ""
    if layout == "flat":
        return record.get("country_code", "")
    for key in ("country", "registered_country"):
        code = record.get(key, {}).get("iso_code")
        if code:
            return code
    return ""


def expected_city(layout, kind, record):
    if record is None or kind != "city":
        return ""
    if layout == "flat":
        return record.get("city", "")
    return record.get("city", {}).get("names", {}).get("en", "")


def check_database(args, path, addresses):
    order = sorted(addresses, key=lambda a: (ipaddress.ip_address(a).version, ipaddress.ip_address(a)))
    out = subprocess.run([args.geo_lookup, str(path)], input="\n".join(order) + "\n", capture_output=True,
                         text=True, timeout=300)
    if out.returncode != 0:
        return [f"{path.name}: geo-lookup failed: {out.stderr.strip()}"], 0
    lines = out.stdout.splitlines()
    layout, kind = lines[0].split()[2], lines[0].split()[4]
    ours = {}
    for line in lines[1:]:
        addr, status, prefix, record, scope, country, city, asn, org = line.split("\t")
        ours[addr] = (status, int(prefix), json.loads(record), scope, country, city, int(asn), org)

    def reference(addr):
        r = subprocess.run([args.mmdblookup, "-v", "-f", str(path), "-i", addr], capture_output=True, text=True,
                           timeout=60)
        return addr, parse_mmdblookup(r.stdout + r.stderr)

    problems = []
    found = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for addr, (prefix, record) in pool.map(reference, order):
            status, our_prefix, our_record, scope, country, city, asn, org = ours[addr]
            want_status = "found" if record is not None else "not_found"
            if status != want_status:
                problems.append(f"{path.name} {addr}: sockeye {status}, mmdblookup {want_status}")
                continue
            if prefix is not None and our_prefix != prefix:
                problems.append(f"{path.name} {addr}: prefix length {our_prefix}, mmdblookup {prefix}")
            if record is not None:
                found += 1
                if not same(our_record, record):
                    problems.append(f"{path.name} {addr}: record {our_record} != mmdblookup {record}")
            want_country = expected_country(layout, record) if scope == "public" else ""
            if country != want_country:
                problems.append(f"{path.name} {addr} ({scope}): country '{country}', record says '{want_country}'")
            want_city = expected_city(layout, kind, record) if scope == "public" else ""
            if city != want_city:
                problems.append(f"{path.name} {addr} ({scope}): city '{city}', record says '{want_city}'")
            network = record if record is not None and scope == "public" else {}
            want = (network.get("autonomous_system_number", 0), network.get("autonomous_system_organization", ""))
            if (asn, org) != want:
                problems.append(f"{path.name} {addr} ({scope}): network {asn} '{org}', record says {want}")
    print(f"{path.name}: {kind}, layout {layout}, {len(order)} addresses, {found} with a record, "
          f"{len(problems)} differences")
    return problems, found


def fetched_args(own_option):
    """The geo oracles' command line (the tools, the fetch script, the
    databases' directory, the captures, and `own_option`: what each checks),
    once scripts/fetch-geoip --tests has filled the directory."""
    p = argparse.ArgumentParser()
    for option in (own_option, "--mmdblookup", "--tshark", "--fetch", "--dir", "--captures"):
        p.add_argument(option, required=True)
    args = p.parse_args()
    subprocess.run([args.fetch, "--tests", args.dir], check=True)
    return args


def main():
    args = fetched_args("--geo-lookup")
    databases = sorted(pathlib.Path(args.dir).glob("*.mmdb"))
    if len(databases) < 3:
        print(f"expected three databases (two layouts, country and ASN) in {args.dir}", file=sys.stderr)
        return 1
    from_captures, files = capture_addresses(args.tshark, args.captures)
    if not from_captures:
        print(f"no addresses from captures in {args.captures} (run scripts/fetch-test-captures)", file=sys.stderr)
        return 1
    addresses = from_captures | random_addresses()
    print(f"{len(from_captures)} addresses from {files} captures, {len(addresses)} in all")
    problems = []
    for db in databases:
        found_problems, found = check_database(args, db, addresses)
        problems += found_problems
        if found < 100:
            problems.append(f"{db.name}: only {found} addresses had a record; the comparison proves little")
    return report(problems)


def report(problems):
    """Prints the first 50 differences and their count; the exit status."""
    for line in problems[:50]:
        print(line)
    print(f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
