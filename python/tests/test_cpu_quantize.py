"""The CPU pipeline's int8 activation quantization kernel (qc.quantize to
#qc.int<s8> with absmax f32 scales per row or per 1 x G block) against the
reference lowering and numpy, bit for bit: codes and scales, with zero
rows, NaN, infinities and exact ties (x / s = k + 1/2) in the input."""

import numpy as np
import pytest

import qc


def program(k, gran, narrow):
    grid = "#qc.int<s8, narrow>" if narrow else "#qc.int<s8>"
    scales = "tensor<?xf32>" if gran == "row" else "tensor<?x%dxf32>" % (k // gran)
    g = "#qc.per_axis<0>" if gran == "row" else "#qc.per_block<[1, %d]>" % gran
    qt = "!qc.qtensor<?x%d, %s, f32 %s>" % (k, grid, g)
    return f"""
func.func @forward(%x: tensor<?x{k}xf32>) -> (tensor<?x{k}xi8>, {scales}) {{
  %q = qc.quantize %x : tensor<?x{k}xf32> -> {qt}
  %c, %s = qc.disassemble %q : {qt}
  return %c, %s : tensor<?x{k}xi8>, {scales}
}}"""


def oracle(x, group, narrow):
    """NUMERICS.md's absmax int8 quantization: s = max|x| / 127 in f32
    (NaN left out of the maximum), q = clamp(round half to even(x / s)),
    0 where s = 0 or x / s is NaN."""
    m, k = x.shape
    blocks = x.reshape(m, k // group, group)
    with np.errstate(invalid="ignore", divide="ignore"):
        amax = np.nanmax(np.abs(blocks), axis=2, initial=0.0).astype(np.float32)
        s = (amax / np.float32(127)).astype(np.float32)
        v = (blocks / s[:, :, None]).astype(np.float32)
        q = np.clip(np.rint(v), -127 if narrow else -128, 127)
    q = np.where(np.isnan(v) | (s[:, :, None] == 0), 0, q)
    return q.reshape(m, k).astype(np.int8), s


def inputs(m, k, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((m, k)) * rng.choice([1e-3, 1, 1e3], (m, 1))).astype(np.float32)
    x[0] = 0  # a zero row: s = 0, all codes 0
    if m > 2:
        # Ties: max|x| = 127 makes s = 1 and x / s = x exactly.
        x[1, :] = (np.arange(k) % 16 - 8 + 0.5).astype(np.float32)
        x[1, 0] = 127
        x[2, 3] = np.nan
        x[2, 5] = np.inf
    if m > 3:
        x[3, 7] = -np.inf
        x[3, 9] = np.inf
    return x


@pytest.mark.parametrize("m,k,gran,narrow", [
    (1, 64, "row", False), (5, 96, 32, False), (17, 256, 32, True),
    (4, 128, "row", True), (3, 4096, 128, False), (2, 64, 64, False),
])
def test_quantize_kernel_bit_exact(m, k, gran, narrow):
    ctx = qc.Context()
    text = program(k, gran, narrow)
    # The CPU pipeline gives it the kernel.
    mod = qc.Module.parse(ctx, text)
    mod.run("convert-qc-to-cpu")
    assert "qc_cpu_quantize_s8" in str(mod) and "qc.quantize" not in str(mod)
    x = inputs(m, k, seed=m * 1000 + k)
    group = k if gran == "row" else gran
    want_q, want_s = oracle(x, group, narrow)
    for pipeline in ["qc-cpu-pipeline", "qc-reference-pipeline"]:
        codes, scales = qc.compile(qc.Module.parse(ctx, text), pipeline).forward(x)
        scales = np.asarray(scales).reshape(want_s.shape)
        np.testing.assert_array_equal(codes, want_q, err_msg=pipeline)
        assert np.array_equal(scales, want_s, equal_nan=True), pipeline
