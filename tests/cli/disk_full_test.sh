#!/usr/bin/env bash
# The disk filling during an export: a 256 KiB tmpfs receives --pcapng-export,
# --pcap-export and --json-log while a capture of a few MB is replayed with -r.
# Each export that hits ENOSPC says so once on stderr and stops; the monitor
# reads the file to its end, prints every flow and exits 0.
# Needs root (mount); the mount is removed on exit.
set -uo pipefail
sockeye=$1
trafficgen=$2
source "$(dirname "$0")/common.sh"

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: mounting a tmpfs needs root"
  exit 77
fi
full=$tmp/full
mkdir "$full"
mount -t tmpfs -o size=256k tmpfs "$full" || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
cleanup_hooks+=("umount '$full'")

packets=20000
"$trafficgen" bench-mix "$tmp/big.pcap" --packets $packets || { fail "trafficgen"; finish; exit 1; }

# run_full NAME EXPORT_ARGS...: replays big.pcap with the exports into $full.
run_full() {
  local name=$1
  shift
  rm -rf "${full:?}"/*
  expect "$name" 0 "" -- -r "$tmp/big.pcap" --json "$@"
  # Every packet was still read and every flow printed.
  if grep -q "\"type\":\"summary\",\"packets\":$packets," "$tmp/out" && grep -q '"complete":true' "$tmp/out"; then
    pass
  else
    fail "$name: the monitor did not read the whole capture"; tail -c 400 "$tmp/out"; echo
  fi
}

# one_stop_line NAME EXPORT: exactly one line says that EXPORT stopped, and
# names the cause.
one_stop_line() {
  local name=$1 export_name=$2
  local n
  n=$(grep -c "^sockeye: $export_name export stopped: .*No space left on device" "$tmp/err")
  if [[ $n -eq 1 ]]; then pass; else
    fail "$name: want one '$export_name export stopped' line, got $n:"; sed 's/^/  | /' "$tmp/err"; fi
  # The exit totals count what was lost instead of repeating the error.
  if grep -Eq "^sockeye: $export_name export to .*: [0-9]+ written, [1-9][0-9]* dropped" "$tmp/err"; then pass; else
    fail "$name: no totals line with drops for $export_name"; sed 's/^/  | /' "$tmp/err"; fi
}

run_full "pcapng export, disk full" --pcapng-export "$full/a.pcapng"
one_stop_line "pcapng export, disk full" pcapng
run_full "pcap export, disk full" --pcap-export "$full/a.pcap"
one_stop_line "pcap export, disk full" pcap
run_full "json-log, disk full" --json-log "$full/events.jsonl"
one_stop_line "json-log, disk full" json-log
# All at once: each says so once, none takes the others down.
run_full "all exports, disk full" --pcapng-export "$full/b.pcapng" --pcap-export "$full/b.pcap" \
  --json-log "$full/b.jsonl"
for e in pcapng pcap json-log; do one_stop_line "all exports, disk full" "$e"; done
# Headless the same: no output of its own, the exit totals, exit 0.
rm -rf "${full:?}"/*
expect "headless, disk full" 0 "" -- -r "$tmp/big.pcap" --headless --pcapng-export "$full/c.pcapng"
one_stop_line "headless, disk full" pcapng
# The files that were written are readable up to where the disk filled.
rm -rf "${full:?}"/*
"$sockeye" -r "$tmp/big.pcap" --summary --pcap-export "$full/d.pcap" >/dev/null 2>&1
if tcpdump -r "$full/d.pcap" -c 10 -w /dev/null 2>/dev/null; then pass; else fail "pcap written before the disk filled is not readable"; fi

finish
