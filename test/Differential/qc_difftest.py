#!/usr/bin/env python3
"""qc-difftest: qc-cpu-pipeline against qc-reference-pipeline on programs
nobody picked.

Generates random qc programs (seeded, so each is reproducible), compiles
each with both pipelines through the Python package's JIT, runs both on the
same random inputs and checks that they agree:

* to a relative 1e-4 of the output's magnitude where the CPU kernels only
  reorder float sums (weight-only kernels; integer dots whose scales are
  applied in another order);
* plus two activation code steps times the largest weight, per row, where
  activations are quantized at run time from values the two pipelines
  compute in different float orders (a Hadamard rotation, a norm): a value
  within an ulp of a rounding boundary may round to the neighbouring int8
  code (`tolerance` bounds the step); the miscompiles the tester is after
  (a kernel with another format's table, a buffer overwritten before it is
  read) are larger by orders of magnitude;
* that the reference lowering of the weights in the NVIDIA kernels'
  storage (qc-nvvm-layout's #qc_nvvm.mma_fragments, for programs with f16
  W4A16 layers) gives the reference's numbers bit for bit;
* and that no input array was modified by the call.

What the programs contain (every choice random): a dynamic or static M
(including 0, 1 and odd sizes), K and N of odd and even sizes, an optional
qc.rms_norm whose result several branches read, per branch an optional
online Hadamard rotation (plain, random-sign or a Paley base), run-time
activation quantization (int8 per row or per block, narrow or not; int4), a
weight in any of the grids and granularities the dialect has (int 2/3/4/8
bits signed, unsigned with integer or float zero points, narrow, NF4,
codebooks of 4 and 16 entries, E2M1, ternary; llama.cpp's shapes given as
random parts: integer sub-block scales under an outer level, subtracted
mins, 2/3/4/5/6-bit codes), bias and accumulate
operands, mixed-precision tails along K (two matmuls chained by
accumulate), a second layer reading the first, f16 activations with int4
weights in the W4A16 kernel's format, and several results. Weights
of the same shape in different formats appear in one module on purpose.

Usage:
  qc_difftest.py [--seconds S] [--count N] [--seed N] [--save DIR]
  qc_difftest.py --replay FILE_OR_DIR...

A failing program is printed (and saved under --save as seed-N.mlir, with
the line `// difftest: m=M k=K seed=S flips=F wmax=W` that --replay reads
back to regenerate the inputs and the tolerance). Exit status 1 if any program disagreed.
"""

import argparse
import glob
import os
import sys
import time

import numpy as np

import qc


# --- formats -----------------------------------------------------------------

# The flips field of a program's header: bits for activations rounded at
# run time from values the pipelines compute in different float orders.
FLIPS_INT8, FLIPS_F16 = 1, 2


def _codebook(rng, n):
    values = np.sort(rng.standard_normal(n))
    values /= np.max(np.abs(values))
    return "#qc.codebook<[%s]>" % ", ".join("%.6f" % v for v in values)


def weight_formats(rng, k):
    """(type suffix after NxK, quantize method, grid is #qc.int) for a
    weight with K columns: every grid and granularity the CPU kernels take,
    and some they do not."""
    groups = [g for g in (32, 64, 128) if k % g == 0]
    g = int(rng.choice(groups)) if groups else k
    block = "#qc.per_block<[1, %d]>" % g
    row = "#qc.per_axis<0>"
    sc = str(rng.choice(["f16", "f32", "bf16"]))
    cb16 = _codebook(rng, 16)
    formats = [
        ("#qc.int<s4>, %s %s" % (sc, block), "absmax", True),
        ("#qc.int<s4>, f32 %s" % row, "absmax", True),
        ("#qc.int<u4>, %s %s, zero_point i8" % (sc, block), "minmax", True),
        ("#qc.int<u4>, f32 %s, zero_point f16" % block, "minmax", True),
        ("#qc.int<s8>, f32 %s" % row, "absmax", True),
        ("#qc.int<s8, narrow>, f32 %s" % row, "absmax", True),
        ("#qc.int<s8>, %s %s" % (sc, block), "absmax", True),
        ("#qc.int<s2>, %s %s" % (sc, block), "absmax", True),
        ("#qc.int<u2>, f32 %s, zero_point i8" % block, "minmax", True),
        ("#qc.int<s3>, %s %s" % (sc, block), "absmax", True),
        ("#qc.int<u3>, f32 %s, zero_point i8" % block, "minmax", True),
        ("#qc.nf4, %s %s" % (sc, block), "absmax", False),
        ("%s, %s %s" % (cb16, sc, block), "absmax", False),
        ("%s, f32 %s" % (_codebook(rng, 4), block), "absmax", False),
        ("#qc.float<f4E2M1FN>, f32 %s" % block, "absmax", False),
        ("#qc.ternary, f32 %s" % row, "absmax", True),
        # 1-bit codes: the LUT kernel on AVX-512 VBMI (and 2-bit codes in
        # blocks of 32, which no integer-dot kernel reads).
        ("#qc.int<u1>, %s %s" % (sc, block), "absmax", True),
        ("#qc.binary, %s %s" % (sc, block), "absmax", True),
        ("#qc.binary, f32 %s" % row, "absmax", True),
    ]
    # Nested weights: an 8-bit weight read at fewer bits by qc.requantize
    # (its top plane in place where qc-cpu-repack-weights stores it in
    # planes, else a folded constant); sometimes read at 8 bits too.
    for mode in ("msb_slice", "round_shift"):
        formats += [
            ("#qc.int<s4>, %s %s%s" % (sc, block, ", min f32" if mode == "msb_slice" else ""),
             ("nest", mode, "#qc.int<s8>, %s %s" % (sc, block), "absmax"), True),
            ("#qc.int<s2>, f32 %s%s" % (row, ", min f32" if mode == "msb_slice" else ""),
             ("nest", mode, "#qc.int<s8>, f32 %s" % row, "absmax"), True),
            ("#qc.int<u4>, f32 %s, min f32" % block,
             ("nest", mode, "#qc.int<u8>, f32 %s, zero_point i16" % block, "minmax"), True),
        ]
    return formats


