#!/usr/bin/env python3
"""sockeye's pcapng and pcap readers against libpcap and tshark, frame by frame.

Every pcapng file under the given directories (the fetched test corpus, the
generated captures, the fuzz seeds) is read by sockeye's FileSource and by
libpcap (pcapng-dump prints timestamp, lengths, link type and a hash of the
bytes of each frame). Where libpcap reads the whole file, both must agree on
every frame and on the end. Where libpcap refuses the file or stops early
(interfaces of different link types or snaplens: libpcap 1.10's limits),
sockeye must agree with tshark on the number of frames and each frame's
timestamp, wire and captured length.

With --classic, every classic pcap file (.pcap) instead: libpcap reads all
of them, so sockeye must agree with it on every frame, on how the file ends
and, when it ends in an error, on libpcap's message (which sockeye's
message quotes).

Usage: pcapng_reader_crosscheck.py [--classic] PCAPNG_DUMP TSHARK DIR..."""
import os
import subprocess
import sys

TIMEOUT = 120


def dump(tool, path, libpcap):
    cmd = [tool, "--libpcap", path] if libpcap else [tool, path]
    lines = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                           check=True).stdout.splitlines()
    return lines[:-1], lines[-1]


def tshark_frames(tshark, path):
    r = subprocess.run([tshark, "-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e",
                        "frame.len", "-e", "frame.cap_len", "-e", "frame.interface_id"],
                       capture_output=True, text=True, timeout=TIMEOUT, check=False)
    frames = []
    for line in r.stdout.splitlines():
        epoch, length, caplen, interface = line.split("\t")
        # tshark also shows custom blocks as frames (of no interface): not packets.
        if not interface:
            continue
        # A simple packet block has no timestamp: tshark prints none, sockeye
        # (and libpcap) take 0.
        seconds, _, fraction = (epoch or "0").partition(".")
        ns = int(seconds) * 1_000_000_000 + int((fraction + "000000000")[:9])
        frames.append((ns, int(length), int(caplen)))
    return frames, r.returncode


def same_ending(ours, theirs):
    """sockeye's status line says what libpcap's does: both end cleanly, or
    both fail and sockeye's message quotes libpcap's."""
    if theirs == "status end" or ours == "status end":
        return ours == theirs
    prefix = "status error "
    if not (ours.startswith(prefix) and theirs.startswith(prefix)):
        return False
    mine, libpcap = ours[len(prefix):], theirs[len(prefix):]
    if libpcap == "unknown file format":
        return "is not a pcap or pcapng capture file" in mine
    return mine.endswith(libpcap) or f"({libpcap})" in mine


def main():
    args = sys.argv[1:]
    classic = args[:1] == ["--classic"]
    if classic:
        args = args[1:]
    tool, tshark, dirs = args[0], args[1], args[2:]
    suffix = ".pcap" if classic else ".pcapng"
    files = sorted(os.path.join(root, f) for d in dirs if os.path.isdir(d)
                   for root, _, names in os.walk(d) for f in names if f.endswith(suffix))
    if not files:
        print(f"skip: no {suffix} files (run scripts/fetch-test-captures)")
        return 77
    failures = 0
    for path in files:
        ours, our_status = dump(tool, path, False)
        theirs, their_status = dump(tool, path, True)
        if classic:
            ok = ours == theirs and same_ending(our_status, their_status)
            how = f"{len(ours)} frames identical to libpcap's, ending '{our_status}'"
            if not ok:
                first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b),
                             min(len(ours), len(theirs)))
                how = (f"sockeye {len(ours)} frames, libpcap {len(theirs)}, first difference at "
                       f"frame {first}\n    sockeye {ours[first:first + 1]} {our_status}"
                       f"\n    libpcap {theirs[first:first + 1]} {their_status}")
        elif their_status == "status end":
            ok = ours == theirs and our_status == "status end"
            how = f"identical to libpcap ({len(ours)} frames)"
        else:
            # libpcap stops early; the frames it did read must still match.
            frames, rc = tshark_frames(tshark, path)
            mine = [(int(l.split()[0]), int(l.split()[1]), int(l.split()[2])) for l in ours]
            ok = ours[:len(theirs)] == theirs and mine == frames and \
                (our_status == "status end") == (rc == 0)
            how = (f"libpcap stops after {len(theirs)} ({their_status}); tshark agrees on "
                   f"{len(frames)} frames, sockeye ends with '{our_status}'")
            if not ok:
                how += f"\n    sockeye {mine[:5]}...\n    tshark  {frames[:5]}..."
        print(("ok   " if ok else "FAIL ") + os.path.relpath(path) + ": " + how)
        failures += 0 if ok else 1
    print(f"{len(files)} files, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
