#!/usr/bin/env python3
"""Independent numpy reference of the qc op semantics, and the generator of
the integration tests' MLIR programs.

Written from the op descriptions (docs/Dialect.md), not from qc's C++: grids
are value lists with a nearest-value search, scales follow the formulas of
qc.quantize's description in f32 (numpy float32), error sums and matmul
references are float64.

Usage (from a lit RUN line):
  qcref.py gen CASE            print the MLIR program of CASE
  qcref.py check CASE OUTPUT   compare mlir-runner's OUTPUT with the reference
  qcref.py same OUT1 OUT2      the printed tensors of two runs are identical
  qcref.py close OUT1 OUT2 RTOL  the printed tensors agree to RTOL (of the max)
  qcref.py improves CASE PLAIN ROTATED FACTOR
                               ROTATED's error against float64 is FACTOR x smaller
  qcref.py alloc-check CASE SUMMARY UNIFORM ALLOCATED BITS
                               qc-allocate-bits' JSON SUMMARY has the losses,
                               costs and optimum recomputed here; both runs
                               match numpy models; ALLOCATED beats UNIFORM
  qcref.py model-check POLICY plain|rotated OUTPUT RTOL
                               qc-quantize-model's output against numpy
  qcref.py alpha-check CASE SUMMARY
                               the summary's AlphaQ alphas equal numpy's
  qcref.py gain CASE PLAIN REARRANGED FACTOR
                               likewise for qc-rearrange-outliers (CASE_plain
                               checks the program before the pass)
"""

import math
import re
import sys

import numpy as np

F32 = np.float32

# ---------------------------------------------------------------------------
# Grids: (sorted list of (value, code)), code width, tie rule
# ---------------------------------------------------------------------------

NF4 = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
       -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
       0.07958029955625534, 0.16093020141124725, 0.24611230194568634,
       0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
       0.7229568362236023, 1.0]

MINIFLOATS = {  # name: (exponent bits, mantissa bits, has inf/nan like IEEE)
    "f4E2M1FN": (2, 1, False), "f6E3M2FN": (3, 2, False),
    "f6E2M3FN": (2, 3, False), "f8E4M3FN": (4, 3, False),
    "f8E5M2": (5, 2, True),
}


def minifloat_value(code, e, m, ieee):
    bits = 1 + e + m
    sign = -1.0 if (code >> (bits - 1)) & 1 else 1.0
    exp = (code >> m) & ((1 << e) - 1)
    man = code & ((1 << m) - 1)
    bias = (1 << (e - 1)) - 1
    if ieee and exp == (1 << e) - 1:
        return None  # inf / nan
    if not ieee and e == 4 and exp == 15 and man == 7:
        return None  # E4M3FN NaN
    if exp == 0:
        return sign * man * 2.0 ** (1 - bias - m)
    return sign * (1 + man / 2.0 ** m) * 2.0 ** (exp - bias)


class Grid:
    """values[code] and the nearest-value encoder with the documented ties."""

    def __init__(self, kind, bits, values, tie):
        self.kind, self.bits, self.tie = kind, bits, tie
        self.decode_table = values  # code -> value (None: not a grid value)
        entries = {}
        for c, v in enumerate(values):
            if v is None:
                continue
            key = 0.0 if v == 0 else v
            if key not in entries or c < entries[key]:
                entries[key] = c  # +0 over -0: the smaller code
        self.entries = sorted(entries.items())

    @property
    def max_positive(self):
        return self.entries[-1][0]

    @property
    def min_value(self):
        return self.entries[0][0]

    def decode(self, code):
        v = self.decode_table[code]
        return float("nan") if v is None else v

    def encode(self, x):
        x = float(x)
        if math.isnan(x):
            return dict((v, c) for v, c in self.entries).get(0.0, 0)
        vals = [v for v, _ in self.entries]
        if x <= vals[0]:
            return self.entries[0][1]
        if x >= vals[-1]:
            return self.entries[-1][1]
        i = int(np.searchsorted(vals, x))  # vals[i-1] < x <= vals[i]
        (lo, clo), (hi, chi) = self.entries[i - 1], self.entries[i]
        if x == hi:
            return chi
        dlo, dhi = x - lo, hi - x
        if dlo < dhi:
            return clo
        if dhi < dlo:
            return chi
        if self.tie == "up":
            return chi
        if self.tie == "even":
            return clo if clo % 2 == 0 else chi
        return min(clo, chi)  # codebook: the smaller code


def make_grid(spec):
    kind = spec[0]
    if kind == "int":
        _, signed, bits, narrow = spec
        vals = []
        for c in range(1 << bits):
            if signed:
                v = c - (1 << bits) if c >= (1 << (bits - 1)) else c
                if narrow and v == -(1 << (bits - 1)):
                    v = None
            else:
                v = c
            vals.append(None if v is None else float(v))
        return Grid("int", bits, vals, "even")
    if kind == "float":
        e, m, ieee = MINIFLOATS[spec[1]]
        bits = 1 + e + m
        return Grid("float", bits,
                    [minifloat_value(c, e, m, ieee) for c in range(1 << bits)],
                    "even")
    if kind == "nf4":
        return Grid("codebook", 4, NF4, "smaller")
    if kind == "codebook":
        vals = spec[1]
        return Grid("codebook", int(math.log2(len(vals))), vals, "smaller")
    if kind == "ternary":
        return Grid("int", 2, [0.0, 1.0, None, -1.0], "even")
    if kind == "binary":
        return Grid("binary", 1, [-1.0, 1.0], "up")
    raise ValueError(kind)


def grid_attr(spec):
    kind = spec[0]
    if kind == "int":
        _, signed, bits, narrow = spec
        return "#qc.int<%s%d%s>" % ("s" if signed else "u", bits,
                                     ", narrow" if narrow else "")
    if kind == "float":
        return "#qc.float<%s>" % spec[1]
    if kind == "codebook":
        return "#qc.codebook<[%s]>" % ", ".join(repr(v) for v in spec[1])
    return "#qc." + kind


# ---------------------------------------------------------------------------
# Storage formats of scales and zero points
# ---------------------------------------------------------------------------

def round_bf16(x):
    b = np.array([x], dtype=F32).view(np.uint32)[0]
    if math.isnan(x):
        return x
    b = (int(b) + 0x7FFF + ((int(b) >> 16) & 1)) & 0xFFFF0000
    return float(np.array([b], dtype=np.uint32).view(F32)[0])


def round_to(fmt, x):
    """Round an f32 value to a storage format, saturating (as f32)."""
    x = F32(x)
    if fmt == "f32":
        return x
    if fmt == "f16":
        return F32(np.float16(np.clip(x, -65504, 65504)))
    if fmt == "bf16":
        return F32(round_bf16(float(np.clip(x, -3.3895313892515355e38,
                                             3.3895313892515355e38))))
    if fmt in MINIFLOATS:
        g = make_grid(("float", fmt))
        return F32(g.decode(g.encode(x)))
    raise ValueError(fmt)


def max_finite(fmt):
    return {"f16": 65504.0, "bf16": 3.3895313892515355e38,
            "f32": float(np.finfo(F32).max)}.get(fmt) or \
        make_grid(("float", fmt)).max_positive


# ---------------------------------------------------------------------------
# Quantization (qc.quantize's description)
# ---------------------------------------------------------------------------

def block_shape(gran, shape):
    if gran[0] == "tensor":
        return list(shape)
    if gran[0] == "axis":
        b = list(shape)
        b[gran[1]] = 1
        return b
    return list(gran[1])


def gran_attr(gran):
    if gran[0] == "tensor":
        return "#qc.per_tensor"
    if gran[0] == "axis":
        return "#qc.per_axis<%d>" % gran[1]
    return "#qc.per_block<[%s]>" % ", ".join(str(b) for b in gran[1])