def part_formats(rng, k):
    """Weights given as parts (qc.constant), in llama.cpp's shapes and
    some it does not have: integer sub-block scales under an outer level
    and subtracted mins, x = (s * o) * q - m * mo, which qc.quantize does
    not produce. (type suffix, "parts", whether int8 activations may read
    it: the integer-dot kernels take float mins, not integer sub-block
    ones.)"""
    out = []
    for g in (16, 32):
        if k % g:
            continue
        # The outer level: a super-block of 8 blocks where K allows, else
        # one per row.
        outer = "#qc.per_block<[1, %d]>" % (8 * g) if k % (8 * g) == 0 \
            else "#qc.per_axis<0>"
        ot = str(rng.choice(["f16", "f32"]))
        blk = "#qc.per_block<[1, %d]>" % g
        out += [
            # Q2_K, Q4_K, Q5_K: unsigned codes, unsigned scales and mins.
            ("#qc.int<u%d>, ui%d %s, outer %s %s, min ui%d outer %s"
             % (int(rng.choice([2, 4, 5])), int(rng.choice([4, 6])), blk,
                ot, outer, int(rng.choice([4, 6])), ot), "parts", False),
            # Q3_K, Q6_K: signed codes and signed scales.
            ("#qc.int<s%d>, si%d %s, outer %s %s"
             % (int(rng.choice([3, 6])), int(rng.choice([6, 8])), blk, ot,
                outer), "parts", True),
            # Q4_1, Q5_1: float scales and float mins.
            ("#qc.int<u%d>, %s %s, min %s"
             % (int(rng.choice([4, 5])), str(rng.choice(["f16", "bf16",
                                                          "f32"])), blk,
                str(rng.choice(["f16", "f32"]))), "parts", True),
        ]
    return out


def activation_formats(rng, k):
    groups = [g for g in (32, 64, 128) if k % g == 0 and g < k]
    # int8 (the integer-dot kernels) and int4 (W4A4: no CPU kernel, the
    # reference lowering dequantizes them next to the kernels' buffers).
    fmts = ["#qc.int<s8>, f32 #qc.per_axis<0>",
            "#qc.int<s8, narrow>, f32 #qc.per_axis<0>",
            "#qc.int<s4>, f32 #qc.per_axis<0>"]
    if groups:
        fmts.append("#qc.int<s8>, f32 #qc.per_block<[1, %d]>"
                    % int(rng.choice(groups)))
    return fmts


