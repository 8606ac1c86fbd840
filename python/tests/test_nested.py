"""Nested (Matryoshka) weights: one 8-bit weight stored once as
#qc.bit_planes<[4, 4]> (a low and a high nibble plane) and read at 4 bits by
qc.requantize msb_slice (the kernels read the high plane in place) and at
8 bits (the two planes as two kernel matmuls), passed at run time through
qc.assemble packed.

The planes are packed here by numpy from the layouts' definitions, and the
results are checked against numpy float64 of qc.requantize's documented
arithmetic (h = q >> 4, s' = 16 s, m' = (s z) - 7.5 s), not against qc's
own lowering alone; the reference pipeline is checked against it too."""
import re
import zlib

import numpy as np
import pytest

import qc


@pytest.fixture
def ctx():
    return qc.Context()


def _has_vnni512():
    flags = open("/proc/cpuinfo").read()
    return all(f in flags for f in ("avx512_vnni", "avx512bw", "avx512vl"))


def _pack4(codes):
    """N x K 4-bit codes -> N x K/2 bytes, the first code in the low nibble."""
    c = codes.astype(np.uint8) & 15
    return (c[:, 0::2] | (c[:, 1::2] << 4)).astype(np.uint8)


def _tiled(rows_bytes, rows, chunk):
    """#qc.tiled<rows, chunk_bytes> order of an N x B byte matrix."""
    n, b = rows_bytes.shape
    return rows_bytes.reshape(n // rows, rows, b // chunk, chunk).transpose(
        0, 2, 1, 3).reshape(-1)


def _planes(q, tile):
    """8-bit codes (their bit patterns) as #qc.bit_planes<[4, 4]>: the plane
    of the low nibbles, then that of the high nibbles, each tiled."""
    bits = q.astype(np.uint8)
    planes = [_pack4(bits & 15), _pack4(bits >> 4)]
    if tile:
        planes = [_tiled(p, *tile) for p in planes]
    return np.concatenate([p.reshape(-1) for p in planes])


def _nested_values(q, s, z, group):
    """The weight read at 4 bits, float64 of the documented arithmetic:
    h = floor(q / 16), s' = f32(16 s), m' = f32(f32(s z) - f32(7.5 s))."""
    se = np.repeat(s.astype(np.float32), group, axis=1)
    ze = np.repeat(z.astype(np.float32), group, axis=1)
    h = np.floor(q / 16.0)
    s2 = (se * np.float32(16)).astype(np.float32)
    m2 = ((se * ze).astype(np.float32) - (se * np.float32(7.5)).astype(
        np.float32)).astype(np.float32)
    return s2.astype(np.float64) * h - m2.astype(np.float64)


def _full_values(q, s, z, group):
    se = np.repeat(s.astype(np.float32), group, axis=1).astype(np.float64)
    ze = np.repeat(z, group, axis=1).astype(np.float64)
    return se * (q - ze)


