#!/usr/bin/env bash
# Corrupt capture files: garbage after a valid header, absurd caplen/len
# fields, snaplen-cut packets, broken pcapng blocks. Each gets exit 0 (the
# file is readable, the damage is counted) or exit 1 with one line on stderr
# naming the file (the flows read so far are still printed) -- never a crash.
# (Truncated and non-capture files: cli_test.sh.)
set -uo pipefail
sockeye=$1
source "$(dirname "$0")/common.sh"

eth='\x01\x00\x00\x00'

# --- Random bytes after a valid header, several seeds ----------------------
for seed in 1 2 3 4 5 6 7 8; do
  { pcap_header "$eth"; random_bytes "$seed" 4096; } >"$tmp/random$seed.pcap"
  "$sockeye" -r "$tmp/random$seed.pcap" --json >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  if [[ $rc -eq 0 ]]; then
    check_result "random bytes seed $seed" "$rc" 0 ""
  else
    check_result "random bytes seed $seed" "$rc" 1 "random$seed.pcap"
  fi
  # Whatever was read is still reported, and says whether it is complete.
  if grep -q '"type":"summary"\|"complete":' "$tmp/out"; then pass; else fail "random bytes seed $seed: no summary"; fi
done
# Random bytes where the records should be, behind one good record.
{ pcap_header "$eth"; record_header 42 42; arp_frame; random_bytes 99 2048; } >"$tmp/good_then_random.pcap"
expect "good record then random bytes" 1 "good_then_random.pcap.* after 1 packets" -- -r "$tmp/good_then_random.pcap" --json
if grep -q '"protocol":"ARP"' "$tmp/out" && grep -q '"complete":false' "$tmp/out"; then pass; else
  fail "good record then random bytes: the ARP flow read first is missing"; fi

# --- Absurd length fields ---------------------------------------------------
{ pcap_header "$eth"; record_header 4294967295 42; arp_frame; } >"$tmp/caplen_huge.pcap"
expect "caplen 0xffffffff" 1 "caplen_huge.pcap.*after 0 packets" -- -r "$tmp/caplen_huge.pcap" --json
{ pcap_header "$eth"; record_header 300000 300000; arp_frame; } >"$tmp/caplen_over_snaplen.pcap"
expect "caplen past the maximum snaplen" 1 "caplen_over_snaplen.pcap" -- -r "$tmp/caplen_over_snaplen.pcap" --summary
# A header whose snaplen is 0 or 0xffffffff: libpcap substitutes a sane one.
{ pcap_header "$eth" '\xff\xff\xff\xff'; record_header 42 42; arp_frame; } >"$tmp/snaplen_huge.pcap"
expect "snaplen 0xffffffff" 0 "" -- -r "$tmp/snaplen_huge.pcap" --json
if grep -q '"packets":1,' "$tmp/out"; then pass; else fail "snaplen 0xffffffff: packet not read"; fi
# len absurdly large (4 GiB on the wire) on every record: byte counters must
# not wrap or overflow (UBSan would say so in the asan build).
{ pcap_header "$eth"; for _ in 1 2 3; do record_header 42 4294967295; arp_frame; done; } >"$tmp/len_huge.pcap"
expect "len 0xffffffff" 0 "" -- -r "$tmp/len_huge.pcap" --json
if grep -q '"bytes":12884901885' "$tmp/out"; then pass; else
  fail "len 0xffffffff: want 3 x 4294967295 bytes"; grep -o '"bytes":[0-9]*' "$tmp/out" | head -3; fi
# len smaller than caplen (impossible on a real link) and zero-length records.
{ pcap_header "$eth"; record_header 42 10; arp_frame; record_header 0 0; record_header 0 60; } >"$tmp/len_small.pcap"
expect "len < caplen, caplen 0" 0 "" -- -r "$tmp/len_small.pcap" --json
if grep -q '"complete":true' "$tmp/out"; then pass; else fail "len < caplen: summary missing"; fi

# --- Snaplen-cut packets ----------------------------------------------------
# snaplen 54: each TCP segment is cut after its header; len says 1514.
{ pcap_header "$eth" '\x36\x00\x00\x00'
  for s in 0 1 2 3; do record_header 54 1514 $((1704067200 + s)); tcp_frame_1500; done
  # Cut inside the IPv4 header, and inside the Ethernet header.
  record_header 20 1514 1704067205; tcp_frame_1500 | head -c 20
  record_header 6 1514 1704067206; tcp_frame_1500 | head -c 6
} >"$tmp/snaplen_cut.pcap"
expect "snaplen-cut packets" 0 "" -- -r "$tmp/snaplen_cut.pcap" --json
# The flow carries the bytes on the wire, not the captured ones.
if grep -q '"protocol":"TCP"' "$tmp/out" && grep -q '"bytes_sent":6056' "$tmp/out"; then pass; else
  fail "snaplen-cut packets: want one TCP flow with 4 x 1514 bytes sent"; head -c 600 "$tmp/out"; echo; fi
expect "snaplen-cut packets, summary" 0 "" -- -r "$tmp/snaplen_cut.pcap" --summary
if grep -q "6 packets" "$tmp/out"; then pass; else fail "snaplen-cut summary: want 6 packets"; cat "$tmp/out"; fi

# --- pcapng -----------------------------------------------------------------
shb() {  # section header block, little-endian, 28 bytes
  printf '\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a\x01\x00\x00\x00'
  printf '\xff\xff\xff\xff\xff\xff\xff\xff\x1c\x00\x00\x00'
}
idb() {  # interface description block, Ethernet, snaplen 65535, 20 bytes
  printf '\x01\x00\x00\x00\x14\x00\x00\x00\x01\x00\x00\x00\xff\xff\x00\x00\x14\x00\x00\x00'
}
{ shb; idb; printf '\x06\x00\x00\x00\xf0\xff\xff\x7f'; random_bytes 5 64; } >"$tmp/block_huge.pcapng"
expect "pcapng block length 2 GiB" 1 "block_huge.pcapng" -- -r "$tmp/block_huge.pcapng" --json
{ shb; idb; printf '\x06\x00\x00\x00\x0c\x00\x00\x00\x0c\x00\x00\x00'; } >"$tmp/block_short.pcapng"
expect "pcapng EPB shorter than its header" 1 "block_short.pcapng" -- -r "$tmp/block_short.pcapng" --json
# An enhanced packet block whose captured length runs past the block.
{ shb; idb
  printf '\x06\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
  printf '\xff\x00\x00\x00\xff\x00\x00\x00'; random_bytes 6 32; printf '\x40\x00\x00\x00'; } >"$tmp/epb_caplen.pcapng"
expect "pcapng EPB caplen past the block" 1 "epb_caplen.pcapng" -- -r "$tmp/epb_caplen.pcapng" --json
{ shb; random_bytes 11 512; } >"$tmp/shb_random.pcapng"
"$sockeye" -r "$tmp/shb_random.pcapng" --json >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
if [[ $rc -eq 0 ]]; then check_result "pcapng random blocks" "$rc" 0 ""; else
  check_result "pcapng random blocks" "$rc" 1 "shb_random.pcapng"; fi

finish