def hadamards(rng, k):
    """Hadamard attributes of size k (none if k has no construction here)."""
    out = []
    if k & (k - 1) == 0:
        out += ["#qc.hadamard<%d>" % k,
                "#qc.hadamard<%d, seed = %d>" % (k, int(rng.integers(1, 99)))]
    if k % 12 == 0 and (k // 12) & (k // 12 - 1) == 0:
        out += ["#qc.hadamard<%d, paley1 = 11>" % k]
    return out


# --- programs ----------------------------------------------------------------

def hex_f32(array):
    data = np.ascontiguousarray(array, dtype="<f4").tobytes()
    return '"0x%s"' % data.hex().upper()


class Program:
    """A function @f built from text lines, with a name per value."""

    def __init__(self, rng, single_result):
        self.rng = rng
        self.single_result = single_result
        self.lines = []
        self.count = 0
        # Whether activations are rounded at run time from a value the two
        # pipelines compute in different float orders (a rotation, a norm):
        # FLIPS_INT8 (quantized to int8 codes) and / or FLIPS_F16 (truncated
        # to f16); and the largest weight: the tolerance's allowance.
        self.flips = 0
        self.wmax = 0.0

    def fresh(self, stem):
        self.count += 1
        return "%%%s%d" % (stem, self.count)

    def emit(self, line):
        self.lines.append("  " + line)


def mtype(m, n, dynamic):
    return "tensor<%sx%dxf32>" % ("?" if dynamic else str(m), n)


def generate(seed, single_result=False):
    """Program text and its meta data (m, k, seed, flips, wmax)."""
    rng = np.random.default_rng(seed)
    p = Program(rng, single_result)
    m = int(rng.choice([0, 1, 1, 2, 3, 5, 8, 17, 33, 48, 64]))
    # A static M of 0 is no valid type: M = 0 comes only as a dynamic size.
    dynamic = m == 0 or bool(rng.random() < 0.7)
    # (48 and 144, not multiples of 32: the LUT kernel's 2-byte chunks on
    # AVX-512 VBMI, and other kernels' fallbacks.)
    k = int(rng.choice([32, 48, 64, 96, 128, 144, 192, 256, 320]))
    x_type = mtype(m, k, dynamic)
    args = ["%%x: %s" % x_type]
    h = "%x"
    # A norm several branches read (its result is the value bug 2 needed).
    norm_differs = False
    # The float rest of a model (linalg on tensors, which qc-cpu-pipeline
    # tiles and vectorizes) in front of the layers: attention, softmax,
    # norms, activations. Drawn from their own generator, so that the
    # programs of earlier versions keep their seeds.
    rest = np.random.default_rng(seed + 7_777_777)
    if rest.random() < 0.4:
        h = float_rest(p, rest, h, m, k, dynamic, amplifying=True)
        norm_differs = True
    if rng.random() < 0.5:
        out = p.fresh("h")
        if rng.random() < 0.5:
            g = rng.uniform(0.5, 1.5, k)
            gw = p.fresh("g")
            p.emit("%s = arith.constant dense<%s> : tensor<%dxf32>"
                   % (gw, hex_f32(g), k))
            p.emit("%s = qc.rms_norm %%x weight(%s : tensor<%dxf32>) "
                   "epsilon(1.0e-05) : %s" % (out, gw, k, x_type))
        else:
            p.emit("%s = qc.rms_norm %%x epsilon(1.0e-05) : %s"
                   % (out, x_type))
        h = out
        norm_differs = True
    shared_n = int(rng.choice([5, 8, 13, 16, 24, 40, 64, 64, 128]))
    branches = int(rng.integers(1, 4))
    results = []
    wf_all = weight_formats(rng, k) + part_formats(rng, k)
    for _ in range(branches):
        n = shared_n if (single_result or rng.random() < 0.7) else \
            int(rng.choice([3, 8, 16, 31, 64]))
        y = branch(p, h, m, k, n, dynamic, x_type, norm_differs, wf_all)
        results.append((y, n))
    # A second layer reading a result (so that value has two readers).
    if rng.random() < 0.3:
        y0, n0 = results[int(rng.integers(len(results)))]
        fmt, method, _ = wf_all[int(rng.integers(len(wf_all)))]
        fmts = weight_formats(rng, n0)
        fmt, method, _ = fmts[int(rng.integers(len(fmts)))]
        if "per_block" not in fmt or n0 % 32 == 0:
            n2 = shared_n
            y2 = matmul(p, y0, mtype(m, n0, dynamic), m, n0, n2, dynamic,
                        "%s" % fmt, method, bias=False, acc=None)
            results.append((y2, n2))
    # Float ops on the results, of the kinds that do not magnify the
    # kernels' reordering differences (activations, norms, residuals,
    # column sums: outer reductions over M).
    results = [(float_rest(p, rest, y, m, n, dynamic, amplifying=False), n)
               if rest.random() < 0.5 else (y, n) for y, n in results]
    if single_result:
        total = results[0][0]
        for y, n in results[1:]:
            out = p.fresh("sum")
            p.emit("%s = arith.addf %s, %s : %s"
                   % (out, total, y, mtype(m, shared_n, dynamic)))
            total = out
        results = [(total, shared_n)]
    meta = {"m": m, "k": k, "seed": seed, "flips": p.flips,
            "wmax": round(p.wmax + 0.005, 2)}
    text = ["// difftest: " + " ".join("%s=%s" % kv for kv in meta.items()),
            "func.func @f(%s) -> (%s) {"
            % (", ".join(args),
               ", ".join(mtype(m, n, dynamic) for _, n in results))]
    text += p.lines
    text.append("  return %s : %s" % (
        ", ".join(y for y, _ in results),
        ", ".join(mtype(m, n, dynamic) for _, n in results)))
    text.append("}")
    return "\n".join(text) + "\n", meta


def _generic(p, ins, out, iters, body, out_type):
    """A linalg.generic over `ins` ((value, type, map) triples) into `out`
    (an init value); `body` lines use %a0.. for the inputs, %acc for the
    init and yield %r."""
    v = p.fresh("g")
    args = ", ".join("%%a%d: f32" % i for i in range(len(ins))) + ", %acc: f32"
    p.emit("%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]} "
           "ins(%s : %s) outs(%s : %s) {" % (
               v, ", ".join("affine_map<%s>" % i[2] for i in ins + [out]),
               ", ".join('"%s"' % i for i in iters),
               ", ".join(i[0] for i in ins), ", ".join(i[1] for i in ins),
               out[0], out[1]))
    p.emit("^bb0(%s):" % args)
    for line in body:
        p.emit("  " + line)
    p.emit("  linalg.yield %r : f32")
    p.emit("} -> %s" % out_type)
    return v


def _init(p, type_, sizes, value=None):
    """tensor.empty (filled with `value` when given) of `type_`."""
    e = p.fresh("e")
    p.emit("%s = tensor.empty(%s) : %s" % (e, ", ".join(sizes), type_))
    if value is None:
        return e
    c, f = p.fresh("c"), p.fresh("fill")
    p.emit("%s = arith.constant %s : f32" % (c, value))
    p.emit("%s = linalg.fill ins(%s : f32) outs(%s : %s) -> %s"
           % (f, c, e, type_, type_))
    return f


ROW = "(i, j) -> (i, j)"
ACTIVATIONS = {
    "gelu": ["%c = arith.constant 0.707106769 : f32", "%s = arith.mulf %a0, %c : f32",
             "%e = math.erf %s : f32", "%one = arith.constant 1.0 : f32",
             "%p = arith.addf %e, %one : f32", "%h = arith.constant 0.5 : f32",
             "%hv = arith.mulf %a0, %h : f32", "%r = arith.mulf %hv, %p : f32"],
    "silu": ["%z = arith.constant 0.0 : f32", "%n = arith.subf %z, %a0 : f32",
             "%e = math.exp %n : f32", "%one = arith.constant 1.0 : f32",
             "%d = arith.addf %e, %one : f32", "%r = arith.divf %a0, %d : f32"],
    "tanh": ["%c = arith.constant 0.5 : f32", "%s = arith.mulf %a0, %c : f32",
             "%t = math.tanh %s : f32", "%r = arith.mulf %t, %a0 : f32"],
}


def float_rest(p, rng, y, m, n, dynamic, amplifying):
    """1-3 float ops (linalg.generic) on `y` (M x N), each reading the
    previous one's result; the first reader of `y` may not be the last
    (residuals). With `amplifying`, also softmax and attention (whose
    exponentials magnify input differences: only on values both pipelines
    compute alike)."""
    t = mtype(m, n, dynamic)
    rows = []
    if dynamic:
        c0, d = p.fresh("c"), p.fresh("d")
        p.emit("%s = arith.constant 0 : index" % c0)
        p.emit("%s = tensor.dim %s, %s : %s" % (d, y, c0, t))
        rows = [d]
    mm = "?" if dynamic else str(m)
    vec_t = "tensor<%sxf32>" % mm
    kinds = ["act", "act", "layernorm", "residual", "colsum"]
    if amplifying:
        kinds += ["softmax", "attention", "attention", "heads"]
    cur = y

    def row_reduce(src, src_t, width, body, init):
        out = _init(p, vec_t, rows, init)
        return _generic(p, [(src, src_t, ROW)], (out, vec_t, "(i, j) -> (i)"),
                        ["parallel", "reduction"], body, vec_t)

    def layernorm(src):
        s = row_reduce(src, t, n, ["%r = arith.addf %acc, %a0 : f32"], "0.0")
        out = _init(p, vec_t, rows, "0.0")
        body = ["%%w = arith.constant %d.0 : f32" % n, "%mu = arith.divf %a1, %w : f32",
                "%dv = arith.subf %a0, %mu : f32", "%dsq = arith.mulf %dv, %dv : f32",
                "%r = arith.addf %acc, %dsq : f32"]
        var = _generic(p, [(src, t, ROW), (s, vec_t, "(i, j) -> (i)")],
                       (out, vec_t, "(i, j) -> (i)"), ["parallel", "reduction"],
                       body, vec_t)
        body = ["%%w = arith.constant %d.0 : f32" % n, "%mu = arith.divf %a1, %w : f32",
                "%va = arith.divf %a2, %w : f32", "%eps = arith.constant 1.0e-5 : f32",
                "%ve = arith.addf %va, %eps : f32", "%rs = math.rsqrt %ve : f32",
                "%dv = arith.subf %a0, %mu : f32", "%r = arith.mulf %dv, %rs : f32"]
        return _generic(p, [(src, t, ROW), (s, vec_t, "(i, j) -> (i)"),
                            (var, vec_t, "(i, j) -> (i)")],
                        (_init(p, t, rows), t, ROW), ["parallel", "parallel"],
                        body, t)

    def softmax(src, src_t, width, init_t, sizes):
        mx_t = vec_t
        mx = _generic(p, [(src, src_t, ROW)],
                      (_init(p, mx_t, rows, "-3.40282347E+38"), mx_t, "(i, j) -> (i)"),
                      ["parallel", "reduction"],
                      ["%r = arith.maximumf %acc, %a0 : f32"], mx_t)
        sm = _generic(p, [(src, src_t, ROW), (mx, mx_t, "(i, j) -> (i)")],
                      (_init(p, mx_t, rows, "0.0"), mx_t, "(i, j) -> (i)"),
                      ["parallel", "reduction"],
                      ["%c = arith.subf %a0, %a1 : f32", "%e = math.exp %c : f32",
                       "%r = arith.addf %acc, %e : f32"], mx_t)
        return _generic(p, [(src, src_t, ROW), (mx, mx_t, "(i, j) -> (i)"),
                            (sm, mx_t, "(i, j) -> (i)")],
                        (_init(p, src_t, sizes), src_t, ROW),
                        ["parallel", "parallel"],
                        ["%c = arith.subf %a0, %a1 : f32", "%e = math.exp %c : f32",
                         "%r = arith.divf %e, %a2 : f32"], src_t)

    def heads(src, nh):
        """Self-attention of `nh` heads of the layer-normed rows (q = k = v,
        M x nh x N/nh), as MiniLM and SmolLM2 write it: scores per head
        (keys read as they are or through a linalg.transpose), the row
        maximum, exponentials with two readers, their sum, and the
        normalization before or after p . v; sometimes the row maximum
        also has a reader outside the attention."""
        hd = n // nh
        a = layernorm(src)
        mdim = rows[0] if dynamic else str(m)
        h3 = "tensor<%sx%dx%dxf32>" % (mm, nh, hd)
        a3 = p.fresh("heads")
        p.emit("%s = tensor.expand_shape %s [[0], [1, 2]] output_shape [%s, %d, %d]"
               " : %s into %s" % (a3, a, mdim, nh, hd, t, h3))
        st = "tensor<%dx%sx%sxf32>" % (nh, mm, mm)
        vt = "tensor<%dx%sxf32>" % (nh, mm)
        sizes = rows * 2
        if rng.random() < 0.5:  # keys transposed first (MiniLM's k^T)
            kt_t = "tensor<%dx%dx%sxf32>" % (nh, hd, mm)
            kt = p.fresh("kt")
            p.emit("%s = linalg.transpose ins(%s : %s) outs(%s : %s) permutation = [1, 2, 0]"
                   % (kt, a3, h3, _init(p, kt_t, rows), kt_t))
            keys = (kt, kt_t, "(h, i, j, d) -> (h, d, j)")
        else:
            keys = (a3, h3, "(h, i, j, d) -> (j, h, d)")
        scores = _generic(p, [(a3, h3, "(h, i, j, d) -> (i, h, d)"), keys],
                          (_init(p, st, sizes, "0.0"), st, "(h, i, j, d) -> (h, i, j)"),
                          ["parallel", "parallel", "parallel", "reduction"],
                          ["%%c = arith.constant %.8f : f32" % (1 / np.sqrt(hd)),
                           "%m = arith.mulf %a0, %a1 : f32", "%s = arith.mulf %m, %c : f32",
                           "%r = arith.addf %acc, %s : f32"], st)
        S3, V2 = "(h, i, j) -> (h, i, j)", "(h, i, j) -> (h, i)"
        mx = _generic(p, [(scores, st, S3)], (_init(p, vt, rows, "-3.40282347E+38"), vt, V2),
                      ["parallel", "parallel", "reduction"],
                      ["%r = arith.maximumf %acc, %a0 : f32"], vt)
        ex = _generic(p, [(scores, st, S3), (mx, vt, V2)], (_init(p, st, sizes), st, S3),
                      ["parallel", "parallel", "parallel"],
                      ["%c = arith.subf %a0, %a1 : f32", "%r = math.exp %c : f32"], st)
        sm = _generic(p, [(ex, st, S3)], (_init(p, vt, rows, "0.0"), vt, V2),
                      ["parallel", "parallel", "reduction"],
                      ["%r = arith.addf %acc, %a0 : f32"], vt)
        deferred = rng.random() < 0.5
        probs = ex
        if not deferred:
            probs = _generic(p, [(ex, st, S3), (sm, vt, V2)], (_init(p, st, sizes), st, S3),
                             ["parallel", "parallel", "parallel"],
                             ["%r = arith.divf %a0, %a1 : f32"], st)
        ctx = _generic(p, [(probs, st, "(i, h, j, d) -> (h, i, j)"),
                           (a3, h3, "(i, h, j, d) -> (j, h, d)")],
                       (_init(p, h3, rows, "0.0"), h3, "(i, h, j, d) -> (i, h, d)"),
                       ["parallel", "parallel", "reduction", "parallel"],
                       ["%m = arith.mulf %a0, %a1 : f32", "%r = arith.addf %acc, %m : f32"], h3)
        if deferred:
            ctx = _generic(p, [(ctx, h3, "(i, h, d) -> (i, h, d)"), (sm, vt, "(i, h, d) -> (h, i)")],
                           (_init(p, h3, rows), h3, "(i, h, d) -> (i, h, d)"),
                           ["parallel", "parallel", "parallel"],
                           ["%r = arith.divf %a0, %a1 : f32"], h3)
        flat = p.fresh("flat")
        p.emit("%s = tensor.collapse_shape %s [[0], [1, 2]] : %s into %s" % (flat, ctx, h3, t))
        if rng.random() < 0.3:  # the row maximum read outside the attention
            flat = _generic(p, [(flat, t, ROW), (mx, vt, "(i, j) -> (0, i)")],
                            (_init(p, t, rows), t, ROW), ["parallel", "parallel"],
                            ["%c = arith.constant 0.01 : f32", "%s = arith.mulf %a1, %c : f32",
                             "%r = arith.addf %a0, %s : f32"], t)
        return flat

    for _ in range(int(rng.integers(1, 4))):
        kind = str(rng.choice(kinds))
        if kind == "heads":
            nhs = [h for h in (2, 3, 4, 8) if n % h == 0]
            if nhs:
                cur = heads(cur, int(rng.choice(nhs)))
                continue
            kind = "attention"
        if kind == "act":
            body = list(ACTIVATIONS[str(rng.choice(list(ACTIVATIONS)))])
            ins = [(cur, t, ROW)]
            if rng.random() < 0.5:
                b = p.fresh("bias")
                p.emit("%s = arith.constant dense<%s> : tensor<%dxf32>"
                       % (b, hex_f32(rng.uniform(-1, 1, n)), n))
                ins.append((b, "tensor<%dxf32>" % n, "(i, j) -> (j)"))
                body = ["%ab = arith.addf %a0, %a1 : f32"] + \
                    [l.replace("%a0", "%ab") for l in body]
            cur = _generic(p, ins, (_init(p, t, rows), t, ROW),
                           ["parallel", "parallel"], body, t)
        elif kind == "layernorm":
            cur = layernorm(cur)
        elif kind == "residual":
            cur = _generic(p, [(cur, t, ROW), (y, t, ROW)], (_init(p, t, rows), t, ROW),
                           ["parallel", "parallel"],
                           ["%r = arith.addf %a0, %a1 : f32"], t)
        elif kind == "colsum":
            # An outer reduction (over the rows), then read back per row.
            vn = "tensor<%dxf32>" % n
            cs = _generic(p, [(cur, t, "(i, j) -> (i, j)")],
                          (_init(p, vn, [], "0.0"), vn, "(i, j) -> (j)"),
                          ["reduction", "parallel"], ["%r = arith.addf %acc, %a0 : f32"], vn)
            cur = _generic(p, [(cur, t, ROW), (cs, vn, "(i, j) -> (j)")],
                           (_init(p, t, rows), t, ROW), ["parallel", "parallel"],
                           ["%c = arith.constant 0.01 : f32", "%s = arith.mulf %a1, %c : f32",
                            "%r = arith.subf %a0, %s : f32"], t)
        elif kind == "softmax":
            cur = softmax(cur, t, n, t, rows)
        else:
            # Single-head self-attention of the layer-normed rows: q = k = v.
            a = layernorm(cur)
            st = "tensor<%sx%sxf32>" % (mm, mm)
            sizes = rows * 2
            scores = _generic(p, [(a, t, "(i, j, d) -> (i, d)"), (a, t, "(i, j, d) -> (j, d)")],
                              (_init(p, st, sizes, "0.0"), st, "(i, j, d) -> (i, j)"),
                              ["parallel", "parallel", "reduction"],
                              ["%%c = arith.constant %.8f : f32" % (1 / np.sqrt(n)),
                               "%m = arith.mulf %a0, %a1 : f32", "%s = arith.mulf %m, %c : f32",
                               "%r = arith.addf %acc, %s : f32"], st)
            probs = softmax(scores, st, m, st, sizes)
            if rng.random() < 0.5:  # keys outside the head dimension
                maps, iters = (["(i, j, d) -> (i, j)", "(i, j, d) -> (j, d)"],
                               ["parallel", "reduction", "parallel"])
                out_map = "(i, j, d) -> (i, d)"
            else:  # keys innermost
                maps, iters = (["(i, d, j) -> (i, j)", "(i, d, j) -> (j, d)"],
                               ["parallel", "parallel", "reduction"])
                out_map = "(i, d, j) -> (i, d)"
            cur = _generic(p, [(probs, st, maps[0]), (a, t, maps[1])],
                           (_init(p, t, rows, "0.0"), t, out_map), iters,
                           ["%m = arith.mulf %a0, %a1 : f32", "%r = arith.addf %acc, %m : f32"], t)
    return cur


def branch(p, h, m, k, n, dynamic, x_type, norm_differs, wf_all):
    rng = p.rng
    a = h
    rotated = False
    rots = hadamards(rng, k)
    if rots and rng.random() < 0.5:
        out = p.fresh("r")
        p.emit("%s = qc.rotate %s by %s along 1 : %s"
               % (out, h, str(rng.choice(rots)), x_type))
        a, rotated = out, True
    # f16 activations and an int4 weight in f16 blocks of 128 (N a multiple
    # of 64): the NVIDIA W4A16 kernel's format, whose #qc_nvvm.mma_fragments
    # storage qc-nvvm-layout writes (the layouts check compares it).
    if k % 128 == 0 and n % 64 == 0 and rng.random() < 0.6:
        xh = p.fresh("xh")
        if rotated or norm_differs:
            p.flips |= FLIPS_F16
        h_type = "tensor<%sx%dxf16>" % ("?" if dynamic else str(m), k)
        p.emit("%s = arith.truncf %s : %s to %s" % (xh, a, x_type, h_type))
        grid = str(rng.choice(["#qc.int<s4>", "#qc.int<u4>"]))
        fmt16 = "%s, f16 #qc.per_block<[1, 128]>" % grid
        method16 = "absmax"
        if grid == "#qc.int<u4>":
            fmt16 += ", zero_point i8"
            method16 = "minmax"
        return matmul(p, xh, h_type, m, k, n, dynamic, fmt16, method16,
                      bool(rng.random() < 0.4), acc=None)
    fmt, method, is_int = wf_all[int(rng.integers(len(wf_all)))]
    quantize_acts = is_int and rng.random() < 0.6
    bias = bool(rng.random() < 0.4)
    # A mixed-precision tail: channels [0, k0) and [k0, k) in two formats,
    # chained by accumulate.
    tail = quantize_acts is False and k >= 128 and k % 64 == 0 and \
        rng.random() < 0.25
    if quantize_acts:
        act = str(rng.choice(activation_formats(rng, k)))
        q = p.fresh("qa")
        qtype = "!qc.qtensor<%sx%d, %s>" % ("?" if dynamic else str(m), k, act)
        p.emit("%s = qc.quantize %s : %s -> %s" % (q, a, x_type, qtype))
        if rotated or norm_differs:
            p.flips |= FLIPS_INT8
        return matmul(p, q, qtype, m, k, n, dynamic, fmt, method, bias,
                      acc=None)
    if tail:
        k0 = k - 64
        parts = []
        rows = str(m)
        if dynamic:
            c0, rows = p.fresh("c"), p.fresh("d")
            p.emit("%s = arith.constant 0 : index" % c0)
            p.emit("%s = tensor.dim %s, %s : %s" % (rows, a, c0, x_type))
        for lo, width in ((0, k0), (k0, 64)):
            s = p.fresh("s")
            stype = mtype(m, width, dynamic)
            p.emit("%s = tensor.extract_slice %s[0, %d] [%s, %d] [1, 1] : "
                   "%s to %s" % (s, a, lo, rows, width, x_type, stype))
            parts.append((s, stype, width))
        fmts = weight_formats(rng, parts[0][2])
        f0, m0, _ = fmts[int(rng.integers(len(fmts)))]
        y0 = matmul(p, parts[0][0], parts[0][1], m, parts[0][2], n, dynamic,
                    f0, m0, bias=False, acc=None)
        f1 = "#qc.int<s8>, f32 #qc.per_axis<0>"
        return matmul(p, parts[1][0], parts[1][1], m, 64, n, dynamic, f1,
                      "absmax", bias, acc=y0)
    acc = None
    return matmul(p, a, x_type, m, k, n, dynamic, fmt, method, bias, acc)


def matmul(p, a, a_type, m, k, n, dynamic, fmt, method, bias, acc):
    rng = p.rng
    wq = p.fresh("qw")
    wtype = "!qc.qtensor<%dx%d, %s>" % (n, k, fmt)
    if method == "parts":
        p.emit("%s = %s : %s" % (wq, parts_constant(p, n, k, fmt), wtype))
    elif isinstance(method, tuple):
        _, mode, wide, wide_method = method
        w = rng.standard_normal((n, k))
        p.wmax = max(p.wmax, float(np.max(np.abs(w))))
        wc, ww = p.fresh("w"), p.fresh("qw")
        wide_type = "!qc.qtensor<%dx%d, %s>" % (n, k, wide)
        p.emit("%s = arith.constant dense<%s> : tensor<%dx%dxf32>"
               % (wc, hex_f32(w), n, k))
        p.emit("%s = qc.quantize %s method<%s> : tensor<%dx%dxf32> -> %s"
               % (ww, wc, wide_method, n, k, wide_type))
        p.emit("%s = qc.requantize %s %s : %s -> %s"
               % (wq, ww, mode, wide_type, wtype))
        if acc is None and rng.random() < 0.5:
            # The same stored weight read at 8 bits, accumulated into.
            acc = p.fresh("y")
            p.emit("%s = qc.matmul %s, %s : %s, %s -> %s"
                   % (acc, a, ww, a_type, wide_type, mtype(m, n, dynamic)))
    else:
        w = rng.standard_normal((n, k))
        p.wmax = max(p.wmax, float(np.max(np.abs(w))))
        wc = p.fresh("w")
        p.emit("%s = arith.constant dense<%s> : tensor<%dx%dxf32>"
               % (wc, hex_f32(w), n, k))
        p.emit("%s = qc.quantize %s method<%s> : tensor<%dx%dxf32> -> %s"
               % (wq, wc, method, n, k, wtype))
    extra = ""
    if bias:
        b = p.fresh("b")
        p.emit("%s = arith.constant dense<%s> : tensor<%dxf32>"
               % (b, hex_f32(rng.standard_normal(n)), n))
        extra += " bias(%s : tensor<%dxf32>)" % (b, n)
    out_type = mtype(m, n, dynamic)
    if acc is not None:
        extra += " accumulate(%s : %s)" % (acc, out_type)
    y = p.fresh("y")
    p.emit("%s = qc.matmul %s, %s%s : %s, %s -> %s"
           % (y, a, wq, extra, a_type, wtype, out_type))
    return y


def _top_level_fields(fmt):
    """The comma-separated fields of a type suffix, outside <> and []."""
    fields, depth, cur = [], 0, ""
    for c in fmt:
        depth += c in "<["
        depth -= c in ">]"
        if c == "," and depth == 0:
            fields.append(cur.strip())
            cur = ""
        else:
            cur += c
    return fields + [cur.strip()]


def _int_of(t):
    """(bits, signed) of 'ui6', 'si8', ..."""
    return int(t[2:]), t.startswith("si")


def _hex(array, dtype):
    return '"0x%s"' % np.ascontiguousarray(array, dtype=dtype).tobytes().hex().upper()


def parts_constant(p, n, k, fmt):
    """A qc.constant of type N x K `fmt` with random parts: every code of
    the grid, integer scales and mins over their whole range, outer factors
    of either sign. Updates p.wmax with the dequantized weight (numpy)."""
    rng = p.rng
    f = _top_level_fields(fmt)
    grid = f[0]
    bits, signed = int(grid[9:-1]), grid[8] == "s"
    g = int(fmt.split("per_block<[1, ")[1].split("]")[0])
    stype = f[1].split()[0]
    nb = k // g
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed \
        else (0, (1 << bits) - 1)
    q = rng.integers(lo, hi + 1, size=(n, k))
    packed = np.packbits(((q[..., None] >> np.arange(bits)) & 1).astype(
        np.uint8).reshape(-1), bitorder="little")
    text = "qc.constant codes(dense<%s> : tensor<%dxi8>)" % (
        _hex(packed, np.uint8), packed.size)

    def ints(t, shape):
        b, sg = _int_of(t)
        lo_, hi_ = (-(1 << (b - 1)), (1 << (b - 1)) - 1) if sg else (0, (1 << b) - 1)
        v = rng.integers(lo_, hi_ + 1, size=shape)
        # Signless parts hold the bit pattern; print it as a signed value.
        pat = np.where(v >= (1 << (b - 1)), v - (1 << b), v) if b > 1 else v
        body = "[%s]" % ", ".join("[%s]" % ", ".join(str(int(x)) for x in row)
                                  for row in pat)
        return v.astype(np.float64), "dense<%s> : tensor<%dx%dxi%d>" % (
            body, shape[0], shape[1], b)

    def floats(t, shape, scale):
        v = rng.standard_normal(shape) * scale
        npt = {"f16": np.float16, "f32": np.float32}.get(t)
        if npt is None:  # bf16: the upper half of an f32
            v32 = v.astype(np.float32).view(np.uint32) & 0xFFFF0000
            v = v32.view(np.float32)
            data = _hex((v32 >> 16).astype(np.uint16), "<u2")
        else:
            v = v.astype(npt)
            data = _hex(v, v.dtype.newbyteorder("<"))
        return v.astype(np.float64), "dense<%s> : tensor<%dx%dx%s>" % (
            data, shape[0], shape[1], t)

    integer_scales = stype.startswith(("ui", "si"))
    if integer_scales:
        s, attr = ints(stype, (n, nb))
    else:
        s, attr = floats(stype, (n, nb), 0.1)
    text += " scales(%s)" % attr
    smax = np.abs(s).max() or 1.0
    # The outer level: per row (per_axis<0>, an N tensor) or per block.
    outer_cols, outer_of_block = None, None
    if len(f) > 2 and f[2].startswith("outer "):
        ot = f[2].split()[1]
        if "per_axis" in f[2]:
            outer_cols, ob = 1, k
        else:
            ob = int(f[2].split("per_block<[1, ")[1].split("]")[0])
            outer_cols = k // ob
        outer_of_block = (np.arange(nb) * g) // ob
        o, oattr = floats(ot, (n, outer_cols), 0.1 / smax)
        if "per_axis" in f[2]:
            oattr = oattr.replace("tensor<%dx1x" % n, "tensor<%dx" % n)
        text += " outer_scales(%s)" % oattr
        s = s * o[:, outer_of_block]
    x = np.repeat(s, g, axis=1) * q
    mins = [e for e in f if e.startswith("min ")]
    if mins:
        mt = mins[0].split()[1]
        if mt.startswith(("ui", "si")):
            mv, mattr = ints(mt, (n, nb))
        else:
            mv, mattr = floats(mt, (n, nb), 0.1)
        text += " mins(%s)" % mattr
        if " outer " in mins[0]:
            mot = mins[0].split()[3]
            mo, moattr = floats(mot, (n, outer_cols),
                                0.1 / (np.abs(mv).max() or 1.0))
            if "per_axis" in f[2]:
                moattr = moattr.replace("tensor<%dx1x" % n, "tensor<%dx" % n)
            text += " outer_mins(%s)" % moattr
            mv = mv * mo[:, outer_of_block]
        x = x - np.repeat(mv, g, axis=1)
    p.wmax = max(p.wmax, float(np.max(np.abs(x))))
    return text


# --- running -----------------------------------------------------------------

def make_inputs(meta):
    """The program's one input, M x K f32, from its seed."""
    rng = np.random.default_rng(meta["seed"] + 1_000_003)
    x = rng.standard_normal((meta["m"], meta["k"])).astype(np.float32)
    # An outlier channel, as activations have.
    if rng.random() < 0.5:
        x[:, int(rng.integers(meta["k"]))] *= 20
    return [x]


# Thread counts each compiled program runs at: one, the machine's two
# cores, and an odd count that divides no even trip count (each thread
# computes its own block of a loop's iterations: every iteration must run
# exactly once whatever the count).
THREADS = (2, 1, 3)


def run(ctx, text, pipeline, arrays):
    """The results of `text` compiled by `pipeline` on `arrays`, run at each
    of THREADS, which must give the same numbers bit for bit (threads split
    rows, never a sum)."""
    module = qc.Module.parse(ctx, text)
    f = qc.compile(module, pipeline).f
    results = None
    try:
        for threads in THREADS:
            qc.jit.set_num_threads(threads)
            copies = [a.copy() for a in arrays]
            out = f(*arrays)
            for i, (a, c) in enumerate(zip(arrays, copies)):
                if not np.array_equal(a, c, equal_nan=True):
                    raise AssertionError("%s wrote into input %d" % (pipeline, i))
            out = list(out) if isinstance(out, tuple) else [out]
            if results is None:
                results = out
                continue
            for i, (r, o) in enumerate(zip(results, out)):
                if r.shape != o.shape or not np.array_equal(r, o, equal_nan=True):
                    raise AssertionError(
                        "%s: result %d at %d threads differs from %d threads'"
                        % (pipeline, i, threads, THREADS[0]))
    finally:
        qc.jit.set_num_threads(THREADS[0])
    return results


def tolerance(ref, x, meta):
    """Per row: 1e-4 of the row's largest |ref| (at least 1e-4), plus, when
    activations are rounded at run time from a rotated or normalized value
    (which the two pipelines compute in different float orders, so that a
    value next to a rounding boundary may round to either side), two flips
    times the largest weight: an int8 step (max|a_row| / 127) for codes, an
    f16 ulp (at most max|a_row| 2^-10) for f16 activations, where max|a_row|
    <= ||x_row||_2 for a rotation of x and <= 1.5 sqrt(K) after an RMS norm
    with weights up to 1.5, and a rotation of that (a softmax-weighted mean
    of such rows too)."""
    tol = 1e-4 * np.maximum(np.max(np.abs(np.nan_to_num(ref)), axis=1,
                                   keepdims=True), 1.0)
    flips = int(meta["flips"])
    if flips:
        k = x.shape[1]
        bound = np.maximum(np.linalg.norm(x.astype(np.float64), axis=1),
                           1.5 * np.sqrt(k))[:, None]
        step = bound / 127.0 if flips & FLIPS_INT8 else bound * 2.0 ** -10
        tol = tol + 2 * step * meta["wmax"]
    return tol


def compare(ref, cpu, arrays, meta):
    """None if `cpu` agrees with `ref`, else why not."""
    if len(ref) != len(cpu):
        return "%d results against %d" % (len(cpu), len(ref))
    for i, (r, c) in enumerate(zip(ref, cpu)):
        if r.shape != c.shape:
            return "result %d: shape %s against %s" % (i, c.shape, r.shape)
        if r.size == 0:
            continue
        if not np.array_equal(np.isnan(r), np.isnan(c)):
            return "result %d: NaN in one pipeline only" % i
        tol = tolerance(r, arrays[0], meta)
        diff = np.abs(np.nan_to_num(r) - np.nan_to_num(c))
        bad = ~(diff <= tol)
        if np.any(bad):
            at = np.unravel_index(int(np.argmax(diff - tol)), diff.shape)
            return ("result %d: |cpu - ref| above tolerance at %d of %d "
                    "elements; worst at %s: cpu %.6g, ref %.6g, tolerance "
                    "%.3g" % (i, int(np.sum(bad)), r.size, at, c[at], r[at],
                              float(tol[at[0], 0])))
    return None


# The weights in the NVIDIA kernels' storage (#qc_nvvm.mma_fragments), read back
# by the reference lowering: a storage change, so the results must be the
# reference's bit for bit.
LAYOUTS_PIPELINE = "qc-quantize-constants,qc-nvvm-layout,qc-reference-pipeline"


# The CPU kernels' instruction sets, one per program in turn (on a host
# without AVX-512 VNNI or AVX-VNNI the first ones are the AVX2 kernels too):
# vpdpbusd on zmm, vpdpbusd on ymm (AVX-VNNI), vpmaddubsw (AVX2).
CPU_TARGETS = ["host", "host,-avx512vnni", "host,-avx512vnni,-avxvnni",
               # (AVX2 vectors for the float ops on an AVX-512 host.)
               "host,-avx512f"]


def cpu_pipeline(meta):
    return 'qc-cpu-pipeline{target-features=%s}' % \
        CPU_TARGETS[meta["seed"] % len(CPU_TARGETS)]


def check(ctx, text, meta):
    arrays = make_inputs(meta)
    try:
        ref = run(ctx, text, "qc-reference-pipeline", arrays)
        cpu = run(ctx, text, cpu_pipeline(meta), arrays)
        laid = run(ctx, text, LAYOUTS_PIPELINE, arrays) \
            if "xf16>" in text else ref
    except (qc.MLIRError, AssertionError) as e:
        return str(e)
    for i, (r, l) in enumerate(zip(ref, laid)):
        if not np.array_equal(r, l, equal_nan=True):
            return ("result %d: with the NVIDIA kernels' weight storage "
                    "(qc-nvvm-layout) the reference lowering gives other "
                    "numbers (max difference %.3g)"
                    % (i, float(np.max(np.abs(r - l)))))
    why = compare(ref, cpu, arrays, meta)
    return why and "%s: %s" % (cpu_pipeline(meta), why)


def parse_header(text):
    for line in text.splitlines():
        if line.startswith("// difftest:"):
            meta = dict(f.split("=") for f in line.split(":", 1)[1].split())
            return {k: (float(v) if k == "wmax" else int(v))
                    for k, v in meta.items()}
    raise ValueError("no '// difftest: m=M k=K seed=S flips=F wmax=W' line")


def replay(ctx, paths):
    files = []
    for p in paths:
        files += sorted(glob.glob(os.path.join(p, "*.mlir"))) \
            if os.path.isdir(p) else [p]
    failed = 0
    for path in files:
        text = open(path).read()
        why = check(ctx, text, parse_header(text))
        print("%s: %s" % (path, "ok" if why is None else "FAIL: " + why))
        failed += why is not None
    if not files:
        print("qc-difftest: nothing to replay in %s" % " ".join(paths))
        return 1
    return failed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0,
                    help="stop starting programs after this long")
    ap.add_argument("--count", type=int, default=0,
                    help="stop after this many programs (0: no limit)")
    ap.add_argument("--seed", type=int, default=1,
                    help="the first program's seed; the others follow")
    ap.add_argument("--save", help="write failing programs into DIR")
    ap.add_argument("--single-result", action="store_true",
                    help="programs return one result (the branches summed)")
    ap.add_argument("--print", action="store_true", dest="print_program",
                    help="print each program (with --count, to inspect)")
    ap.add_argument("--replay", nargs="+", metavar="PATH",
                    help="run saved programs (files or directories)")
    args = ap.parse_args(argv)
    ctx = qc.Context()
    if args.replay:
        return 1 if replay(ctx, args.replay) else 0
    start = time.monotonic()
    seed, ran, failed = args.seed, 0, 0
    while time.monotonic() - start < args.seconds and \
            (args.count == 0 or ran < args.count):
        text, meta = generate(seed, args.single_result)
        if args.print_program:
            print(text)
        why = check(ctx, text, meta)
        ran += 1
        if why is not None:
            failed += 1
            print("seed %d: FAIL: %s\n%s" % (seed, why, text), flush=True)
            if args.save:
                os.makedirs(args.save, exist_ok=True)
                with open(os.path.join(args.save, "seed-%d.mlir" % seed),
                          "w") as f:
                    f.write(text)
        seed += 1
    print("qc-difftest: %d program(s) from seed %d in %.0f s, %d disagreement(s)"
          % (ran, args.seed, time.monotonic() - start, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
