"""Copies of slices with dynamic sizes at offsets (a KV cache grown by one
step), compiled by qc-cpu-pipeline, where qc-copy-contiguous-rows turns
each contiguous block into one memcpy: the values against numpy's own
concatenation, exactly, for empty, odd and long caches and at 1 to 3
threads. test/Conversion/QCToCPU/cache-copy.mlir checks that the same
programs copy by memcpy, not by the runtime's memrefCopy."""
import os

import numpy as np
import pytest

import qc

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "test", "Conversion", "QCToCPU", "cache-copy.mlir")


@pytest.fixture(scope="module")
def compiled():
    with open(SOURCE) as f:
        text = f.read()
    return qc.compile(qc.Module.parse(qc.Context(), text), "qc-cpu-pipeline")


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("p,t", [(0, 1), (1, 1), (7, 5), (105, 1), (64, 17)])
def test_grown_cache_is_the_concatenation(compiled, p, t, threads):
    rng = np.random.default_rng(p * 100 + t)
    qc.jit.set_num_threads(threads)
    try:
        kp = rng.standard_normal((2, 3, 64, p)).astype(np.float32)
        kn = rng.standard_normal((3, 64, t)).astype(np.float32)
        keys = compiled.grow_keys(kp, kn)
        want = np.concatenate([kp, np.broadcast_to(kn, (2, 3, 64, t))], axis=3)
        np.testing.assert_array_equal(keys, want)
        vp = rng.standard_normal((2, 3, p, 64)).astype(np.float32)
        vn = rng.standard_normal((3, t, 64)).astype(np.float32)
        values = compiled.grow_values(vp, vn)
        want = np.concatenate([vp, np.broadcast_to(vn, (2, 3, t, 64))], axis=2)
        np.testing.assert_array_equal(values, want)
    finally:
        qc.jit.set_num_threads(2)
