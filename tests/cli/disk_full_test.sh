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
disk_size=256k
mount -t tmpfs -o size=$disk_size tmpfs "$full" || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
cleanup_hooks+=("umount '$full'")

# fresh_disk: an empty 256 KiB tmpfs again. Not `rm`: the kernel may return
# a deleted file's blocks a little later (seen on 6.18: df still said 100%
# used right after rm), and the next run would then start on a full disk.
fresh_disk() {
  umount "$full" && mount -t tmpfs -o size=$disk_size tmpfs "$full" || { fail "cannot remount the tmpfs"; finish; exit 1; }
}

packets=20000
"$trafficgen" bench-mix "$tmp/big.pcap" --packets $packets || { fail "trafficgen"; finish; exit 1; }

# run_full NAME EXPORT_ARGS...: replays big.pcap with the exports into $full.
run_full() {
  local name=$1
  shift
  fresh_disk
  expect "$name" 0 "" -- -r "$tmp/big.pcap" --json --export-loss-ok "$@"
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
fresh_disk
expect "headless, disk full" 0 "" -- -r "$tmp/big.pcap" --headless --export-loss-ok \
  --pcapng-export "$full/c.pcapng"
one_stop_line "headless, disk full" pcapng
# Without --export-loss-ok a lost record is exit status 3, in every mode.
for mode in --json --summary --headless; do
  fresh_disk
  timeout -k 5 60 "$sockeye" -r "$tmp/big.pcap" $mode --pcapng-export "$full/e.pcapng" \
    >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  if [[ $rc -eq 3 ]] && grep -Eq "^sockeye: pcapng export to .*[1-9][0-9]* dropped" "$tmp/err"; then
    pass
  else
    fail "$mode, disk full, no --export-loss-ok: exit $rc (want 3)"; sed 's/^/  | /' "$tmp/err"
  fi
done
# The files that were written are readable up to where the disk filled.
# A pcapng export alone owns the whole disk: it must hold packets.
fresh_disk
"$sockeye" -r "$tmp/big.pcap" --summary --pcapng-export "$full/d.pcapng" >/dev/null 2>&1
if tcpdump -r "$full/d.pcapng" -c 10 -w /dev/null 2>/dev/null; then pass; else
  fail "pcapng written before the disk filled is not readable"; ls -l "$full"; fi
# A pcap export shares the disk with its FILE.connections.jsonl, and the two
# writer threads race for the space: either may get it all. Whatever each got
# must be readable, and together they must have filled the disk.
fresh_disk
"$sockeye" -r "$tmp/big.pcap" --summary --pcap-export "$full/d.pcap" >/dev/null 2>&1
pcap_bytes=$(stat -c %s "$full/d.pcap")
jsonl_bytes=$(stat -c %s "$full/d.pcap.connections.jsonl")
if (( pcap_bytes + jsonl_bytes > 200 * 1024 )); then pass; else
  fail "pcap and its connections file hold $pcap_bytes + $jsonl_bytes bytes, want the disk filled"; fi
# 24-byte file header + one 16-byte record header + at least one byte.
if (( pcap_bytes <= 40 )) || tcpdump -r "$full/d.pcap" -c 1 -w /dev/null 2>/dev/null; then pass; else
  fail "pcap written before the disk filled ($pcap_bytes bytes) is not readable"; fi
# Every whole line of the connections file is JSON; only the last may be cut.
if python3 -c '
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
for line in lines[:-1]:
    json.loads(line)
' "$full/d.pcap.connections.jsonl"; then pass; else
  fail "connections file written before the disk filled ($jsonl_bytes bytes) has a broken line"; fi

finish
