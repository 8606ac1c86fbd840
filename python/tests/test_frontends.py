"""Models as front ends write them: torch-mlir's linalg-on-tensors forms of
nn.Linear and TOSA programs, raised by qc-raise-linears, quantized by
qc-quantize-model and run by both pipelines, against numpy float64.

The programs are written here the way torch-mlir's FX importer writes them
(transpose of the constant weight, collapse of [batch, seq, K], matmul into
a zero fill, broadcast bias add, expand back; TOSA: tosa.matmul of a
[1, K, N] constant plus a [1, 1, N] bias), so the test suite does not need
torch; the README's "From PyTorch" section shows the export itself."""

import numpy as np
import pytest

import qc

K, H, N = 128, 64, 32


def dense(a):
    """An MLIR dense attribute holding `a` (f32) exactly, as hex."""
    a = np.ascontiguousarray(a, dtype=np.float32)
    shape = "x".join(str(d) for d in a.shape)
    return f'dense<"0x{a.tobytes().hex().upper()}"> : tensor<{shape}xf32>'


def weights(seed=0):
    rng = np.random.default_rng(seed)
    w1 = rng.standard_normal((H, K)).astype(np.float32) / np.sqrt(K)
    b1 = rng.standard_normal(H).astype(np.float32) * 0.1
    w2 = rng.standard_normal((N, H)).astype(np.float32) / np.sqrt(H)
    b2 = rng.standard_normal(N).astype(np.float32) * 0.1
    return w1, b1, w2, b2


def reference(x, w1, b1, w2, b2):
    x = x.astype(np.float64)
    h = np.maximum(x @ w1.astype(np.float64).T + b1, 0.0)
    return h @ w2.astype(np.float64).T + b2


def torch_linear(name, x, k, n, w, b, rank3):
    """torch-mlir's nn.Linear on `x` ([?, ?, k] or [?, k]); returns
    (text, result)."""
    t = f"""
    %{name}_w = arith.constant {dense(w)}
    %{name}_b = arith.constant {dense(b)}
    %{name}_e = tensor.empty() : tensor<{k}x{n}xf32>
    %{name}_t = linalg.transpose ins(%{name}_w : tensor<{n}x{k}xf32>) outs(%{name}_e : tensor<{k}x{n}xf32>) permutation = [1, 0]
"""
    a = x
    if rank3:
        t += f"""    %{name}_a = tensor.collapse_shape {x} [[0, 1], [2]] : tensor<?x?x{k}xf32> into tensor<?x{k}xf32>
"""
        a = f"%{name}_a"
    t += f"""    %{name}_m = tensor.dim {a}, %c0 : tensor<?x{k}xf32>
    %{name}_e2 = tensor.empty(%{name}_m) : tensor<?x{n}xf32>
    %{name}_f = linalg.fill ins(%zero : f32) outs(%{name}_e2 : tensor<?x{n}xf32>) -> tensor<?x{n}xf32>
    %{name}_y = linalg.matmul ins({a}, %{name}_t : tensor<?x{k}xf32>, tensor<{k}x{n}xf32>) outs(%{name}_f : tensor<?x{n}xf32>) -> tensor<?x{n}xf32>
"""
    y, ty = f"%{name}_y", f"tensor<?x{n}xf32>"
    if rank3:
        t += f"""    %{name}_y3 = tensor.expand_shape %{name}_y [[0, 1], [2]] output_shape [%bs, %sq, {n}] : tensor<?x{n}xf32> into tensor<?x?x{n}xf32>
    %{name}_e3 = tensor.empty(%bs, %sq) : tensor<?x?x{n}xf32>
    %{name}_z = linalg.generic {{indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}} ins(%{name}_y3, %{name}_b : tensor<?x?x{n}xf32>, tensor<{n}xf32>) outs(%{name}_e3 : tensor<?x?x{n}xf32>) {{
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %s = arith.addf %in, %in_1 : f32
      linalg.yield %s : f32
    }} -> tensor<?x?x{n}xf32>
"""
        ty = f"tensor<?x?x{n}xf32>"
    else:
        t += f"""    %{name}_z = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}} ins(%{name}_y, %{name}_b : tensor<?x{n}xf32>, tensor<{n}xf32>) outs(%{name}_e2 : tensor<?x{n}xf32>) {{
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %s = arith.addf %in, %in_1 : f32
      linalg.yield %s : f32
    }} -> tensor<?x{n}xf32>
"""
    return t, f"%{name}_z", ty


