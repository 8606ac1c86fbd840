#!/usr/bin/env python3
"""MiniLM's attention (QK^T, softmax, PV; examples/minilm/encoder_mlir.py)
compiled by qc-cpu-pipeline with its ops fused into one loop over sentences
and heads (the default) and with fuse-chains=false (each op its own thread
loop), timed alternately in one process, with the ratio, each one's
GFLOP/s on the two contractions and the largest difference between the two
results (expected: none).

  PYTHONPATH=build/python_packages .venv/bin/python bench/attention_fusion.py \\
      [--batch 16] [--seq 128] [--threads 1,2] [--rounds 4]
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.path.insert(0, os.path.join(ROOT, "examples", "minilm"))
import minilm_ort  # noqa: E402
import qc  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    text = minilm_ort.layer_classes()["attention"]
    variants = {}
    for name, pipeline in (("fused", "qc-cpu-pipeline"),
                           ("op by op", "qc-cpu-pipeline{fuse-chains=false}")):
        start = time.perf_counter()
        variants[name] = qc.compile(qc.Module.parse(qc.Context(), text), pipeline).attention
        print("compile %-9s %.2f s" % (name, time.perf_counter() - start))
    rng = np.random.default_rng(0)
    b, s = args.batch, args.seq
    q, k, v = (rng.standard_normal((b * s, 384)).astype(np.float32) for _ in range(3))
    mask = np.ones((b, s), np.float32)
    mask[1 % b, s // 2:] = 0
    flops = 2 * 2 * b * 12 * s * s * 32  # q k^T and p v
    print("MiniLM attention, %d x %d tokens (%.0f MFLOP in its two contractions)"
          % (b, s, flops / 1e6))
    print("%8s %12s %12s %8s %10s %10s %12s" % ("threads", "fused ms", "op-by-op ms",
                                                "x fused", "GFLOP/s", "GFLOP/s", "max |diff|"))
    for t in [int(x) for x in args.threads.split(",")]:
        qc.jit.set_num_threads(t)
        diff = float(np.abs(variants["fused"](mask, q, k, v)
                            - variants["op by op"](mask, q, k, v)).max())
        times = {name: [] for name in variants}
        for r in range(args.rounds):
            order = list(variants) if r % 2 == 0 else list(reversed(list(variants)))
            for name in order:
                fn = variants[name]
                fn(mask, q, k, v)
                start = time.perf_counter()
                for _ in range(args.repeats):
                    fn(mask, q, k, v)
                times[name].append((time.perf_counter() - start) / args.repeats)
        fused = statistics.median(times["fused"])
        apart = statistics.median(times["op by op"])
        print("%8d %12.3f %12.3f %8.2f %10.1f %10.1f %12.3g" % (
            t, fused * 1e3, apart * 1e3, apart / fused, flops / fused / 1e9,
            flops / apart / 1e9, diff))
    print("x fused: op-by-op time over fused time (above 1: fusion is faster); "
          "compare GFLOP/s with qc-bench's peak_fma_gflops probe")
    return 0


if __name__ == "__main__":
    sys.exit(main())
