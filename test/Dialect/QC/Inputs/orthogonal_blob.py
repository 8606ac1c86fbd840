"""Prints a qc.rotate by #qc.orthogonal<dense_resource<q>> of size N x N (a
Sylvester Hadamard matrix / sqrt(N), f32) as MLIR, optionally with entry
(0, 1) perturbed by DELTA.

  orthogonal_blob.py N [DELTA]
"""
import struct
import sys

n = int(sys.argv[1])
delta = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
scale = n ** -0.5
rows = []
for i in range(n):
    for j in range(n):
        v = scale if bin(i & j).count("1") % 2 == 0 else -scale
        if (i, j) == (0, 1):
            v += delta
        rows.append(struct.pack("<f", v))
blob = struct.pack("<I", 4).hex() + b"".join(rows).hex()
print(f"""func.func @f(%x: tensor<1x{n}xf32>) -> tensor<1x{n}xf32> {{
  %y = qc.rotate %x by #qc.orthogonal<dense_resource<q> : tensor<{n}x{n}xf32>> along 1 : tensor<1x{n}xf32>
  return %y : tensor<1x{n}xf32>
}}
{{-#
  dialect_resources: {{ builtin: {{ q: "0x{blob}" }} }}
#-}}""")
