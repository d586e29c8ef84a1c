#!/usr/bin/env bash
# Black-box checks of sockeye's command line: every bad input gets one clear
# line on stderr and the documented exit code, never a crash.
set -uo pipefail
sockeye=$1
source "$(dirname "$0")/common.sh"

# A valid one-packet Ethernet pcap (ARP request), written with printf.
pcap_header '\x01\x00\x00\x00' >"$tmp/ok.pcap"
printf '\x00\x00\x00\x66\x00\x00\x00\x00\x2a\x00\x00\x00\x2a\x00\x00\x00' >>"$tmp/ok.pcap"
printf '\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01\x08\x06' >>"$tmp/ok.pcap"
printf '\x00\x01\x08\x00\x06\x04\x00\x01\x02\x00\x00\x00\x00\x01\x0a\x00\x00\x01' >>"$tmp/ok.pcap"
printf '\x00\x00\x00\x00\x00\x00\x0a\x00\x00\x02' >>"$tmp/ok.pcap"
pcap_header '\x93\x00\x00\x00' >"$tmp/user0.pcap"   # DLT_USER0 (147)
head -c 30 "$tmp/ok.pcap" >"$tmp/cut.pcap"
cat "$tmp/ok.pcap" >"$tmp/cut_record.pcap"
printf '\x00\x00\x00\x67\x00\x00\x00\x00\x2a\x00\x00\x00\x2a\x00\x00\x00\x01\x02' >>"$tmp/cut_record.pcap"
echo "hello, I am not a capture" >"$tmp/text.pcap"

expect "unknown option" 2 "^sockeye: unknown option '--bogus'" -- --bogus
expect "missing value" 2 "^sockeye: option -r needs a value" -- -r
expect "bad number" 2 "^sockeye: invalid value 'x' for --max-flows" -- --max-flows x
expect "missing file" 1 "^sockeye: cannot open capture file '.*nope.pcap': No such file or directory" -- -r "$tmp/nope.pcap" --json
expect "directory" 1 "is a directory" -- -r "$tmp" --json
expect "not a capture" 1 "is not a pcap or pcapng capture file" -- -r "$tmp/text.pcap" --json
expect "cut header" 1 "is truncated" -- -r "$tmp/cut.pcap" --json
expect "unsupported link" 1 "unsupported link type" -- -r "$tmp/user0.pcap" --json
expect "bad filter" 2 "^sockeye: bad filter expression 'tcp port': " -- -r "$tmp/ok.pcap" -f "tcp port" --json
expect "truncated record" 1 "truncated after 1 packets" -- -r "$tmp/cut_record.pcap" --json
# ...and the flows read so far are still reported, marked incomplete.
if grep -q '"protocol":"ARP"' "$tmp/out" && grep -q '"complete":false' "$tmp/out"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAIL truncated record: partial output missing"; cat "$tmp/out"
fi
expect "good file" 0 "" -- -r "$tmp/ok.pcap" --json
if grep -q '"packets":1,' "$tmp/out" && grep -q '"complete":true' "$tmp/out"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAIL good file output"; cat "$tmp/out"
fi
expect "help" 0 "" -- --help
if grep -q -- "--filter EXPR" "$tmp/out"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL help text"; fi
expect "version" 0 "" -- --version
if grep -Eq '^sockeye [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" && grep -Eq '^libpcap [0-9]' "$tmp/out" &&
   grep -Eq '^target (x86_64|aarch64)-linux-(gnu|musl)' "$tmp/out"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAIL version text"; cat "$tmp/out"
fi
# Live capture without privileges names the missing capability.
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  cp "$sockeye" "$tmp/sockeye-unpriv" && chmod 755 "$tmp" "$tmp/sockeye-unpriv"
  setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
    "$tmp/sockeye-unpriv" -i lo -c 1 --json >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [[ $rc -eq 1 ]] && grep -q "cap_net_raw" "$tmp/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL unprivileged live capture: exit $rc"; cat "$tmp/err"
  fi
  # Capture capabilities only: --json says in one stderr line that attribution
  # is degraded and why (a fresh network namespace: nothing else is captured).
  capture_caps=+net_raw,+net_admin
  unshare -n sh -c 'ip link set lo up && exec "$@"' sh setpriv --reuid=nobody --regid=nogroup \
    --clear-groups --inh-caps=$capture_caps --ambient-caps=$capture_caps \
    "$tmp/sockeye-unpriv" -i lo -d 1 --json >"$tmp/out" 2>"$tmp/err"
  rc=$?
  degraded=$(grep -c "^sockeye: process attribution is degraded: " "$tmp/err")
  if [[ $rc -eq 0 && $degraded -eq 1 ]] &&
     grep -q "cannot see other users' processes: needs cap_sys_ptrace and cap_dac_read_search" "$tmp/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL degraded attribution line: exit $rc"; cat "$tmp/err"
  fi
else
  failed=$((failed + 1)); echo "FAIL: user nobody or setpriv missing, cannot test privileges"
fi

finish
