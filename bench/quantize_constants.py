#!/usr/bin/env python3
"""Times compile-time quantization of a 4096 x 4096 f32 constant weight into
int4 groups of 128 (qc-quantize-constants) in qc-opt, and checks that the
output holds blobs rather than text arrays.

Usage: quantize_constants.py QC_OPT [WORKDIR]
Prints: qc-bench case=quantize_constants N=4096 K=4096 seconds=<s> pass_seconds=<s>
"""
import os
import re
import subprocess
import sys
import time

import numpy as np


def main(argv):
    qc_opt = argv[1]
    work = argv[2] if len(argv) > 2 else "."
    src = os.path.join(work, "quantize_constants_4096.mlir")
    out = os.path.join(work, "quantize_constants_4096.out.mlir")
    w = np.random.default_rng(1).standard_normal((4096, 4096)).astype("<f4")
    qt = "!qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>"
    with open(src, "w") as f:
        f.write("func.func @main() -> %s {\n" % qt)
        f.write("  %w = arith.constant dense_resource<w> : tensor<4096x4096xf32>\n")
        f.write("  %%q = qc.quantize %%w : tensor<4096x4096xf32> -> %s\n" % qt)
        f.write("  return %%q : %s\n}\n" % qt)
        f.write('{-#\n  dialect_resources: {\n    builtin: {\n      w: "0x04000000')
        f.write(w.tobytes().hex().upper())
        f.write('"\n    }\n  }\n#-}\n')
    t0 = time.monotonic()
    run = subprocess.run([qc_opt, src, "--qc-quantize-constants", "-o", out,
                          "--mlir-timing"], capture_output=True, text=True)
    seconds = time.monotonic() - t0
    if run.returncode != 0:
        print(run.stderr)
        return 1
    m = re.search(r"([0-9.]+) \([ 0-9.]+%\)\s+QuantizeConstants", run.stderr)
    text = open(out).read(1 << 20)
    if "dense_resource<qc_codes> : tensor<8388608xi8>" not in text or \
            "dense<" in text.split("{-#")[0]:
        print("qc-bench: quantize_constants output is not blobs")
        return 1
    print("qc-bench case=quantize_constants N=4096 K=4096 seconds=%.3f "
          "pass_seconds=%s" % (seconds, m.group(1) if m else "?"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
