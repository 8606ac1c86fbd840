#!/usr/bin/env python3
"""Times qc-allocate-bits on a Llama-sized program: 7 Linear layers of
4096 x 4096 and one of 14336 x 4096 (f32 weights in dense_resource blobs,
with different spreads), 4 candidate formats (int2/3/4/8 in groups of 128
with f16 scales), a budget of 4.25 bits per weight; once with the default
loss (quantization error) and once with AlphaQ's sensitivities (LAPACK
eigenvalues of each W^T W). Checks that the summary says "optimal".

Usage: allocate_bits.py QC_OPT [WORKDIR]
Prints: qc-bench case=allocate_bits[_alphaq] layers=8 candidates=4
        seconds=<s> pass_seconds=<s>
"""
import json
import os
import re
import subprocess
import sys
import time

import numpy as np

SHAPES = [(4096, 4096)] * 7 + [(14336, 4096)]
FORMATS = "; ".join("#qc.int<s%d>, f16 #qc.per_block<[1, 128]>" % b for b in (2, 3, 4, 8))


def write_program(path):
    r = np.random.default_rng(3)
    with open(path, "w") as f:
        f.write("func.func @main(%x: tensor<?x4096xf32>) -> tensor<?x4096xf32> {\n")
        h = "%x"
        for i, (n, k) in enumerate(SHAPES):
            f.write("  %%w%d = arith.constant dense_resource<w%d> : tensor<%dx%dxf32>\n" % (i, i, n, k))
            f.write("  %%h%d = qc.matmul %s, %%w%d : tensor<?x%dxf32>, tensor<%dx%dxf32> -> tensor<?x%dxf32>\n"
                    % (i, h, i, k, n, k, n))
            h = "%%h%d" % i
        f.write("  %%c = tensor.extract_slice %s[0, 0] [1, 4096] [1, 1] : tensor<?x14336xf32> to tensor<1x4096xf32>\n" % h)
        f.write("  %c2 = tensor.cast %c : tensor<1x4096xf32> to tensor<?x4096xf32>\n")
        f.write("  return %c2 : tensor<?x4096xf32>\n}\n")
        f.write("{-#\n  dialect_resources: {\n    builtin: {\n")
        for i, (n, k) in enumerate(SHAPES):
            # Layers differ: some heavy-tailed, some with outlier channels.
            w = r.standard_normal((n, k)).astype("<f4") / 64
            if i % 3 == 1:
                w *= r.standard_t(3.0, (1, k)).astype("<f4")
            f.write('      w%d: "0x04000000' % i)
            f.write(w.tobytes().hex().upper())
            f.write('"%s\n' % ("," if i + 1 < len(SHAPES) else ""))
        f.write("    }\n  }\n#-}\n")


def time_pass(qc_opt, src, work, extra, name):
    summary = os.path.join(work, name + ".json")
    opts = 'formats="%s" avg-bits=4.25 summary=%s %s' % (FORMATS, summary, extra)
    t0 = time.monotonic()
    run = subprocess.run([qc_opt, src, "--qc-allocate-bits=" + opts, "-o", os.devnull,
                          "--mlir-timing"], capture_output=True, text=True)
    seconds = time.monotonic() - t0
    if run.returncode != 0:
        print(run.stderr[-4000:])
        return 1
    m = re.search(r"([0-9.]+) \([ 0-9.]+%\)\s+AllocateBits", run.stderr)
    s = json.load(open(summary))
    if not s["optimal"]:
        print("qc-bench: allocate_bits did not report an optimal allocation")
        return 1
    bits = [u["format"].split(",")[0] for u in s["units"]]
    print("qc-bench case=%s layers=%d candidates=4 seconds=%.2f pass_seconds=%s avg_bits=%.4f "
          "choice=%s" % (name, len(SHAPES), seconds, m.group(1) if m else "?",
                         s["used"]["avg-bits"], "/".join(b.replace("#qc.int<", "").rstrip(">")
                                                         for b in bits)))
    return 0


def main(argv):
    qc_opt = argv[1]
    work = argv[2] if len(argv) > 2 else "."
    src = os.path.join(work, "allocate_bits_llama.mlir")
    write_program(src)
    status = time_pass(qc_opt, src, work, "", "allocate_bits")
    status |= time_pass(qc_opt, src, work, "sensitivity=alphaq", "allocate_bits_alphaq")
    os.remove(src)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
