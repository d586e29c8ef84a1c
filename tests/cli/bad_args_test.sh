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
# The same bounds as refresh_ms in the config file.
for v in x 10 50 99 60001 99999999 -100 1.5 ""; do bad --refresh "$v"; done
for v in x 0 15 -1 1e6 100000001 ""; do bad --max-flows "$v" -r "$ok" --json; done
for v in nope DARK ""; do bad --theme "$v"; done
bad -r "" --json
bad --read "" --json
bad -i ""
bad --config ""
for v in nonsense 1.2.3 1.2.3.4:99999 1.2.3.4:0 "[::1" "::1]:53" 1.2.3.4: ""; do bad --dns-server "$v"; done
bad --pcapng-export ""
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
expect "stray argument" 2 "^sockeye: unexpected argument 'capture.pcap'.*-r FILE" -- capture.pcap
expect "--json --summary" 2 "^sockeye: --json and --summary cannot be combined" -- -r "$ok" --json --summary
expect "--summary --json" 2 "^sockeye: --summary and --json cannot be combined" -- -r "$ok" --summary --json
expect "-- ends options" 2 "^sockeye: unexpected argument '--json'" -- -r "$ok" -- --json
expect "-- at the end" 0 "" -- -r "$ok" --json --

# --- Export targets that would destroy something ------------------------------
# Nothing may be opened for writing: the input keeps its bytes, and no export
# file appears.
cp "$ok" "$tmp/input.pcap"
ln -s input.pcap "$tmp/input-link.pcap"
ln "$tmp/input.pcap" "$tmp/input-hardlink.pcap"
untouched() {  # untouched NAME: the input is as it was and no stray file appeared
  if cmp -s "$ok" "$tmp/input.pcap" && [[ ! -e $tmp/fresh ]]; then pass; else fail "$1: the input or a file changed"; fi
}
for flag in --pcap-export --pcapng-export --json-log; do
  for target in input.pcap input-link.pcap input-hardlink.pcap; do
    expect "$flag onto the input ($target)" 2 "^sockeye: $flag .*would overwrite the capture being read" -- \
      -r "$tmp/input.pcap" "$flag" "$tmp/$target"
    untouched "$flag $target"
  done
done
cp "$ok" "$tmp/x.connections.jsonl"
expect "the sidecar onto the input" 2 "connections file of --pcap-export .* would overwrite the capture" -- \
  -r "$tmp/x.connections.jsonl" --json --pcap-export "$tmp/x"
expect "an export onto the sidecar" 2 "are the same file" -- \
  -r "$ok" --json --pcap-export "$tmp/fresh" --json-log "$tmp/fresh.connections.jsonl"
expect "two exports, one new file by two names" 2 "are the same file" -- \
  -r "$ok" --json --pcapng-export "$tmp/fresh" --json-log "$tmp/./fresh"
untouched "two exports, one file"
# expect() sends stdout to $tmp/out.
expect "an export onto redirected stdout" 2 "is the file standard output goes to" -- \
  -r "$ok" --json --pcapng-export "$tmp/out"
# /dev/stdout is stdout: no /dev/stdout.connections.jsonl, and the pcap is on stdout.
rm -f /dev/stdout.connections.jsonl
timeout 20 "$sockeye" -r "$ok" --headless --pcap-export /dev/stdout >"$tmp/stdout.pcap" 2>"$tmp/err" </dev/null
if [[ $? -eq 0 && ! -e /dev/stdout.connections.jsonl ]] && tcpdump -r "$tmp/stdout.pcap" -c 1 >/dev/null 2>&1; then
  pass
else
  fail "--pcap-export /dev/stdout: not a pcap on stdout, or a sidecar in /dev"
fi
expect "two exports to stdout" 2 "cannot both write to stdout" -- -r "$ok" --headless --pcapng-export - --json-log /dev/stdout
expect "--pcap-export - without --headless" 2 "needs --headless" -- -r "$ok" --pcap-export -
# Several exports to /dev/null are fine: a device is not a file to destroy.
expect "exports to /dev/null" 0 "" -- -r "$ok" --json --pcapng-export /dev/null --json-log /dev/null

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
# --config applies to every mode, not only the terminal UI.
expect "config: missing, --json" 1 "config file '.*/absent.toml' does not exist" -- -r "$ok" --json --config "$tmp/absent.toml"
expect "config: syntax, --summary" 1 "syntax.toml:1: " -- -r "$ok" --summary --config "$tmp/syntax.toml"
expect "config: unknown key, --headless" 1 "unknown key 'colour'" -- -r "$ok" --headless --config "$tmp/unknown_key.toml"
expect "config: good, --json" 0 "" -- -r "$ok" --json --config "$tmp/good.toml"
printf 'refresh_ms = 99\n' >"$tmp/fast.toml"
expect "config: refresh_ms below the bound --refresh has too" 1 "refresh_ms must be between 100 and 60000" -- \
  -r "$ok" --json --config "$tmp/fast.toml"
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
  # The default path under a HOME nobody may not enter is no config, not an error.
  mkdir -p "$tmp/roothome/.config/sockeye"
  cp "$tmp/good.toml" "$tmp/roothome/.config/sockeye/config.toml"
  chmod 700 "$tmp/roothome"
  XDG_CONFIG_HOME="" HOME="$tmp/roothome" expect "config: default path unreadable" 0 "" -- \
    --reuid=nobody --regid=nogroup --clear-groups "$tmp/sockeye-unpriv" -r "$ok" --json
  # The terminal UI too: it draws (and stays up until killed) instead of failing.
  cmd=$(printf '%q ' setpriv --reuid=nobody --regid=nogroup --clear-groups "$tmp/sockeye-unpriv" -r "$ok")
  XDG_CONFIG_HOME="" HOME="$tmp/roothome" TERM=xterm timeout 5 script -qec "$cmd" /dev/null </dev/null >"$tmp/tty" 2>&1
  if grep -q "Overview" "$tmp/tty" && ! grep -q "config" "$tmp/tty"; then
    pass
  else
    fail "config: default path unreadable, UI: $(tr -d '\033' <"$tmp/tty" | head -c 300)"
  fi
  sockeye=$real_sockeye
else
  fail "user nobody or setpriv missing, cannot test an unreadable config"
fi

finish
