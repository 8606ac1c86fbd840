"""torch-mlir exports through qc: every Linear layer of an MLP, a BERT
encoder layer and a Llama decoder block (linalg-on-tensors and TOSA; static
and dynamic batch) is raised by qc-raise-linears, quantized by
qc-quantize-model and run by both pipelines, against torch.

Needs torch and torch-mlir (PyPI) beside qc's Python package; the test
suite does not (python/tests/test_frontends.py writes the same forms by
hand). Export and check run in separate interpreters: torch in one venv,
qc in another, exchanging .mlir and .npy files.

  python3 -m venv /tmp/tv && /tmp/tv/bin/pip install torch torch-mlir numpy
  /tmp/tv/bin/python examples/torch/check_torch_mlir.py export /tmp/tm
  PYTHONPATH=build/python_packages .venv/bin/python examples/torch/check_torch_mlir.py check /tmp/tm
"""

import glob
import os
import sys

import numpy as np


def export(out):
    import torch
    from torch.export import Dim
    from torch_mlir import fx

    torch.manual_seed(0)

    class MLP(torch.nn.Module):
        def __init__(s):
            super().__init__()
            s.a = torch.nn.Linear(128, 256)
            s.b = torch.nn.Linear(256, 64)

        def forward(s, x):
            return s.b(torch.relu(s.a(x)))

    class Bert(torch.nn.Module):
        def __init__(s):
            super().__init__()
            s.l = torch.nn.TransformerEncoderLayer(128, 4, 256, dropout=0.0,
                                                   batch_first=True)

        def forward(s, x):
            return s.l(x)

    class Llama(torch.nn.Module):  # no bias, GQA, SwiGLU, RMSNorm
        def __init__(s, d=128, h=4):
            super().__init__()
            L = lambda i, o: torch.nn.Linear(i, o, bias=False)
            s.q, s.k, s.v, s.o = L(d, d), L(d, d // 2), L(d, d // 2), L(d, d)
            s.g, s.u, s.dn = L(d, 256), L(d, 256), L(256, d)
            s.n1, s.n2, s.h = torch.nn.RMSNorm(d), torch.nn.RMSNorm(d), h

        def forward(s, x):
            b, t, d = x.shape
            y = s.n1(x)
            q = s.q(y).view(b, t, s.h, d // s.h).transpose(1, 2)
            k = s.k(y).view(b, t, s.h // 2, d // s.h).transpose(1, 2).repeat_interleave(2, dim=1)
            v = s.v(y).view(b, t, s.h // 2, d // s.h).transpose(1, 2).repeat_interleave(2, dim=1)
            a = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + s.o(a.transpose(1, 2).reshape(b, t, d))
            y = s.n2(x)
            return x + s.dn(torch.nn.functional.silu(s.g(y)) * s.u(y))

    for name, m, shape, dynamic in [("mlp", MLP(), (4, 10, 128), True),
                                    ("mlp2d", MLP(), (7, 128), True),
                                    ("bert", Bert(), (2, 6, 128), True),
                                    ("llama", Llama(), (1, 8, 128), False)]:
        m.eval()
        x = torch.randn(*shape)
        with torch.no_grad():
            y = m(x)
        np.save(f"{out}/{name}_x.npy", x.numpy())
        np.save(f"{out}/{name}_y.npy", y.numpy())
        for ot in ["linalg-on-tensors", "tosa"]:
            mod = fx.export_and_import(m, x, output_type=ot, func_name="forward")
            open(f"{out}/{name}_{ot.split('-')[0]}.mlir", "w").write(str(mod))
        if dynamic:
            mod = fx.export_and_import(m, x, output_type="linalg-on-tensors",
                                       func_name="forward",
                                       dynamic_shapes={"x": {0: Dim("b", min=1, max=64)}})
            open(f"{out}/{name}_dyn.mlir", "w").write(str(mod))


def snr(ref, y):
    ref = ref.astype(np.float64)
    return 10 * np.log10(np.sum(ref ** 2) / np.sum((ref - y) ** 2))


def check(out):
    import qc
    print("file                 float dB  layers  policy  ref dB  cpu dB  |cpu-ref|/max")
    for f in sorted(glob.glob(f"{out}/*.mlir")):
        base = os.path.basename(f)
        name = base.split("_")[0]
        x, y = np.load(f"{out}/{name}_x.npy"), np.load(f"{out}/{name}_y.npy")
        ctx = qc.Context()
        text = open(f).read()
        yf = qc.compile(qc.Module.parse(ctx, text), "qc-reference-pipeline").forward(x)
        for pol in ["w4g64", "nf4g64", "w4a8"]:
            m = qc.Module.parse(ctx, text)
            m.run(f"qc-quantize-model{{policy={pol}}}")
            s = str(m)
            layers = s.count("qc.matmul")
            a = qc.compile(qc.Module.parse(ctx, s), "qc-reference-pipeline").forward(x)
            b = qc.compile(qc.Module.parse(ctx, s), "qc-cpu-pipeline").forward(x)
            print(f"{base:20s} {snr(y, yf):8.1f}  {layers:6d}  {pol:6s}  {snr(y, a):6.1f}  "
                  f"{snr(y, b):6.1f}  {np.abs(a - b).max() / np.abs(a).max():.1e}", flush=True)


if __name__ == "__main__":
    {"export": export, "check": check}[sys.argv[1]](sys.argv[2])