def part_shape(gran, shape):
    if gran[0] == "tensor":
        return []
    if gran[0] == "axis":
        return [shape[gran[1]]]
    return [s // b for s, b in zip(shape, gran[1])]


def blocks_of(shape, bshape):
    """Group index (tuple over dims) of every element, row-major."""
    idx = np.indices(shape).reshape(len(shape), -1).T
    return [tuple(int(i // b) for i, b in zip(row, bshape)) for row in idx]


def quantize(x, case):
    """Returns codes (int array), effective scales per element, zero points
    per element, all as in the documented semantics."""
    grid = make_grid(case["grid"])
    shape = x.shape
    flat = x.reshape(-1).astype(F32)
    gids = blocks_of(shape, block_shape(case["gran"], shape))
    groups = {}
    for e, g in enumerate(gids):
        groups.setdefault(g, []).append(e)
    method = case.get("method", "absmax")
    zp_type = case.get("zp")
    outer = case.get("outer")
    fmt = "f32" if outer else case["scale"]

    def params(vals, alpha):
        vals = np.asarray(vals, dtype=F32)
        amax = F32(np.max(np.abs(vals)))
        if method == "absmean":
            mean = F32(np.sum(np.abs(vals).astype(np.float64)) / len(vals))
            return round_to(fmt, max(mean, F32(1e-5))), F32(0)
        if method == "mx":
            emax = math.floor(math.log2(grid.max_positive))
            e = -127 if amax == 0 else math.frexp(float(amax))[1] - 1 - emax
            return F32(2.0 ** max(-127, min(127, e))), F32(0)
        alpha = F32(alpha)
        if zp_type is None or method == "absmax":
            return round_to(fmt, F32(alpha * amax) / F32(grid.max_positive)), F32(0)
        lo = F32(alpha * F32(min(np.min(vals), 0)))
        hi = F32(alpha * F32(max(np.max(vals), 0)))
        gmin, gmax = F32(grid.min_value), F32(grid.entries[-1][0])
        s = round_to(fmt, F32(hi - lo) / F32(gmax - gmin))
        if s == 0:
            return F32(0), F32(0)
        z = F32(gmin - F32(lo / s))
        if zp_type.startswith("i"):
            z = F32(min(max(np.rint(z), gmin), gmax))
        else:
            z = round_to(zp_type, z)
        return s, z

    def enc(v, s, z):
        v = F32(v)
        q = z if s == 0 else F32(F32(v / s) + z)
        return grid.encode(q)

    chosen = {}
    for g, elems in groups.items():
        vals = flat[elems]
        best = params(vals, 1.0)
        if method == "mse":
            best_err = math.inf
            for i in range(11):
                alpha = F32(F32(1.0) - F32(F32(0.05) * F32(i)))
                s, z = params(vals, alpha)
                err = 0.0
                for v in vals:
                    y = F32(s * F32(F32(grid.decode(enc(v, s, z))) - z))
                    err += (float(y) - float(v)) ** 2
                if err < best_err:
                    best_err, best = err, (s, z)
        chosen[g] = best

    eff = {g: p[0] for g, p in chosen.items()}
    if outer:
        ogran, ofmt = outer
        obs = block_shape(ogran, shape)
        ibs = block_shape(case["gran"], shape)
        omax = {}
        for g, (s, _) in chosen.items():
            o = tuple(gi * b // ob for gi, b, ob in zip(g, ibs, obs))
            omax[o] = max(omax.get(o, F32(0)), s)
        oscale = {o: round_to(ofmt, F32(m / F32(max_finite(case["scale"]))))
                  for o, m in omax.items()}
        for g, (s, _) in chosen.items():
            o = oscale[tuple(gi * b // ob for gi, b, ob in zip(g, ibs, obs))]
            stored = F32(0) if o == 0 else round_to(case["scale"], F32(s / o))
            eff[g] = F32(stored * o)
    codes = np.array([enc(flat[e], eff[gids[e]], chosen[gids[e]][1])
                      for e in range(flat.size)]).reshape(shape)
    scale_el = np.array([eff[g] for g in gids], dtype=F32).reshape(shape)
    zp_el = np.array([chosen[g][1] for g in gids], dtype=F32).reshape(shape)
    return codes, scale_el, zp_el, grid


def dequantize(codes, scale_el, zp_el, grid):
    dec = np.vectorize(lambda c: F32(grid.decode(int(c))), otypes=[F32])(codes)
    return (scale_el * (dec - zp_el)).astype(F32)


# ---------------------------------------------------------------------------
# Test cases
# ---------------------------------------------------------------------------

S4, U4, S8 = ("int", True, 4, False), ("int", False, 4, False), ("int", True, 8, False)
S2, U2 = ("int", True, 2, False), ("int", False, 2, False)
S3, U3 = ("int", True, 3, False), ("int", False, 3, False)
CASES = {
    # Codes stored in a rotated basis (`rotated R along a`): quantize x R^T,
    # dequantize to (stored) R.
    "s4_rotated_h16": dict(shape=(3, 16), grid=S4, gran=("block", (1, 8)), scale="f32",
                           rot=dict(n=16, seed=2), rot_axis=1),
    "s8_rotated_paley_axis0": dict(shape=(24, 2), grid=S8, gran=("axis", 1), scale="f16",
                                   rot=dict(n=24, paley=(1, 11)), rot_axis=0),
    # Each grid family.
    "s4_block": dict(shape=(5, 24), grid=S4, gran=("block", (1, 8)), scale="f16"),
    "s8n_axis": dict(shape=(3, 20), grid=("int", True, 8, True), gran=("axis", 0), scale="f32"),
    "u3_minmax_int_zp": dict(shape=(4, 12), grid=("int", False, 3, False), gran=("block", (1, 6)),
                             scale="f32", zp="i8", method="minmax"),
    "u4_minmax_float_zp": dict(shape=(2, 16), grid=U4, gran=("axis", 0), scale="bf16", zp="f16",
                               method="minmax"),
    "e2m1_tensor": dict(shape=(3, 10), grid=("float", "f4E2M1FN"), gran=("tensor",), scale="f32"),
    "e4m3_axis1": dict(shape=(6, 4), grid=("float", "f8E4M3FN"), gran=("axis", 1), scale="f16"),
    "e3m2_block2d": dict(shape=(4, 6), grid=("float", "f6E3M2FN"), gran=("block", (2, 3)), scale="f32"),
    "nf4_block": dict(shape=(2, 64), grid=("nf4",), gran=("block", (1, 32)), scale="f32"),
    "codebook3": dict(shape=(3, 8), grid=("codebook", [-2.0, -1.0, -0.5, -0.125, 0.125, 0.5, 1.0, 2.0]),
                      gran=("axis", 0), scale="f32"),
    "ternary_absmean": dict(shape=(4, 9), grid=("ternary",), gran=("tensor",), scale="f32", method="absmean"),
    "binary_axis": dict(shape=(3, 7), grid=("binary",), gran=("axis", 0), scale="f32", method="absmean"),
    # Scale methods and formats.
    "s4_mse": dict(shape=(3, 32), grid=S4, gran=("axis", 0), scale="f32", method="mse"),
    "mxfp4": dict(shape=(2, 64), grid=("float", "f4E2M1FN"), gran=("block", (1, 32)),
                  scale="f8E8M0FNU", method="mx"),
    "mxint8": dict(shape=(1, 64), grid=S8, gran=("block", (1, 32)), scale="f8E8M0FNU", method="mx"),
    "nvfp4": dict(shape=(2, 48), grid=("float", "f4E2M1FN"), gran=("block", (1, 16)),
                  scale="f8E4M3FN", outer=(("tensor",), "f32")),
    "e2m3_two_level_absmean": dict(shape=(2, 16), grid=("float", "f6E2M3FN"), gran=("block", (1, 8)),
                                   scale="f8E4M3FN", outer=(("tensor",), "f32"), method="absmean"),
    "e5m2_mse_float_zp": dict(shape=(3, 16), grid=("float", "f8E5M2"), gran=("axis", 0), scale="f32",
                              zp="f16", method="mse"),
    "u8_mse_int_zp": dict(shape=(2, 40), grid=("int", False, 8, False), gran=("block", (1, 20)),
                          scale="f16", zp="i16", method="mse"),
    "s4_two_level_axis": dict(shape=(4, 32), grid=S4, gran=("block", (1, 8)), scale="f8E4M3FN",
                              outer=(("axis", 0), "f32")),
}

MATMUL_CASES = {
    # Nested (Matryoshka) weights: one 8-bit weight read at fewer bits by
    # qc.requantize (MSB slicing with the slice offset in f32 mins, or a
    # rounding shift); the program picks the width at run time from an i1
    # argument (scf.if) and prints the narrow result, then the 8-bit one.
    "cpu_nest_s8_s4_rl_m5": dict(m=5, k=256, n=32, w=dict(grid=S8, gran=("block", (1, 32)), scale="f16"),
                                 a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True,
                                 dynamic=True, nest=dict(grid=S4, mode="msb_slice")),
    "cpu_nest_u8_u2_zp_m3": dict(m=3, k=128, n=24, w=dict(grid=("int", False, 8, False), gran=("block", (1, 64)),
                                                         scale="f32", zp="i16", method="minmax"),
                                 a=dict(grid=S8, gran=("axis", 0), scale="f32"),
                                 nest=dict(grid=U2, mode="msb_slice")),
    "cpu_nest_s8_s4_round_m2": dict(m=2, k=64, n=16, w=dict(grid=S8, gran=("axis", 0), scale="bf16"),
                                    const_weight=True, nest=dict(grid=S4, mode="round_shift")),
    # W-only, M = 1 and M > 1 (dynamic), K and N not multiples of 8, bias.
    "w4_m1": dict(m=1, k=24, n=5, w=dict(grid=S4, gran=("block", (1, 8)), scale="f16"), bias=True),
    "w4_m3_dynamic": dict(m=3, k=36, n=7, w=dict(grid=U4, gran=("block", (1, 12)), scale="f32",
                                                 zp="i8", method="minmax"), dynamic=True),
    "wnf4_m2": dict(m=2, k=64, n=3, w=dict(grid=("nf4",), gran=("block", (1, 32)), scale="f32")),
    # W + A: activations quantized per row at run time.
    # Constant weights (packed at compile time): the CPU kernels' inputs.
    "cpu_w4_g32_m1": dict(m=1, k=96, n=7, w=dict(grid=S4, gran=("block", (1, 32)), scale="f16"),
                          const_weight=True, bias=True),
    "cpu_w4_g64_m3": dict(m=3, k=128, n=5, w=dict(grid=S4, gran=("block", (1, 64)), scale="f32"),
                          const_weight=True, dynamic=True),
    "cpu_w4_g32_m17": dict(m=17, k=64, n=9, w=dict(grid=S4, gran=("block", (1, 32)), scale="bf16"),
                           const_weight=True, dynamic=True),
    "cpu_w4a8_row_m1": dict(m=1, k=128, n=7, w=dict(grid=S4, gran=("block", (1, 64)), scale="f16"),
                            a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True,
                            bias=True),
    "cpu_w4a8_block_m5": dict(m=5, k=256, n=6, w=dict(grid=S4, gran=("block", (1, 128)), scale="f32"),
                              a=dict(grid=S8, gran=("block", (1, 32)), scale="f32"), const_weight=True,
                              dynamic=True),
    "cpu_w4a8_block_m17": dict(m=17, k=96, n=5, w=dict(grid=S4, gran=("block", (1, 96)), scale="bf16"),
                               a=dict(grid=S8, gran=("block", (1, 32)), scale="f32"), const_weight=True,
                               dynamic=True, bias=True),
    "cpu_w4a8_row_m64": dict(m=64, k=64, n=3, w=dict(grid=S4, gran=("block", (1, 32)), scale="f16"),
                             a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    # The weight-only kernel: 2-, 4- and 8-bit codes decoded in registers
    # (sign extension, integer table, f32 table), integer and float zero
    # points, 16-element chunks, tiles of 1 or 2 weight rows.
    "cpu_w8_axis_m3": dict(m=3, k=64, n=5, w=dict(grid=S8, gran=("axis", 0), scale="f32"),
                           const_weight=True),
    "cpu_w2_g64_m17": dict(m=17, k=128, n=6, w=dict(grid=S2, gran=("block", (1, 64)), scale="f16"),
                           const_weight=True, dynamic=True, bias=True),
    "cpu_nf4_g64_m1": dict(m=1, k=128, n=8, w=dict(grid=("nf4",), gran=("block", (1, 64)), scale="f16"),
                           const_weight=True),
    "cpu_e2m1_g32_m5": dict(m=5, k=64, n=7, w=dict(grid=("float", "f4E2M1FN"), gran=("block", (1, 32)),
                                                    scale="f32"), const_weight=True),
    "cpu_u4_zpf_m3": dict(m=3, k=96, n=4, w=dict(grid=U4, gran=("block", (1, 32)), scale="bf16", zp="f16",
                                                  method="minmax"), const_weight=True),
    "cpu_u4_zpi_m9": dict(m=9, k=64, n=6, w=dict(grid=U4, gran=("block", (1, 32)), scale="f16", zp="i8",
                                                  method="minmax"), const_weight=True, dynamic=True),
    "cpu_ternary_axis_m2": dict(m=2, k=128, n=3, w=dict(grid=("ternary",), gran=("axis", 0), scale="f32",
                                                        method="absmean"), const_weight=True),
    "cpu_codebook16_m4": dict(m=4, k=64, n=6, w=dict(grid=("codebook", [-3.0, -2.1, -1.5, -1.0, -0.7, -0.4, -0.2,
                                                                         -0.05, 0.0, 0.1, 0.3, 0.6, 0.9, 1.3, 1.9,
                                                                         2.8]),
                                                      gran=("block", (1, 32)), scale="f32"), const_weight=True),
    # The integer-dot kernel: 2- and 4-bit codes, signed or with zero
    # points, per row or per block activation scales (blocks of 64 2-bit
    # codes are half a chunk: per-half scales), per-channel weight scales,
    # 16-byte chunks (blocks of 16 bytes), tiles of 4 rows by 1, 2 or 4
    # weight rows.
    "cpu_w2a8_row_m1": dict(m=1, k=256, n=8, w=dict(grid=S2, gran=("block", (1, 128)), scale="f16"),
                            a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    "cpu_w2a8_block_m17": dict(m=17, k=256, n=6, w=dict(grid=S2, gran=("block", (1, 128)), scale="f32"),
                               a=dict(grid=S8, gran=("block", (1, 64)), scale="f32"), const_weight=True,
                               dynamic=True, bias=True),
    "cpu_u4a8_zp_m3": dict(m=3, k=128, n=5, w=dict(grid=U4, gran=("block", (1, 64)), scale="f16", zp="i8",
                                                   method="minmax"),
                           a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    "cpu_u2a8_zp_m5": dict(m=5, k=128, n=4, w=dict(grid=U2, gran=("block", (1, 64)), scale="bf16", zp="i8",
                                                   method="minmax"),
                           a=dict(grid=S8, gran=("block", (1, 128)), scale="f32"), const_weight=True,
                           dynamic=True),
    "cpu_w4a8_axis_m64": dict(m=64, k=96, n=8, w=dict(grid=S4, gran=("axis", 0), scale="f32"),
                              a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    # W8A8: the sign trick on narrow activations, or on narrow weights.
    "cpu_w8a8_m3": dict(m=3, k=64, n=8, w=dict(grid=S8, gran=("axis", 0), scale="f32"),
                        a=dict(grid=("int", True, 8, True), gran=("axis", 0), scale="f32"), const_weight=True),
    "cpu_w8na8_m17": dict(m=17, k=96, n=6, w=dict(grid=("int", True, 8, True), gran=("block", (1, 32)),
                                                  scale="f16"),
                          a=dict(grid=S8, gran=("block", (1, 32)), scale="f32"), const_weight=True,
                          dynamic=True, bias=True),
    # VNNI only (vpdpbusd does not saturate, so no operand needs to be
    # narrow): llama.cpp's Q8_0 x Q8_0 (blocks of 32 on both sides, a zmm
    # spans two of each: scales per lane), unsigned 8-bit codes with zero
    # points, and Q4_0 x Q8_0 (4-bit blocks of 32, per-lane scales again).
    "cpu_w8a8_g32_m17": dict(m=17, k=256, n=7, w=dict(grid=S8, gran=("block", (1, 32)), scale="f16"),
                             a=dict(grid=S8, gran=("block", (1, 32)), scale="f32"), const_weight=True,
                             dynamic=True, bias=True),
    "cpu_u8a8_zp_m3": dict(m=3, k=128, n=5, w=dict(grid=("int", False, 8, False), gran=("block", (1, 64)),
                                                   scale="f32", zp="i16", method="minmax"),
                           a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    "cpu_w4a8_g32_m17": dict(m=17, k=256, n=9, w=dict(grid=S4, gran=("block", (1, 32)), scale="f16"),
                             a=dict(grid=S8, gran=("block", (1, 32)), scale="f32"), const_weight=True,
                             dynamic=True),
    # N a multiple of 16: on a VNNI host the constant weights are repacked
    # into the row-lane tile (#qc.tiled<rows = 16 or 8, chunk_bytes = 4>).
    "cpu_w4a8_rl_m17": dict(m=17, k=256, n=48, w=dict(grid=S4, gran=("block", (1, 32)), scale="f16"),
                            a=dict(grid=S8, gran=("block", (1, 32)), scale="f32"), const_weight=True,
                            dynamic=True, bias=True),
    "cpu_w2a8_rl_m5": dict(m=5, k=256, n=32, w=dict(grid=("int", True, 2, False), gran=("block", (1, 128)),
                                                    scale="bf16"),
                           a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    # 1-bit and binary weights: on an AVX-512 VBMI host the constant weight
    # is repacked into the LUT kernel's tiled planes (#qc.tiled<rows = 16,
    # chunk_bytes = 2>) and read by table lookups; N = 48 (one 16-row tile
    # per step), 64 (two).
    "cpu_w1a8_lut_m17": dict(m=17, k=272, n=48, w=dict(grid=("int", False, 1, False), gran=("block", (1, 16)),
                                                      scale="f16"),
                             a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True, dynamic=True),
    "cpu_bina8_lut_m3": dict(m=3, k=256, n=64, w=dict(grid=("binary",), gran=("axis", 0), scale="f32"),
                             a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    "cpu_w8a8_rl_m3": dict(m=3, k=128, n=16, w=dict(grid=S8, gran=("axis", 0), scale="f32"),
                           a=dict(grid=S8, gran=("block", (1, 64)), scale="f32"), const_weight=True,
                           dynamic=True),
    # Row-lane weights with blocks of 16 rows: on an AMX host these rows run
    # on AMX tiles (tdpbsud), the rest on vpdpbusd. 4 panels of 16 weight
    # rows and 4 conversion blocks per step; a per-channel weight whose
    # block (K = 512 codes) takes several tile ops per C tile, 1 panel; a
    # 2-bit weight in blocks of 128, 2 panels, 2 blocks per step.
    "cpu_w4a8_amx_m35": dict(m=35, k=256, n=64, w=dict(grid=S4, gran=("block", (1, 32)), scale="f16"),
                             a=dict(grid=S8, gran=("block", (1, 32)), scale="f32"), const_weight=True,
                             dynamic=True, bias=True),
    "cpu_w8a8_amx_m48": dict(m=48, k=512, n=48, w=dict(grid=S8, gran=("axis", 0), scale="f32"),
                             a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    "cpu_w2a8_amx_m20": dict(m=20, k=256, n=32, w=dict(grid=("int", True, 2, False), gran=("block", (1, 128)),
                                                       scale="bf16"),
                             a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True,
                             dynamic=True),
    # 3-bit codes: the kernels read them as #qc.bit_planes<[2, 1]> (a 2-bit
    # and a 1-bit plane), which qc-cpu-repack-weights makes. Weight-only
    # (sign extension, zero points, a 3-bit codebook as an f32 table, 16-
    # and 32-byte chunks, 4-row tiles and their remainder) and int8
    # activations (offset by 4 or by the zero point).
    "cpu_w3_g64_m5": dict(m=5, k=192, n=6, w=dict(grid=S3, gran=("block", (1, 64)), scale="f16"),
                          const_weight=True, dynamic=True),
    "cpu_w3_g128_m1": dict(m=1, k=256, n=5, w=dict(grid=S3, gran=("block", (1, 128)), scale="f32"),
                           const_weight=True, bias=True),
    "cpu_u3_zpi_m17": dict(m=17, k=128, n=4, w=dict(grid=U3, gran=("block", (1, 64)), scale="bf16", zp="i8",
                                                    method="minmax"), const_weight=True, dynamic=True),
    "cpu_codebook8_m2": dict(m=2, k=128, n=3, w=dict(grid=("codebook", [-2.2, -1.3, -0.7, -0.25, 0.0, 0.4, 1.1,
                                                                        2.5]),
                                                      gran=("block", (1, 64)), scale="f32"), const_weight=True),
    "cpu_w3a8_row_m1": dict(m=1, k=256, n=8, w=dict(grid=S3, gran=("block", (1, 128)), scale="f16"),
                            a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    "cpu_w3a8_block_m17": dict(m=17, k=192, n=6, w=dict(grid=S3, gran=("block", (1, 64)), scale="f32"),
                               a=dict(grid=S8, gran=("block", (1, 64)), scale="f32"), const_weight=True,
                               dynamic=True, bias=True),
    "cpu_u3a8_zp_m5": dict(m=5, k=384, n=4, w=dict(grid=U3, gran=("block", (1, 128)), scale="f16", zp="i8",
                                                   method="minmax"),
                           a=dict(grid=S8, gran=("axis", 0), scale="f32"), const_weight=True),
    # Bit planes chosen by the user: qc-quantize-constants packs into them and
    # the reference lowering reads them (4-bit codes as four single-bit
    # planes; 3-bit codes already in the kernels' planes).
    "planes_u4_m3": dict(m=3, k=40, n=6, w=dict(grid=U4, gran=("block", (1, 20)), scale="f32", zp="i8",
                                                method="minmax", layout="#qc.bit_planes<[1, 1, 1, 1]>"),
                         const_weight=True),
    "planes_s3_m2": dict(m=2, k=128, n=4, w=dict(grid=S3, gran=("block", (1, 64)), scale="f16",
                                                 layout="#qc.bit_planes<[2, 1]>"),
                         const_weight=True),
    # A weight stored rotated along K (the CPU kernels leave it to the
    # reference lowering).
    "w4_rotated_m3": dict(m=3, k=64, n=5, w=dict(grid=S4, gran=("block", (1, 32)), scale="f32",
                                                 rot=dict(n=64, seed=5), rot_axis=1),
                          const_weight=True),
    # ... stored permuted along K (W = W_s P): quantized in groups of the
    # permuted channels, the activations gathered by P^T.
    "w4_permuted_m3": dict(m=3, k=64, n=5, w=dict(grid=S4, gran=("block", (1, 32)), scale="f32",
                                                  rot=dict(n=64, perm=[(37 * j + 11) % 64 for j in range(64)]),
                                                  rot_axis=1),
                           const_weight=True, dynamic=True),
    "w4a8_m3": dict(m=3, k=24, n=5, w=dict(grid=S4, gran=("block", (1, 8)), scale="f32"),
                    a=dict(grid=S8, gran=("axis", 0), scale="f32"), bias=True, dynamic=True),
}


def fmt_tensor(a):
    if a.ndim == 1:
        return "[" + ", ".join("%.9e" % v for v in a) + "]"
    return "[" + ", ".join(fmt_tensor(r) for r in a) + "]"


def qtype(shape, case):
    t = "!qc.qtensor<%s, %s, %s %s" % ("x".join(str(s) for s in shape), grid_attr(case["grid"]),
                                         case["scale"], gran_attr(case["gran"]))
    if case.get("zp"):
        t += ", zero_point " + case["zp"]
    if case.get("outer"):
        t += ", outer %s %s" % (case["outer"][1], gran_attr(case["outer"][0]))
    if case.get("layout"):
        t += ", layout " + case["layout"]
    if case.get("rot"):
        t += ", rotated %s along %d" % (rotation_attr(case["rot"]), case["rot_axis"])
    return t + ">"


def method_of(case):
    m = case.get("method")
    return " method<%s>" % m if m else ""


def rng_for(name):
    return np.random.default_rng(sum(ord(c) for c in name))


def case_input(name, shape):
    x = rng_for(name).standard_normal(shape).astype(F32)
    x.flat[0] = 0.0  # exercise zeros
    return x


PRINT_DECLS = """func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)
"""


def gen_quantize(name):
    case = CASES[name]
    shape = case["shape"]
    x = case_input(name, shape)
    q = qtype(shape, case)
    ts = "x".join(str(s) for s in shape)
    bits = make_grid(case["grid"]).bits
    return f"""// Generated by qcref.py gen {name}.
func.func @main() {{
  %x = arith.constant dense<{fmt_tensor(x)}> : tensor<{ts}xf32>
  %q = qc.quantize %x{method_of(case)} : tensor<{ts}xf32> -> {q}
  %parts:{2 + bool(case.get("zp")) + bool(case.get("outer"))} = qc.disassemble %q : {q}
  %codes = arith.extui %parts#0 : tensor<{ts}xi{bits}> to tensor<{ts}xi32>
  %c = tensor.cast %codes : tensor<{ts}xi32> to tensor<*xi32>
  call @printMemrefI32(%c) : (tensor<*xi32>) -> ()
  %y = qc.dequantize %q : {q} -> tensor<{ts}xf32>
  %yc = tensor.cast %y : tensor<{ts}xf32> to tensor<*xf32>
  call @printMemrefF32(%yc) : (tensor<*xf32>) -> ()
  return
}}
{PRINT_DECLS}"""


def matmul_inputs(name):
    """Activations a (M x K), weight w (N x K) and bias b of a matmul case."""
    case = MATMUL_CASES[name]
    m, k, n = case["m"], case["k"], case["n"]
    r = rng_for(name)
    a = r.standard_normal((m, k)).astype(F32)
    w = r.standard_normal((n, k)).astype(F32)
    b = r.standard_normal(n).astype(F32)
    return a, w, b


def gen_matmul(name):
    case = MATMUL_CASES[name]
    m, k, n = case["m"], case["k"], case["n"]
    a, w, b = matmul_inputs(name)
    wq = qtype((n, k), case["w"])
    mdim = "?" if case.get("dynamic") else str(m)
    lines = [f"// Generated by qcref.py gen {name}.",
             f"func.func @linear(%a: tensor<{mdim}x{k}xf32>, %warg: tensor<{n}x{k}xf32>, %b: tensor<{n}xf32>) -> tensor<{mdim}x{n}xf32> {{"]
    if case.get("const_weight"):
        lines.append(f"  %w = arith.constant dense<{fmt_tensor(w)}> : tensor<{n}x{k}xf32>")
    else:
        lines.append(f"  %w = tensor.cast %warg : tensor<{n}x{k}xf32> to tensor<{n}x{k}xf32>")
    lines.append(f"  %qw = qc.quantize %w{method_of(case['w'])} : tensor<{n}x{k}xf32> -> {wq}")
    lhs, lhs_t = "%a", f"tensor<{mdim}x{k}xf32>"
    if case.get("a"):
        aq = qtype((m, k), case["a"]).replace(f"<{m}x{k},", f"<{mdim}x{k},")
        lines.append(f"  %qa = qc.quantize %a : tensor<{mdim}x{k}xf32> -> {aq}")
        lhs, lhs_t = "%qa", aq
    bias = f" bias(%b : tensor<{n}xf32>)" if case.get("bias") else ""
    yt = f"tensor<{mdim}x{n}xf32>"
    nest = case.get("nest")
    if nest:
        nq = nested_qtype(n, k, case)
        lines[1] = lines[1].replace(") -> ", ", %low: i1) -> ")
        lines += [f"  %qn = qc.requantize %qw {nest['mode']} : {wq} -> {nq}",
                  f"  %y = scf.if %low -> ({yt}) {{",
                  f"    %yn = qc.matmul {lhs}, %qn{bias} : {lhs_t}, {nq} -> {yt}",
                  f"    scf.yield %yn : {yt}", "  } else {",
                  f"    %yw = qc.matmul {lhs}, %qw{bias} : {lhs_t}, {wq} -> {yt}",
                  f"    scf.yield %yw : {yt}", "  }"]
    else:
        lines.append(f"  %y = qc.matmul {lhs}, %qw{bias} : {lhs_t}, {wq} -> {yt}")
    lines += [f"  return %y : {yt}", "}",
              "func.func @main() {",
              f"  %a = arith.constant dense<{fmt_tensor(a)}> : tensor<{m}x{k}xf32>",
              f"  %w = arith.constant dense<{fmt_tensor(w)}> : tensor<{n}x{k}xf32>",
              f"  %b = arith.constant dense<{fmt_tensor(b)}> : tensor<{n}xf32>",
              f"  %ad = tensor.cast %a : tensor<{m}x{k}xf32> to tensor<{mdim}x{k}xf32>"]
    args_t = f"tensor<{mdim}x{k}xf32>, tensor<{n}x{k}xf32>, tensor<{n}xf32>"
    for i, low in enumerate(["true", "false"] if nest else [None]):
        if low is None:
            lines.append(f"  %y{i} = call @linear(%ad, %w, %b) : ({args_t}) -> {yt}")
        else:
            lines += [f"  %low{i} = arith.constant {low}",
                      f"  %y{i} = call @linear(%ad, %w, %b, %low{i}) : ({args_t}, i1) -> {yt}"]
        lines += [f"  %yc{i} = tensor.cast %y{i} : {yt} to tensor<*xf32>",
                  f"  call @printMemrefF32(%yc{i}) : (tensor<*xf32>) -> ()"]
    lines += ["  return", "}", PRINT_DECLS]
    return "\n".join(lines)


def nested_qtype(n, k, case):
    """The type qc.requantize gives: the narrow grid, and f32 mins when the
    offset can be nonzero (always for msb_slice)."""
    nest = case["nest"]
    w = dict(case["w"], grid=nest["grid"])
    w.pop("zp", None)
    t = qtype((n, k), w)
    if nest["mode"] == "msb_slice" or case["w"].get("zp"):
        t = t[:-1] + ", min f32>"
    return t


def nested_dequantize(codes, scale_el, zp_el, grid, case):
    """The nested weight's values, from qc.requantize's documentation:
    q = 2^d h + l; msb_slice h = floor(q / 2^d), m' = (s z) - s (2^d - 1) / 2;
    round_shift h = clamp(floor(q / 2^d + 1/2)), m' = s z; s' = s 2^d; each
    part rounded to f32, the value s' h - m'."""
    nest = case["nest"]
    narrow = make_grid(nest["grid"])
    d = grid.bits - narrow.bits
    q = np.vectorize(lambda c: grid.decode(int(c)), otypes=[np.float64])(codes)
    if nest["mode"] == "msb_slice":
        h = np.floor(q / 2.0 ** d)
    else:
        lo, hi = narrow.min_value, narrow.entries[-1][0]
        h = np.clip(np.floor(q / 2.0 ** d + 0.5), lo, hi)
    s = scale_el.astype(F32)
    s2 = (s * F32(2.0 ** d)).astype(F32)
    m = (s * zp_el.astype(F32)).astype(F32)
    if nest["mode"] == "msb_slice":
        m = (m - (s * F32((2.0 ** d - 1) / 2)).astype(F32)).astype(F32)
    return (s2.astype(np.float64) * h - m.astype(np.float64)).astype(F32)



# ---------------------------------------------------------------------------
# Rotations (qc.rotate by #qc.hadamard): Q = D (H_K (x) H_m) / sqrt(n), from
# the attribute's description: Sylvester by recursion, Paley from the
# quadratic character, the signs of a seed from splitmix64.
# ---------------------------------------------------------------------------

def sylvester(m):
    h = np.ones((1, 1))
    while h.shape[0] < m:
        h = np.block([[h, h], [h, -h]])
    return h


def prime_power(q):
    """(p, e) with q = p^e, or None."""
    for p in range(2, q + 1):
        if q % p == 0:
            e, r = 0, q
            while r % p == 0:
                r, e = r // p, e + 1
            return (p, e) if r == 1 else None
    return None


def poly_rem(a, m, p):
    """a mod m over GF(p); coefficient lists low to high, m monic."""
    a = list(a)
    for i in range(len(a) - 1, len(m) - 2, -1):
        c = a[i] % p
        if c:
            for j in range(len(m)):
                a[i - len(m) + 1 + j] = (a[i - len(m) + 1 + j] - c * m[j]) % p
    return [c % p for c in a[:len(m) - 1]]


def digits(x, p, e):
    return [(x // p ** i) % p for i in range(e)]


def gf_modulus(p, e):
    """The docs' modulus: the monic irreducible t^e + ... whose lower
    coefficients, read as base-p digits, form the smallest number."""
    for number in range(p ** e):
        f = digits(number, p, e) + [1]
        reducible = any(not any(poly_rem(f, digits(g, p, d) + [1], p))
                        for d in range(1, e // 2 + 1) for g in range(p ** d))
        if not reducible:
            return f


def paley(kind, q):
    """Paley I (kind 1) or II (kind 2) over GF(q), element x = base-p digits."""
    p, e = prime_power(q)
    f = gf_modulus(p, e)
    chi = -np.ones(q)
    chi[0] = 0
    for x in range(1, q):
        d = digits(x, p, e)
        sq = [0] * (2 * e - 1)
        for i in range(e):
            for j in range(e):
                sq[i + j] += d[i] * d[j]
        chi[sum(c * p ** i for i, c in enumerate(poly_rem(sq, f, p)))] = 1
    sub = lambda a, b: sum(((da - db) % p) * p ** i
                           for i, (da, db) in enumerate(zip(digits(a, p, e), digits(b, p, e))))
    jac = np.array([[chi[sub(j, i)] for j in range(q)] for i in range(q)])
    if kind == 1:
        s = np.zeros((q + 1, q + 1))
        s[0, 1:], s[1:, 0], s[1:, 1:] = 1, -1, jac
        return np.eye(q + 1) + s
    c = np.zeros((q + 1, q + 1))
    c[0, 1:], c[1:, 0], c[1:, 1:] = 1, 1, jac
    return np.kron(c, [[1, 1], [1, -1]]) + np.kron(np.eye(q + 1), [[1, -1], [-1, -1]])


DIALECT_DOC = __file__.rsplit("/", 1)[0] + "/../../../docs/Dialect.md"


def williamson(n):
    """The Williamson array of the sequences docs/Dialect.md prints."""
    rows = {}
    for line in open(DIALECT_DOC):
        m = re.match(r"\s*n = (\d+) ([abcd]): ([+-]+)\s*$", line)
        if m and int(m.group(1)) == n:
            rows[m.group(2)] = [1.0 if ch == "+" else -1.0 for ch in m.group(3)]
    a, b, c, d = (np.array([[rows[k][(j - i) % n] for j in range(n)] for i in range(n)])
                  for k in "abcd")
    return np.block([[a, b, c, d], [-b, a, -d, c], [-c, d, a, -b], [-d, -c, b, a]])


def seed_signs(seed, n):
    mask = (1 << 64) - 1
    out = []
    for i in range(n):
        z = (seed + i * 0x9E3779B97F4A7C15) & mask
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        out.append(-1.0 if z & 1 else 1.0)
    return np.array(out)


def rotation_matrix(rot):
    n = rot["n"]
    if "dense" in rot:
        return np.array(rot["dense"], dtype=np.float64)
    if "perm" in rot:  # P[i][j] = (i == p[j]): x P gathers, (x P)[j] = x[p[j]]
        q = np.zeros((n, n))
        q[rot["perm"], np.arange(n)] = 1.0
        return q
    hk = np.ones((1, 1))
    if rot.get("paley"):
        hk = paley(*rot["paley"])
    elif rot.get("williamson"):
        hk = williamson(rot["williamson"])
    assert np.array_equal(hk @ hk.T, hk.shape[0] * np.eye(hk.shape[0]))
    q = np.kron(hk, sylvester(n // hk.shape[0])) / math.sqrt(n)
    if "seed" in rot:
        q = seed_signs(rot["seed"], n)[:, None] * q
    if "signs" in rot:
        q = np.array(rot["signs"], dtype=np.float64)[:, None] * q
    return q


def rotation_attr(rot):
    if "perm" in rot:
        return "#qc.permutation<[%s]>" % ", ".join(str(v) for v in rot["perm"])
    if "dense" in rot:
        return "#qc.orthogonal<dense<%s> : tensor<%dx%dxf64>>" % (
            fmt_tensor(np.array(rot["dense"])), rot["n"], rot["n"])
    parts = [str(rot["n"])]
    # "auto": the attribute names no base; the reference uses the base the
    # docs say the parser picks (the smallest order that covers n).
    if rot.get("paley") and not rot.get("auto"):
        parts.append("paley%d = %d" % rot["paley"])
    if rot.get("williamson") and not rot.get("auto"):
        parts.append("williamson = %d" % rot["williamson"])
    if "seed" in rot:
        parts.append("seed = %d" % rot["seed"])
    if "signs" in rot:
        parts.append("signs = [%s]" % ", ".join(str(v) for v in rot["signs"]))
    return "#qc.hadamard<%s>" % ", ".join(parts)


ROTATE_CASES = {
    "rotate_s256": dict(shape=(3, 256), axis=1, rot=dict(n=256)),
    "rotate_paley12_seed_t": dict(shape=(96, 3), axis=0, rot=dict(n=96, paley=(1, 11), seed=5), transpose=True),
    "rotate_paley28_signs": dict(shape=(2, 3, 56), axis=2,
                                 rot=dict(n=56, paley=(2, 13), signs=[1, -1, -1] * 18 + [1, 1])),
    # CPU kernel cases (f32 matrices rotated along the last axis, m >= 8):
    # Paley base with signs, transposed; Sylvester with signs.
    "rotate_paley12x16_seed_t": dict(shape=(5, 192), axis=1, rot=dict(n=192, paley=(1, 11), seed=2),
                                     transpose=True, dynamic=True),
    "rotate_s1024_seed": dict(shape=(4, 1024), axis=1, rot=dict(n=1024, seed=1)),
    # Model widths with the base chosen by the parser (auto), and the bases
    # beyond prime Paley: Williamson (n = 43: 11008 = 172 * 64, n = 23) and
    # Paley over GF(25), GF(27).
    "rotate_w11008_seed_t": dict(shape=(2, 11008), axis=1, transpose=True, dynamic=True,
                                 rot=dict(n=11008, williamson=43, seed=7, auto=True)),
    "rotate_w13824": dict(shape=(2, 13824), axis=1, rot=dict(n=13824, paley=(1, 107), auto=True)),
    "rotate_w5120_seed": dict(shape=(2, 5120), axis=1, rot=dict(n=5120, paley=(1, 19), seed=3, auto=True)),
    "rotate_w18944": dict(shape=(2, 18944), axis=1, rot=dict(n=18944, paley=(2, 73), auto=True)),
    "rotate_williamson23x16_signs": dict(shape=(3, 1472), axis=1,
                                         rot=dict(n=1472, williamson=23, signs=[1, -1, -1, 1] * 368)),
    "rotate_paley2q25x8_seed_t": dict(shape=(4, 416), axis=1, transpose=True,
                                      rot=dict(n=416, paley=(2, 25), seed=11)),
    "rotate_paley1q27x4_axis0": dict(shape=(112, 3), axis=0, rot=dict(n=112, paley=(1, 27), seed=2)),
    "rotate_s128_seed_t": dict(shape=(3, 128), axis=1, rot=dict(n=128, seed=4), transpose=True),
    # A dense orthogonal matrix (two plane rotations, not symmetric).
    "rotate_dense_axis0_t": dict(shape=(4, 3), axis=0, transpose=True,
                                 rot=dict(n=4, dense=[[0.6, 0.8, 0, 0], [-0.8, 0.6, 0, 0],
                                                      [0, 0, 0.28, -0.96], [0, 0, 0.96, 0.28]])),
    # Permutations (gathers): along axis 0 transposed (a scatter), and the
    # last axis of a dynamic f16 matrix.
    "rotate_perm_axis0_t": dict(shape=(6, 3), axis=0, transpose=True,
                                rot=dict(n=6, perm=[4, 0, 5, 2, 1, 3])),
    "rotate_perm_f16_dynamic": dict(shape=(3, 24), axis=1, type="f16", dynamic=True,
                                    rot=dict(n=24, perm=[(7 * j + 3) % 24 for j in range(24)]),
                                    rtol=1e-5, atol=0),
    "rotate_f16_dynamic": dict(shape=(5, 64), axis=1, rot=dict(n=64, seed=3), type="f16", dynamic=True,
                               rtol=2e-3, atol=1e-3),
}


def rotate_reference(name):
    """x Q (or x Q^T) along the axis, then the rotation undone: x again."""
    case = ROTATE_CASES[name]
    x = case_input(name, case["shape"]).astype(np.float64)
    if case.get("type") == "f16":
        x = x.astype(np.float16).astype(np.float64)
    q = rotation_matrix(case["rot"])
    if case.get("transpose"):
        q = q.T
    y = np.moveaxis(np.moveaxis(x, case["axis"], -1) @ q, -1, case["axis"])
    return [y, x]


def gen_rotate(name):
    case = ROTATE_CASES[name]
    shape, axis, ty = case["shape"], case["axis"], case.get("type", "f32")
    x = case_input(name, shape)
    dims = [str(d) for d in shape]
    if case.get("dynamic"):
        dims[0] = "?"
    t = "tensor<%sx%s>" % ("x".join(dims), ty)
    static = "tensor<%sx%s>" % ("x".join(str(d) for d in shape), ty)
    attr = rotation_attr(case["rot"])
    fwd = " transpose" if case.get("transpose") else ""
    back = "" if case.get("transpose") else " transpose"
    f32 = "tensor<%sxf32>" % "x".join(dims)
    lines = [f"// Generated by qcref.py gen {name}.",
             f"func.func @rotate(%x: {t}) -> ({t}, {t}) {{",
             f"  %y = qc.rotate %x by {attr} along {axis}{fwd} : {t}",
             f"  %z = qc.rotate %y by {attr} along {axis}{back} : {t}",
             f"  return %y, %z : {t}, {t}", "}",
             "func.func @main() {",
             f"  %x0 = arith.constant dense<{fmt_nd(x)}> : tensor<{'x'.join(str(d) for d in shape)}xf32>"]
    if ty != "f32":
        lines.append(f"  %xs = arith.truncf %x0 : tensor<{'x'.join(str(d) for d in shape)}xf32> to {static}")
    else:
        lines.append(f"  %xs = tensor.cast %x0 : {static} to {static}")
    lines += [f"  %x = tensor.cast %xs : {static} to {t}",
              f"  %y, %z = call @rotate(%x) : ({t}) -> ({t}, {t})"]
    for v in ("y", "z"):
        src = "%" + v
        if ty != "f32":
            lines.append(f"  %{v}f = arith.extf %{v} : {t} to {f32}")
            src = f"%{v}f"
        lines += [f"  %{v}c = tensor.cast {src} : {f32} to tensor<*xf32>",
                  f"  call @printMemrefF32(%{v}c) : (tensor<*xf32>) -> ()"]
    lines += ["  return", "}", PRINT_DECLS]
    return "\n".join(lines)


def fmt_nd(a):
    if a.ndim <= 2:
        return fmt_tensor(a)
    return "[" + ", ".join(fmt_nd(r) for r in a) + "]"


# ---------------------------------------------------------------------------
# Rotation fusion: float programs with rotations where QuaRot puts them;
# qc-fuse-rotations must leave every output unchanged (to f32 rounding).
# ---------------------------------------------------------------------------

FUSE_CASES = {
    # x -> Linear(We, be) -> rotate Q -> rms_norm(g) -> rotate Q^T -> Linear(W1, b1)
    #   -> tanh -> rotate P (Paley 12 x 4, signs) -> Linear(W2)
    "fuse_mlp": dict(m=5, d_in=16, d=64, hidden=48),
}


def fuse_constants(name):
    case = FUSE_CASES[name]
    r = rng_for(name)
    d_in, d, hid = case["d_in"], case["d"], case["hidden"]
    f = lambda *shape: (r.standard_normal(shape) / math.sqrt(shape[-1])).astype(F32)
    return dict(x=r.standard_normal((case["m"], d_in)).astype(F32),
                we=f(d, d_in), be=f(d), g=(1 + 0.5 * r.standard_normal(d)).astype(F32),
                w1=f(hid, d), b1=f(hid), w2=f(8, hid),
                x2=r.standard_normal((case["m"], 32)).astype(F32), wa=f(32, 32), ba=f(32),
                x3=r.standard_normal((case["m"], 24)).astype(F32), g3=(1 + r.standard_normal(24)).astype(F32),
                w3=f(6, 24), wr1=f(16, 32), wr2=f(16, 32))


FUSE_Q = dict(n=64, seed=3)
FUSE_P = dict(n=48, paley=(1, 11), seed=4)
FUSE_S = dict(n=32, seed=9)


def rms_norm(x, g=None, eps=1e-5):
    y = x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    return y * g if g is not None else y


def fuse_reference(name):
    c = {k: v.astype(np.float64) for k, v in fuse_constants(name).items()}
    q, p, s_ = rotation_matrix(FUSE_Q), rotation_matrix(FUSE_P), rotation_matrix(FUSE_S)
    h0 = c["x"] @ c["we"].T + c["be"]
    n = rms_norm(h0 @ q, c["g"])
    u = (n @ q.T) @ c["w1"].T + c["b1"]
    y = (np.tanh(u) @ p) @ c["w2"].T
    t = np.tanh(rms_norm(c["x2"] @ c["wa"].T + c["ba"]) @ s_)
    y3 = rms_norm(c["x3"], c["g3"]) @ c["w3"].T
    q16 = rotation_matrix(dict(n=16, seed=6))
    t4 = np.tanh((c["x2"] @ c["wr1"].T + c["x2"] @ c["wr2"].T) @ q16)
    return [y, t, y3, t4]


def gen_fuse(name):
    case = FUSE_CASES[name]
    c = fuse_constants(name)
    m, d_in, d, hid = case["m"], case["d_in"], case["d"], case["hidden"]
    cst = lambda v, a: f"  %{v} = arith.constant dense<{fmt_tensor(a)}> : tensor<{'x'.join(str(x) for x in a.shape)}xf32>"
    q, p, s_ = rotation_attr(FUSE_Q), rotation_attr(FUSE_P), rotation_attr(FUSE_S)
    lines = [f"// Generated by qcref.py gen {name}.",
             f"func.func @mlp(%x: tensor<?x{d_in}xf32>) -> tensor<?x8xf32> {{",
             cst("we", c["we"]), cst("be", c["be"]), cst("g", c["g"]), cst("w1", c["w1"]),
             cst("b1", c["b1"]), cst("w2", c["w2"]),
             f"  %h0 = qc.matmul %x, %we bias(%be : tensor<{d}xf32>) : tensor<?x{d_in}xf32>, tensor<{d}x{d_in}xf32> -> tensor<?x{d}xf32>",
             f"  %a = qc.rotate %h0 by {q} along 1 : tensor<?x{d}xf32>",
             f"  %n = qc.rms_norm %a weight(%g : tensor<{d}xf32>) epsilon(1.0e-05) : tensor<?x{d}xf32>",
             f"  %b = qc.rotate %n by {q} along 1 transpose : tensor<?x{d}xf32>",
             f"  %u = qc.matmul %b, %w1 bias(%b1 : tensor<{hid}xf32>) : tensor<?x{d}xf32>, tensor<{hid}x{d}xf32> -> tensor<?x{hid}xf32>",
             f"  %t = math.tanh %u : tensor<?x{hid}xf32>",
             f"  %c = qc.rotate %t by {p} along 1 : tensor<?x{hid}xf32>",
             f"  %y = qc.matmul %c, %w2 : tensor<?x{hid}xf32>, tensor<8x{hid}xf32> -> tensor<?x8xf32>",
             "  return %y : tensor<?x8xf32>", "}",
             "func.func @through_norm(%x: tensor<?x32xf32>) -> tensor<?x32xf32> {",
             cst("wa", c["wa"]), cst("ba", c["ba"]),
             "  %h = qc.matmul %x, %wa bias(%ba : tensor<32xf32>) : tensor<?x32xf32>, tensor<32x32xf32> -> tensor<?x32xf32>",
             "  %n = qc.rms_norm %h epsilon(1.0e-05) : tensor<?x32xf32>",
             f"  %r = qc.rotate %n by {s_} along 1 : tensor<?x32xf32>",
             "  %t = math.tanh %r : tensor<?x32xf32>",
             "  return %t : tensor<?x32xf32>", "}",
             "func.func @norm_weight(%x: tensor<?x24xf32>) -> tensor<?x6xf32> {",
             cst("g3", c["g3"]), cst("w3", c["w3"]),
             "  %n = qc.rms_norm %x weight(%g3 : tensor<24xf32>) epsilon(1.0e-05) : tensor<?x24xf32>",
             "  %y = qc.matmul %n, %w3 : tensor<?x24xf32>, tensor<6x24xf32> -> tensor<?x6xf32>",
             "  return %y : tensor<?x6xf32>", "}",
             "func.func @residual(%x: tensor<?x32xf32>) -> tensor<?x16xf32> {",
             cst("wr1", c["wr1"]), cst("wr2", c["wr2"]),
             "  %a = qc.matmul %x, %wr1 : tensor<?x32xf32>, tensor<16x32xf32> -> tensor<?x16xf32>",
             "  %b = qc.matmul %x, %wr2 : tensor<?x32xf32>, tensor<16x32xf32> -> tensor<?x16xf32>",
             "  %s = arith.addf %a, %b : tensor<?x16xf32>",
             "  %r = qc.rotate %s by #qc.hadamard<16, seed = 6> along 1 : tensor<?x16xf32>",
             "  %t = math.tanh %r : tensor<?x16xf32>",
             "  return %t : tensor<?x16xf32>", "}",
             "func.func @main() {"]
    for i, (fn, arg, k, out) in enumerate([("mlp", "x", d_in, 8), ("through_norm", "x2", 32, 32),
                                           ("norm_weight", "x3", 24, 6), ("residual", "x2", 32, 16)]):
        lines += [cst(f"in{i}", c[arg]),
                  f"  %d{i} = tensor.cast %in{i} : tensor<{m}x{k}xf32> to tensor<?x{k}xf32>",
                  f"  %y{i} = call @{fn}(%d{i}) : (tensor<?x{k}xf32>) -> tensor<?x{out}xf32>",
                  f"  %p{i} = tensor.cast %y{i} : tensor<?x{out}xf32> to tensor<*xf32>",
                  f"  call @printMemrefF32(%p{i}) : (tensor<*xf32>) -> ()"]
    lines += ["  return", "}", PRINT_DECLS]
    return "\n".join(lines)


# Rotation fusion at model widths: a rotation after a Linear layer (folded
# into its weight and bias) and one after tanh before a Linear layer (folded
# into that layer's weight), with the base the parser picks for d.
FUSE_WIDE_CASES = {
    "fuse_w11008": dict(m=2, d_in=4, out=4, rot=dict(n=11008, williamson=43, seed=5, auto=True)),
}


def fuse_wide_constants(name):
    case = FUSE_WIDE_CASES[name]
    r = rng_for(name)
    d, d_in, out = case["rot"]["n"], case["d_in"], case["out"]
    return dict(x=r.standard_normal((case["m"], d_in)).astype(F32),
                we=(r.standard_normal((d, d_in)) / math.sqrt(d_in)).astype(F32),
                be=r.standard_normal(d).astype(F32),
                w2=(r.standard_normal((out, d)) / math.sqrt(d)).astype(F32))


def fuse_wide_reference(name):
    c = {k: v.astype(np.float64) for k, v in fuse_wide_constants(name).items()}
    q = rotation_matrix(FUSE_WIDE_CASES[name]["rot"])
    h = c["x"] @ c["we"].T + c["be"]
    return [h @ q, (np.tanh(c["x"] @ c["we"].T) @ q) @ c["w2"].T]


def gen_fuse_wide(name):
    case = FUSE_WIDE_CASES[name]
    c = fuse_wide_constants(name)
    m, d_in, out, d = case["m"], case["d_in"], case["out"], case["rot"]["n"]
    q = rotation_attr(case["rot"])
    cst = lambda v, a: f"  %{v} = arith.constant dense<{fmt_tensor(a)}> : tensor<{'x'.join(str(x) for x in a.shape)}xf32>"
    lines = [f"// Generated by qcref.py gen {name}.",
             f"func.func @after_linear(%x: tensor<?x{d_in}xf32>) -> tensor<?x{d}xf32> {{",
             cst("we", c["we"]), cst("be", c["be"]),
             f"  %h = qc.matmul %x, %we bias(%be : tensor<{d}xf32>) : tensor<?x{d_in}xf32>, tensor<{d}x{d_in}xf32> -> tensor<?x{d}xf32>",
             f"  %r = qc.rotate %h by {q} along 1 : tensor<?x{d}xf32>",
             f"  return %r : tensor<?x{d}xf32>", "}",
             f"func.func @before_linear(%x: tensor<?x{d_in}xf32>) -> tensor<?x{out}xf32> {{",
             cst("we", c["we"]), cst("w2", c["w2"]),
             f"  %h = qc.matmul %x, %we : tensor<?x{d_in}xf32>, tensor<{d}x{d_in}xf32> -> tensor<?x{d}xf32>",
             f"  %t = math.tanh %h : tensor<?x{d}xf32>",
             f"  %r = qc.rotate %t by {q} along 1 : tensor<?x{d}xf32>",
             f"  %y = qc.matmul %r, %w2 : tensor<?x{d}xf32>, tensor<{out}x{d}xf32> -> tensor<?x{out}xf32>",
             f"  return %y : tensor<?x{out}xf32>", "}",
             "func.func @main() {", cst("in", c["x"]),
             f"  %x = tensor.cast %in : tensor<{m}x{d_in}xf32> to tensor<?x{d_in}xf32>"]
    for i, (fn, k) in enumerate([("after_linear", d), ("before_linear", out)]):
        lines += [f"  %y{i} = call @{fn}(%x) : (tensor<?x{d_in}xf32>) -> tensor<?x{k}xf32>",
                  f"  %p{i} = tensor.cast %y{i} : tensor<?x{k}xf32> to tensor<*xf32>",
                  f"  call @printMemrefF32(%p{i}) : (tensor<*xf32>) -> ()"]
    lines += ["  return", "}", PRINT_DECLS]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# qc-insert-rotations on data with outlier channels: per-token INT4
# activations (W8 weights), the matmul's error against float64 x W^T.
# ---------------------------------------------------------------------------

INSERT_CASES = {
    "insert_int4": dict(m=32, k=2048, n=16, outliers=(77, 1500)),
    # W4 (blocks of 128) x A8 per row: the CPU kernels, with the rotation
    # and the activation quantization fused in one kernel.
    "insert_w4a8": dict(m=5, k=1024, n=16, outliers=(9, 700), act="s8", w="s4_g128"),
}


def insert_inputs(name):
    case = INSERT_CASES[name]
    r = rng_for(name)
    x = r.standard_normal((case["m"], case["k"]))
    x[:, list(case["outliers"])] *= 50.0
    w = r.standard_normal((case["n"], case["k"])) / math.sqrt(case["k"])
    return x.astype(F32), w.astype(F32)


def gen_insert(name):
    case = INSERT_CASES[name]
    m, k, n = case["m"], case["k"], case["n"]
    x, w = insert_inputs(name)
    at = f"!qc.qtensor<?x{k}, #qc.int<{case.get('act', 's4')}>, f32 #qc.per_axis<0>>"
    wt = f"!qc.qtensor<{n}x{k}, #qc.int<s8>, f32 #qc.per_axis<0>>"
    if case.get("w") == "s4_g128":
        wt = f"!qc.qtensor<{n}x{k}, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>"
    return "\n".join([
        f"// Generated by qcref.py gen {name}.",
        f"func.func @linear(%x: tensor<?x{k}xf32>) -> tensor<?x{n}xf32> {{",
        f"  %w = arith.constant dense<{fmt_tensor(w)}> : tensor<{n}x{k}xf32>",
        f"  %qa = qc.quantize %x : tensor<?x{k}xf32> -> {at}",
        f"  %qw = qc.quantize %w : tensor<{n}x{k}xf32> -> {wt}",
        f"  %y = qc.matmul %qa, %qw : {at}, {wt} -> tensor<?x{n}xf32>",
        f"  return %y : tensor<?x{n}xf32>", "}",
        "func.func @main() {",
        f"  %x = arith.constant dense<{fmt_tensor(x)}> : tensor<{m}x{k}xf32>",
        f"  %xd = tensor.cast %x : tensor<{m}x{k}xf32> to tensor<?x{k}xf32>",
        f"  %y = call @linear(%xd) : (tensor<?x{k}xf32>) -> tensor<?x{n}xf32>",
        f"  %yc = tensor.cast %y : tensor<?x{n}xf32> to tensor<*xf32>",
        "  call @printMemrefF32(%yc) : (tensor<*xf32>) -> ()",
        "  return", "}", PRINT_DECLS])


def improves(name, plain_path, rotated_path, factor):
    """The rotated program's output error against float64 x W^T is at least
    `factor` times smaller than the plain one's."""
    x, w = insert_inputs(name)
    exact = (x.astype(np.float64) @ w.astype(np.float64).T).reshape(-1)
    errs = []
    for path in (plain_path, rotated_path):
        got = parse_output(open(path).read())
        if len(got) != 1 or got[0].size != exact.size:
            print("FAIL %s: %s does not hold one %d-value tensor" % (name, path, exact.size))
            return 1
        errs.append(float(np.mean((got[0] - exact) ** 2)))
    ratio = errs[0] / errs[1]
    sqnr = 10 * math.log10(float(np.mean(exact ** 2)) / errs[1])
    print("%s %s: MSE plain %.4g, rotated %.4g, ratio %.1f (need %s), rotated SQNR %.1f dB"
          % ("OK" if ratio >= factor else "FAIL", name, errs[0], errs[1], ratio, factor, sqnr))
    return 0 if ratio >= factor else 1

# ---------------------------------------------------------------------------
# Outlier rearrangement: programs whose function qc-rearrange-outliers must
# keep. The float program's reference is float64 numpy; the quantized one's
# reference rearranges and splits it as the pass's description says, with
# the permutation computed here (stable ascending sort of the reader's
# column max-abs), and quantizes each part with quantize() above.
# ---------------------------------------------------------------------------

REARRANGE_CASES = {
    # A Llama-style block (residual stream written by Linear layers, RMSNorm
    # with weights, a SiLU-gated MLP, residual add, output projection), and
    # a residual stream that is a function argument and result (the
    # permutation goes to the norm's output).
    "rearrange_llama": dict(m=5, d_in=16, d=64, hidden=48, out=8),
    # W4A8 with an exactly computed activation (small integers times powers
    # of two), K = 256: after the pass, 224 channels in s4 and a tail of 32
    # in s8, both groups of 32, activations int8 per block of 32.
    "rearrange_tail_w4a8": dict(m=3, d_in=8, k=256, n=16, tail=32, act=True),
    # The same weight-only (f32 activations: the kernels read slices).
    "rearrange_tail_w4": dict(m=3, d_in=8, k=256, n=16, tail=32, act=False),
}


def outlier_columns(r, rows, cols):
    """rows x cols normal values whose columns are scaled log-uniformly in
    [0.1, 10] (outlier channels)."""
    scale = np.exp(r.uniform(math.log(0.1), math.log(10.0), cols))
    return (r.standard_normal((rows, cols)) * scale / math.sqrt(cols)).astype(F32)


def rearrange_constants(name):
    case = REARRANGE_CASES[name]
    r = rng_for(name)
    if "tail" in case:
        d_in, k, n = case["d_in"], case["k"], case["n"]
        # a = x W1^T is exact in f32: integers times powers of two.
        x = r.integers(-3, 4, (case["m"], d_in)).astype(F32)
        w1 = (r.integers(-1, 2, (k, d_in)) * 2.0 ** r.integers(-3, 4, (k, 1))).astype(F32)
        return dict(x=x, w1=w1, w2=outlier_columns(r, n, k) * 8, b=r.standard_normal(n).astype(F32))
    d_in, d, hid, out = case["d_in"], case["d"], case["hidden"], case["out"]
    g = lambda n: (1 + 0.3 * r.standard_normal(n)).astype(F32)
    return dict(x=r.standard_normal((case["m"], d_in)).astype(F32),
                we=outlier_columns(r, d, d_in), be=r.standard_normal(d).astype(F32) * 0.1,
                g1=g(d), wg=outlier_columns(r, hid, d), wu=outlier_columns(r, hid, d),
                wd=outlier_columns(r, d, hid), bd=r.standard_normal(d).astype(F32) * 0.1,
                g2=g(d), wo=outlier_columns(r, out, d),
                x2=r.standard_normal((case["m"], d)).astype(F32), g3=g(d),
                wa=outlier_columns(r, 32, d), wb=outlier_columns(r, d, 32))


def silu(v):
    return v / (1 + np.exp(-v))


def rearrange_reference(name, rearranged=True):
    c = rearrange_constants(name)
    if "tail" in REARRANGE_CASES[name]:
        case = REARRANGE_CASES[name]
        a = c["x"].astype(np.float64) @ c["w1"].astype(np.float64).T
        w2 = c["w2"]
        a_spec = dict(grid=S8, gran=("block", (1, 32)), scale="f32")
        w_spec = dict(grid=S4, gran=("block", (1, 32)), scale="f32")
        if not rearranged:
            parts = [(a, w2, w_spec)]
        else:
            p = np.argsort(np.max(np.abs(w2.astype(np.float64)), axis=0), kind="stable")
            a, w2 = a[:, p], w2[:, p]
            k0 = case["k"] - case["tail"]
            tail_spec = dict(grid=("int", True, 8, True), gran=("block", (1, 32)), scale="f32")
            parts = [(a[:, :k0], w2[:, :k0], w_spec), (a[:, k0:], w2[:, k0:], tail_spec)]
        y = np.tile(c["b"].astype(np.float64), (case["m"], 1))
        for ap, wp, ws in parts:
            ad = ap
            if case["act"]:
                ad = dequantize(*quantize(ap.astype(F32), a_spec)).astype(np.float64)
            wd = dequantize(*quantize(np.ascontiguousarray(wp), ws)).astype(np.float64)
            y = y + ad @ wd.T
        return [y]
    c = {k: v.astype(np.float64) for k, v in c.items()}
    h0 = c["x"] @ c["we"].T + c["be"]
    n1 = rms_norm(h0, c["g1"])
    act = silu(n1 @ c["wg"].T) * (n1 @ c["wu"].T)
    h1 = h0 + act @ c["wd"].T + c["bd"]
    y = rms_norm(h1, c["g2"]) @ c["wo"].T
    n = rms_norm(c["x2"], c["g3"])
    r = c["x2"] + np.tanh(n @ c["wa"].T) @ c["wb"].T
    return [y, r]


def rearrange_exact(name):
    """The tail case's float64 output without quantization."""
    c = {k: v.astype(np.float64) for k, v in rearrange_constants(name).items()}
    return (c["x"] @ c["w1"].T) @ c["w2"].T + c["b"]


def gen_rearrange(name):
    case = REARRANGE_CASES[name]
    c = rearrange_constants(name)
    m = case["m"]
    shape = lambda a: "x".join(str(v) for v in a.shape)
    cst = lambda v: f"  %{v} = arith.constant dense<{fmt_tensor(c[v])}> : tensor<{shape(c[v])}xf32>"
    mm = lambda y, a, w, k, n, bias="": (
        f"  %{y} = qc.matmul %{a}, %{w}{bias} : tensor<?x{k}xf32>, tensor<{n}x{k}xf32> -> tensor<?x{n}xf32>")
    lines = [f"// Generated by qcref.py gen {name}."]
    if "tail" in case:
        d_in, k, n = case["d_in"], case["k"], case["n"]
        aq = f"!qc.qtensor<?x{k}, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>"
        wq = f"!qc.qtensor<{n}x{k}, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>"
        lines += [f"func.func @linear(%x: tensor<?x{d_in}xf32>) -> tensor<?x{n}xf32> {{",
                  cst("w1"), cst("w2"), cst("b"),
                  mm("a", "x", "w1", d_in, k),
                  f"  %qw = qc.quantize %w2 : tensor<{n}x{k}xf32> -> {wq}"]
        if case["act"]:
            lines += [f"  %qa = qc.quantize %a : tensor<?x{k}xf32> -> {aq}",
                      f"  %y = qc.matmul %qa, %qw bias(%b : tensor<{n}xf32>) : {aq}, {wq} -> tensor<?x{n}xf32>"]
        else:
            lines += [f"  %y = qc.matmul %a, %qw bias(%b : tensor<{n}xf32>) : tensor<?x{k}xf32>, {wq} -> tensor<?x{n}xf32>"]
        lines += [
                  f"  return %y : tensor<?x{n}xf32>", "}"]
        calls = [("linear", "x", d_in, n)]
    else:
        d_in, d, hid, out = case["d_in"], case["d"], case["hidden"], case["out"]
        norm = lambda y, x, g: f"  %{y} = qc.rms_norm %{x} weight(%{g} : tensor<{d}xf32>) epsilon(1.0e-05) : tensor<?x{d}xf32>"
        ew = lambda y, op, *xs, n=hid: f"  %{y} = {op} {', '.join('%' + v for v in xs)} : tensor<?x{n}xf32>"
        lines += [f"func.func @block(%x: tensor<?x{d_in}xf32>) -> tensor<?x{out}xf32> {{",
                  cst("we"), cst("be"), cst("g1"), cst("wg"), cst("wu"), cst("wd"), cst("bd"),
                  cst("g2"), cst("wo"),
                  f"  %one = arith.constant dense<1.0> : tensor<{m}x{hid}xf32>",
                  mm("h0", "x", "we", d_in, d, f" bias(%be : tensor<{d}xf32>)"),
                  norm("n1", "h0", "g1"),
                  mm("gate", "n1", "wg", d, hid), mm("up", "n1", "wu", d, hid),
                  # SiLU(g) = g / (1 + exp(-g)); %one is static: cast the
                  # dynamic rows to it.
                  f"  %gs = tensor.cast %gate : tensor<?x{hid}xf32> to tensor<{m}x{hid}xf32>",
                  f"  %us = tensor.cast %up : tensor<?x{hid}xf32> to tensor<{m}x{hid}xf32>",
                  f"  %ng = arith.negf %gs : tensor<{m}x{hid}xf32>",
                  f"  %e = math.exp %ng : tensor<{m}x{hid}xf32>",
                  f"  %den = arith.addf %one, %e : tensor<{m}x{hid}xf32>",
                  f"  %sg = arith.divf %gs, %den : tensor<{m}x{hid}xf32>",
                  f"  %act = arith.mulf %sg, %us : tensor<{m}x{hid}xf32>",
                  f"  %actd = tensor.cast %act : tensor<{m}x{hid}xf32> to tensor<?x{hid}xf32>",
                  mm("down", "actd", "wd", hid, d, f" bias(%bd : tensor<{d}xf32>)"),
                  ew("h1", "arith.addf", "h0", "down", n=d),
                  norm("n2", "h1", "g2"),
                  mm("y", "n2", "wo", d, out),
                  f"  return %y : tensor<?x{out}xf32>", "}",
                  f"func.func @residual_arg(%x: tensor<?x{d}xf32>) -> tensor<?x{d}xf32> {{",
                  cst("g3"), cst("wa"), cst("wb"),
                  norm("n", "x", "g3"),
                  mm("a", "n", "wa", d, 32), ew("t", "math.tanh", "a", n=32),
                  mm("o", "t", "wb", 32, d), ew("r", "arith.addf", "x", "o", n=d),
                  f"  return %r : tensor<?x{d}xf32>", "}"]
        calls = [("block", "x", d_in, out), ("residual_arg", "x2", d, d)]
    lines.append("func.func @main() {")
    for i, (fn, arg, k, n) in enumerate(calls):
        lines += [f"  %in{i} = arith.constant dense<{fmt_tensor(c[arg])}> : tensor<{m}x{k}xf32>",
                  f"  %d{i} = tensor.cast %in{i} : tensor<{m}x{k}xf32> to tensor<?x{k}xf32>",
                  f"  %y{i} = call @{fn}(%d{i}) : (tensor<?x{k}xf32>) -> tensor<?x{n}xf32>",
                  f"  %p{i} = tensor.cast %y{i} : tensor<?x{n}xf32> to tensor<*xf32>",
                  f"  call @printMemrefF32(%p{i}) : (tensor<*xf32>) -> ()"]
    lines += ["  return", "}", PRINT_DECLS]
    return "\n".join(lines)


def gain(name, plain_path, after_path, factor):
    """The rearranged program's output error against float64 (no
    quantization) is at least `factor` times smaller than the plain one's."""
    exact = rearrange_exact(name).reshape(-1)
    errs = []
    for path in (plain_path, after_path):
        got = parse_output(open(path).read())
        if len(got) != 1 or got[0].size != exact.size:
            print("FAIL %s: %s does not hold one %d-value tensor" % (name, path, exact.size))
            return 1
        errs.append(float(np.mean((got[0] - exact) ** 2)))
    ratio = errs[0] / errs[1]
    print("%s %s: MSE plain %.4g, rearranged %.4g, ratio %.2f (need %s)"
          % ("OK" if ratio >= factor else "FAIL", name, errs[0], errs[1], ratio, factor))
    return 0 if ratio >= factor else 1


# ---------------------------------------------------------------------------
# Bit allocation: a chain of Linear layers whose weights spread differently
# (large, driving a tanh into saturation; heavy-tailed Student-t(1.5); a
# few outlier input channels; normal), so their sensitivities differ. The reference recomputes
# every loss and storage cost the pass reports, finds the optimum by brute
# force, and models the quantized program in numpy.
# ---------------------------------------------------------------------------

ALLOC_CASES = {
    # Four parallel branches y = sum_i c_i tanh(x W_i^T), then an output
    # layer; the branch weights spread differently (normal, Student-t(1.5),
    # a few 30x input channels, normal) and their outputs count differently
    # (c = 1, 0.05, 0.3, 3), so the layers' sensitivities differ by orders
    # of magnitude, as in real networks.
    "alloc_mlp": dict(m=32, d=64, out=16, group=32, bits=[2, 3, 4, 5, 6, 8],
                      spreads=["normal", "student-t", "outliers", "normal"],
                      weights=[1.0, 0.05, 0.3, 3.0]),
}


def alloc_constants(name):
    """The input and the layers' weights: the branches', then the output
    layer's."""
    case = ALLOC_CASES[name]
    r = rng_for(name)
    d = case["d"]
    ws = []
    for kind in case["spreads"] + ["normal"]:
        n = case["out"] if len(ws) == len(case["spreads"]) else d
        if kind == "student-t":  # heavy tails: absmax groups lose most
            w = r.standard_t(1.5, (n, d))
        elif kind == "outliers":  # a few input channels 30x larger
            w = r.standard_normal((n, d)) * np.where(r.random(d) < 0.05, 30.0, 1.0)
        else:
            w = r.standard_normal((n, d))
        ws.append((w / math.sqrt(d)).astype(F32))
    return r.standard_normal((case["m"], d)).astype(F32), ws


def alloc_forward(name, x, ws, at=None, delta=None):
    """float64: the activation each layer reads and the output; with `at`,
    `delta` is added to layer `at`'s output."""
    case = ALLOC_CASES[name]
    x = x.astype(np.float64)
    hs = [x @ w.astype(np.float64).T for w in ws[:-1]]
    if at is not None and at < len(hs):
        hs[at] = hs[at] + delta
    y = sum(c * np.tanh(h) for c, h in zip(case["weights"], hs))
    out = y @ ws[-1].astype(np.float64).T
    if at == len(hs):
        out = out + delta
    return [x] * len(hs) + [y], out


def alloc_sensitivities(name):
    """Each layer's output gain, as a user would supply it (a Gauss-Newton
    estimate of how much of a perturbation of the layer's output reaches
    the program's output): mean ||d out||^2 / ||d h||^2 over random probes
    of the layer's output at the calibration input, float64."""
    x, ws = alloc_constants(name)
    r = np.random.default_rng(99)
    _, base = alloc_forward(name, x, ws)
    gains = []
    for i, w in enumerate(ws):
        total = 0.0
        for _ in range(8):
            d = r.standard_normal((x.shape[0], w.shape[0])) * 1e-6
            total += float(np.sum((alloc_forward(name, x, ws, i, d)[1] - base) ** 2) / np.sum(d ** 2))
        gains.append(total / 8)
    return gains


def alloc_formats(case):
    return [dict(grid=("int", True, b, False), gran=("block", (1, case["group"])), scale="f16")
            for b in case["bits"]]


def main_printing(fn, x, out):
    """@main: calls @fn(tensor<?xKxf32>) -> tensor<?xOUTxf32> on the
    constant x (M x K) and prints the result."""
    m, k = x.shape
    return ["func.func @main() {",
            f"  %x = arith.constant dense<{fmt_tensor(x)}> : tensor<{m}x{k}xf32>",
            f"  %dx = tensor.cast %x : tensor<{m}x{k}xf32> to tensor<?x{k}xf32>",
            f"  %r = call @{fn}(%dx) : (tensor<?x{k}xf32>) -> tensor<?x{out}xf32>",
            f"  %p = tensor.cast %r : tensor<?x{out}xf32> to tensor<*xf32>",
            "  call @printMemrefF32(%p) : (tensor<*xf32>) -> ()", "  return", "}", PRINT_DECLS]


def gen_alloc(name):
    case = ALLOC_CASES[name]
    x, ws = alloc_constants(name)
    acts, _ = alloc_forward(name, x, ws)
    gains = alloc_sensitivities(name)
    m, d, out = case["m"], case["d"], case["out"]
    lines = [f"// Generated by qcref.py gen {name}.",
             f"func.func @mlp(%x: tensor<?x{d}xf32>) -> tensor<?x{out}xf32> {{"]

    def layer(i, lhs, k, n):
        sq = np.sum(acts[i] ** 2, axis=0)
        return [f"  %w{i} = arith.constant dense<{fmt_tensor(ws[i])}> : tensor<{n}x{k}xf32>",
                f"  %h{i} = qc.matmul {lhs}, %w{i} {{qc.name = \"layer{i}\", "
                f"qc.sensitivity = {gains[i]:.9e}, qc.act_sq_sum = dense<{fmt_tensor(sq.astype(F32))}> "
                f": tensor<{k}xf32>}} : tensor<?x{k}xf32>, tensor<{n}x{k}xf32> -> tensor<?x{n}xf32>"]
    acc = None
    for i, c in enumerate(case["weights"]):
        lines += layer(i, "%x", d, d)
        lines += [f"  %s{i} = tensor.cast %h{i} : tensor<?x{d}xf32> to tensor<{m}x{d}xf32>",
                  f"  %t{i} = math.tanh %s{i} : tensor<{m}x{d}xf32>",
                  f"  %c{i} = arith.constant dense<{c:.9e}> : tensor<{m}x{d}xf32>",
                  f"  %b{i} = arith.mulf %t{i}, %c{i} : tensor<{m}x{d}xf32>"]
        if acc:
            lines.append(f"  %a{i} = arith.addf {acc}, %b{i} : tensor<{m}x{d}xf32>")
            acc = f"%a{i}"
        else:
            acc = f"%b{i}"
    n = len(case["weights"])
    lines.append(f"  %y = tensor.cast {acc} : tensor<{m}x{d}xf32> to tensor<?x{d}xf32>")
    lines += layer(n, "%y", d, out)
    lines += [f"  return %h{n} : tensor<?x{out}xf32>", "}"] + main_printing("mlp", x, out)
    return "\n".join(lines)


def alloc_model(name, choice):
    """The quantized program's output in numpy: layer i's weight quantized
    in format choice[i]."""
    case = ALLOC_CASES[name]
    x, ws = alloc_constants(name)
    fmts = alloc_formats(case)
    wq = [dequantize(*quantize(w, fmts[c])).astype(np.float64) for w, c in zip(ws, choice)]
    return alloc_forward(name, x, wq)[1]


# The whole-model entry point (qc-quantize-model): a three-layer MLP whose
# first two layers take every policy and whose last (K = 48) takes none;
# the reference quantizes as each policy says (optionally rotated by the
# Hadamard matrix of qc-insert-rotations) and leaves the last layer float.
MODEL_CASE = dict(m=4, dims=[256, 128, 48, 8])
POLICIES = {
    "w4g128": (dict(grid=S4, gran=("block", (1, 128)), scale="f16"), None),
    "w4g64": (dict(grid=S4, gran=("block", (1, 64)), scale="f16"), None),
    "nf4g64": (dict(grid=("nf4",), gran=("block", (1, 64)), scale="f16"), None),
    "w4a8": (dict(grid=S4, gran=("block", (1, 128)), scale="f16"),
             dict(grid=S8, gran=("block", (1, 32)), scale="f32")),
}


def model_constants():
    r = rng_for("quantize_model")
    dims = MODEL_CASE["dims"]
    ws = [(r.standard_normal((dims[i + 1], dims[i])) / math.sqrt(dims[i])).astype(F32)
          for i in range(len(dims) - 1)]
    return r.standard_normal((MODEL_CASE["m"], dims[0])).astype(F32), ws


def gen_model():
    x, ws = model_constants()
    dims, m = MODEL_CASE["dims"], MODEL_CASE["m"]
    lines = ["// Generated by qcref.py gen quantize_model.",
             f"func.func @mlp(%x: tensor<?x{dims[0]}xf32>) -> tensor<?x{dims[-1]}xf32> {{"]
    h = "%x"
    for i, w in enumerate(ws):
        n, k = w.shape
        lines += [f"  %w{i} = arith.constant dense<{fmt_tensor(w)}> : tensor<{n}x{k}xf32>",
                  f"  %h{i} = qc.matmul {h}, %w{i} {{qc.name = \"fc{i}\"}} : tensor<?x{k}xf32>, "
                  f"tensor<{n}x{k}xf32> -> tensor<?x{n}xf32>"]
        h = f"%h{i}"
        if i + 1 < len(ws):
            lines.append(f"  %t{i} = math.tanh %h{i} : tensor<?x{n}xf32>")
            h = f"%t{i}"
    lines += [f"  return {h} : tensor<?x{dims[-1]}xf32>", "}"] + main_printing("mlp", x, dims[-1])
    return "\n".join(lines)


def model_reference(policy, rotated):
    """The policy's quantized MLP in numpy: layers whose K the weight's
    group divides are quantized (after x Q, W Q with Q the normalized
    Hadamard matrix of size K when rotated), the others stay float."""
    x, ws = model_constants()
    wfmt, afmt = POLICIES[policy]
    h = x.astype(np.float64)
    for i, w in enumerate(ws):
        k = w.shape[1]
        if k % wfmt["gran"][1][1] == 0:
            a, wk = h.astype(F32), w
            if rotated:
                q = rotation_matrix(dict(n=k))
                a = (a.astype(np.float64) @ q).astype(F32)
                wk = (w.astype(np.float64) @ q).astype(F32)
            if afmt:
                a = dequantize(*quantize(a, afmt))
            wd = dequantize(*quantize(wk, wfmt)).astype(np.float64)
            h = a.astype(np.float64) @ wd.T
        else:
            h = h @ w.astype(np.float64).T
        if i + 1 < len(ws):
            h = np.tanh(h)
    return h


def model_check(policy, rotated, path, rtol):
    got = parse_output(open(path).read())
    want = model_reference(policy, rotated).reshape(-1)
    ok = len(got) == 1 and got[0].shape == want.shape and \
        np.max(np.abs(got[0] - want)) <= rtol * max(1.0, float(np.max(np.abs(want))))
    exact = model_reference_float().reshape(-1)
    sqnr = 10 * math.log10(float(np.mean(exact ** 2)) / float(np.mean((want - exact) ** 2)))
    print("%s quantize_model %s%s: %d values, max error against numpy %.3g, SQNR %.1f dB"
          % ("OK" if ok else "FAIL", policy, " rotated" if rotated else "", want.size,
             float(np.max(np.abs(got[0] - want))) if got else float("nan"), sqnr))
    return 0 if ok else 1


def model_reference_float():
    x, ws = model_constants()
    h = x.astype(np.float64)
    for i, w in enumerate(ws):
        h = h @ w.astype(np.float64).T
        if i + 1 < len(ws):
            h = np.tanh(h)
    return h


def hill_alpha(w):
    """AlphaQ's metric as qc-allocate-bits documents it: the eigenvalues of
    W^T W (numpy), the top k = max(2, floor(n / 10)),
    alpha = 1 + k / sum ln(lambda_i / lambda_(k+1))."""
    w = w.astype(np.float64)
    ev = np.linalg.eigvalsh(w.T @ w if w.shape[1] <= w.shape[0] else w @ w.T)
    ev = np.sort(ev[ev > 0])[::-1]
    k = min(max(2, int(0.1 * len(ev))), len(ev) - 1)
    return 1 + k / float(np.sum(np.log(ev[:k] / ev[k])))


def alpha_check(name, summary_path):
    """The summary's alpha and sensitivity (1 / alpha) per layer equal
    numpy's; the heavy-tailed layers (Student-t, outlier channels) have
    smaller alphas than every Gaussian one."""
    import json
    case = ALLOC_CASES[name]
    _, ws = alloc_constants(name)
    units = json.load(open(summary_path))["units"]
    status = 0
    alphas = [hill_alpha(w) for w in ws]
    for u, a in zip(units, alphas):
        if not math.isclose(u["alpha"], a, rel_tol=1e-6) or \
                not math.isclose(u["sensitivity"], 1 / a, rel_tol=1e-6):
            print("FAIL %s: %s alpha %r, sensitivity %r; numpy alpha %r"
                  % (name, u["name"], u["alpha"], u["sensitivity"], a))
            status = 1
    kinds = case["spreads"] + ["normal"]
    heavy = [a for a, k in zip(alphas, kinds) if k != "normal"]
    normal = [a for a, k in zip(alphas, kinds) if k == "normal"]
    if max(heavy) >= min(normal):
        print("FAIL %s: heavy-tailed layers' alphas %r are not below the Gaussian ones' %r"
              % (name, heavy, normal))
        status = 1
    if status == 0:
        print("OK %s: alphas %s" % (name, ", ".join("%.3f" % a for a in alphas)))
    return status


def alloc_check(name, summary_path, uniform_path, alloc_path, uniform_bits):
    import itertools
    import json
    case = ALLOC_CASES[name]
    x, ws = alloc_constants(name)
    acts, exact = alloc_forward(name, x, ws)
    fmts = alloc_formats(case)
    summary = json.load(open(summary_path))
    units = summary["units"]
    status = 0
    # Every candidate's loss (importance-weighted squared error) and bits.
    losses, bits = [], []
    total = sum(w.size for w in ws)
    gains = [float("%.9e" % g) for g in alloc_sensitivities(name)]
    for i, w in enumerate(ws):
        sq = np.sum(acts[i] ** 2, axis=0).astype(F32).astype(np.float64)
        row_l, row_b = [], []
        for j, f in enumerate(fmts):
            wd = dequantize(*quantize(w, f)).astype(np.float64)
            loss = gains[i] * float(np.sum(sq[None, :] * (wd - w.astype(np.float64)) ** 2))
            b = w.size * f["grid"][2] + (w.size // case["group"]) * 16
            got = units[i]["candidates"][j]
            if not math.isclose(got["loss"], loss, rel_tol=1e-6) or got["bits"] != b:
                print("FAIL %s: layer %d candidate %d: loss %r bits %r, expected %r %r"
                      % (name, i, j, got["loss"], got["bits"], loss, b))
                status = 1
            row_l.append(loss)
            row_b.append(b)
        losses.append(row_l)
        bits.append(row_b)
    # The optimum by brute force over every assignment.
    limit = summary["budget"]["avg-bits"]
    best = min((sum(losses[i][c[i]] for i in range(len(ws))), c)
               for c in itertools.product(range(len(fmts)), repeat=len(ws))
               if sum(bits[i][c[i]] for i in range(len(ws))) / total <= limit + 1e-12)
    choice = [u["choice"] for u in units]
    if list(best[1]) != choice or not math.isclose(best[0], summary["objective"], rel_tol=1e-6):
        print("FAIL %s: chose %r (objective %r), brute force %r (%r)"
              % (name, choice, summary["objective"], list(best[1]), best[0]))
        status = 1
    if not summary["optimal"]:
        print("FAIL %s: the summary does not say the allocation is optimal" % name)
        status = 1
    # The programs' outputs against numpy models, and their errors.
    uniform_choice = [case["bits"].index(uniform_bits)] * len(ws)
    errs = []
    for path, c in ((uniform_path, uniform_choice), (alloc_path, choice)):
        got = parse_output(open(path).read())
        want = alloc_model(name, c).reshape(-1)
        if len(got) != 1 or got[0].shape != want.shape or \
                np.max(np.abs(got[0] - want)) > 2e-5 * max(1.0, float(np.max(np.abs(want)))):
            print("FAIL %s: %s differs from the numpy model of formats %r" % (name, path, c))
            status = 1
            continue
        errs.append(float(np.mean((got[0] - exact.reshape(-1)) ** 2)))
    if len(errs) == 2:
        avg = sum(bits[i][choice[i]] for i in range(len(ws))) / total
        print("%s %s: uniform %d-bit (%.3f bits/weight) output MSE %.4g, allocated %r (%.3f "
              "bits/weight) %.4g, ratio %.2f"
              % ("OK" if errs[1] < errs[0] else "FAIL", name, uniform_bits,
                 sum(bits[i][uniform_choice[i]] for i in range(len(ws))) / total, errs[0],
                 [case["bits"][c] for c in choice], avg, errs[1], errs[0] / errs[1]))
        status |= 0 if errs[1] < errs[0] else 1
    return status


def stored_basis(x, case):
    """A type `rotated R along a` stores x R^T along a (f32, like qc)."""
    if not case.get("rot"):
        return x
    r, a = rotation_matrix(case["rot"]), case["rot_axis"]
    y = np.moveaxis(np.moveaxis(x.astype(np.float64), a, -1) @ r.T, -1, a)
    return y.astype(F32)


def logical_basis(d, case):
    """The tensor a rotated type stands for: dequantized stored values x R."""
    d = d.astype(np.float64)
    if not case.get("rot"):
        return d
    r, a = rotation_matrix(case["rot"]), case["rot_axis"]
    return np.moveaxis(np.moveaxis(d, a, -1) @ r, -1, a)


def reference(name):
    """Expected printed tensors, in order, as float64 arrays."""
    if name in ROTATE_CASES:
        return rotate_reference(name)
    if name in FUSE_CASES:
        return fuse_reference(name)
    if name in FUSE_WIDE_CASES:
        return fuse_wide_reference(name)
    if name in REARRANGE_CASES:
        return rearrange_reference(name)
    if name.endswith("_plain") and name[:-len("_plain")] in REARRANGE_CASES:
        return rearrange_reference(name[:-len("_plain")], rearranged=False)
    if name in CASES:
        case = CASES[name]
        x = case_input(name, case["shape"])
        codes, s, z, grid = quantize(stored_basis(x, case), case)
        return [codes.astype(np.float64), logical_basis(dequantize(codes, s, z, grid), case)]
    case = MATMUL_CASES[name]
    a, w, b = matmul_inputs(name)
    wc, ws, wz, wg = quantize(stored_basis(w, case["w"]), case["w"])
    wd = logical_basis(dequantize(wc, ws, wz, wg), case["w"])
    ad = a.astype(np.float64)
    if case.get("a"):
        ac, as_, az, ag = quantize(a, case["a"])
        ad = dequantize(ac, as_, az, ag).astype(np.float64)
    ws_ = [wd]
    if case.get("nest"):
        ws_ = [nested_dequantize(wc, ws, wz, wg, case).astype(np.float64), wd]
    ys = []
    for wv in ws_:
        y = ad @ wv.T
        if case.get("bias"):
            y = y + b.astype(np.float64)
        ys.append(y)
    return ys


def parse_output(text):
    """The data of every printed memref, flattened, in order."""
    out = []
    for block in re.split(r"Unranked Memref[^\n]*\n", text)[1:]:
        nums = re.findall(r"-?(?:inf|nan|\d+(?:\.\d*)?(?:e[-+]?\d+)?)", block)
        out.append(np.array([float(v) for v in nums]))
    return out


def check(name, path):
    got = parse_output(open(path).read())
    want = reference(name)
    if len(got) != len(want):
        print("FAIL %s: printed %d tensors, expected %d" % (name, len(got), len(want)))
        return 1
    status = 0
    for i, (g, w) in enumerate(zip(got, want)):
        w = w.reshape(-1)
        if g.shape != w.shape:
            print("FAIL %s: tensor %d has %d values, expected %d" % (name, i, g.size, w.size))
            status = 1
            continue
        # printMemref prints 6 significant digits; the matmul reference is
        # float64 while qc accumulates in f32.
        rtol = ROTATE_CASES.get(name, {}).get("rtol", 2e-5)
        atol = ROTATE_CASES.get(name, {}).get("atol", 1e-5)
        tol = rtol * np.abs(w) + atol * max(1.0, float(np.max(np.abs(w))))
        bad = np.nonzero(~(np.abs(g - w) <= tol))[0]
        if bad.size:
            j = bad[0]
            print("FAIL %s: tensor %d element %d is %r, expected %r (%d mismatches)"
                  % (name, i, j, g[j], w[j], bad.size))
            status = 1
    if status == 0:
        print("OK %s: %d tensors, %d values" % (name, len(got), sum(g.size for g in got)))
    return status


def main(argv):
    if len(argv) >= 3 and argv[1] == "gen":
        name = argv[2]
        if name in ROTATE_CASES:
            print(gen_rotate(name))
        elif name in FUSE_CASES:
            print(gen_fuse(name))
        elif name in FUSE_WIDE_CASES:
            print(gen_fuse_wide(name))
        elif name in INSERT_CASES:
            print(gen_insert(name))
        elif name in REARRANGE_CASES:
            print(gen_rearrange(name))
        elif name in ALLOC_CASES:
            print(gen_alloc(name))
        elif name == "quantize_model":
            print(gen_model())
        else:
            print(gen_quantize(name) if name in CASES else gen_matmul(name))
        return 0
    if len(argv) >= 4 and argv[1] == "check":
        return check(argv[2], argv[3])
    if len(argv) >= 5 and argv[1] == "close":
        a, b = parse_output(open(argv[2]).read()), parse_output(open(argv[3]).read())
        rtol = float(argv[4])
        ok = len(a) == len(b) and all(
            x.shape == y.shape and np.all(np.abs(x - y) <= rtol * max(1.0, float(np.max(np.abs(y)))))
            for x, y in zip(a, b))
        print(("OK: %s and %s agree to %g" if ok else "FAIL: %s and %s differ by more than %g")
              % (argv[2], argv[3], rtol))
        return 0 if ok else 1
    if len(argv) >= 6 and argv[1] == "model-check":
        return model_check(argv[2], argv[3] == "rotated", argv[4], float(argv[5]))
    if len(argv) >= 4 and argv[1] == "alpha-check":
        return alpha_check(argv[2], argv[3])
    if len(argv) >= 7 and argv[1] == "alloc-check":
        return alloc_check(argv[2], argv[3], argv[4], argv[5], int(argv[6]))
    if len(argv) >= 6 and argv[1] == "gain":
        return gain(argv[2], argv[3], argv[4], float(argv[5]))
    if len(argv) >= 6 and argv[1] == "improves":
        return improves(argv[2], argv[3], argv[4], float(argv[5]))
    if len(argv) >= 4 and argv[1] == "same":
        a, b = parse_output(open(argv[2]).read()), parse_output(open(argv[3]).read())
        if len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
                                    for x, y in zip(a, b)):
            print("OK: identical output")
            return 0
        print("FAIL: %s and %s differ" % (argv[2], argv[3]))
        return 1
    if len(argv) >= 2 and argv[1] == "list":
        print("\n".join(list(CASES) + list(MATMUL_CASES) + list(ROTATE_CASES) + list(FUSE_CASES)
                        + list(FUSE_WIDE_CASES) + list(REARRANGE_CASES)
                        + list(ALLOC_CASES)))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
