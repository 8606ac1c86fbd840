"""Real model end to end: MiniLM-L6's whole encoder (examples/minilm/
encoder.mlir: embeddings, 6 BERT layers, mean pooling) with its real
weights, tokenized sentences, compiled by qc-cpu-pipeline (quantized
matmul kernels, the float rest tiled, vectorized and threaded) and checked
against float64 numpy models written from the definitions (bert64.py; the
formats' rounding in minilm_ffn.py)."""

import io
import os
import contextlib
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "examples", "minilm")
sys.path.insert(0, EXAMPLE)

pytest.importorskip("all_minilm_l6_v2")
pytest.importorskip("tokenizers")
minilm = pytest.importorskip("minilm")
import bert64  # noqa: E402
import encoder_mlir  # noqa: E402
import minilm_ffn  # noqa: E402

qc = minilm.qc


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    from safetensors.numpy import load_file
    work = str(tmp_path_factory.mktemp("minilm"))
    model_dir = minilm.extract_model(work)
    queries, corpus = minilm.read_sentences(os.path.join(EXAMPLE, "sentences.txt"))
    # A ragged batch: padding (mask 0) in every row but the longest.
    ids, mask = minilm.tokenize(model_dir, queries + corpus[:4])
    assert (mask == 0).any()
    tensors = load_file(os.path.join(model_dir, "model.safetensors"))
    return dict(encoder=minilm.import_encoder(model_dir, work), ids=ids, mask=mask,
                tensors=tensors, exact=bert64.encoder(tensors, ids, mask))


def run(model, pipeline, quantize=None):
    ctx = qc.Context()
    module = qc.Module.load(ctx, model["encoder"])
    if quantize:
        module.run(quantize)
    return qc.compile(module, pipeline).encoder(model["ids"], model["mask"])


def test_generator_matches_committed_encoder():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        encoder_mlir.main()
    with open(os.path.join(EXAMPLE, "encoder.mlir")) as f:
        assert out.getvalue() == f.read(), \
            "examples/minilm/encoder.mlir is stale: rerun encoder_mlir.py"


def test_float_encoder_cpu_and_reference_match_float64(model):
    """The float model: every op is the program's own (float weights), so the
    CPU pipeline's vectorized attention, softmax, norms and GELU meet the
    float64 model within f32 rounding, as the scalar reference does."""
    exact = model["exact"]
    for pipeline in ("qc-cpu-pipeline", "qc-reference-pipeline"):
        y = run(model, pipeline).astype(np.float64)
        rel = np.abs(y - exact).max() / np.abs(exact).max()
        assert rel < 2e-5, (pipeline, rel)
        assert minilm.cosine(y, exact).min() > 0.999999, pipeline


@pytest.mark.parametrize("policy,quantize", [
    ("w4g64", lambda w: minilm_ffn.quant_int(w, 64, 4, minilm_ffn._f16)),
    ("nf4g64", minilm_ffn.quant_nf4),
])
def test_quantized_encoder_matches_numpy_model_of_its_format(model, policy, quantize):
    """Weight-only formats: qc's compiled encoder against bert64 run on
    weights rounded by numpy to the same format (RTN: absmax per group of
    64 with f16 scales; NF4's table)."""
    y = run(model, "qc-cpu-pipeline",
            "qc-quantize-model{policy=%s remarks=false}" % policy).astype(np.float64)
    rounded = dict(model["tensors"])
    for k, w in model["tensors"].items():
        if k.startswith("encoder.layer.") and k.endswith(".weight") and w.ndim == 2:
            rounded[k] = quantize(w).astype(np.float32)
    ref = bert64.encoder(rounded, model["ids"], model["mask"])
    assert minilm.cosine(y, ref).min() > 0.99999, policy
    rel = np.abs(y - ref).max() / np.abs(ref).max()
    assert rel < 1e-3, (policy, rel)
    # 4-bit weights move the embeddings measurably, but not far.
    cos = minilm.cosine(y, model["exact"])
    assert 0.9 < cos.mean() < 0.999, (policy, cos)


def test_example_prints_every_policy(tmp_path):
    out = subprocess.run(
        [sys.executable, os.path.join(EXAMPLE, "minilm.py"), "--policies", "w4a8,nf4g64",
         "--threads", "1", "--workdir", str(tmp_path)],
        check=True, capture_output=True, text=True).stdout
    lines = [l for l in out.splitlines() if l.split()[:1] in (["w4a8"], ["nf4g64"])]
    assert len(lines) == 2, out
    for line in lines:
        fields = line.split()
        cos_mean = float(fields[3] if fields[1] == "*" else fields[2])
        assert 0.9 < cos_mean < 1.0, line