def relu(name, x, ty, rank):
    ids = ", ".join(f"d{i}" for i in range(rank))
    par = ", ".join(['"parallel"'] * rank)
    dims = ", ".join(["%bs", "%sq"] if rank == 3 else ["%l1_m"])
    return f"""    %{name}_e = tensor.empty({dims}) : {ty}
    %{name} = linalg.generic {{indexing_maps = [affine_map<({ids}) -> ({ids})>, affine_map<({ids}) -> ({ids})>], iterator_types = [{par}]}} ins({x} : {ty}) outs(%{name}_e : {ty}) {{
    ^bb0(%in: f32, %out: f32):
      %r = arith.maximumf %in, %zero : f32
      linalg.yield %r : f32
    }} -> {ty}
""", f"%{name}"


def torch_mlp(w1, b1, w2, b2, rank3=True):
    """A 2-layer MLP (Linear, ReLU, Linear) as torch-mlir writes it."""
    xin = f"tensor<?x?x{K}xf32>" if rank3 else f"tensor<?x{K}xf32>"
    out = f"tensor<?x?x{N}xf32>" if rank3 else f"tensor<?x{N}xf32>"
    body = """    %zero = arith.constant 0.0 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
"""
    if rank3:
        body += f"""    %bs = tensor.dim %x, %c0 : {xin}
    %sq = tensor.dim %x, %c1 : {xin}
"""
    t1, h, ht = torch_linear("l1", "%x", K, H, w1, b1, rank3)
    t2, r = relu("relu", h, ht, 3 if rank3 else 2)
    t3, y, _ = torch_linear("l2", r, H, N, w2, b2, rank3)
    return f"""func.func @forward(%x: {xin}) -> {out} {{
{body}{t1}{t2}{t3}    return {y} : {out}
  }}"""


def tosa_mlp(w1, b1, w2, b2, m):
    """The same MLP as TOSA ([1, M, K] activations)."""
    def layer(name, x, k, n, w, b):
        return f"""    %{name}_w = "tosa.const"() {{values = {dense(w.T.reshape(1, k, n))}}} : () -> tensor<1x{k}x{n}xf32>
    %{name}_b = "tosa.const"() {{values = {dense(b.reshape(1, 1, n))}}} : () -> tensor<1x1x{n}xf32>
    %{name}_y = tosa.matmul {x}, %{name}_w, %zp, %zp : (tensor<1x{m}x{k}xf32>, tensor<1x{k}x{n}xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x{m}x{n}xf32>
    %{name}_z = tosa.add %{name}_y, %{name}_b : (tensor<1x{m}x{n}xf32>, tensor<1x1x{n}xf32>) -> tensor<1x{m}x{n}xf32>
""", f"%{name}_z"
    t1, h = layer("l1", "%x", K, H, w1, b1)
    t2, y = layer("l2", "%r", H, N, w2, b2)
    return f"""func.func @forward(%x: tensor<1x{m}x{K}xf32>) -> tensor<1x{m}x{N}xf32> {{
    %zp = "tosa.const"() {{values = dense<0.0> : tensor<1xf32>}} : () -> tensor<1xf32>
{t1}    %r = tosa.clamp {h} {{min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32}} : (tensor<1x{m}x{H}xf32>) -> tensor<1x{m}x{H}xf32>
{t2}    return {y} : tensor<1x{m}x{N}xf32>
  }}"""


def snr_db(ref, y):
    return 10 * np.log10(np.sum(ref ** 2) / np.sum((ref - y) ** 2))


@pytest.fixture
def ctx():
    return qc.Context()


