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


# --- random front-end forms ---------------------------------------------------

class _Forms:
    """One random program of Linear layers in the forms front ends write,
    with its numpy float64 meaning."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.lines, self.n = [], 0

    def fresh(self, prefix="v"):
        self.n += 1
        return f"%{prefix}{self.n}"

    def emit(self, line):
        self.lines.append("    " + line)


def random_program(seed):
    """A function of one activation x ([B, S, K], [M, K] or [K]; static or
    dynamic) through one to three Linear layers (forms, transposes, biases,
    inits and element types chosen at random, a weight shared by two
    layers sometimes), each result returned. Returns (text, x, expected)."""
    f = _Forms(seed)
    rng = f.rng
    rank = int(rng.choice([1, 2, 3]))
    k = int(rng.choice([3, 8, 17, 64]))
    dynamic = bool(rng.integers(2)) and rank > 1
    lead = {1: [], 2: [int(rng.choice([1, 5, 8]))],
            3: [int(rng.choice([1, 2])), int(rng.choice([3, 4]))]}[rank]
    shape_t = lambda dims, last, et="f32": "tensor<" + "x".join(
        ["?" if dynamic else str(d) for d in dims] + [str(last)]) + f"x{et}>"
    x = rng.standard_normal(lead + [k]).astype(np.float32)
    x_type = shape_t(lead, k)
    f.emit("%zero = arith.constant 0.0 : f32")
    for i in range(rank - 1):
        f.emit(f"%c{i} = arith.constant {i} : index")
        f.emit(f"%d{i} = tensor.dim %x, %c{i} : {x_type}")
    dims = [f"%d{i}" for i in range(rank - 1)] if dynamic else []
    results, types, expected = [], [], []
    shared = None
    for layer in range(int(rng.integers(1, 4))):
        n = int(rng.choice([2, 5, 16, 33]))
        et = "f16" if rng.integers(4) == 0 else "f32"
        if shared is not None and shared[0].shape[0] == n and rng.integers(2):
            w, wname = shared  # a weight read by two layers
        else:
            w = rng.standard_normal((n, k)).astype(np.float16 if et == "f16" else np.float32)
            wname = f.fresh("w")
            f.emit(f"{wname} = arith.constant {dense_typed(w, et)}")
            shared = (w, wname)
        et = "f16" if w.dtype == np.float16 else "f32"
        wf = w.astype(np.float64)
        y = x.astype(np.float64) @ wf.T
        form = str(rng.choice(["transpose", "generic", "maps", "kn_constant", "batch"]))
        if rank != 3 and form == "batch":
            form = "maps"
        # The weight operand as the contraction reads it.
        if form == "transpose":
            e = f.fresh("e")
            f.emit(f"{e} = tensor.empty() : tensor<{k}x{n}x{et}>")
            t = f.fresh("t")
            f.emit(f"{t} = linalg.transpose ins({wname} : tensor<{n}x{k}x{et}>) outs({e} : tensor<{k}x{n}x{et}>) permutation = [1, 0]")
            rhs, rhs_t, maps = t, f"tensor<{k}x{n}x{et}>", None
        elif form == "generic":
            e, t = f.fresh("e"), f.fresh("t")
            f.emit(f"{e} = tensor.empty() : tensor<{k}x{n}x{et}>")
            f.emit(f"{t} = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = [\"parallel\", \"parallel\"]}} ins({wname} : tensor<{n}x{k}x{et}>) outs({e} : tensor<{k}x{n}x{et}>) {{\n    ^bb0(%in: {et}, %out: {et}):\n      linalg.yield %in : {et}\n    }} -> tensor<{k}x{n}x{et}>")
            rhs, rhs_t, maps = t, f"tensor<{k}x{n}x{et}>", None
        elif form == "kn_constant":
            kn = f.fresh("kn")
            f.emit(f"{kn} = arith.constant {dense_typed(np.ascontiguousarray(w.T), et)}")
            rhs, rhs_t, maps = kn, f"tensor<{k}x{n}x{et}>", None
        else:  # maps: x W^T with the N x K constant; batch: broadcast weight
            rhs, rhs_t, maps = wname, f"tensor<{n}x{k}x{et}>", "nk"
        # The activation as the contraction reads it: [M', K].
        if rank == 3 and form != "batch":
            a = f.fresh("a")
            mt = f"tensor<{'?' if dynamic else lead[0] * lead[1]}x{k}xf32>"
            f.emit(f"{a} = tensor.collapse_shape %x [[0, 1], [2]] : {x_type} into {mt}")
            a_t = mt
        elif rank == 1:
            a = f.fresh("a")
            a_t = f"tensor<1x{k}xf32>"
            f.emit(f"{a} = tensor.expand_shape %x [[0, 1]] output_shape [1, {k}] : {x_type} into {a_t}")
        else:
            a, a_t = "%x", x_type
        out_dims = (lead if form == "batch" else
                    ([lead[0] * lead[1]] if rank == 3 else lead if rank == 2 else [1]))
        out_dyn = dynamic and form != "batch" and rank > 1
        out_t = "tensor<" + "x".join(
            (["?"] * len(out_dims) if (dynamic and rank > 1) else [str(d) for d in out_dims])
            + [str(n), "f32"]) + ">"
        # The init: zero, a broadcast bias, or an accumulator (another
        # product: x W^T from the same weight, raised too).
        bias = None
        init_kind = str(rng.choice(["zero", "zero", "bias"]))
        dim_args = ([f"%m{layer}"] if out_dyn else []) if form != "batch" else dims
        if out_dyn and form != "batch":
            f.emit(f"%m{layer} = tensor.dim {a}, %c0 : {a_t}")
        e = f.fresh("e")
        f.emit(f"{e} = tensor.empty({', '.join(dim_args)}) : {out_t}")
        if init_kind == "bias":
            bias = rng.standard_normal(n).astype(np.float32)
            b, bb = f.fresh("b"), f.fresh("bb")
            f.emit(f"{b} = arith.constant {dense(bias)}")
            bdims = list(range(len(out_dims)))
            f.emit(f"{bb} = linalg.broadcast ins({b} : tensor<{n}xf32>) outs({e} : {out_t}) dimensions = {bdims}")
            init = bb
        else:
            init = f.fresh("f")
            f.emit(f"{init} = linalg.fill ins(%zero : f32) outs({e} : {out_t}) -> {out_t}")
        yv = f.fresh("y")
        if form == "batch":
            eb, wb = f.fresh("e"), f.fresh("wb")
            bt = f"tensor<{lead[0]}x{k}x{n}x{et}>"
            kn = f.fresh("kn")
            f.emit(f"{kn} = arith.constant {dense_typed(np.ascontiguousarray(w.T), et)}")
            f.emit(f"{eb} = tensor.empty() : {bt}")
            f.emit(f"{wb} = linalg.broadcast ins({kn} : tensor<{k}x{n}x{et}>) outs({eb} : {bt}) dimensions = [0]")
            f.emit(f"{yv} = linalg.batch_matmul ins({a}, {wb} : {a_t}, {bt}) outs({init} : {out_t}) -> {out_t}")
        elif maps:
            f.emit(f"{yv} = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins({a}, {rhs} : {a_t}, {rhs_t}) outs({init} : {out_t}) -> {out_t}")
        else:
            f.emit(f"{yv} = linalg.matmul ins({a}, {rhs} : {a_t}, {rhs_t}) outs({init} : {out_t}) -> {out_t}")
        # Back to the activation's leading shape, then maybe a bias add.
        res, res_t = yv, out_t
        final_t = shape_t(lead, n)
        if rank == 3 and form != "batch":
            r = f.fresh("r")
            sizes = ", ".join(dims + [str(n)]) if dynamic else ", ".join(map(str, lead + [n]))
            f.emit(f"{r} = tensor.expand_shape {yv} [[0, 1], [2]] output_shape [{sizes}] : {out_t} into {final_t}")
            res, res_t = r, final_t
        elif rank == 1:
            r = f.fresh("r")
            f.emit(f"{r} = tensor.collapse_shape {yv} [[0, 1]] : {out_t} into {final_t}")
            res, res_t = r, final_t
        if bias is None and rng.integers(2):
            bias = rng.standard_normal(n).astype(np.float32)
            b = f.fresh("b")
            f.emit(f"{b} = arith.constant {dense(bias)}")
            r_rank = len(lead) + 1
            ids = ", ".join(f"d{i}" for i in range(r_rank))
            par = ", ".join(['"parallel"'] * r_rank)
            e2 = f.fresh("e")
            f.emit(f"{e2} = tensor.empty({', '.join(dims)}) : {res_t}")
            z = f.fresh("z")
            f.emit(f"{z} = linalg.generic {{indexing_maps = [affine_map<({ids}) -> ({ids})>, affine_map<({ids}) -> (d{r_rank - 1})>, affine_map<({ids}) -> ({ids})>], iterator_types = [{par}]}} ins({res}, {b} : {res_t}, tensor<{n}xf32>) outs({e2} : {res_t}) {{\n    ^bb0(%p: f32, %q: f32, %o: f32):\n      %s = arith.addf %p, %q : f32\n      linalg.yield %s : f32\n    }} -> {res_t}")
            res = z
        if bias is not None:
            y = y + bias
        results.append(res)
        types.append(res_t)
        expected.append(y)
    text = (f"func.func @forward(%x: {x_type}) -> ({', '.join(types)}) {{\n"
            + "\n".join(f.lines)
            + f"\n    return {', '.join(results)} : {', '.join(types)}\n  }}")
    return text, x, expected


def dense_typed(a, et):
    if et == "f32":
        return dense(a)
    a = np.ascontiguousarray(a, dtype=np.float16)
    shape = "x".join(str(d) for d in a.shape)
    return f'dense<"0x{a.tobytes().hex().upper()}"> : tensor<{shape}xf16>'


@pytest.mark.parametrize("seed", range(24))
def test_random_front_end_forms(ctx, seed):
    """Programs nobody picked: as written (upstream's lowering) and raised
    (both pipelines) against numpy float64; every layer is raised."""
    text, x, expected = random_program(seed)
    outs = []
    try:
        outs.append(qc.compile(qc.Module.parse(ctx, text), "qc-reference-pipeline").forward(x))
        m = qc.Module.parse(ctx, text)
        m.run("qc-raise-linears")
        raised = str(m)
        assert "linalg.matmul" not in raised and "linalg.batch_matmul" not in raised, raised
        assert raised.count("qc.matmul") == len(expected)
        for pipeline in ["qc-reference-pipeline", "qc-cpu-pipeline"]:
            outs.append(qc.compile(qc.Module.parse(ctx, raised), pipeline).forward(x))
    except Exception:
        print(text)
        raise
    for out in outs:
        out = out if isinstance(out, (list, tuple)) else [out]
        for got, want in zip(out, expected):
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * np.abs(want).max(),
                                       err_msg=text)
