# Shared by the tests/cli scripts (sourced, not run): a scratch directory,
# pass/fail counters and `expect`, the black-box check of one command line.
# Needs $sockeye set by the sourcing script.
tmp=$(mktemp -d)
cleanup_hooks=()
on_exit() {
  local hook
  for hook in "${cleanup_hooks[@]}"; do eval "$hook"; done
  rm -rf "$tmp"
}
trap on_exit EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL $*"
}

# expect NAME EXIT_CODE STDERR_REGEX -- ARGS...
# Runs sockeye with ARGS; wants EXIT_CODE, stderr matching STDERR_REGEX and,
# for a failure, exactly one line on stderr that starts with "sockeye: ".
# Output is left in $tmp/out and $tmp/err.
expect() {
  local name=$1 code=$2 pattern=$3
  shift 4
  timeout -k 5 60 "$sockeye" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  check_result "$name" "$rc" "$code" "$pattern"
}

# check_result NAME RC WANT_RC STDERR_REGEX (stderr in $tmp/err)
check_result() {
  local name=$1 rc=$2 code=$3 pattern=$4
  local lines
  lines=$(wc -l <"$tmp/err")
  if [[ $rc -eq $code ]] && { [[ -z $pattern ]] || grep -Eq -- "$pattern" "$tmp/err"; } &&
     { [[ $code -eq 0 ]] || { [[ $lines -eq 1 ]] && grep -q '^sockeye: ' "$tmp/err"; }; }; then
    pass
  else
    fail "$name: exit $rc (want $code), stderr ($lines lines):"
    sed 's/^/  | /' "$tmp/err" | head -20
  fi
}

# Classic pcap file header, little-endian, microseconds.
# pcap_header LINKTYPE_ESCAPES [SNAPLEN_ESCAPES]
pcap_header() {
  printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00'
  printf "${2:-\xff\xff\x00\x00}"
  printf "$1"
}

# le32 N: N as 4 little-endian bytes.
le32() {
  printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))"
  printf "\\x$(printf %02x $((($1 >> 16) & 255)))\\x$(printf %02x $((($1 >> 24) & 255)))"
}

# record_header CAPLEN LEN [SECONDS]
record_header() {
  le32 "${3:-1704067200}"
  le32 0
  le32 "$1"
  le32 "$2"
}

# An Ethernet ARP request, 42 bytes.
arp_frame() {
  printf '\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01\x08\x06'
  printf '\x00\x01\x08\x00\x06\x04\x00\x01\x02\x00\x00\x00\x00\x01\x0a\x00\x00\x01'
  printf '\x00\x00\x00\x00\x00\x00\x0a\x00\x00\x02'
}

# Ethernet + IPv4 + TCP SYN from 10.0.0.1:40000 to 10.0.0.2:443 (54 bytes);
# the IPv4 total length says 1500 bytes were on the wire.
tcp_frame_1500() {
  printf '\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00'
  printf '\x45\x00\x05\xdc\x00\x01\x40\x00\x40\x06\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02'
  printf '\x9c\x40\x01\xbb\x00\x00\x00\x01\x00\x00\x00\x00\x50\x02\xff\xff\x00\x00\x00\x00'
}

# Deterministic pseudo-random bytes: random_bytes SEED COUNT
random_bytes() {
  LC_ALL=C awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%c", int(rand() * 256) }'
}

finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
