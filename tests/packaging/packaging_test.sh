#!/usr/bin/env bash
# Release packaging against the binary it ships:
#  - every option `sockeye --help` lists appears in the man page and in the
#    bash, zsh and fish completions, and none of them lists an option --help
#    no longer has;
#  - the man page renders without warnings and carries the binary's version;
#  - the completion files parse, and complete option values (themes,
#    interfaces, capture files, --speed) in bash, fish and zsh;
#  - scripts/static-dist and scripts/static-deb, run on this binary in a
#    scratch dist directory, produce the documented tarball and .deb layout,
#    byte for byte the same on a second run, with SHA256SUMS that verify.
#
# Usage: packaging_test.sh SOCKEYE_BINARY SOURCE_ROOT
#
# Single-quoted $ in arguments are meant for the shells the tests start.
# shellcheck disable=SC2016
set -uo pipefail

sockeye="$1"
root="$2"
man_page="${root}/packaging/man/sockeye.1"
comp="${root}/packaging/completions"
bash_comp="${comp}/sockeye.bash"
zsh_comp="${comp}/_sockeye"
fish_comp="${comp}/sockeye.fish"

work="$(mktemp -d /tmp/sockeye-packaging-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*" >&2
}
check() {  # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then ok; else fail "$what"; fi
}
need() {
  command -v "$1" >/dev/null || { echo "packaging_test: $1 is missing (scripts/deps installs it)" >&2; exit 1; }
}
for tool in man groff zsh fish dpkg-deb gzip tar sha256sum strip; do need "$tool"; done

