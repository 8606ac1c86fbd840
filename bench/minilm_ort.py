#!/usr/bin/env python3
"""MiniLM-L6 sentence embeddings: qc against ONNX Runtime, side by side in
one run, and the share of each op class in one qc-compiled layer.

  .venv/bin/python bench/minilm_ort.py [--batch 16] [--seq 128] [--threads 1,2]
                                   [--policies w4a8,nf4g64] [--rounds 3]
                                   [--also-features host,-amx-int8]

The same encoder runs as
* qc: examples/minilm/encoder.mlir quantized by each policy and compiled by
  qc-cpu-pipeline (examples/minilm/minilm.py's policies);
* ONNX Runtime (PyPI onnxruntime): the same graph (written here with
  onnx.helper from the same safetensors: embeddings, 6 BERT layers with
  LayerNormalization and Erf GELU, mean pooling) in float, with its int8
  dynamic quantization (quantize_dynamic, per channel) and with 4-bit
  MatMulNBits (blocks of 32, int8 compute: accuracy_level 4).
Inputs are B sentences of S tokens (random token ids, every token
attended); each tool's latency is the median over alternating rounds,
per sentence, at each thread count; the ratios are to qc's first policy.
Accuracy is the mean cosine similarity of the pooled embeddings to the
float64 numpy model (bert64.py) on the bundled sentences.

The op classes of one layer (layer 0's shapes, B x S tokens): the six
quantized Linear layers, attention (QK^T, softmax, PV), residual adds with
layer norms, GELU, each compiled alone by qc-cpu-pipeline from
encoder_mlir.py's own pieces and timed alone.

Needs `onnx` and `onnxruntime` in the venv (bench/anchors.py installs them);
run on a quiet machine (processes are scheduled per session).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "examples", "minilm"))
import minilm  # noqa: E402
import encoder_mlir as gen  # noqa: E402
import bert64  # noqa: E402

qc = minilm.qc


# --- ONNX Runtime ------------------------------------------------------------

def onnx_model(tensors):
    """The encoder as an ONNX graph (opset 17) over the same weights."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits = [], []
    n = [0]

    def name(stem):
        n[0] += 1
        return "%s_%d" % (stem, n[0])

    def init(array, stem="c"):
        nm = name(stem)
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), nm))
        return nm

    def op(kind, inputs, **attrs):
        out = name(kind.lower())
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    t = tensors
    ids, mask = "input_ids", "attention_mask"
    one = init(np.array([1], np.int64))
    zero = init(np.array([0], np.int64))
    seq = op("Slice", [op("Shape", [ids]), one, init(np.array([2], np.int64))])
    pos = op("Slice", [init(t["embeddings.position_embeddings.weight"]), zero, seq, zero])
    x = op("Add", [op("Gather", [init(t["embeddings.word_embeddings.weight"]), ids]), pos])
    x = op("Add", [x, init(t["embeddings.token_type_embeddings.weight"][0])])

    def ln(v, prefix):
        return op("LayerNormalization", [v, init(t[prefix + ".weight"]), init(t[prefix + ".bias"])],
                  axis=-1, epsilon=1e-12)

    def lin(v, prefix):
        w = init(np.ascontiguousarray(t[prefix + ".weight"].T), "w")
        return op("Add", [op("MatMul", [v, w]), init(t[prefix + ".bias"])])

    x = ln(x, "embeddings.LayerNorm")
    bias = op("Mul", [op("Sub", [mask, init(np.array(1, np.float32))]),
                      init(np.array(1e4, np.float32))])
    bias = op("Unsqueeze", [bias, init(np.array([1, 2], np.int64))])
    shape4 = init(np.array([0, 0, 12, 32], np.int64))
    shape3 = init(np.array([0, 0, 384], np.int64))
    for i in range(6):
        p = "encoder.layer.%d." % i
        q = op("Transpose", [op("Reshape", [lin(x, p + "attention.self.query"), shape4])],
               perm=[0, 2, 1, 3])
        k = op("Transpose", [op("Reshape", [lin(x, p + "attention.self.key"), shape4])],
               perm=[0, 2, 3, 1])
        v = op("Transpose", [op("Reshape", [lin(x, p + "attention.self.value"), shape4])],
               perm=[0, 2, 1, 3])
        s = op("Add", [op("Mul", [op("MatMul", [q, k]),
                                  init(np.array(1 / np.sqrt(32), np.float32))]), bias])
        ctx = op("MatMul", [op("Softmax", [s], axis=-1), v])
        ctx = op("Reshape", [op("Transpose", [ctx], perm=[0, 2, 1, 3]), shape3])
        x = ln(op("Add", [x, lin(ctx, p + "attention.output.dense")]),
               p + "attention.output.LayerNorm")
        h = lin(x, p + "intermediate.dense")
        g = op("Mul", [op("Mul", [h, init(np.array(0.5, np.float32))]),
                       op("Add", [op("Erf", [op("Mul", [h, init(np.array(2 ** -0.5, np.float32))])]),
                                  init(np.array(1, np.float32))])])
        x = ln(op("Add", [x, lin(g, p + "output.dense")]), p + "output.LayerNorm")
    m3 = op("Unsqueeze", [mask, init(np.array([2], np.int64))])
    summed = op("ReduceSum", [op("Mul", [x, m3]), init(np.array([1], np.int64))], keepdims=0)
    count = op("ReduceSum", [mask, init(np.array([1], np.int64))], keepdims=1)
    op("Div", [summed, op("Max", [count, init(np.array(1e-9, np.float32))])])
    nodes[-1].output[0] = "embeddings"  # the pooled result
    graph = helper.make_graph(
        nodes, "minilm",
        [helper.make_tensor_value_info(ids, TensorProto.INT64, ["B", "S"]),
         helper.make_tensor_value_info(mask, TensorProto.FLOAT, ["B", "S"])],
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["B", 384])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def ort_variants(tensors, workdir):
    """(name, path) of the float, int8-dynamic and 4-bit models."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    fp = os.path.join(workdir, "minilm_f32.onnx")
    onnx.save(onnx_model(tensors), fp)
    out = [("ort f32", fp)]
    q8 = os.path.join(workdir, "minilm_int8.onnx")
    quantize_dynamic(fp, q8, weight_type=QuantType.QInt8, per_channel=True)
    out.append(("ort int8 dyn", q8))
    try:
        try:
            from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
        except ImportError:
            from onnxruntime.quantization.matmul_4bits_quantizer import \
                MatMul4BitsQuantizer as MatMulNBitsQuantizer
        q4 = os.path.join(workdir, "minilm_q4.onnx")
        quant = MatMulNBitsQuantizer(onnx.load(fp), block_size=32, is_symmetric=True,
                                     accuracy_level=4)
        quant.process()
        onnx.save(quant.model.model, q4)
        out.append(("ort q4 (MatMulNBits)", q4))
    except Exception as e:  # noqa: BLE001
        print("ONNX Runtime's 4-bit MatMulNBits quantizer is unavailable: %s" % e)
    return out


def ort_session(path, threads):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.log_severity_level = 3
    # No spinning worker threads between calls: they would take the cores
    # from the next tool in the round.
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    return lambda ids, mask: sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]


# --- op classes of one layer ------------------------------------------------

def layer_classes():
    """MLIR text of one function per op class of layer 0, over T x 384 rows
    (T = B S, B and S the sizes of %mask)."""
    p = "encoder.layer.0"
    fns = {}

    def fn(name, args, body, results):
        w = gen.Writer()
        gen.preamble(w)
        out = body(w)
        w.emit("return %s : %s" % (", ".join(out), ", ".join(results)))
        fns[name] = "func.func @%s(%%mask: tensor<?x?xf32>, %s) -> (%s) {\n%s\n}" % (
            name, args, ", ".join(results), "\n".join(w.lines))

    t384, t1536 = "tensor<?x384xf32>", "tensor<?x1536xf32>"
    fn("linears", "%x: tensor<?x384xf32>, %h: tensor<?x1536xf32>", lambda w: [
        gen.linear(w, "%x", p + ".attention.self.query", 384, 384),
        gen.linear(w, "%x", p + ".attention.self.key", 384, 384),
        gen.linear(w, "%x", p + ".attention.self.value", 384, 384),
        gen.linear(w, "%x", p + ".attention.output.dense", 384, 384),
        gen.linear(w, "%x", p + ".intermediate.dense", 384, 1536),
        gen.linear(w, "%h", p + ".output.dense", 1536, 384)], [t384] * 4 + [t1536, t384])
    fn("attention", "%q: tensor<?x384xf32>, %k: tensor<?x384xf32>, %v: tensor<?x384xf32>",
       lambda w: [gen.attention_core(w, "%q", "%k", "%v")], [t384])
    fn("norms", "%x: tensor<?x384xf32>, %resid: tensor<?x384xf32>", lambda w: [
        gen.layer_norm(w, gen.add(w, gen.layer_norm(w, gen.add(w, "%x", "%resid", 384),
                                                   p + ".attention.output.LayerNorm"),
                                  "%resid", 384), p + ".output.LayerNorm")], [t384])
    fn("gelu", "%h: tensor<?x1536xf32>", lambda w: [gen.gelu(w, "%h")], [t1536])
    return fns


def class_functions(model_dir, policy, workdir, cpu_pipeline="qc-cpu-pipeline"):
    """Compiled op-class functions, their weights quantized by `policy`."""
    src = os.path.join(workdir, "layer_classes.mlir")
    with open(src, "w") as f:
        f.write("\n".join(layer_classes().values()) + "\n")
    bc = os.path.join(workdir, "layer_classes.mlirbc")
    subprocess.run([minilm.QC_IMPORT, os.path.join(model_dir, "model.safetensors"),
                    "--into=" + src, "-o", bc], check=True)
    ctx = qc.Context()
    module = qc.Module.load(ctx, bc)
    # The op-class functions carry no layer names to attach calibration
    # statistics to: a calibrated policy is timed by its uncalibrated twin,
    # whose kernels are the same (GPTQ changes codes, not formats).
    twin = minilm.TIMING_TWIN.get(policy, policy)
    pipeline = next(p for n, p, _ in minilm.POLICIES if n == twin)
    module.run(pipeline)
    return qc.compile(module, cpu_pipeline)


def median_time(fn, args, repeats):
    return minilm.median_seconds(lambda: fn(*args), repeats)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--policies", default="alloc4.5+gptq+a8,w8a8")
    ap.add_argument("--also-features", default="",
                    help="also time the first policy compiled with these target "
                         "features (e.g. host,-amx-int8: without AMX tiles), "
                         "the whole encoder and its six quantized matmuls")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "qc-minilm"))
    args = ap.parse_args()
    from safetensors.numpy import load_file
    os.makedirs(args.workdir, exist_ok=True)
    threads = [int(t) for t in args.threads.split(",")]
    policies = args.policies.split(",")
    model_dir = minilm.extract_model(args.workdir)
    tensors = load_file(os.path.join(model_dir, "model.safetensors"))

    # Accuracy on the bundled sentences.
    queries, corpus = minilm.read_sentences(os.path.join(ROOT, "examples", "minilm",
                                                         "sentences.txt"))
    sids, smask = minilm.tokenize(model_dir, queries + corpus)
    exact = bert64.encoder(tensors, sids, smask)
    encoder = minilm.import_encoder(model_dir, args.workdir)
    grams = sens = None
    if any(map(minilm.needs_calibration, policies)):
        grams = minilm.calibrate(model_dir, tensors)
        sens = minilm.sensitivities(model_dir, tensors, grams, args.workdir)
    ctx = qc.Context()
    tools = []
    for pol in policies:
        fn, bits = minilm.compile_policy(ctx, encoder, pol, args.workdir, grams, sens)
        tools.append(("qc " + pol, lambda t, fn=fn: (minilm.set_threads(t), fn)[1], fn))
    also = 'qc-cpu-pipeline{target-features=%s}' % args.also_features
    if args.also_features:
        fn, _ = minilm.compile_policy(ctx, encoder, policies[0], args.workdir, grams, sens,
                                      cpu_pipeline=also)
        tools.append(("qc %s [%s]" % (policies[0], args.also_features),
                      lambda t, fn=fn: (minilm.set_threads(t), fn)[1], fn))
    for name, path in ort_variants(tensors, args.workdir):
        sessions = {t: ort_session(path, t) for t in threads}
        tools.append((name, lambda t, s=sessions: s[t], sessions[threads[0]]))
    accuracy = {name: float(minilm.cosine(f(sids, smask), exact).mean())
                for name, _, f in tools}

    # Latency: B x S random tokens, every token attended.
    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 30000, (args.batch, args.seq)).astype(np.int64)
    ids[:, 0], ids[:, -1] = 101, 102
    mask = np.ones((args.batch, args.seq), np.float32)
    times = {(name, t): [] for name, _, _ in tools for t in threads}
    for _ in range(args.rounds):
        for t in threads:
            for name, get, _ in tools:
                times[(name, t)].append(median_time(get(t), (ids, mask), args.repeats))
    print("MiniLM-L6, %d sentences x %d tokens, ms per sentence (median of %d rounds); "
          "cos: mean cosine to float64 on the bundled sentences" % (args.batch, args.seq,
                                                                    args.rounds))
    head = "%-24s %8s" % ("tool", "cos")
    for t in threads:
        head += " %10s %8s" % ("ms@%d" % t, "x qc")
    print(head)
    base = tools[0][0]
    for name, _, _ in tools:
        line = "%-24s %8.4f" % (name, accuracy[name])
        for t in threads:
            ms = statistics.median(times[(name, t)]) / args.batch * 1e3
            ref = statistics.median(times[(base, t)]) / args.batch * 1e3
            line += " %10.3f %8.2f" % (ms, ms / ref)
        print(line)
    print("x qc: the tool's time over %s's (above 1: qc is faster)" % base)

    # Op classes of one layer.
    cls = class_functions(model_dir, policies[0], args.workdir)
    T = args.batch * args.seq
    x = rng.standard_normal((T, 384)).astype(np.float32)
    h = rng.standard_normal((T, 1536)).astype(np.float32)
    if args.also_features:
        other = class_functions(model_dir, policies[0], args.workdir, also)
        for t in threads:
            minilm.set_threads(t)
            a = median_time(cls.linears, (mask, x, h), args.repeats)
            b = median_time(other.linears, (mask, x, h), args.repeats)
            print("six quantized matmuls, %d threads: %.3f ms, with %s %.3f ms (x %.2f)"
                  % (t, a * 1e3, args.also_features, b * 1e3, b / a))
    calls = {"linears (6 quantized matmuls)": (cls.linears, (mask, x, h)),
             "attention (QK^T, softmax, PV)": (cls.attention, (mask, x, x, x)),
             "residual adds + layer norms": (cls.norms, (mask, x, x)),
             "GELU": (cls.gelu, (mask, h))}
    for t in threads:
        minilm.set_threads(t)
        spent = {k: median_time(f, a, args.repeats) for k, (f, a) in calls.items()}
        total = sum(spent.values())
        minilm.set_threads(t)
        whole = median_time(tools[0][2], (ids, mask), args.repeats) / 6
        print("one layer (%s, %d threads): %.2f ms over its op classes, %.2f ms per layer "
              "of the whole encoder" % (policies[0], t, total * 1e3, whole * 1e3))
        for k, s in spent.items():
            print("  %-32s %8.3f ms %6.1f%%" % (k, s * 1e3, 100 * s / total))
        print("  non-matmul share: %.1f%%" % (100 * (1 - spent[next(iter(calls))] / total)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
