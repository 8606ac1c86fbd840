"""Writes SmolLM2-135M (a Llama-architecture decoder) as one MLIR function.

  python3 examples/smollm2/smollm2_mlir.py > examples/smollm2/smollm2.mlir
  python3 examples/smollm2/smollm2_mlir.py --float-weights > f32.mlir
  python3 examples/smollm2/smollm2_mlir.py --int8-activations > a8.mlir

@forward(%x: T x 576 f32, %kc: 30 x 3 x 64 x P f32, %vc: 30 x 3 x P x 64 f32)
    -> (logits T x 49152, keys 30 x 3 x 64 x (P+T), values 30 x 3 x (P+T) x 64)

runs T new tokens whose embeddings are %x (the rows of token_embd for their
ids; the example looks them up) after P cached ones: a prefill is P = 0, a
decode step T = 1. Per layer (GGUF's names; weights as the file stores
them: Q4_1 blocks of 32 with f16 scales and mins, qc.constant ops whose
blobs `qc-import model.gguf --into=smollm2.mlir` fills):

  h = RMSNorm(x) * attn_norm                      (qc.rms_norm, eps 1e-5)
  q, k, v = h Wq (9 heads x 64), h Wk, h Wv (3 KV heads x 64)
  RoPE on q and k at positions P..P+T-1: pairs (2i, 2i+1) of each head
    rotated by pos * 100000^(-2i/64) (GGUF's adjacent-pair form)
  the layer's rows of the grown caches: [cached ; new], written in place
    into the result caches, which attention then reads (keys are stored
    transposed, 64 x positions per head, as q k^T reads them: no
    transpose of the whole cache per step)
  each query head g of KV head a (grouped-query: 3 per KV head):
    p = softmax_j(q . k_j / 8, j <= P + i)  (causal);  ctx = sum_j p v_j
  x = x + ctx Wo
  h = RMSNorm(x) * ffn_norm;  x = x + (silu(h Wgate) * (h Wup)) Wdown
logits = RMSNorm(x) * output_norm, times token_embd^T (tied embeddings,
Q8_0, read by the same kind of kernel as every Linear layer).
"""

import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mlir_writer import Writer  # noqa: E402

LAYERS, D, HEADS, KV, HD, FF, VOCAB = 30, 576, 9, 3, 64, 1536, 49152
GROUP = HEADS // KV
THETA = 100000.0
EPS = "1.0e-05"


