"""Writes MiniLM-L6's (BERT's) whole encoder as one MLIR function.

  python3 examples/minilm/encoder_mlir.py > examples/minilm/encoder.mlir

The function takes a batch of token ids and its attention mask (1 for a
token, 0 for padding), both B x S with B and S dynamic, and returns the
mean-pooled sentence embeddings (B x 384, before sentence-transformers'
L2 normalization, which a cosine similarity does not see):

  embeddings: word[id] + position[s] + token_type[0], LayerNorm
  6 x (post-LN BERT layer):
    q, k, v = Linear(x)                      (qc.matmul, float weights)
    scores[b,h,i,j] = q[b,i,h,:] . k[b,j,h,:] / sqrt(32) + (mask[b,j] - 1) * 1e4
    e = exp(scores - max_j);  ctx[b,i,h,:] = sum_j e[b,h,i,j] v[b,j,h,:] / sum_j e[b,h,i,j]
    x = LayerNorm(x + Linear(ctx));  x = LayerNorm(x + Linear(GELU(Linear(x))))
  pooled[b] = sum_s mask[b,s] x[b,s] / sum_s mask[b,s]

Every Linear is a `qc.matmul` with a float weight (a dense_resource named
by its safetensors name; `qc-import model.safetensors --into=encoder.mlir`
fills the blobs) and named by its module's name (qc.name =
"encoder.layer.0.attention.self.query"), so `qc-quantize-model` finds all
36 and calibration statistics can be attached to each by name. Everything else is
linalg on tensors, as a front end writes it: the float rest of the model
that qc-cpu-pipeline tiles, vectorizes and runs on every core.
Tokens are rows of one T x 384 matrix (T = B S) for the Linear layers; the
attention reads them through tensor.expand_shape as B x S x 12 x 32.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mlir_writer import Writer  # noqa: E402

H, HEADS, DH, FF, LAYERS, VOCAB, POS = 384, 12, 32, 1536, 6, 30522, 512
EPS = "9.99999996E-13"  # layer_norm_eps = 1e-12 as f32


def weight(w, name, shape):
    v = w.fresh("w")
    w.emit('%s = arith.constant dense_resource<"%s"> : tensor<%sxf32>'
           % (v, name, "x".join(map(str, shape))))
    return v


def linear(w, x, prefix, k, n):
    wt = weight(w, prefix + ".weight", (n, k))
    b = weight(w, prefix + ".bias", (n,))
    y = w.fresh("lin")
    w.emit("""%s = qc.matmul %s, %s bias(%s : tensor<%dxf32>) {qc.name = "%s"}
    : tensor<?x%dxf32>, tensor<%dx%dxf32> -> tensor<?x%dxf32>"""
           % (y, x, wt, b, n, prefix, k, n, k, n))
    return y


def layer_norm(w, x, prefix):
    """LayerNorm over the 384 features of each of the T rows (two passes:
    the mean, then the variance about it)."""
    g = weight(w, prefix + ".weight", (H,))
    b = weight(w, prefix + ".bias", (H,))
    sums = w.fill("0.0", "?", ["%nt"])
    mean = w.fresh("mean")
    w.emit("""%(m)s = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t)>],
    iterator_types = ["parallel", "reduction"]} ins(%(x)s : tensor<?x384xf32>) outs(%(s)s : tensor<?xf32>) {
^bb0(%%v: f32, %%acc: f32):
  %%r = arith.addf %%acc, %%v : f32
  linalg.yield %%r : f32
} -> tensor<?xf32>""" % dict(m=mean, x=x, s=sums))
    sq = w.fill("0.0", "?", ["%nt"])
    var = w.fresh("var")
    w.emit("""%(v)s = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t)>, affine_map<(t, d) -> (t)>],
    iterator_types = ["parallel", "reduction"]} ins(%(x)s, %(m)s : tensor<?x384xf32>, tensor<?xf32>) outs(%(s)s : tensor<?xf32>) {
^bb0(%%v: f32, %%sum: f32, %%acc: f32):
  %%n = arith.constant 384.0 : f32
  %%mu = arith.divf %%sum, %%n : f32
  %%d = arith.subf %%v, %%mu : f32
  %%d2 = arith.mulf %%d, %%d : f32
  %%r = arith.addf %%acc, %%d2 : f32
  linalg.yield %%r : f32
} -> tensor<?xf32>""" % dict(v=var, x=x, m=mean, s=sq))
    out = w.empty("?x384", ["%nt"])
    y = w.fresh("ln")
    w.emit("""%(y)s = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t)>, affine_map<(t, d) -> (t)>, affine_map<(t, d) -> (d)>, affine_map<(t, d) -> (d)>, affine_map<(t, d) -> (t, d)>],
    iterator_types = ["parallel", "parallel"]} ins(%(x)s, %(m)s, %(v)s, %(g)s, %(b)s : tensor<?x384xf32>, tensor<?xf32>, tensor<?xf32>, tensor<384xf32>, tensor<384xf32>) outs(%(o)s : tensor<?x384xf32>) {
^bb0(%%v: f32, %%sum: f32, %%sq: f32, %%gamma: f32, %%beta: f32, %%out: f32):
  %%n = arith.constant 384.0 : f32
  %%eps = arith.constant %(eps)s : f32
  %%mu = arith.divf %%sum, %%n : f32
  %%var = arith.divf %%sq, %%n : f32
  %%ve = arith.addf %%var, %%eps : f32
  %%rs = math.rsqrt %%ve : f32
  %%d = arith.subf %%v, %%mu : f32
  %%nd = arith.mulf %%d, %%rs : f32
  %%sc = arith.mulf %%nd, %%gamma : f32
  %%r = arith.addf %%sc, %%beta : f32
  linalg.yield %%r : f32
} -> tensor<?x384xf32>""" % dict(y=y, x=x, m=mean, v=var, g=g, b=b, o=out, eps=EPS))
    return y


def add(w, a, b, n):
    out = w.empty("?x%d" % n, ["%nt"])
    y = w.fresh("res")
    w.emit("""%(y)s = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t, d)>],
    iterator_types = ["parallel", "parallel"]} ins(%(a)s, %(b)s : tensor<?x%(n)dxf32>, tensor<?x%(n)dxf32>) outs(%(o)s : tensor<?x%(n)dxf32>) {
^bb0(%%u: f32, %%v: f32, %%out: f32):
  %%r = arith.addf %%u, %%v : f32
  linalg.yield %%r : f32
} -> tensor<?x%(n)dxf32>""" % dict(y=y, a=a, b=b, o=out, n=n))
    return y


def heads(w, x):
    v = w.fresh("heads")
    w.emit("%s = tensor.expand_shape %s [[0, 1], [2, 3]] output_shape [%%nb, %%ns, 12, 32]"
           " : tensor<?x384xf32> into tensor<?x?x12x32xf32>" % (v, x))
    return v


def attention(w, x, p):
    q = linear(w, x, p + ".attention.self.query", H, H)
    k = linear(w, x, p + ".attention.self.key", H, H)
    v = linear(w, x, p + ".attention.self.value", H, H)
    return linear(w, attention_core(w, q, k, v), p + ".attention.output.dense", H, H)


def attention_core(w, q, k, v):
    """The 12 heads' softmax(q k^T / sqrt(32) + mask) v on T x 384 rows
    (reads %mask, B x S), as T x 384."""
    q, k, v = heads(w, q), heads(w, k), heads(w, v)
    # k^T (B x 12 x 32 x S), as torch's q @ k.transpose(-1, -2) writes it.
    kt_init = w.empty("?x12x32x?", ["%nb", "%ns"])
    kt = w.fresh("kt")
    w.emit("%s = linalg.transpose ins(%s : tensor<?x?x12x32xf32>) outs(%s : tensor<?x12x32x?xf32>)"
           " permutation = [0, 2, 3, 1]" % (kt, k, kt_init))
    zero = w.fill("0.0", "?x12x?x?", ["%nb", "%ns", "%ns"])
    scores = w.fresh("scores")
    w.emit("""%(sc)s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, i, h, d)>, affine_map<(b, h, i, j, d) -> (b, h, d, j)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
    iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%(q)s, %(k)s : tensor<?x?x12x32xf32>, tensor<?x12x32x?xf32>) outs(%(z)s : tensor<?x12x?x?xf32>) {
^bb0(%%qv: f32, %%kv: f32, %%acc: f32):
  %%m = arith.mulf %%qv, %%kv : f32
  %%r = arith.addf %%acc, %%m : f32
  linalg.yield %%r : f32
} -> tensor<?x12x?x?xf32>""" % dict(sc=scores, q=q, k=kt, z=zero))
    # softmax_j(scores / sqrt(32) + (mask - 1) * 1e4): the row maximum,
    # the exponentials, their sum, then the probabilities.
    logit = """  %%scale = arith.constant 0.176776695 : f32
  %%big = arith.constant 10000.0 : f32
  %%one = arith.constant 1.0 : f32
  %%ss = arith.mulf %%sv, %%scale : f32
  %%mm = arith.subf %%mv, %%one : f32
  %%bias = arith.mulf %%mm, %%big : f32
  %%l = arith.addf %%ss, %%bias : f32"""
    mx = w.fill("-3.40282347E+38", "?x12x?", ["%nb", "%ns"])
    rowmax = w.fresh("max")
    w.emit("""%(r)s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, j)>, affine_map<(b, h, i, j) -> (b, h, i)>],
    iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%(sc)s, %%mask : tensor<?x12x?x?xf32>, tensor<?x?xf32>) outs(%(mx)s : tensor<?x12x?xf32>) {
^bb0(%%sv: f32, %%mv: f32, %%acc: f32):
%(logit)s
  %%r = arith.maximumf %%acc, %%l : f32
  linalg.yield %%r : f32
} -> tensor<?x12x?xf32>""" % dict(r=rowmax, sc=scores, mx=mx, logit=logit % ()))
    # e = exp(logit - max) once (two readers: the sum and the division).
    ee = w.empty("?x12x?x?", ["%nb", "%ns", "%ns"])
    ex = w.fresh("exp")
    w.emit("""%(e)s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, j)>, affine_map<(b, h, i, j) -> (b, h, i)>, affine_map<(b, h, i, j) -> (b, h, i, j)>],
    iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%(sc)s, %%mask, %(mx)s : tensor<?x12x?x?xf32>, tensor<?x?xf32>, tensor<?x12x?xf32>) outs(%(o)s : tensor<?x12x?x?xf32>) {
^bb0(%%sv: f32, %%mv: f32, %%xv: f32, %%out: f32):
%(logit)s
  %%c = arith.subf %%l, %%xv : f32
  %%r = math.exp %%c : f32
  linalg.yield %%r : f32
} -> tensor<?x12x?x?xf32>""" % dict(e=ex, sc=scores, mx=rowmax, o=ee, logit=logit % ()))
    zs = w.fill("0.0", "?x12x?", ["%nb", "%ns"])
    rowsum = w.fresh("sum")
    w.emit("""%(r)s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i)>],
    iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%(e)s : tensor<?x12x?x?xf32>) outs(%(z)s : tensor<?x12x?xf32>) {
^bb0(%%ev: f32, %%acc: f32):
  %%r = arith.addf %%acc, %%ev : f32
  linalg.yield %%r : f32
} -> tensor<?x12x?xf32>""" % dict(r=rowsum, e=ex, z=zs))
    # ctx = (e v) / sum: the normalization after the product (as flash
    # attention defers it), so no B x 12 x S x S tensor of probabilities is
    # written and read again.
    cz = w.fill("0.0", "?x?x12x32", ["%nb", "%ns"])
    ctx = w.fresh("ctx")
    w.emit("""%(c)s = linalg.generic {indexing_maps = [affine_map<(b, i, h, j, d) -> (b, h, i, j)>, affine_map<(b, i, h, j, d) -> (b, j, h, d)>, affine_map<(b, i, h, j, d) -> (b, i, h, d)>],
    iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%(p)s, %(v)s : tensor<?x12x?x?xf32>, tensor<?x?x12x32xf32>) outs(%(z)s : tensor<?x?x12x32xf32>) {
^bb0(%%pv: f32, %%vv: f32, %%acc: f32):
  %%m = arith.mulf %%pv, %%vv : f32
  %%r = arith.addf %%acc, %%m : f32
  linalg.yield %%r : f32
} -> tensor<?x?x12x32xf32>""" % dict(c=ctx, p=ex, v=v, z=cz))
    ce = w.empty("?x?x12x32", ["%nb", "%ns"])
    normed = w.fresh("ctxn")
    w.emit("""%(n)s = linalg.generic {indexing_maps = [affine_map<(b, i, h, d) -> (b, i, h, d)>, affine_map<(b, i, h, d) -> (b, h, i)>, affine_map<(b, i, h, d) -> (b, i, h, d)>],
    iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%(c)s, %(sm)s : tensor<?x?x12x32xf32>, tensor<?x12x?xf32>) outs(%(o)s : tensor<?x?x12x32xf32>) {
^bb0(%%cv: f32, %%zv: f32, %%out: f32):
  %%r = arith.divf %%cv, %%zv : f32
  linalg.yield %%r : f32
} -> tensor<?x?x12x32xf32>""" % dict(n=normed, c=ctx, sm=rowsum, o=ce))
    ctx = normed
    flat = w.fresh("ctxf")
    w.emit("%s = tensor.collapse_shape %s [[0, 1], [2, 3]] : tensor<?x?x12x32xf32> into tensor<?x384xf32>"
           % (flat, ctx))
    return flat


def gelu(w, x):
    out = w.empty("?x%d" % FF, ["%nt"])
    y = w.fresh("gelu")
    w.emit("""%(y)s = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t, d)>],
    iterator_types = ["parallel", "parallel"]} ins(%(x)s : tensor<?x1536xf32>) outs(%(o)s : tensor<?x1536xf32>) {
^bb0(%%v: f32, %%out: f32):
  %%half = arith.constant 0.5 : f32
  %%one = arith.constant 1.0 : f32
  %%rsqrt2 = arith.constant 0.707106769 : f32
  %%s = arith.mulf %%v, %%rsqrt2 : f32
  %%e = math.erf %%s : f32
  %%p = arith.addf %%e, %%one : f32
  %%hv = arith.mulf %%v, %%half : f32
  %%r = arith.mulf %%hv, %%p : f32
  linalg.yield %%r : f32
} -> tensor<?x1536xf32>""" % dict(y=y, x=x, o=out))
    return y


def embeddings(w):
    word = weight(w, "embeddings.word_embeddings.weight", (VOCAB, H))
    pos = weight(w, "embeddings.position_embeddings.weight", (POS, H))
    typ = weight(w, "embeddings.token_type_embeddings.weight", (2, H))
    out = w.empty("?x?x384", ["%nb", "%ns"])
    e = w.fresh("emb")
    w.emit("""%(e)s = linalg.generic {indexing_maps = [affine_map<(b, s, d) -> (b, s)>, affine_map<(b, s, d) -> (b, s, d)>],
    iterator_types = ["parallel", "parallel", "parallel"]} ins(%%ids : tensor<?x?xi64>) outs(%(o)s : tensor<?x?x384xf32>) {
^bb0(%%id: i64, %%out: f32):
  %%si = linalg.index 1 : index
  %%di = linalg.index 2 : index
  %%c0 = arith.constant 0 : index
  %%row = arith.index_cast %%id : i64 to index
  %%wv = tensor.extract %(word)s[%%row, %%di] : tensor<30522x384xf32>
  %%pv = tensor.extract %(pos)s[%%si, %%di] : tensor<512x384xf32>
  %%tv = tensor.extract %(typ)s[%%c0, %%di] : tensor<2x384xf32>
  %%a = arith.addf %%wv, %%pv : f32
  %%r = arith.addf %%a, %%tv : f32
  linalg.yield %%r : f32
} -> tensor<?x?x384xf32>""" % dict(e=e, o=out, word=word, pos=pos, typ=typ))
    flat = w.fresh("x")
    w.emit("%s = tensor.collapse_shape %s [[0, 1], [2]] : tensor<?x?x384xf32> into tensor<?x384xf32>"
           % (flat, e))
    return layer_norm(w, flat, "embeddings.LayerNorm")


def pool(w, x):
    x3 = w.fresh("x3")
    w.emit("%s = tensor.expand_shape %s [[0, 1], [2]] output_shape [%%nb, %%ns, 384]"
           " : tensor<?x384xf32> into tensor<?x?x384xf32>" % (x3, x))
    acc = w.fill("0.0", "?x384", ["%nb"])
    summed = w.fresh("pooled")
    w.emit("""%(p)s = linalg.generic {indexing_maps = [affine_map<(b, d, s) -> (b, s, d)>, affine_map<(b, d, s) -> (b, s)>, affine_map<(b, d, s) -> (b, d)>],
    iterator_types = ["parallel", "parallel", "reduction"]} ins(%(x)s, %%mask : tensor<?x?x384xf32>, tensor<?x?xf32>) outs(%(a)s : tensor<?x384xf32>) {
^bb0(%%v: f32, %%m: f32, %%acc: f32):
  %%mv = arith.mulf %%v, %%m : f32
  %%r = arith.addf %%acc, %%mv : f32
  linalg.yield %%r : f32
} -> tensor<?x384xf32>""" % dict(p=summed, x=x3, a=acc))
    cnt0 = w.fill("0.0", "?", ["%nb"])
    cnt = w.fresh("count")
    w.emit("""%(c)s = linalg.generic {indexing_maps = [affine_map<(b, s) -> (b, s)>, affine_map<(b, s) -> (b)>],
    iterator_types = ["parallel", "reduction"]} ins(%%mask : tensor<?x?xf32>) outs(%(z)s : tensor<?xf32>) {
^bb0(%%m: f32, %%acc: f32):
  %%r = arith.addf %%acc, %%m : f32
  linalg.yield %%r : f32
} -> tensor<?xf32>""" % dict(c=cnt, z=cnt0))
    out = w.empty("?x384", ["%nb"])
    mean = w.fresh("mean")
    w.emit("""%(m)s = linalg.generic {indexing_maps = [affine_map<(b, d) -> (b, d)>, affine_map<(b, d) -> (b)>, affine_map<(b, d) -> (b, d)>],
    iterator_types = ["parallel", "parallel"]} ins(%(p)s, %(c)s : tensor<?x384xf32>, tensor<?xf32>) outs(%(o)s : tensor<?x384xf32>) {
^bb0(%%v: f32, %%n: f32, %%out: f32):
  %%tiny = arith.constant 1.0e-9 : f32
  %%d = arith.maximumf %%n, %%tiny : f32
  %%r = arith.divf %%v, %%d : f32
  linalg.yield %%r : f32
} -> tensor<?x384xf32>""" % dict(m=mean, p=summed, c=cnt, o=out))
    return mean


def preamble(w):
    """%nb, %ns (batch, sequence: the sizes of %mask) and %nt = B S."""
    w.emit("""%i0 = arith.constant 0 : index
