"""The row-lane integer kernels' AMX form (blocks of 16 activation rows on
AMX tiles, the rest on vpdpbusd) against the reference lowering, on
weights whose codes are unsigned with subtracted mins (llama.cpp's Q4_1:
tdpbsud) and signed per channel with per-row activations (tdpbssd). On a
host without AMX the "host" pipeline is the vpdpbusd one and the test still
checks it."""
import numpy as np
import pytest

import qc

N, K = 64, 256


@pytest.fixture
def ctx():
    return qc.Context()


def _hex(a):
    return '"0x' + np.ascontiguousarray(a).tobytes().hex().upper() + '"'


def _program(kind, rng):
    if kind == "u4_mins":
        codes = rng.integers(0, 256, N * K // 2, dtype=np.uint8)
        scales = rng.uniform(0.01, 0.05, (N, K // 32)).astype(np.float16)
        mins = rng.uniform(-0.2, 0.2, (N, K // 32)).astype(np.float16)
        wtype = "!qc.qtensor<%dx%d, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, min f16>" % (N, K)
        act = "#qc.int<s8>, f32 #qc.per_block<[1, 32]>"
        parts = "scales(dense<%s> : tensor<%dx%dxf16>) mins(dense<%s> : tensor<%dx%dxf16>)" % (
            _hex(scales), N, K // 32, _hex(mins), N, K // 32)
        nbytes = N * K // 2
    else:
        codes = rng.integers(-127, 128, N * K, dtype=np.int8)
        scales = rng.uniform(0.001, 0.01, N).astype(np.float32)
        wtype = "!qc.qtensor<%dx%d, #qc.int<s8>, f32 #qc.per_axis<0>>" % (N, K)
        act = "#qc.int<s8>, f32 #qc.per_axis<0>"
        parts = "scales(dense<%s> : tensor<%dxf32>)" % (_hex(scales), N)
        nbytes = N * K
    atype = "!qc.qtensor<?x%d, %s>" % (K, act)
    return """
func.func @f(%%x: tensor<?x%dxf32>) -> tensor<?x%dxf32> {
  %%qa = qc.quantize %%x : tensor<?x%dxf32> -> %s
  %%w = qc.constant codes(dense<%s> : tensor<%dxi8>) %s : %s
  %%y = qc.matmul %%qa, %%w : %s, %s -> tensor<?x%dxf32>
  return %%y : tensor<?x%dxf32>
}
""" % (K, N, K, atype, _hex(codes), nbytes, parts, wtype, atype, wtype, N, N)


@pytest.mark.parametrize("kind", ["u4_mins", "s8_axis"])
def test_amx_form_matches_the_reference(ctx, kind):
    rng = np.random.default_rng(7)
    text = _program(kind, rng)
    fns = {p: qc.compile(qc.Module.parse(ctx, text), p).f for p in [
        "qc-reference-pipeline", "qc-cpu-pipeline",
        "qc-cpu-pipeline{target-features=host,-amx-int8}"]}
    for m in (5, 16, 37, 300):
        x = rng.standard_normal((m, K)).astype(np.float32)
        ref = fns["qc-reference-pipeline"](x)
        scale = float(np.abs(ref).max())
        for p in ("qc-cpu-pipeline", "qc-cpu-pipeline{target-features=host,-amx-int8}"):
            y = fns[p](x)
            assert y.shape == (m, N)
            # The kernels sum exactly in i32 per block; only the f32 order
            # of the scale products differs from the reference's.
            np.testing.assert_allclose(y, ref, rtol=0, atol=2e-5 * scale, err_msg=p)
