"""The qc Python package: modules, types, weights and the JIT, against
numpy float64 references written from the formats' definitions."""

import os

import numpy as np
import pytest

import qc

W4G64 = "!qc.qtensor<{n}x{k}, #qc.int<s4>, f16 #qc.per_block<[1, 64]>>"
A8ROW = "!qc.qtensor<?x{k}, #qc.int<s8>, f32 #qc.per_axis<0>>"


@pytest.fixture
def ctx():
    return qc.Context()


def test_parse_print_and_pipeline(ctx):
    m = qc.Module.parse(ctx, """
      func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
        %y = arith.addf %x, %x : tensor<4xf32>
        return %y : tensor<4xf32>
      }""")
    assert m.functions == ["f"]
    ins, outs = m.signature("f")
    assert [str(t) for t in ins] == ["tensor<4xf32>"]
    m.run("canonicalize")
    assert "arith.addf" in str(m)
    # Round trip through bytecode.
    again = qc.Module.parse(ctx, m.bytecode())
    assert str(again) == str(m)


def test_errors_are_exceptions_with_diagnostics(ctx):
    with pytest.raises(qc.MLIRError, match="cannot parse"):
        qc.Module.parse(ctx, "func.func @f(")
    m = qc.Module.parse(ctx, "func.func @f() { return }")
    with pytest.raises(qc.MLIRError, match="no-such-pass"):
        m.run("no-such-pass")
    with pytest.raises(qc.MLIRError, match="does not divide dimension 1"):
        qc.Type.parse(ctx, "!qc.qtensor<4x100, #qc.int<s4>, f16 #qc.per_block<[1, 64]>>")


def test_qtensor_inspection(ctx):
    t = qc.Type.parse(ctx, "!qc.qtensor<8x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>")
    assert t.is_qtensor and not t.is_ranked_tensor
    assert t.shape == [8, 128]
    assert t.grid == "#qc.int<u4>"
    assert t.code_bits == 4
    assert t.granularity == "#qc.per_block<[1, 32]>"
    assert str(t.scale_type) == "f16"
    assert str(t.zero_point_type) == "i8"
    assert str(t.codes_type) == "tensor<8x128xi4>"
    assert t.scales_type.shape == [8, 4]
    dyn = qc.Type.parse(ctx, A8ROW.format(k=64))
    assert dyn.shape == [-1, 64] and dyn.zero_point_type is None
    assert t.min_type is None
    # llama.cpp's Q4_K: integer sub-block scales, stored as signless bits.
    k = qc.Type.parse(ctx, "!qc.qtensor<8x256, #qc.int<u4>, ui6 #qc.per_block<[1, 32]>, "
                      "outer f16 #qc.per_block<[1, 256]>, min ui6 outer f16>")
    assert str(k.scale_type) == "ui6" and str(k.min_type) == "ui6"
    assert str(k.scales_type) == "tensor<8x8xi6>"


def test_quantize_matches_absmax_definition(ctx):
    rng = np.random.default_rng(1)
    w = rng.standard_normal((6, 128)).astype(np.float32)
    t = qc.Type.parse(ctx, W4G64.format(n=6, k=128))
    codes, scales, zp = qc.quantize(t, w)
    assert zp is None and codes.shape == (6, 128) and scales.shape == (6, 2)
    blocks = w.astype(np.float64).reshape(6, 2, 64)
    # s = max|x| / 7 per block, rounded to f16.
    expect_s = (np.abs(blocks).max(axis=2) / 7).astype(np.float16).astype(np.float64)
    np.testing.assert_array_equal(scales.astype(np.float64), expect_s)
    q = np.clip(np.rint(blocks / expect_s[:, :, None]), -8, 7).astype(np.int64)
    np.testing.assert_array_equal(codes.reshape(6, 2, 64), q & 0xF)


def test_quantize_refuses_what_does_not_fit(ctx):
    t = qc.Type.parse(ctx, W4G64.format(n=2, k=64))
    with pytest.raises(ValueError, match="has 64 elements, the type needs 128"):
        qc.quantize(t, np.zeros((2, 32), np.float32))
    with pytest.raises(qc.MLIRError, match="unknown scale method"):
        qc.quantize(t, np.zeros((2, 64), np.float32), method="best")


def _decode_s4(codes):
    c = codes.astype(np.int64)
    return np.where(c >= 8, c - 16, c)


def _w4a8_reference(x, codes, scales, k):
    """y = dequant(quant_row_s8(x)) dequant(W)^T in float64."""
    x = x.astype(np.float64)
    s_a = np.abs(x).max(axis=1, keepdims=True) / 127
    s_a = s_a.astype(np.float32).astype(np.float64)
    q_a = np.clip(np.rint(x / s_a), -128, 127)
    w = _decode_s4(codes) * np.repeat(scales.astype(np.float64), 64, axis=1)
    return (q_a * s_a) @ w.T


