#!/usr/bin/env python3
"""Times qc-allocate-bits with two limits on a 7B-sized model: 224 Linear
layers (32 blocks x 7 projections, shapes scaled down so that the pass's
time is the allocation's, not the weights'), 6 candidate formats (int2,
int3, int4, int5, int6, int8 in groups of 64), losses given per layer
(`qc.loss`, lognormal sensitivities times each grid's squared step) and a
latency per candidate (`qc.latency`, which does not follow the bits), an
avg-bits limit of 4.25 and a latency limit. With real-valued costs under
two limits the exact Pareto front grows to millions of states (the solver
used to take more than 600 s for 80 layers); the state bound keeps each
step at most qc's default bound, a Lagrangian lower bound and a repaired
Lagrangian answer prune the exact search, and the summary reports whether
the answer is exact and, if not, the lower bound it is within.

Usage: allocate_bits_limits.py QC_OPT [WORKDIR]
Prints: qc-bench case=allocate_bits_2limits layers=<n> candidates=6 limits=2
        seconds=<s> optimal=<bool> objective=<x> lower_bound=<y> gap=<%>
for 56, 112 and 224 layers (the time should grow about linearly).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

BITS = [2, 3, 4, 5, 6, 8]
FORMATS = "; ".join("#qc.int<s%d>, f16 #qc.per_block<[1, 64]>" % b for b in BITS)
# Llama's 7 projections: (N, K) / 32.
SHAPES = [(128, 128), (32, 128), (32, 128), (128, 128), (448, 128), (448, 128), (128, 448)]


def write_program(path, layers, rng):
    with open(path, "w") as f:
        f.write("func.func @main(%x128: tensor<?x128xf32>, %x448: tensor<?x448xf32>) -> tensor<?x1xf32> {\n")
        f.write("  %acc0 = arith.constant dense<0.0> : tensor<1x1xf32>\n")
        for i in range(layers):
            n, k = SHAPES[i % 7]
            s = rng.lognormal(0.0, 1.0)
            loss = [s * n * k / ((1 << (b - 1)) - 1) ** 2 for b in BITS]
            lat = [n * k / 4096.0 * (2.0 if b in (3, 5, 6) else 1.0) * rng.uniform(0.8, 1.2)
                   for b in BITS]
            f.write("  %%w%d = arith.constant dense<0.01> : tensor<%dx%dxf32>\n" % (i, n, k))
            f.write("  %%y%d = qc.matmul %%x%d, %%w%d {qc.loss = [%s], qc.latency = [%s]} : "
                    "tensor<?x%dxf32>, tensor<%dx%dxf32> -> tensor<?x%dxf32>\n"
                    % (i, k, i, ", ".join("%.6e" % v for v in loss),
                       ", ".join("%.6e" % v for v in lat), k, n, k, n))
        f.write("  %r = arith.constant dense<0.0> : tensor<1x1xf32>\n")
        f.write("  %rc = tensor.cast %r : tensor<1x1xf32> to tensor<?x1xf32>\n")
        f.write("  return %rc : tensor<?x1xf32>\n}\n")
    return


def main():
    qc_opt = sys.argv[1]
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    failed = 0
    for layers in (56, 112, 224):
        rng = np.random.default_rng(layers)
        src = os.path.join(work, "limits_%d.mlir" % layers)
        write_program(src, layers, rng)
        # The latency limit: 1.5 per unit of size, between all-cheap and
        # all-expensive.
        total = sum(SHAPES[i % 7][0] * SHAPES[i % 7][1] / 4096.0 for i in range(layers))
        summary = os.path.join(work, "limits_%d.json" % layers)
        opts = ('formats="%s" avg-bits=4.25 cost-attr=qc.latency max-cost=%.3f '
                'loss-attr=qc.loss summary=%s' % (FORMATS, 1.5 * total, summary))
        t0 = time.monotonic()
        run = subprocess.run([qc_opt, src, "--qc-allocate-bits=" + opts, "-o", os.devnull],
                             capture_output=True, text=True)
        seconds = time.monotonic() - t0
        if run.returncode != 0:
            print(run.stderr[-3000:])
            failed = 1
            continue
        s = json.load(open(summary))
        print("qc-bench case=allocate_bits_2limits layers=%d candidates=6 limits=2 "
              "seconds=%.2f optimal=%s objective=%.6g lower_bound=%.6g gap=%.2f%%"
              % (layers, seconds, s["optimal"], s["objective"], s["lower_bound"],
                 100.0 * (s["objective"] - s["lower_bound"]) / s["objective"]))
    return failed


if __name__ == "__main__":
    sys.exit(main())
