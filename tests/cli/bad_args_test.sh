#!/usr/bin/env bash
# Bad command lines and bad config files: one line on stderr, exit 2 for a
# bad command line, exit 1 for a config file that cannot be used.
set -uo pipefail
sockeye=$1
source "$(dirname "$0")/common.sh"

{ pcap_header '\x01\x00\x00\x00'; record_header 42 42; arp_frame; } >"$tmp/ok.pcap"
ok=$tmp/ok.pcap

# --- Every option that takes a value, without one ---------------------------
# The list comes from --help, so an option added later is covered too.
"$sockeye" --help >"$tmp/help" 2>&1
mapfile -t valued < <(grep -Eo '^ +(-[a-zA-Z], )?--[a-z-]+ [A-Z][^ ]*' "$tmp/help" |
                      grep -Eo -- '(-[a-zA-Z]|--[a-z-]+)' )
if [[ ${#valued[@]} -ge 15 ]]; then pass; else fail "found only ${#valued[@]} options with values in --help"; fi
for opt in "${valued[@]}"; do
  expect "$opt without a value" 2 "^sockeye: option $opt needs a value" -- "$opt"
done
# ...and the flags must not take one.
for flag in --json --summary --headless --no-dpi --no-resolve --no-processes; do
  expect "$flag=1" 2 "^sockeye: option $flag takes no value" -- "$flag=1"
done

# --- Garbage values -----------------------------------------------------------
bad() {  # bad OPTION VALUE [EXTRA ARGS...]: rejected, naming both
  local opt=$1 value=$2
  shift 2
  local quoted
  quoted=$(printf '%s' "$value" | sed 's/[][\.*^$|+?(){}]/\\&/g')
  expect "$opt '$value'" 2 "^sockeye: invalid value '$quoted' for $opt" -- "$opt" "$value" "$@"
}
for v in x 0 -5 1.5 99999999999999999999999 ""; do bad -c "$v" -r "$ok" --json; done
for v in x 0 -1 nan inf 1e999 ""; do bad -d "$v" --json; done
for v in x 0 0.01 -2 ""; do bad --interval "$v"; done
for v in x 0 -1 inf 0.001 2000000 ""; do bad --speed "$v" -r "$ok"; done
for v in x 10 99999999 -100 1.5 ""; do bad --refresh "$v"; done
for v in x 0 15 -1 1e6 100000001 ""; do bad --max-flows "$v" -r "$ok" --json; done
for v in nope DARK ""; do bad --theme "$v"; done
bad -r "" --json
bad --read "" --json
bad -i ""
bad --config ""
for v in nonsense 1.2.3 1.2.3.4:99999 1.2.3.4:0 "[::1" "::1]:53" 1.2.3.4: ""; do bad --dns-server "$v"; done
bad --pcapng-export ""
bad --pcapng-export -
bad --pcap-export ""
bad --json-log ""
# Inline --option=value goes through the same checks.
expect "--max-flows=x" 2 "^sockeye: invalid value 'x' for --max-flows" -- --max-flows=x
expect "--count=" 2 "^sockeye: invalid value '' for --count" -- --count= -r "$ok"

# Good values in the same forms are accepted (so the checks above are not
# rejecting everything).
expect "good values" 0 "" -- -r "$ok" -c 1 --max-flows=16 --speed max --json
expect "good dns servers" 0 "" -- -r "$ok" --json --dns-server 192.0.2.1 --dns-server '[2001:db8::1]:5353' \
  --dns-server 2001:db8::53 --dns-server 192.0.2.1:53,192.0.2.2

# --- Combinations ---------------------------------------------------------------
expect "-r with -i" 2 "cannot be combined" -- -r "$ok" -i lo
expect "-r with -d" 2 "-d applies to live capture only" -- -r "$ok" -d 5
expect "--speed live" 2 "--speed applies to -r files only" -- --speed 2
expect "--headless --json" 2 "--headless prints no flows" -- --headless --json -r "$ok"
expect "--json-log - without --headless" 2 "needs --headless" -- -r "$ok" --json-log -
expect "same export file twice" 2 "need different files" -- -r "$ok" --pcapng-export "$tmp/x" --pcap-export "$tmp/x"
expect "stray argument" 2 "^sockeye: unknown option 'capture.pcap'" -- capture.pcap

# --- Config files (read by the terminal UI: needs a terminal) ------------------
# `script` gives sockeye a pseudo-terminal; stdout and stderr both land in its
# typescript, and -e passes the exit status through.
ui_expect() {  # ui_expect NAME EXIT_CODE REGEX -- ARGS...
  local name=$1 code=$2 pattern=$3
  shift 4
  local cmd
  cmd=$(printf '%q ' "$sockeye" "$@")
  TERM=xterm timeout 20 script -qec "$cmd" /dev/null </dev/null >"$tmp/tty" 2>&1
  local rc=$?
  tr -d '\r' <"$tmp/tty" | grep -v '^$' >"$tmp/err"
  check_result "$name" "$rc" "$code" "$pattern"
}
mkdir "$tmp/confdir"
printf 'theme = "dark"\n' >"$tmp/good.toml"
printf 'theme = \n' >"$tmp/syntax.toml"
printf 'colour = "red"\n' >"$tmp/unknown_key.toml"
printf 'refresh_ms = "fast"\n' >"$tmp/wrong_type.toml"
random_bytes 21 3000 >"$tmp/binary.toml"
# A TOML escape puts ESC into the value: the message must show it, not send it.
printf 'theme = "\\u001b[31mred"\n' >"$tmp/escape.toml"
head -c 2000000 /dev/zero | tr '\0' '#' >"$tmp/huge.toml"
ui_expect "config: missing" 1 "config file '.*/absent.toml' does not exist" -- -r "$ok" --config "$tmp/absent.toml"
ui_expect "config: a directory" 1 "cannot read .*/confdir: Is a directory" -- -r "$ok" --config "$tmp/confdir"
ui_expect "config: syntax" 1 "syntax.toml:1: " -- -r "$ok" --config "$tmp/syntax.toml"
ui_expect "config: unknown key" 1 "unknown_key.toml:1: unknown key 'colour'" -- -r "$ok" --config "$tmp/unknown_key.toml"
ui_expect "config: wrong type" 1 "wrong_type.toml:1: 'refresh_ms' must be an integer" -- -r "$ok" --config "$tmp/wrong_type.toml"
ui_expect "config: binary garbage" 1 "binary.toml:[0-9]+: " -- -r "$ok" --config "$tmp/binary.toml"
ui_expect "config: escape sequence quoted" 1 'escape.toml:1: unknown theme .\\x1b\[31mred' -- -r "$ok" --config "$tmp/escape.toml"
ui_expect "config: huge" 1 "huge.toml: larger than 1048576 bytes" -- -r "$ok" --config "$tmp/huge.toml"
# Permission denied: root reads anything, so run as nobody.
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  chmod 755 "$tmp"
  chmod 644 "$ok"
  cp "$tmp/good.toml" "$tmp/secret.toml" && chmod 000 "$tmp/secret.toml"
  cp "$sockeye" "$tmp/sockeye-unpriv" && chmod 755 "$tmp/sockeye-unpriv"
  real_sockeye=$sockeye
  sockeye=$(command -v setpriv)
  ui_expect "config: permission denied" 1 "cannot read .*/secret.toml: Permission denied" -- \
    --reuid=nobody --regid=nogroup --clear-groups "$tmp/sockeye-unpriv" -r "$ok" --config "$tmp/secret.toml"
  sockeye=$real_sockeye
else
  fail "user nobody or setpriv missing, cannot test an unreadable config"
fi

finish