def test_jit_w4a8_linear_against_numpy(ctx):
    n, k, m_rows = 24, 256, 5
    rng = np.random.default_rng(7)
    # Codes and scales made here, not by qc.
    codes = rng.integers(0, 16, size=(n, k)).astype(np.uint8)
    scales = rng.uniform(0.01, 0.1, size=(n, k // 64)).astype(np.float16).astype(np.float32)
    x = rng.standard_normal((m_rows, k)).astype(np.float32)
    expect = _w4a8_reference(x, codes, scales, k)
    for pipeline in ("qc-cpu-pipeline", "qc-reference-pipeline"):
        m = qc.Module.create(ctx)
        m.add_linear("linear", qc.Type.parse(ctx, W4G64.format(n=n, k=k)),
                     codes=codes, scales=scales,
                     activation_type=qc.Type.parse(ctx, A8ROW.format(k=k)))
        y = qc.compile(m, pipeline).linear(x)
        assert y.shape == (m_rows, n) and y.dtype == np.float32
        np.testing.assert_allclose(y, expect, rtol=1e-5, atol=1e-5 * np.abs(expect).max())
        # Another batch size through the same dynamic-M function.
        m = qc.Module.create(ctx)
        m.add_linear("linear", qc.Type.parse(ctx, W4G64.format(n=n, k=k)),
                     codes=codes, scales=scales,
                     activation_type=qc.Type.parse(ctx, A8ROW.format(k=k)))
        f = qc.compile(m, pipeline).linear
        np.testing.assert_allclose(f(x[:1]), expect[:1], rtol=1e-5,
                                   atol=1e-5 * np.abs(expect).max())


def test_jit_float_weights_quantized_by_numerics_with_bias(ctx):
    n, k = 16, 128
    rng = np.random.default_rng(3)
    w = rng.standard_normal((n, k)).astype(np.float32)
    b = rng.standard_normal(n).astype(np.float32)
    x = rng.standard_normal((3, k)).astype(np.float32)
    t = qc.Type.parse(ctx, W4G64.format(n=n, k=k))
    codes, scales, _ = qc.quantize(t, w)
    deq = _decode_s4(codes) * np.repeat(scales.astype(np.float64), 64, axis=1)
    m = qc.Module.create(ctx)
    m.add_linear("q", t, weights=w, bias=b)
    m.add_linear("f", qc.Type.parse(ctx, "tensor<16x128xf32>"), weights=w)
    cm = qc.compile(m, "qc-cpu-pipeline")
    expect_q = x.astype(np.float64) @ deq.T + b
    np.testing.assert_allclose(cm.q(x), expect_q, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(cm["f"](x), x.astype(np.float64) @ w.T, rtol=1e-5, atol=1e-4)


def test_weight_builder_errors(ctx):
    t = qc.Type.parse(ctx, W4G64.format(n=2, k=64))
    m = qc.Module.create(ctx)
    bad = np.zeros((2, 64), np.uint8)
    bad[1, 3] = 16
    with pytest.raises(qc.MLIRError, match="code 16 at element 67"):
        m.add_linear("l", t, codes=bad, scales=np.ones((2, 1), np.float32))
    with pytest.raises(ValueError, match="scales has 3 elements"):
        m.add_linear("l", t, codes=np.zeros((2, 64), np.uint8),
                     scales=np.ones(3, np.float32))
    m.add_linear("l", t, codes=np.zeros((2, 64), np.uint8), scales=np.ones((2, 1), np.float32))
    with pytest.raises(qc.MLIRError, match="already has a symbol"):
        m.add_linear("l", t, codes=np.zeros((2, 64), np.uint8), scales=np.ones((2, 1), np.float32))
    with pytest.raises(qc.MLIRError, match="does not verify"):
        m.add_linear("l2", t, codes=np.zeros((2, 64), np.uint8), scales=np.ones((2, 1), np.float32),
                     activation_type=qc.Type.parse(ctx, A8ROW.format(k=32)))


def test_jit_argument_checks(ctx):
    m = qc.Module.create(ctx)
    m.add_linear("f", qc.Type.parse(ctx, "tensor<4x8xf32>"), weights=np.eye(4, 8, dtype=np.float32))
    f = qc.compile(m, "qc-reference-pipeline").f
    with pytest.raises(ValueError, match=r"expected shape \[-1, 8\]"):
        f(np.zeros((2, 7), np.float32))
    with pytest.raises(TypeError, match="float32"):
        f(np.zeros((2, 8), np.float64))
    x = np.arange(16, dtype=np.float32).reshape(2, 8)
    np.testing.assert_array_equal(f(x), x[:, :4])


JIT_TWO_RESULTS = """
func.func @f(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %y = arith.mulf %x, %x : tensor<?x4xf32>
  %z = arith.addf %x, %x : tensor<?x4xf32>
  return %y, %x, %z : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
"""


@pytest.mark.parametrize("pipeline", ["qc-reference-pipeline", "qc-cpu-pipeline"])
def test_jit_several_results_and_inputs_untouched(ctx, pipeline):
    # x * x may be computed in place in a writable argument's buffer; the
    # pipelines make arguments read-only, so the caller's array stays.
    f = qc.compile(qc.Module.parse(ctx, JIT_TWO_RESULTS), pipeline).f
    x = np.arange(12, dtype=np.float32).reshape(3, 4) - 5
    before = x.copy()
    y, same, z = f(x)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(y, before * before)
    np.testing.assert_array_equal(same, before)
    np.testing.assert_array_equal(z, before + before)
    # The results are new arrays, not views of the input.
    assert not np.shares_memory(same, x)


def test_jit_input_of_an_in_place_op_untouched(ctx):
    # x * x is an elementwise linalg op whose init is x itself: with a
    # writable argument, bufferization computes it in the caller's array.
    text = """
func.func @f(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %s = arith.mulf %x, %x : tensor<?x64xf32>
  %r = qc.rotate %s by #qc.hadamard<64> along 1 : tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
"""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 64)).astype(np.float32)
    before = x.copy()
    for pipeline in ("qc-reference-pipeline", "qc-cpu-pipeline"):
        y = qc.compile(qc.Module.parse(ctx, text), pipeline).f(x)
        np.testing.assert_array_equal(x, before)
        # Normalized Sylvester Hadamard (H[i, j] = (-1)^popcount(i & j) / 8).
        i = np.arange(64)
        h = (-1.0) ** np.vectorize(lambda v: bin(v).count("1"))(i[:, None] & i[None, :]) / 8
        np.testing.assert_allclose(y, (before * before) @ h, rtol=1e-5, atol=1e-5)


def test_jit_errors_carry_diagnostics(ctx):
    bad = qc.Module.parse(ctx, """
func.func @f(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = qc.rotate %x by #qc.hadamard<64> along 1 : tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
""")
    with pytest.raises(qc.MLIRError, match="cannot parse the pass pipeline 'no-such-pipeline'"):
        qc.compile(bad, "no-such-pipeline")


def test_compile_keeps_freed_memory_unless_told_not_to():
    """qc.compile tunes glibc's malloc once (keep_freed_memory); the
    environment variable QC_MALLOC_TUNING=0 leaves malloc alone."""
    import subprocess
    import sys
    code = ("import qc.jit as j; import qc; m = qc.Module.parse(qc.Context(), "
            "'func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> { return %a : tensor<2xf32> }'); "
            "qc.compile(m, 'qc-cpu-pipeline'); print(j._malloc_tuned)")
    env = dict(os.environ)
    for value, want in (("1", "True"), ("0", "False")):
        env["QC_MALLOC_TUNING"] = value
        out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                             capture_output=True, text=True).stdout.strip()
        assert out == want, (value, out)


