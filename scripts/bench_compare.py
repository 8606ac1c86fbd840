#!/usr/bin/env python3
"""Runs two qc-bench binaries alternately on the same machine and prints,
per case, the median throughput of each and their ratio (new / old).

  python3 scripts/bench_compare.py OLD_QC_BENCH NEW_QC_BENCH [--rounds R] [qc-bench args...]

Build the old binary from another revision, e.g.
  git worktree add /tmp/old REV && cmake -G Ninja -S /tmp/old -B /tmp/old/build \\
    -DQC_ENABLE_UNITTESTS=OFF && ninja -C /tmp/old/build qc-bench
The runs alternate (old, new, new, old, old, new, ...) so that a change in the
machine's load affects both alike; only the ratios mean anything.
"""
import re
import statistics
import subprocess
import sys


def run(binary, args):
    out = subprocess.run([binary] + args, check=True, capture_output=True,
                         text=True).stdout
    cases = {}
    for line in out.splitlines():
        if not line.startswith("qc-bench case="):
            continue
        fields = dict(kv.split("=", 1) for kv in line.split()[1:])
        key = " ".join(f"{k}={fields[k]}" for k in ("case", "M", "N", "n", "threads")
                       if k in fields)
        # gflops for matmuls, gbps for rotations: higher is faster.
        value = float(fields.get("gflops", fields.get("gbps", "nan")))
        cases[key] = value
    return cases


def main():
    argv = sys.argv[1:]
    if len(argv) < 2:
        print(__doc__)
        return 2
    old, new, rest = argv[0], argv[1], argv[2:]
    rounds = 3
    if rest[:1] == ["--rounds"]:
        rounds, rest = int(rest[1]), rest[2:]
    results = {"old": [], "new": []}
    # ABBA order: the binary that runs second in a round (warmer caches,
    # another tenant's load) alternates too.
    for r in range(rounds):
        order = ["old", "new"] if r % 2 == 0 else ["new", "old"]
        for which in order:
            results[which].append(run(old if which == "old" else new, rest))
    # Cases one binary lacks (a kernel or rotation added since) are listed,
    # not compared.
    keys = [k for k in results["new"][0] if k in results["old"][0]]
    only_new = [k for k in results["new"][0] if k not in results["old"][0]]
    print(f"{'case':58} {'old':>9} {'new':>9} {'new/old':>8}")
    worst = None
    for key in keys:
        o = statistics.median(r[key] for r in results["old"] if key in r)
        n = statistics.median(r[key] for r in results["new"] if key in r)
        ratio = n / o
        worst = ratio if worst is None else min(worst, ratio)
        print(f"{key:58} {o:9.2f} {n:9.2f} {ratio:8.3f}")
    for key in only_new:
        n = statistics.median(r[key] for r in results["new"] if key in r)
        print(f"{key:58} {'-':>9} {n:9.2f} {'new only':>8}")
    print(f"bench_compare: {len(keys)} cases, {rounds} rounds each, "
          f"lowest new/old {worst:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