@pytest.mark.parametrize("rank3", [True, False])
def test_torch_mlp_raised_quantized_and_run(ctx, rank3):
    w = weights()
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 5, K) if rank3 else (7, K)).astype(np.float32)
    ref = reference(x, *w)
    text = torch_mlp(*w, rank3=rank3)
    # As exported: upstream's lowering runs it.
    y = qc.compile(qc.Module.parse(ctx, text), "qc-reference-pipeline").forward(x)
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    # Raised: two qc.matmul with their biases, nothing of the old form left.
    m = qc.Module.parse(ctx, text)
    m.run("qc-raise-linears")
    s = str(m)
    assert s.count("qc.matmul") == 2 and s.count("bias(") == 2
    assert "linalg.matmul" not in s and "linalg.transpose" not in s
    for pipeline in ["qc-reference-pipeline", "qc-cpu-pipeline"]:
        y = qc.compile(qc.Module.parse(ctx, s), pipeline).forward(x)
        np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    # Quantized by qc-quantize-model (which raises first): both layers
    # quantized, both pipelines agree, and the error is a 4-bit error.
    q = qc.Module.parse(ctx, text)
    q.run("qc-quantize-model{policy=w4g64}")
    qs = str(q)
    assert "linalg.matmul" not in qs and qs.count("qc.matmul") == 2
    assert qs.count("#qc.int<s4>") >= 2
    yr = qc.compile(qc.Module.parse(ctx, qs), "qc-reference-pipeline").forward(x)
    yc = qc.compile(qc.Module.parse(ctx, qs), "qc-cpu-pipeline").forward(x)
    np.testing.assert_allclose(yc, yr, rtol=1e-3, atol=1e-4)
    assert 12 < snr_db(ref, yr) < 40


def test_tosa_mlp_parses_runs_and_quantizes(ctx):
    w = weights(2)
    m = 6
    x = np.random.default_rng(3).standard_normal((1, m, K)).astype(np.float32)
    ref = reference(x, *w)
    text = tosa_mlp(*w, m)
    # The Python package registers TOSA; the pipelines lower it.
    for pipeline in ["qc-reference-pipeline", "qc-cpu-pipeline"]:
        y = qc.compile(qc.Module.parse(ctx, text), pipeline).forward(x)
        np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    q = qc.Module.parse(ctx, text)
    q.run("qc-quantize-model{policy=nf4g64}")
    qs = str(q)
    assert "tosa.matmul" not in qs and qs.count("qc.matmul") == 2
    assert qs.count("#qc.nf4") >= 2
    yq = qc.compile(qc.Module.parse(ctx, qs), "qc-cpu-pipeline").forward(x)
    assert 12 < snr_db(ref, yq) < 40


def test_unrecognized_product_with_constant_warns(ctx):
    """A model whose layers were not recognized never quantizes '0 layers'
    silently: quantize-linears warns on each product with a constant."""
    text = f"""func.func @f(%x: tensor<4x{K}xf32>) -> tensor<4x{H}xf32> {{
      %w = arith.constant dense<1.0> : tensor<{K}x{H}xf32>
      %e = tensor.empty() : tensor<{K}x{H}xf32>
      %n = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}} ins(%w : tensor<{K}x{H}xf32>) outs(%e : tensor<{K}x{H}xf32>) {{
      ^bb0(%in: f32, %out: f32):
        %v = arith.negf %in : f32
        linalg.yield %v : f32
      }} -> tensor<{K}x{H}xf32>
      %zero = arith.constant 0.0 : f32
      %e2 = tensor.empty() : tensor<4x{H}xf32>
      %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x{H}xf32>) -> tensor<4x{H}xf32>
      %y = linalg.matmul ins(%x, %n : tensor<4x{K}xf32>, tensor<{K}x{H}xf32>) outs(%f : tensor<4x{H}xf32>) -> tensor<4x{H}xf32>
      return %y : tensor<4x{H}xf32>
    }}"""
    m = qc.Module.parse(ctx, text)
    m.run("qc-quantize-linears{policy=w4g64}")
    diags = ctx.take_diagnostics()
    assert any("qc-quantize-linears: a product with a constant matrix" in d
               and "linalg.generic" in d for d in diags), diags