def _lane_order(s, lanes=16):
    """N x G -> N/16 x G x 16 (the row-lane kernels' order)."""
    n, g = s.shape
    return np.ascontiguousarray(s.reshape(n // lanes, lanes, g).transpose(0, 2, 1))


def _program(n, k, group, signed, tile, lane_order, act):
    grid8, grid4 = ("s8", "s4") if signed else ("u8", "u4")
    zp = "" if signed else ", zero_point i16"
    layout = ("#qc.bit_planes<[4, 4], tile = #qc.tiled<rows = %d, chunk_bytes = %d>>"
              % tile) if tile else "#qc.bit_planes<[4, 4]>"
    ng = k // group
    stored = ("!qc.qtensor<%dx%d, #qc.int<%s>, f32 #qc.per_block<[1, %d]>%s, layout %s>"
              % (n, k, grid8, group, zp, layout))
    narrow = ("!qc.qtensor<%dx%d, #qc.int<%s>, f32 #qc.per_block<[1, %d]>, min f32>"
              % (n, k, grid4, group))
    full = stored
    lines = []
    if lane_order:
        lines += [
            "%%sl = tensor.empty() : tensor<%dx16x%dxf32>" % (n // 16, ng),
            "%%st = linalg.transpose ins(%%s : tensor<%dx%dx16xf32>) outs(%%sl : tensor<%dx16x%dxf32>) permutation = [0, 2, 1]"
            % (n // 16, ng, n // 16, ng),
            "%%sc = tensor.collapse_shape %%st [[0, 1], [2]] : tensor<%dx16x%dxf32> into tensor<%dx%dxf32>"
            % (n // 16, ng, n, ng)]
        stype = "tensor<%dx%dx16xf32>" % (n // 16, ng)
        scales = "%sc"
    else:
        stype = "tensor<%dx%dxf32>" % (n, ng)
        scales = "%s"
    zarg = "" if signed else ", %%z: tensor<%dx%dxi16>" % (n, ng)
    zuse = "" if signed else " zero_points %z"
    if act:
        atype = "!qc.qtensor<?x%d, #qc.int<s8>, f32 #qc.per_axis<0>>" % k
        lines.append("%%qa = qc.quantize %%x : tensor<?x%dxf32> -> %s" % (k, atype))
        lhs = "%qa"
    else:
        atype, lhs = "tensor<?x%dxf32>" % k, "%x"
    body = "\n  ".join(lines)
    nbytes = n * k
    return f"""
func.func @f(%x: tensor<?x{k}xf32>, %b: tensor<{nbytes}xi8>, %s: {stype}{zarg})
    -> (tensor<?x{n}xf32>, tensor<?x{n}xf32>) {{
  {body}
  %w = qc.assemble packed %b, {scales}{zuse} : {stored}
  %w4 = qc.requantize %w msb_slice : {stored} -> {narrow}
  %y4 = qc.matmul {lhs}, %w4 : {atype}, {narrow} -> tensor<?x{n}xf32>
  %y8 = qc.matmul {lhs}, %w : {atype}, {full} -> tensor<?x{n}xf32>
  return %y4, %y8 : tensor<?x{n}xf32>, tensor<?x{n}xf32>
}}
"""


CASES = [
    # N, K, group, signed, tile of each plane, scales in lane order, int8
    # activations
    (32, 256, 128, True, (16, 4), True, True),
    (48, 512, 64, True, (16, 4), False, True),
    (32, 256, 32, False, (16, 4), False, True),
    (16, 128, 64, True, None, False, False),
    (24, 256, 128, False, None, False, False),
]


@pytest.mark.parametrize("n,k,group,signed,tile,lanes,act", CASES)
def test_nested_weight_read_at_4_and_8_bits(ctx, n, k, group, signed, tile,
                                             lanes, act):
    rng = np.random.default_rng(zlib.crc32(repr((n, k, group, signed, tile, lanes, act)).encode()))
    q = rng.integers(-128, 128, (n, k)) if signed else rng.integers(0, 256, (n, k))
    s = rng.uniform(0.001, 0.01, (n, k // group)).astype(np.float32)
    z = np.zeros((n, k // group), np.int16) if signed else \
        rng.integers(100, 156, (n, k // group)).astype(np.int16)
    text = _program(n, k, group, signed, tile, lanes, act)
    b = _planes(q, tile).view(np.int8)
    args = [b, _lane_order(s) if lanes else s] + ([] if signed else [z])
    module = qc.Module.parse(ctx, text)
    module.run("qc-cpu-pipeline")
    lowered = str(module)
    if act and tile and _has_vnni512():
        # The high plane read in place by the row-lane kernel, which derives
        # the narrow scales itself for a symmetric weight. The 8-bit read:
        # one row-lane kernel joining both planes' nibbles (symmetric), or,
        # with zero points, two kernels (the high plane as above, the low
        # plane a slice of the same bytes).
        assert re.search(r"@qc_cpu_w4a8_\w*_rowlanes_plane8o4" +
                         (r"\w*_ns" if signed else ""), lowered), lowered[:3000]
        kernels = set(re.findall(r"@qc_cpu_w4a8_\w*rowlanes\w*", lowered))
        assert len(kernels) == 2, kernels
        if signed:
            assert any("_planes8" in k for k in kernels), kernels
        else:
            assert any("_u_" in k for k in kernels), kernels
    fns = {p: qc.compile(qc.Module.parse(ctx, text), p).f
           for p in ("qc-reference-pipeline", "qc-cpu-pipeline")}
    w4 = _nested_values(q, s, z, group)
    w8 = _full_values(q, s, z, group)
    for m in (1, 3, 17):
        x = rng.standard_normal((m, k)).astype(np.float32)
        if act:
            # The activations as the int8 quantization gives them (absmax
            # per row), in float64.
            sa = np.abs(x).max(axis=1, keepdims=True).astype(np.float32) / np.float32(127)
            xa = np.clip(np.round(x / sa), -128, 127).astype(np.float64) * sa
        else:
            xa = x.astype(np.float64)
        want = [xa @ w4.T, xa @ w8.T]
        for p, fn in fns.items():
            got = fn(x, *args)
            for g, w, name in zip(got, want, ("4-bit", "8-bit")):
                assert g.shape == (m, n)
                np.testing.assert_allclose(
                    g, w, rtol=0, atol=3e-5 * float(np.abs(w).max()),
                    err_msg="%s, %s read, M = %d" % (p, name, m))
