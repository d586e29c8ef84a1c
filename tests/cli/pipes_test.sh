#!/usr/bin/env bash
# -r from a pipe: "-", /dev/stdin and process substitution read like the file
# itself (tcpdump and tshark accept them; `ssh host tcpdump -w - | sockeye -r -`
# is the common case), for pcap and pcapng. Streams that hold no capture get
# the right words: an empty pipe is empty, /dev/zero is not a capture.
set -uo pipefail
sockeye=$1
trafficgen=$2
source "$(dirname "$0")/common.sh"

"$trafficgen" tcp-mix "$tmp/x.pcap" || { fail "trafficgen pcap"; finish; exit 1; }
"$trafficgen" udp-icmp-arp "$tmp/x.pcapng" --pcapng || { fail "trafficgen pcapng"; finish; exit 1; }

for f in x.pcap x.pcapng; do
  "$sockeye" -r "$tmp/$f" --json >"$tmp/want" 2>"$tmp/err" </dev/null ||
    fail "$f: the file itself: $(cat "$tmp/err")"
  grep -q '"type":"flow"' "$tmp/want" || fail "$f: no flows in the reference output"
  # The file name is not in --json output, so every form must match byte for byte.
  timeout -k 5 60 "$sockeye" -r - --json <"$tmp/$f" >"$tmp/out" 2>"$tmp/err"
  check_result "$f: -r - from a redirected file" $? 0 ""
  cmp -s "$tmp/want" "$tmp/out" && pass || fail "$f: -r - (redirect) differs from the file"
  cat "$tmp/$f" | timeout -k 5 60 "$sockeye" -r - --json >"$tmp/out" 2>"$tmp/err"
  check_result "$f: cat | -r -" $? 0 ""
  cmp -s "$tmp/want" "$tmp/out" && pass || fail "$f: cat | -r - differs from the file"
  cat "$tmp/$f" | timeout -k 5 60 "$sockeye" -r /dev/stdin --json >"$tmp/out" 2>"$tmp/err"
  check_result "$f: cat | -r /dev/stdin" $? 0 ""
  cmp -s "$tmp/want" "$tmp/out" && pass || fail "$f: -r /dev/stdin differs from the file"
  timeout -k 5 60 "$sockeye" -r <(cat "$tmp/$f") --json >"$tmp/out" 2>"$tmp/err" </dev/null
  check_result "$f: -r <(cat ...)" $? 0 ""
  cmp -s "$tmp/want" "$tmp/out" && pass || fail "$f: process substitution differs from the file"
  # A pipe that trickles (the ssh case): reads wait for the rest.
  { head -c 100 "$tmp/$f"; sleep 0.3; tail -c +101 "$tmp/$f"; } |
    timeout -k 5 60 "$sockeye" -r - --json >"$tmp/out" 2>"$tmp/err"
  check_result "$f: a slow pipe" $? 0 ""
  cmp -s "$tmp/want" "$tmp/out" && pass || fail "$f: a slow pipe differs from the file"
done

# A capture cut short in a pipe: truncated, flows read so far still printed.
head -c 3000 "$tmp/x.pcapng" | timeout -k 5 60 "$sockeye" -r - --json >"$tmp/out" 2>"$tmp/err"
check_result "cut pcapng in a pipe" $? 1 "^sockeye: capture file '-' is truncated after [0-9]+ packets \(at byte [0-9]+\)"
grep -q '"complete":false' "$tmp/out" && pass || fail "cut pcapng in a pipe: summary not marked incomplete"

# Nothing in the pipe at all.
timeout -k 5 60 "$sockeye" -r - --json </dev/null >"$tmp/out" 2>"$tmp/err"
check_result "empty stdin" $? 1 "^sockeye: '-' is empty, not a capture file$"
: | timeout -k 5 60 "$sockeye" -r - --json >"$tmp/out" 2>"$tmp/err"
check_result "empty pipe" $? 1 "^sockeye: '-' is empty, not a capture file$"
# /dev/zero has no size but endless bytes: not a capture, rather than empty.
expect "/dev/zero" 1 "^sockeye: '/dev/zero' is not a pcap or pcapng capture file$" -- -r /dev/zero --json
# Random bytes in a pipe.
random_bytes 7 512 | timeout -k 5 60 "$sockeye" -r - --json >"$tmp/out" 2>"$tmp/err"
check_result "junk in a pipe" $? 1 "^sockeye: '-' is not a pcap or pcapng capture file"

# `-r -` typed at a terminal would wait for a capture from the keyboard.
if command -v script >/dev/null; then
  script -qec "timeout -k 5 20 '$sockeye' -r - --json" /dev/null >"$tmp/out" 2>&1 </dev/null
  grep -q "'-' is a terminal, not a capture file" "$tmp/out" && pass ||
    fail "-r - on a terminal: $(cat "$tmp/out")"
fi

finish