def test_jit_results_own_their_buffers_and_never_alias(ctx):
    """A result is a view of the buffer the call allocated (no copy), kept
    alive by the array, also after the compiled module is gone; a second
    result in the same buffer is a copy, so results never alias; buffers
    freed by compiled code and by results are reused (BufferCache), under
    both QC_MALLOC_TUNING settings."""
    import gc
    import subprocess
    import sys
    text = """
func.func @f(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %y = arith.mulf %x, %x : tensor<?x4xf32>
  return %y, %y : tensor<?x4xf32>, tensor<?x4xf32>
}
"""
    compiled = qc.compile(qc.Module.parse(ctx, text), "qc-cpu-pipeline")
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    a, b = compiled.f(x)
    assert not np.shares_memory(a, b)
    a[0, 0] = 100
    assert b[0, 0] == 0
    # The first result is the call's own buffer, not a copy of it.
    assert a.base is not None and not a.flags.owndata
    del compiled
    gc.collect()
    np.testing.assert_array_equal(b, x * x)
    np.testing.assert_array_equal(a[1], x[1] * x[1])
    # Many calls whose results are dropped: buffers go back and are reused,
    # the values stay right (run in a subprocess per setting).
    code = ("import numpy as np, qc; f = qc.compile(qc.Module.parse(qc.Context(), %r), "
            "'qc-cpu-pipeline').f\n"
            "for n in (1, 3, 1000, 7, 1000, 2, 50000):\n"
            "    x = np.random.default_rng(n).standard_normal((n, 4)).astype(np.float32)\n"
            "    for _ in range(3):\n"
            "        a, b = f(x); assert (a == x * x).all() and (b == x * x).all()\n"
            "print('ok')" % text)
    env = dict(os.environ)
    for value in ("1", "0"):
        env["QC_MALLOC_TUNING"] = value
        out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                             capture_output=True, text=True).stdout.strip()
        assert out == "ok", (value, out)
