"""Real weights: MiniLM-L6's encoder layer 0 feed-forward block imported by
qc-import, quantized by qc-quantize-model in three formats, run by the JIT,
against numpy models of the same formats (examples/minilm/minilm_ffn.py)."""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "minilm"))

minilm_ffn = pytest.importorskip("minilm_ffn")


def test_minilm_ffn_formats_match_numpy(tmp_path):
    rows = minilm_ffn.evaluate(str(tmp_path))
    assert [r["format"] for r in rows] == ["int4 g64", "NF4 g64", "W4A8 + Hadamard"]
    for r in rows:
        # The same format in qc and in numpy: equal up to f32 arithmetic.
        assert r["rel_diff"] < 1e-4, r
        assert abs(r["sqnr_qc"] - r["sqnr_numpy"]) < 0.05, r
        # 4-bit formats on a real layer: well above noise, below 8-bit.
        assert 12 < r["sqnr_qc"] < 30, r
        assert r["layers"].startswith("36 layer(s) quantized"), r
        assert r["layers"].endswith("0 left float"), r
    by = {r["format"]: r["sqnr_qc"] for r in rows}
    # NF4 fits the near-Gaussian weights better than uniform int4 (both g64).
    assert by["NF4 g64"] > by["int4 g64"]