def q41(n, k):
    """(type, constant op text with %(name)s) of an N x K Q4_1 weight as
    qc-import gives it: packed codes, f16 scales and mins per block of 32."""
    blocks = k // 32
    qtype = "!qc.qtensor<%dx%d, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, min f16>" % (n, k)
    const = ("qc.constant codes(dense_resource<%%(name)s.codes> : tensor<%dxi8>) "
             "scales(dense_resource<%%(name)s.scales> : tensor<%dx%dxf16>) "
             "mins(dense_resource<%%(name)s.mins> : tensor<%dx%dxf16>)"
             % (n * k // 2, n, blocks, n, blocks))
    return qtype, const


# With FLOAT_WEIGHTS, every weight is an f32 dense_resource instead (for
# `qc-import --gguf-float --into`, and qc-quantize-model to requantize).
FLOAT_WEIGHTS = False
# With INT8_ACTIVATIONS, each Linear layer's input is quantized at run time
# to int8 in blocks of 32 (absmax, f32 scales), as llama.cpp's CPU backend
# does for Q4_1 weights (its Q8_1): the integer-dot kernels take the
# product. The output layer's input too, as llama.cpp quantizes it for its
# Q8_0 token_embd (Q8_0 activations).
INT8_ACTIVATIONS = False


def linear(w, x, name, k, n):
    qtype, const = q41(n, k)
    wt = w.fresh("w")
    if FLOAT_WEIGHTS:
        qtype = "tensor<%dx%dxf32>" % (n, k)
        w.emit('%s = arith.constant dense_resource<"%s"> : %s' % (wt, name, qtype))
    else:
        w.emit("%s = %s : %s" % (wt, const % dict(name=name), qtype))
    y = w.fresh("lin")
    xtype = "tensor<?x%dxf32>" % k
    if INT8_ACTIVATIONS and not FLOAT_WEIGHTS and not name.startswith("token_embd"):
        qa = w.fresh("qa")
        atype = "!qc.qtensor<?x%d, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>" % k
        w.emit("%s = qc.quantize %s : %s -> %s" % (qa, x, xtype, atype))
        x, xtype = qa, atype
    w.emit("%s = qc.matmul %s, %s : %s, %s -> tensor<?x%dxf32>"
           % (y, x, wt, xtype, qtype, n))
    return y


def norm(w, x, name):
    g = w.fresh("g")
    w.emit('%s = arith.constant dense_resource<"%s"> : tensor<%dxf32>' % (g, name, D))
    y = w.fresh("h")
    w.emit("%s = qc.rms_norm %s weight(%s : tensor<%dxf32>) epsilon(%s) : tensor<?x%dxf32>"
           % (y, x, g, D, EPS, D))
    return y


def rope(w, x, heads):
    """x (T x heads*64) with each head's pairs rotated, as T x heads x 64."""
    x4 = w.fresh("pairs")
    w.emit("%s = tensor.expand_shape %s [[0], [1, 2, 3]] output_shape [%%nt, %d, 32, 2]"
           " : tensor<?x%dxf32> into tensor<?x%dx32x2xf32>" % (x4, x, heads, heads * HD, heads))
    e = w.empty("?x%dx32x2" % heads, ["%nt"])
    y = w.fresh("rope")
    w.emit("""%(y)s = linalg.generic {indexing_maps = [affine_map<(t, h, i, c) -> (t, h, i, 0)>, affine_map<(t, h, i, c) -> (t, h, i, 1)>, affine_map<(t, h, i, c) -> (t, h, i, c)>],
    iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%(x)s, %(x)s : tensor<?x%(h)dx32x2xf32>, tensor<?x%(h)dx32x2xf32>) outs(%(e)s : tensor<?x%(h)dx32x2xf32>) {
^bb0(%%x0: f32, %%x1: f32, %%out: f32):
  %%t = linalg.index 0 : index
  %%i = linalg.index 2 : index
  %%c = linalg.index 3 : index
  %%pos = arith.addi %%np, %%t : index
  %%posi = arith.index_cast %%pos : index to i64
  %%posf = arith.sitofp %%posi : i64 to f32
  %%ii = arith.index_cast %%i : index to i64
  %%if = arith.sitofp %%ii : i64 to f32
  %%k = arith.constant %(k)s : f32
  %%ex = arith.mulf %%if, %%k : f32
  %%freq = math.exp %%ex : f32
  %%ang = arith.mulf %%posf, %%freq : f32
  %%cs = math.cos %%ang : f32
  %%sn = math.sin %%ang : f32
  %%c0 = arith.constant 0 : index
  %%first = arith.cmpi eq, %%c, %%c0 : index
  %%a = arith.mulf %%x0, %%cs : f32
  %%b = arith.mulf %%x1, %%sn : f32
  %%r0 = arith.subf %%a, %%b : f32
  %%a1 = arith.mulf %%x0, %%sn : f32
  %%b1 = arith.mulf %%x1, %%cs : f32
  %%r1 = arith.addf %%a1, %%b1 : f32
  %%r = arith.select %%first, %%r0, %%r1 : f32
  linalg.yield %%r : f32
} -> tensor<?x%(h)dx32x2xf32>""" % dict(y=y, x=x4, e=e, h=heads,
                                         k=repr(-2.0 / HD * math.log(THETA))))
    y3 = w.fresh("roped")
    w.emit("%s = tensor.collapse_shape %s [[0], [1], [2, 3]] : tensor<?x%dx32x2xf32> into tensor<?x%dx64xf32>"
           % (y3, y, heads, heads))
    return y3


def cache(w, layer, past, new, out, keys):
    """Layer `layer` of the grown cache `out` (30 x 3 x 64 x L keys, or
    30 x 3 x L x 64 values): its P cached rows copied from `past` and its T
    new ones (`new`, T x 3 x 64) written after them, in place in `out`:
    (the grown `out`, the layer's 3 x 64 x L keys or 3 x L x 64 values)."""
    if keys:
        past_t, rows_t, cut = ("3x64x?", "30x3x64x?",
                                       "[%d, 0, 0, 0] [1, 3, 64, %s] [1, 1, 1, 1]")
        new_at = "[%d, 0, 0, %%np] [1, 3, 64, %%nt] [1, 1, 1, 1]"
        perm = "[1, 2, 0]"
    else:
        past_t, rows_t, cut = ("3x?x64", "30x3x?x64",
                                       "[%d, 0, 0, 0] [1, 3, %s, 64] [1, 1, 1, 1]")
        new_at = "[%d, 0, %%np, 0] [1, 3, %%nt, 64] [1, 1, 1, 1]"
        perm = "[1, 0, 2]"
    p3 = w.fresh("past")
    w.emit("%s = tensor.extract_slice %s%s : tensor<%sxf32> to tensor<%sxf32>"
           % (p3, past, cut % (layer, "%np"), rows_t, past_t))
    with_past = w.fresh("grown")
    w.emit("%s = tensor.insert_slice %s into %s%s : tensor<%sxf32> into tensor<%sxf32>"
           % (with_past, p3, out, cut % (layer, "%np"), past_t, rows_t))
    nt = w.empty(past_t, ["%nt"])
    tr = w.fresh("newkv")
    w.emit("%s = linalg.transpose ins(%s : tensor<?x3x64xf32>) outs(%s : tensor<%sxf32>)"
           " permutation = %s" % (tr, new, nt, past_t, perm))
    grown = w.fresh("grown")
    w.emit("%s = tensor.insert_slice %s into %s%s : tensor<%sxf32> into tensor<%sxf32>"
           % (grown, tr, with_past, new_at % layer, past_t, rows_t))
    rows = w.fresh("kv")
    w.emit("%s = tensor.extract_slice %s%s : tensor<%sxf32> to tensor<%sxf32>"
           % (rows, grown, cut % (layer, "%nl"), rows_t, past_t))
    return grown, rows


def attention(w, q, kt, values):
    """Grouped-query causal attention of q (T x 9 x 64) over keys (k^T:
    3 x 64 x L, keys innermost, as q @ k^T reads them) and values
    (3 x L x 64); T x 576."""
    q5 = w.fresh("q5")
    w.emit("%s = tensor.expand_shape %s [[0], [1, 2], [3]] output_shape [%%nt, 3, 3, 64]"
           " : tensor<?x9x64xf32> into tensor<?x3x3x64xf32>" % (q5, q))
    zero = w.fill("0.0", "3x3x?x?", ["%nt", "%nl"])
    s = w.fresh("scores")
    w.emit("""%(s)s = linalg.generic {indexing_maps = [affine_map<(a, g, i, j, d) -> (i, a, g, d)>, affine_map<(a, g, i, j, d) -> (a, d, j)>, affine_map<(a, g, i, j, d) -> (a, g, i, j)>],
    iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%(q)s, %(k)s : tensor<?x3x3x64xf32>, tensor<3x64x?xf32>) outs(%(z)s : tensor<3x3x?x?xf32>) {
^bb0(%%qv: f32, %%kv: f32, %%acc: f32):
  %%m = arith.mulf %%qv, %%kv : f32
  %%r = arith.addf %%acc, %%m : f32
  linalg.yield %%r : f32
} -> tensor<3x3x?x?xf32>""" % dict(s=s, q=q5, k=kt, z=zero))
    # logit = s / 8, or -1e30 past the causal limit (key j > P + query i).
    logit = """  %%i = linalg.index 2 : index
  %%j = linalg.index 3 : index
  %%lim = arith.addi %%np, %%i : index
  %%late = arith.cmpi ugt, %%j, %%lim : index
  %%scale = arith.constant 0.125 : f32
  %%ss = arith.mulf %%sv, %%scale : f32
  %%neg = arith.constant -1.0e+30 : f32
  %%l = arith.select %%late, %%neg, %%ss : f32"""
    mf = w.fill("-3.40282347E+38", "3x3x?", ["%nt"])
    mx = w.fresh("max")
    w.emit("""%(mx)s = linalg.generic {indexing_maps = [affine_map<(a, g, i, j) -> (a, g, i, j)>, affine_map<(a, g, i, j) -> (a, g, i)>],
    iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%(s)s : tensor<3x3x?x?xf32>) outs(%(f)s : tensor<3x3x?xf32>) {
^bb0(%%sv: f32, %%acc: f32):
%(logit)s
  %%r = arith.maximumf %%acc, %%l : f32
  linalg.yield %%r : f32
} -> tensor<3x3x?xf32>""" % dict(mx=mx, s=s, f=mf, logit=logit % ()))
    zf = w.fill("0.0", "3x3x?", ["%nt"])
    sm = w.fresh("sum")
    w.emit("""%(sm)s = linalg.generic {indexing_maps = [affine_map<(a, g, i, j) -> (a, g, i, j)>, affine_map<(a, g, i, j) -> (a, g, i)>, affine_map<(a, g, i, j) -> (a, g, i)>],
    iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%(s)s, %(mx)s : tensor<3x3x?x?xf32>, tensor<3x3x?xf32>) outs(%(f)s : tensor<3x3x?xf32>) {
^bb0(%%sv: f32, %%xv: f32, %%acc: f32):
%(logit)s
  %%c = arith.subf %%l, %%xv : f32
  %%ev = math.exp %%c : f32
  %%r = arith.addf %%acc, %%ev : f32
  linalg.yield %%r : f32
} -> tensor<3x3x?xf32>""" % dict(sm=sm, s=s, mx=mx, f=zf, logit=logit % ()))
    pe = w.empty("3x3x?x?", ["%nt", "%nl"])
    pr = w.fresh("probs")
    w.emit("""%(p)s = linalg.generic {indexing_maps = [affine_map<(a, g, i, j) -> (a, g, i, j)>, affine_map<(a, g, i, j) -> (a, g, i)>, affine_map<(a, g, i, j) -> (a, g, i)>, affine_map<(a, g, i, j) -> (a, g, i, j)>],
    iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%(s)s, %(mx)s, %(sm)s : tensor<3x3x?x?xf32>, tensor<3x3x?xf32>, tensor<3x3x?xf32>) outs(%(e)s : tensor<3x3x?x?xf32>) {
^bb0(%%sv: f32, %%xv: f32, %%zv: f32, %%out: f32):
%(logit)s
  %%c = arith.subf %%l, %%xv : f32
  %%ev = math.exp %%c : f32
  %%r = arith.divf %%ev, %%zv : f32
  linalg.yield %%r : f32
} -> tensor<3x3x?x?xf32>""" % dict(p=pr, s=s, mx=mx, sm=sm, e=pe, logit=logit % ()))
    cf = w.fill("0.0", "?x3x3x64", ["%nt"])
    ctx = w.fresh("ctx")
    w.emit("""%(c)s = linalg.generic {indexing_maps = [affine_map<(i, a, g, j, d) -> (a, g, i, j)>, affine_map<(i, a, g, j, d) -> (a, j, d)>, affine_map<(i, a, g, j, d) -> (i, a, g, d)>],
    iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%(p)s, %(v)s : tensor<3x3x?x?xf32>, tensor<3x?x64xf32>) outs(%(f)s : tensor<?x3x3x64xf32>) {
^bb0(%%pv: f32, %%vv: f32, %%acc: f32):
  %%m = arith.mulf %%pv, %%vv : f32
  %%r = arith.addf %%acc, %%m : f32
  linalg.yield %%r : f32
} -> tensor<?x3x3x64xf32>""" % dict(c=ctx, p=pr, v=values, f=cf))
    flat = w.fresh("ctxf")
    w.emit("%s = tensor.collapse_shape %s [[0], [1, 2, 3]] : tensor<?x3x3x64xf32> into tensor<?x576xf32>"
           % (flat, ctx))
    return flat


def add(w, a, b, n):
    e = w.fresh("e")
    y = w.fresh("res")
    w.emit("""%(e)s = tensor.empty(%%nt) : tensor<?x%(n)dxf32>
%(y)s = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t, d)>],
    iterator_types = ["parallel", "parallel"]} ins(%(a)s, %(b)s : tensor<?x%(n)dxf32>, tensor<?x%(n)dxf32>) outs(%(e)s : tensor<?x%(n)dxf32>) {
^bb0(%%u: f32, %%v: f32, %%out: f32):
  %%r = arith.addf %%u, %%v : f32
  linalg.yield %%r : f32
} -> tensor<?x%(n)dxf32>""" % dict(e=e, y=y, a=a, b=b, n=n))
    return y


def swiglu(w, g, u):
    e = w.fresh("e")
    y = w.fresh("act")
    w.emit("""%(e)s = tensor.empty(%%nt) : tensor<?x1536xf32>
%(y)s = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t, d)>],
    iterator_types = ["parallel", "parallel"]} ins(%(g)s, %(u)s : tensor<?x1536xf32>, tensor<?x1536xf32>) outs(%(e)s : tensor<?x1536xf32>) {
^bb0(%%gv: f32, %%uv: f32, %%out: f32):
  %%z = arith.constant 0.0 : f32
  %%n = arith.subf %%z, %%gv : f32
  %%ex = math.exp %%n : f32
  %%one = arith.constant 1.0 : f32
  %%den = arith.addf %%ex, %%one : f32
  %%s = arith.divf %%gv, %%den : f32
  %%r = arith.mulf %%s, %%uv : f32
  linalg.yield %%r : f32
} -> tensor<?x1536xf32>""" % dict(e=e, y=y, g=g, u=u))
    return y


def main():
    w = Writer()
    w.emit("""%i0 = arith.constant 0 : index
%i2 = arith.constant 2 : index
%nt = tensor.dim %x, %i0 : tensor<?x576xf32>
%np = tensor.dim %vc, %i2 : tensor<30x3x?x64xf32>
%nl = arith.addi %np, %nt : index
%ko0 = tensor.empty(%nl) : tensor<30x3x64x?xf32>
%vo0 = tensor.empty(%nl) : tensor<30x3x?x64xf32>""")
    x, ko, vo = "%x", "%ko0", "%vo0"
    for l in range(LAYERS):
        p = "blk.%d." % l
        h = norm(w, x, p + "attn_norm.weight")
        q = rope(w, linear(w, h, p + "attn_q.weight", D, HEADS * HD), HEADS)
        k = rope(w, linear(w, h, p + "attn_k.weight", D, KV * HD), KV)
        v3 = w.fresh("v3")
        w.emit("%s = tensor.expand_shape %s [[0], [1, 2]] output_shape [%%nt, 3, 64]"
               " : tensor<?x192xf32> into tensor<?x3x64xf32>"
               % (v3, linear(w, h, p + "attn_v.weight", D, KV * HD)))
        ko, keys = cache(w, l, "%kc", k, ko, keys=True)
        vo, values = cache(w, l, "%vc", v3, vo, keys=False)
        x = add(w, x, linear(w, attention(w, q, keys, values), p + "attn_output.weight", D, D), D)
        h = norm(w, x, p + "ffn_norm.weight")
        a = swiglu(w, linear(w, h, p + "ffn_gate.weight", D, FF),
                   linear(w, h, p + "ffn_up.weight", D, FF))
        x = add(w, x, linear(w, a, p + "ffn_down.weight", FF, D), D)
    h = norm(w, x, "output_norm.weight")
    if FLOAT_WEIGHTS:
        logits = linear(w, h, "token_embd.weight", D, VOCAB)
        w.emit("return %s, %s, %s : tensor<?x%dxf32>, tensor<30x3x64x?xf32>, tensor<30x3x?x64xf32>"
               % (logits, ko, vo, VOCAB))
        return header(w)
    emb = w.fresh("w")
    w.emit("%s = qc.constant codes(dense_resource<token_embd.weight.codes> : tensor<%dxi8>) "
           "scales(dense_resource<token_embd.weight.scales> : tensor<%dx18xf16>) "
           ": !qc.qtensor<%dx576, #qc.int<s8>, f16 #qc.per_block<[1, 32]>>"
           % (emb, VOCAB * D, VOCAB, VOCAB))
    logits = w.fresh("logits")
    htype = "tensor<?x576xf32>"
    if INT8_ACTIVATIONS:
        qh = w.fresh("qa")
        atype = "!qc.qtensor<?x576, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>"
        w.emit("%s = qc.quantize %s : %s -> %s" % (qh, h, htype, atype))
        h, htype = qh, atype
    w.emit("%s = qc.matmul %s, %s : %s, !qc.qtensor<%dx576, #qc.int<s8>, "
           "f16 #qc.per_block<[1, 32]>> -> tensor<?x%dxf32>" % (logits, h, emb, htype, VOCAB, VOCAB))
    w.emit("return %s, %s, %s : tensor<?x%dxf32>, tensor<30x3x64x?xf32>, tensor<30x3x?x64xf32>"
           % (logits, ko, vo, VOCAB))
    return header(w)


def header(w):
    print("// Generated by examples/smollm2/smollm2_mlir.py; do not edit.")
    print("// SmolLM2-135M: T new tokens' embeddings after P cached tokens -> logits")
    print("// and the grown KV cache (keys 64 x positions per head, values positions x 64).")
    print("// qc-import SmolLM2-135M.Q4_1.gguf --into fills the blobs.")
    print("func.func @forward(%x: tensor<?x576xf32>, %kc: tensor<30x3x64x?xf32>, "
          "%vc: tensor<30x3x?x64xf32>) -> (tensor<?x49152xf32>, tensor<30x3x64x?xf32>, "
          "tensor<30x3x?x64xf32>) {")
    print("\n".join(w.lines))
    print("}")


if __name__ == "__main__":
    FLOAT_WEIGHTS = "--float-weights" in sys.argv[1:]
    INT8_ACTIVATIONS = "--int8-activations" in sys.argv[1:]
    sys.exit(main())
