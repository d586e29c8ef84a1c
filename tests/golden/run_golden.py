#!/usr/bin/env python3
"""Golden test driver: run `sockeye -r CAPTURE --json` and compare its stdout
(and, for captures sockeye must reject, its stderr and exit code) byte for byte
with tests/golden/expected/NAME.{jsonl,stderr,exit}.

With SOCKEYE_UPDATE_GOLDEN=1 the expected files are rewritten instead (that is
what `make golden-update` does). A missing expected file is a failure.

Generated captures are written first with sockeye-trafficgen (deterministic),
fetched ones come from build/test-captures (scripts/fetch-test-captures).
Standard library only.
"""
import argparse
import difflib
import os
import subprocess
import sys

TIMEOUT_S = 120
MAX_DIFF_LINES = 80


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def read_or_none(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def write_or_remove(path, data, keep):
    if keep:
        with open(path, "wb") as f:
            f.write(data)
    elif os.path.exists(path):
        os.remove(path)


def show_diff(label, expected, actual):
    exp = expected.decode("utf-8", "replace").splitlines(keepends=True)
    act = actual.decode("utf-8", "replace").splitlines(keepends=True)
    diff = list(difflib.unified_diff(exp, act, f"expected/{label}", f"actual/{label}", n=1))
    sys.stderr.writelines(diff[:MAX_DIFF_LINES])
    if len(diff) > MAX_DIFF_LINES:
        print(f"... {len(diff) - MAX_DIFF_LINES} more diff lines", file=sys.stderr)


def generate(args):
    os.makedirs(os.path.dirname(args.capture), exist_ok=True)
    cmd = [args.generator, args.scenario, args.capture, "--seed", str(args.seed)]
    if args.packets:
        cmd += ["--packets", str(args.packets)]
    r = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
    if r.returncode != 0:
        fail(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.decode(errors='replace')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sockeye", required=True)
    ap.add_argument("--capture", required=True, help="capture file (written first if --scenario)")
    ap.add_argument("--name", required=True, help="expected/NAME.jsonl")
    ap.add_argument("--expected-dir", required=True)
    ap.add_argument("--generator")
    ap.add_argument("--scenario")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--packets", type=int, default=0)
    ap.add_argument("--expect-failure", action="store_true",
                    help="a damaged capture: sockeye must exit non-zero with one stderr line")
    args = ap.parse_args()

    if args.scenario:
        generate(args)
    if not os.path.isfile(args.capture):
        captures = os.path.dirname(os.path.dirname(args.capture))
        if not os.path.isdir(captures):
            fail(f"capture directory {captures} is missing: run `make test-data` "
                 "(scripts/fetch-test-captures) first")
        fail(f"capture {args.capture} is missing: run `make test-data` (scripts/fetch-test-captures)")

    r = subprocess.run([args.sockeye, "-r", args.capture, "--json"], capture_output=True,
                       timeout=TIMEOUT_S, check=False)
    # The capture's location differs between checkouts; the message must not.
    stderr = r.stderr.replace(os.fsencode(args.capture), b"<CAPTURE>")
    exit_text = f"{r.returncode}\n".encode()

    if args.expect_failure:
        lines = stderr.splitlines()
        if r.returncode == 0 or len(lines) != 1:
            fail(f"damaged capture must give a non-zero exit and exactly one stderr line; "
                 f"got exit {r.returncode} and stderr:\n{stderr.decode(errors='replace')}")
    elif r.returncode < 0:
        fail(f"sockeye died with signal {-r.returncode}:\n{stderr.decode(errors='replace')}")

    base = os.path.join(args.expected_dir, args.name)
    if os.environ.get("SOCKEYE_UPDATE_GOLDEN") == "1":
        os.makedirs(args.expected_dir, exist_ok=True)
        write_or_remove(base + ".jsonl", r.stdout, True)
        # .stderr/.exit exist only for captures that are meant to fail or warn.
        write_or_remove(base + ".stderr", stderr, bool(stderr))
        write_or_remove(base + ".exit", exit_text, r.returncode != 0)
        print(f"updated golden files {base}.* (exit {r.returncode})")
        return 0

    expected_out = read_or_none(base + ".jsonl")
    if expected_out is None:
        fail(f"missing {base}.jsonl: run `make golden-update` (SOCKEYE_UPDATE_GOLDEN=1 ctest -L golden) "
             "and review the new file")
    expected_err = read_or_none(base + ".stderr") or b""
    expected_exit = read_or_none(base + ".exit") or b"0\n"

    ok = True
    if r.stdout != expected_out:
        print(f"stdout differs from {base}.jsonl:", file=sys.stderr)
        show_diff(args.name + ".jsonl", expected_out, r.stdout)
        ok = False
    if stderr != expected_err:
        print(f"stderr differs from {base}.stderr:", file=sys.stderr)
        show_diff(args.name + ".stderr", expected_err, stderr)
        ok = False
    if exit_text != expected_exit:
        print(f"exit code {r.returncode}, expected {expected_exit.decode().strip()}", file=sys.stderr)
        ok = False
    if not ok:
        fail("output changed; if intended, run `make golden-update` and review the diff")
    print(f"ok: {args.name} ({len(r.stdout.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