# --- what --help lists ----------------------------------------------------
help="$("$sockeye" --help)" || { echo "sockeye --help failed" >&2; exit 1; }
# Option lines: "  -i, --interface IFACE ..." or "      --json ...".
mapfile -t longs < <(printf '%s\n' "$help" | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' |
  grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
mapfile -t shorts < <(printf '%s\n' "$help" | grep -oE '^ +-[a-zA-Z],' | grep -oE -- '-[a-zA-Z]' | sort -u)
# A floor, so a changed --help layout cannot make the checks below vacuous.
if ((${#longs[@]} < 15 || ${#shorts[@]} < 5)); then
  echo "FAIL: found only ${#longs[@]} long and ${#shorts[@]} short options in --help" >&2
  exit 1
fi
echo "--help lists ${#longs[@]} long options and ${#shorts[@]} short ones"

has_word() {  # has_word FILE WORD: WORD not followed by more option characters
  grep -qE -- "${2}([^a-zA-Z0-9-]|\$)" "$1"
}

# --- man page -------------------------------------------------------------
# The source with roff's \- as a plain hyphen.
man_text="${work}/sockeye.1.txt"
sed 's/\\-/-/g' "$man_page" >"$man_text"
for o in "${longs[@]}"; do check "man page lacks $o" has_word "$man_text" "$o"; done
for o in "${shorts[@]}"; do check "man page lacks $o" grep -qE -- "(^|[^a-zA-Z0-9-])${o}([^a-zA-Z0-9-]|\$)" "$man_text"; done
# The other way round: no option the binary does not have.
while read -r o; do
  check "man page lists $o, which --help does not" grep -qxF -- "$o" <(printf '%s\n' "${longs[@]}")
done < <(grep -oE -- '--[a-z][a-z0-9-]+' "$man_text" | sort -u)

warnings="$(man --warnings -l -Tutf8 "$man_page" 2>&1 >/dev/null)"
check "man --warnings: ${warnings}" test -z "$warnings"
warnings="$(groff -man -ww -z -Tutf8 "$man_page" 2>&1)"
check "groff -ww: ${warnings}" test -z "$warnings"
# Plain text: no bold or underline overstrikes.
rendered="$(groff -man -Tascii -P -cbou "$man_page" 2>/dev/null)"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS KEYS "FILTER LANGUAGE" FILES ENVIRONMENT \
  CAPABILITIES "EXIT STATUS" EXAMPLES; do
  check "man page has no section $section" grep -qx "$section" <<<"$rendered"
done
version="$("$sockeye" --version | awk 'NR == 1 {print $2}')"
check "man page .TH does not say sockeye ${version}" grep -qE "^\.TH SOCKEYE 1 .*\"sockeye ${version}\"" "$man_page"

# --- completions: options -------------------------------------------------
check "bash -n" bash -n "$bash_comp"
check "zsh -n" zsh -n "$zsh_comp"
check "fish -n" fish -n "$fish_comp"
for o in "${longs[@]}"; do
  check "bash completion lacks $o" has_word "$bash_comp" "$o"
  check "zsh completion lacks $o" has_word "$zsh_comp" "$o"
  check "fish completion lacks $o" grep -qE -- "-l ${o#--}( |\$)" "$fish_comp"
done
for o in "${shorts[@]}"; do
  check "bash completion lacks $o" grep -qE -- "(^|[ (|])${o}([ |)]|\$)" "$bash_comp"
  check "zsh completion lacks $o" grep -qE -- "(\{|[(' ])${o}[+,}' ]" "$zsh_comp"
  check "fish completion lacks $o" grep -qE -- "-s ${o#-}( |\$)" "$fish_comp"
done
while read -r o; do
  check "a completion lists $o, which --help does not" grep -qxF -- "$o" <(printf '%s\n' "${longs[@]}")
done < <({
  grep -v '^ *#' "$bash_comp" "$zsh_comp" | grep -oE -- '--[a-z][a-z0-9-]+'
  grep '^complete ' "$fish_comp" | grep -oE -- ' -l [a-z][a-z0-9-]+' | sed 's/^ -l /--/'
} | sort -u)

# --- completions: values -------------------------------------------------
files="${work}/captures"
mkdir -p "${files}/subdir"
touch "${files}/one.pcap" "${files}/two.PCAPNG" "${files}/three.cap" "${files}/notes.txt"
iface="$(find /sys/class/net -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | head -n1)"

# contains "OUTPUT" WORD...: every WORD is a whole line or tab-separated field.
contains() {
  local out="$1" w
  shift
  for w in "$@"; do grep -qE "(^|[[:space:]])${w}([[:space:]]|\$)" <<<"$out" || return 1; done
}
lacks() { ! contains "$@"; }

bash_complete() {  # bash_complete WORD...: the words of the command line
  (cd "$files" && bash -c 'source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _sockeye; printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_comp" "$@")
}
out="$(bash_complete sockeye --theme '')"
check "bash: --theme values: $out" contains "$out" default dark light mono
out="$(bash_complete sockeye --the)"
check "bash: --the -> --theme: $out" test "$out" = "--theme"
out="$(bash_complete sockeye -i '')"
check "bash: -i values: $out" contains "$out" any "$iface"
out="$(bash_complete sockeye --speed '')"
check "bash: --speed values: $out" contains "$out" max
out="$(bash_complete sockeye -r '')"
check "bash: -r captures: $out" contains "$out" one.pcap two.PCAPNG three.cap subdir
check "bash: -r offers non-captures: $out" lacks "$out" notes.txt

fish_complete() {
  (cd "$files" && fish -c 'source $argv[1]; complete -C $argv[2]' "$fish_comp" "$1")
}
out="$(fish_complete 'sockeye --theme ')"
check "fish: --theme values: $out" contains "$out" default dark light mono
out="$(fish_complete 'sockeye -i ')"
check "fish: -i values: $out" contains "$out" any "$iface"
out="$(fish_complete 'sockeye --speed ')"
check "fish: --speed values: $out" contains "$out" max
out="$(fish_complete 'sockeye -r ')"
check "fish: -r captures: $out" contains "$out" one.pcap two.PCAPNG three.cap subdir/
check "fish: -r offers non-captures: $out" lacks "$out" notes.txt
out="$(fish_complete 'sockeye --json --su')"
check "fish: --summary after --json: $out" lacks "$out" --summary

# zsh completes only in an interactive shell: drive one on a pseudo-terminal,
# press Tab and read the listing until it shows every word expected (at
# most about 5 s), then a little longer for anything that should not be there.
zsh_complete() {  # zsh_complete ARGS EXPECTED...
  zsh -f -c '
    zmodload zsh/zpty || exit 1
    local comp=$1 dir=$2 input=$3 line out="" w all i
    shift 3
    zpty z zsh -f -i
    zpty -w z "PS1=\"%% \"; fpath=($comp \$fpath); autoload -Uz compinit; compinit -u -D; cd $dir; print -r -- READ\"\"Y"
    for i in {1..100}; do
      if zpty -r -t z line; then [[ $line == *READY* ]] && break; else sleep 0.05; fi
    done
    zpty -w -n z "sockeye $input"$'\''\t'\''
    for i in {1..100}; do
      if zpty -r -t z line; then
        out+=$line
        all=1
        for w in "$@"; do [[ $out == *$w* ]] || all=0; done
        ((all)) && break
      else
        sleep 0.05
      fi
    done
    for i in {1..5}; do zpty -r -t z line && out+=$line; sleep 0.05; done
    zpty -d z
    # Cursor movements and carriage returns separate words too.
    print -r -- "$out" | tr "\r" "\n" | sed "s/\x1b\[[0-9;?]*[a-zA-Z]/\n/g" | tr -s " \t" "\n\n"
  ' _ "$comp" "$files" "$@"
}
out="$(zsh_complete '--theme ' default dark light mono)"
check "zsh: --theme values: $out" contains "$out" default dark light mono
out="$(zsh_complete '-r ' one.pcap two.PCAPNG three.cap subdir/)"
check "zsh: -r captures: $out" contains "$out" one.pcap two.PCAPNG three.cap subdir/
check "zsh: -r offers non-captures: $out" lacks "$out" notes.txt

# --- tarball and .deb from this binary ------------------------------------
pkg_version="$("${root}/scripts/static-version")"
dist="${work}/dist"
mkdir -p "$dist"
# Stripped: a debug build is tens of MB, which xz and gzip -9 would take
# their time over twice.
shipped="${work}/sockeye.stripped"
strip -o "$shipped" "$sockeye"
cp "$shipped" "${dist}/sockeye-${pkg_version}-x86_64-linux-musl"
run_dist() {
  DIST_DIR="$dist" SOURCE_DATE_EPOCH=1700000000 "${root}/scripts/static-dist" x86_64 >/dev/null
}
name="sockeye-${pkg_version}-x86_64-linux-musl"
deb="sockeye_${pkg_version}_amd64.deb"
if run_dist; then
  ok
  first="$(cd "$dist" && sha256sum "${name}.tar.gz" "$deb")"
  expected="${name}/
${name}/LICENSE
${name}/README.md
${name}/completions/
${name}/completions/_sockeye
${name}/completions/sockeye.bash
${name}/completions/sockeye.fish
${name}/man/
${name}/man/sockeye.1.gz
${name}/sockeye"
  listing="$(tar -tzf "${dist}/${name}.tar.gz")"
  check "tarball layout: $listing" test "$listing" = "$expected"
  check "tarball entries not root-owned" test -z "$(tar -tzvf "${dist}/${name}.tar.gz" | awk '$2 != "0/0"')"
  check "SHA256SUMS does not verify" bash -c "cd '$dist' && sha256sum --quiet -c SHA256SUMS"
  check "SHA256SUMS lacks the tarball, the .deb or the binary" \
    test "$(awk '{print $2}' "${dist}/SHA256SUMS" | sort | tr '\n' ' ')" = "${name} ${name}.tar.gz ${deb} "
  mkdir -p "${work}/tar"
  tar -C "${work}/tar" -xzf "${dist}/${name}.tar.gz"
  check "man page in the tarball differs" cmp -s <(gzip -dc "${work}/tar/${name}/man/sockeye.1.gz") "$man_page"
  check "binary in the tarball differs" cmp -s "${work}/tar/${name}/sockeye" "$shipped"

  info="$(dpkg-deb --info "${dist}/${deb}")"
  check "deb Package" grep -qE '^ Package: sockeye$' <<<"$info"
  check "deb Version" grep -qE "^ Version: ${pkg_version}\$" <<<"$info"
  check "deb Architecture" grep -qE '^ Architecture: amd64$' <<<"$info"
  check "deb Recommends" grep -qE '^ Recommends: libcap2-bin$' <<<"$info"
  check "deb has Depends" bash -c '! grep -qE "^ (Pre-)?Depends:" <<<"$1"' _ "$info"
  contents="$(dpkg-deb --contents "${dist}/${deb}")"
  for f in ./usr/bin/sockeye ./usr/share/man/man1/sockeye.1.gz \
    ./usr/share/bash-completion/completions/sockeye ./usr/share/zsh/vendor-completions/_sockeye \
    ./usr/share/fish/vendor_completions.d/sockeye.fish ./usr/share/doc/sockeye/copyright \
    ./usr/share/doc/sockeye/README.md ./usr/lib/systemd/system/sockeye.service; do
    check "deb lacks $f" grep -qE " ${f}\$" <<<"$contents"
  done
  # The unit is installed, never enabled: no .wants link, no systemctl call.
  check "deb enables the service" test -z "$(grep -E '\.wants/|/etc/systemd' <<<"$contents")"
  check "deb unit is not the repository's" cmp -s <(dpkg-deb --fsys-tarfile "${dist}/${deb}" |
    tar -xOf - ./usr/lib/systemd/system/sockeye.service) "${root}/packaging/systemd/sockeye.service"
  check "deb entries not root/root" test -z "$(awk '$2 != "root/root"' <<<"$contents")"
  check "deb /usr/bin/sockeye not 0755" grep -qE '^-rwxr-xr-x .* \./usr/bin/sockeye$' <<<"$contents"
  mkdir -p "${work}/deb"
  dpkg-deb -e "${dist}/${deb}" "${work}/deb/DEBIAN"
  dpkg-deb -x "${dist}/${deb}" "${work}/deb"
  check "deb binary differs" cmp -s "${work}/deb/usr/bin/sockeye" "$shipped"
  check "deb binary does not run" "${work}/deb/usr/bin/sockeye" --version >/dev/null
  check "postinst syntax" sh -n "${work}/deb/DEBIAN/postinst"
  check "postinst does not setcap" grep -q 'setcap "$caps" /usr/bin/sockeye' "${work}/deb/DEBIAN/postinst"
  # A failing setcap must not fail the install.
  mkdir -p "${work}/fakebin"
  printf '#!/bin/sh\nexit 1\n' >"${work}/fakebin/setcap"
  chmod 755 "${work}/fakebin/setcap"
  check "postinst fails when setcap fails" \
    env PATH="${work}/fakebin:/usr/bin:/bin" sh "${work}/deb/DEBIAN/postinst" configure 2>/dev/null
  check "md5sums do not verify" bash -c "cd '${work}/deb' && md5sum --quiet -c DEBIAN/md5sums"

  run_dist
  second="$(cd "$dist" && sha256sum "${name}.tar.gz" "$deb")"
  check "second make dist differs: ${first} / ${second}" test "$first" = "$second"
else
  fail "scripts/static-dist failed"
fi

echo "packaging: ${passed} checks passed, ${failed} failed"
((failed == 0))
