#!/usr/bin/env python3
"""sockeye's remote_geo in --json against mmdblookup (libmaxminddb), end to end.

sockeye reads every test capture with `--json --geoip-dir COUNTRY.mmdb
--geoip-dir ASN.mmdb`, once with GeoLite2's layout and once with
ip-location-db's flat one (the databases scripts/fetch-geoip --tests fetches).
For every public remote address in the output, the country must be what
mmdblookup finds at that vendor's path in the same country database, and the
AS number and organisation what it finds in the ASN database; an address that
is not public must be labelled with its range and carry no answer, and a
unicast one Python calls global must be public. Exits non-zero on any difference, and when
there is too little to compare. The packet comments of --pcapng-export must
name the same country and AS as the JSON does.
"""
import concurrent.futures
import ipaddress
import json
import pathlib
import subprocess
import sys

from mmdblookup_crosscheck import expected_country, fetched_args, parse_mmdblookup, report

MIN_PUBLIC = 50


def remote_geo_by_address(sockeye, captures, databases):
    """destination address -> remote_geo, over every capture."""
    found = {}
    files = sorted(p for p in pathlib.Path(captures).rglob("*") if p.suffix in (".pcap", ".pcapng"))
    args = [a for db in databases for a in ("--geoip-dir", str(db))]
    for f in files:
        r = subprocess.run([sockeye, "--no-sandbox", "-r", str(f), "--json", *args],
                           capture_output=True, text=True, timeout=120)
        if "--geoip-dir" in r.stderr:
            raise SystemExit(f"sockeye refused the databases: {r.stderr.strip()}")
        for line in r.stdout.splitlines():
            obj = json.loads(line)
            if obj.get("type") != "flow":
                continue
            if "remote_geo" not in obj:
                raise SystemExit(f"{f.name}: a flow line without remote_geo: {line[:300]}")
            found[obj["destination_ip"]] = obj["remote_geo"]
    return found, len(files)


def check_pcapng_comments(args, databases, geo):
    """The country= and asn= of each packet comment of --pcapng-export are
    those --json gives the packet's remote end (read back with tshark)."""
    problems, checked = [], 0
    files = sorted(p for p in pathlib.Path(args.captures).rglob("*.pcap"))
    dbs = [a for db in databases for a in ("--geoip-dir", str(db))]
    out = pathlib.Path(args.dir) / "oracle-comments.pcapng"
    for f in files:
        r = subprocess.run([args.sockeye, "--no-sandbox", "-r", str(f), "--summary", *dbs, "--pcapng-export",
                            str(out)], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            continue  # a truncated capture: its flows were checked through --json
        t = subprocess.run([args.tshark, "-n", "-r", str(out), "-T", "fields", "-e", "ip.src", "-e", "ip.dst",
                            "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "frame.comment", "-E", "separator=\t"],
                           capture_output=True, text=True, timeout=120)
        for line in t.stdout.splitlines():
            fields = line.split("\t")
            comment = dict(kv.split("=", 1) for kv in fields[-1].split() if "=" in kv)
            if "country" not in comment and "asn" not in comment:
                continue
            # ICMP errors quote the packet they answer: tshark lists both headers' addresses.
            ends = [a for field in fields[:-1] for a in field.split(",") if a in geo]
            want = {(geo[a]["country"], geo[a]["asn"]) for a in ends}
            got = (comment.get("country"), int(comment["asn"]) if "asn" in comment else None)
            checked += 1
            if got not in want:
                problems.append(f"{f.name}: packet {fields[:-1]} comment {fields[-1]!r}, --json says {want}")
    out.unlink(missing_ok=True)
    print(f"pcapng comments: {checked} packets with a country or AS checked")
    if checked == 0:
        problems.append("no pcapng comment named a country or AS")
    return problems


def record_of(mmdblookup, path, addr):
    r = subprocess.run([mmdblookup, "-v", "-f", str(path), "-i", addr], capture_output=True, text=True,
                       timeout=60)
    return parse_mmdblookup(r.stdout + r.stderr)[1]


def check(args, country_db, layout, asn_db):
    geo, files = remote_geo_by_address(args.sockeye, args.captures, [country_db, asn_db])
    problems = []
    public = sorted(a for a, g in geo.items() if g["scope"] == "public")
    for addr, g in geo.items():
        if g["scope"] != "public":
            if any(g[k] is not None for k in ("country", "city", "asn", "organisation")):
                problems.append(f"{addr} ({g['scope']}): looked up anyway: {g}")
            ip = ipaddress.ip_address(addr)
            if ip.is_global and not ip.is_multicast:  # Python calls 224.0.0.0/4 global
                problems.append(f"{addr}: labelled {g['scope']}, but it is a global address")

    def reference(addr):
        return addr, record_of(args.mmdblookup, country_db, addr), record_of(args.mmdblookup, asn_db, addr)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for addr, country_record, asn_record in pool.map(reference, public):
            g = geo[addr]
            want_country = expected_country(layout, country_record) or None
            if g["country"] != want_country:
                problems.append(f"{addr}: country {g['country']!r}, {country_db.name} says {want_country!r}")
            network = asn_record or {}
            want = (network.get("autonomous_system_number"), network.get("autonomous_system_organization"))
            if (g["asn"], g["organisation"]) != want:
                problems.append(f"{addr}: network {g['asn']} {g['organisation']!r}, {asn_db.name} says {want}")
    if layout == "geoip2":
        problems += check_pcapng_comments(args, [country_db, asn_db], geo)
    print(f"{country_db.name} ({layout}) + {asn_db.name}: {len(geo)} remote addresses from {files} captures, "
          f"{len(public)} public, {len(problems)} differences")
    if len(public) < MIN_PUBLIC:
        problems.append(f"only {len(public)} public remote addresses: the comparison proves little")
    return problems


def main():
    args = fetched_args("--sockeye")
    d = pathlib.Path(args.dir)
    asn_db = d / "ip-location-db-asn.mmdb"
    pairs = [(d / "GeoLite2-Country.mmdb", "geoip2"), (d / "geo-whois-asn-country.mmdb", "flat")]
    for path in [asn_db] + [c for c, _ in pairs]:
        if not path.is_file():
            print(f"{path} is missing after scripts/fetch-geoip --tests", file=sys.stderr)
            return 1
    problems = []
    for country_db, layout in pairs:
        problems += check(args, country_db, layout, asn_db)
    return report(problems)


if __name__ == "__main__":
    sys.exit(main())