%i1 = arith.constant 1 : index
%nb = tensor.dim %mask, %i0 : tensor<?x?xf32>
%ns = tensor.dim %mask, %i1 : tensor<?x?xf32>
%nt = arith.muli %nb, %ns : index""")


def main():
    w = Writer()
    preamble(w)
    x = embeddings(w)
    for i in range(LAYERS):
        p = "encoder.layer.%d" % i
        x = layer_norm(w, add(w, x, attention(w, x, p), H), p + ".attention.output.LayerNorm")
        h = gelu(w, linear(w, x, p + ".intermediate.dense", H, FF))
        x = layer_norm(w, add(w, x, linear(w, h, p + ".output.dense", FF, H), H),
                       p + ".output.LayerNorm")
    y = pool(w, x)
    w.emit("return %s : tensor<?x384xf32>" % y)
    print("// Generated by examples/minilm/encoder_mlir.py; do not edit.")
    print("// MiniLM-L6 (all-MiniLM-L6-v2): token ids and attention mask (B x S) ->")
    print("// mean-pooled sentence embeddings (B x 384). The weights are dense_resource")
    print("// blobs named by their safetensors names; qc-import --into fills them.")
    print("func.func @encoder(%ids: tensor<?x?xi64>, %mask: tensor<?x?xf32>) -> tensor<?x384xf32> {")
    print("\n".join(w.lines))
    print("}")


if __name__ == "__main__":
    sys.exit(main())
