"""The table-lookup (LUT) kernel for weights stored as 1-bit planes, against
the reference lowering, on random codes of every grid it reads (unsigned,
two's complement, binary; 1 to 4 bits), per-block and per-row weight scales
in f32 and f16, several activation row counts (dynamic M), N with one or
two 16-row tiles per step, K of an odd number of 16-code groups, and both
chunks of the planes' tiles (16 rows x 2 bytes, and 16 rows x 4 bytes where
K and the blocks are multiples of 32).

Weights of 2 to 4 bits are given in the kernel's layout here (packed by
numpy from the layout's definition, not by qc), since the cost model gives
them the integer-dot kernel; 1-bit and binary weights are given row-major,
and the pipeline's own repacking must choose the LUT kernel for them.
Every case also runs in the AVX2 form (vpshufb lookups: the host's
features without VBMI), which is what AVX2-only CPUs get."""
import re
import zlib

import numpy as np
import pytest

import qc


@pytest.fixture
def ctx():
    return qc.Context()


def _hex(a):
    return '"0x' + np.ascontiguousarray(a).tobytes().hex().upper() + '"'


def _has_vbmi():
    flags = open("/proc/cpuinfo").read()
    return all(f in flags for f in ("avx512vbmi", "avx512_vnni", "avx512bw"))


def _packed_rows(bits_nk):
    """N x K bits -> N x K/8 bytes, lsb first (qc's packing)."""
    return np.packbits(bits_nk.astype(np.uint8), axis=1, bitorder="little")


def _tiled(rows_bytes, rows=16, chunk=2):
    """#qc.tiled<rows, chunk_bytes> order of an N x B byte matrix."""
    n, b = rows_bytes.shape
    return rows_bytes.reshape(n // rows, rows, b // chunk, chunk).transpose(
        0, 2, 1, 3).reshape(-1)


def _lut_layout_bytes(codes, bits, chunk):
    """The codes (N x K, as their bit patterns) in the LUT kernel's layout:
    each bit plane packed and tiled 16 rows x `chunk` bytes."""
    planes = [_tiled(_packed_rows((codes >> p) & 1), chunk=chunk)
              for p in range(bits)]
    return np.concatenate(planes)


GRIDS = {
    # name: (grid, bits, signed)
    "u1": ("#qc.int<u1>", 1, False),
    "s1": ("#qc.int<s1>", 1, True),
    "binary": ("#qc.binary", 1, False),
    "u2": ("#qc.int<u2>", 2, False),
    "s2": ("#qc.int<s2>", 2, True),
    "u3": ("#qc.int<u3>", 3, False),
    "s3": ("#qc.int<s3>", 3, True),
    "s4": ("#qc.int<s4>", 4, True),
    "u4": ("#qc.int<u4>", 4, False),
}


def _program(grid_name, n, k, group, scale_type, rng, lut_layout, act_group=0,
             chunk=2):
    """`lut_layout`: 2- to 4-bit codes in the LUT kernel's planes tiled 16
    rows x `chunk` bytes, 1-bit codes in that tile when `chunk` is 4 (else
    row-major, for the pipeline's repacking to choose)."""
    grid, bits, _ = GRIDS[grid_name]
    codes = rng.integers(0, 1 << bits, (n, k), dtype=np.uint8)
    if lut_layout and bits > 1:
        packed = _lut_layout_bytes(codes, bits, chunk)
        planes = ", ".join(["1"] * bits)
        layout = (", layout #qc.bit_planes<[%s], tile = "
                  "#qc.tiled<rows = 16, chunk_bytes = %d>>" % (planes, chunk))
    elif lut_layout and chunk == 4:
        packed = _lut_layout_bytes(codes, 1, chunk)
        layout = ", layout #qc.tiled<rows = 16, chunk_bytes = 4>"
    elif bits == 1:
        packed = _packed_rows(codes).reshape(-1)
        layout = ""
    else:
        # Row-major B-bit codes, lsb first (bits = 2 or 4 only here).
        flat = codes.reshape(-1).astype(np.uint32)
        per = 8 // bits
        packed = np.zeros(flat.size // per, dtype=np.uint32)
        for j in range(per):
            packed |= flat[j::per] << (bits * j)
        packed = packed.astype(np.uint8)
        layout = ""
    np_st = np.float16 if scale_type == "f16" else np.float32
    if group:
        scales = rng.uniform(0.01, 0.05, (n, k // group)).astype(np_st)
        gran = "#qc.per_block<[1, %d]>" % group
        stype = "tensor<%dx%dx%s>" % (n, k // group, scale_type)
    else:
        scales = rng.uniform(0.01, 0.05, n).astype(np_st)
        gran = "#qc.per_axis<0>"
        stype = "tensor<%dx%s>" % (n, scale_type)
    wtype = "!qc.qtensor<%dx%d, %s, %s %s%s>" % (n, k, grid, scale_type, gran,
                                                   layout)
    agran = ("#qc.per_block<[1, %d]>" % act_group) if act_group else "#qc.per_axis<0>"
    atype = "!qc.qtensor<?x%d, #qc.int<s8>, f32 %s>" % (k, agran)
    return """
func.func @f(%%x: tensor<?x%dxf32>) -> tensor<?x%dxf32> {
  %%qa = qc.quantize %%x : tensor<?x%dxf32> -> %s
  %%w = qc.constant codes(dense<%s> : tensor<%dxi8>) scales(dense<%s> : %s) : %s
  %%y = qc.matmul %%qa, %%w : %s, %s -> tensor<?x%dxf32>
  return %%y : tensor<?x%dxf32>
}
""" % (k, n, k, atype, _hex(packed), packed.size, _hex(scales), stype, wtype,
       atype, wtype, n, n)


def _lowered(ctx, text, pipeline="qc-cpu-pipeline"):
    m = qc.Module.parse(ctx, text)
    m.run(pipeline)
    return str(m)


def check_against_reference(ctx, text, pipeline, rng, k, n, ms):
    """Runs `text` (a function of ?xK f32 activations to ?xN) through the
    reference pipeline and `pipeline` on random activations of each M in
    `ms`, and checks that they agree."""
    ref_fn, fn = [qc.compile(qc.Module.parse(ctx, text), p).f
                  for p in ("qc-reference-pipeline", pipeline)]
    for m in ms:
        x = rng.standard_normal((m, k)).astype(np.float32)
        # Some rows of large magnitude: activation codes of -127 and 127.
        x[0, :5] *= 40
        ref = ref_fn(x)
        y = fn(x)
        assert y.shape == (m, n)
        scale = float(np.abs(ref).max())
        # Exact i32 sums per block; only the f32 order of the scale
        # products differs from the reference's.
        np.testing.assert_allclose(y, ref, rtol=0, atol=2e-5 * scale,
                                   err_msg="%s, M = %d" % (pipeline, m))


CASES = [
    # grid, N, K, weight group (0: per row), scale type, activation group
    # (0: per row)
    ("u1", 64, 272, 16, "f32", 0),
    ("s1", 48, 256, 32, "f16", 0),
    ("binary", 64, 512, 128, "f16", 0),
    ("binary", 32, 144, 0, "f32", 0),
    ("u2", 48, 272, 16, "f32", 0),
    ("s2", 64, 256, 64, "f16", 0),
    ("u3", 32, 256, 32, "f32", 0),
    ("s3", 48, 160, 32, "f32", 0),
    ("s4", 64, 256, 0, "f16", 0),
    ("u4", 32, 288, 16, "f32", 0),
    # Activations per block: shorter, longer and as long as the weight's.
    ("s2", 48, 256, 64, "f32", 32),
    ("binary", 64, 512, 32, "f16", 128),
    ("u1", 32, 272, 16, "f32", 16),
    ("s4", 16, 256, 0, "f32", 64),
]


# The AVX2 form (vpshufb lookups), which every AVX2 host runs: the host's
# features without VBMI.
AVX2_FORM = "qc-cpu-pipeline{target-features=host,-avx512vbmi}"


def _has_avx2():
    flags = open("/proc/cpuinfo").read()
    return all(f in flags for f in ("avx2", "fma"))


def _fits_chunk4(k, group, act):
    return k % 32 == 0 and (group or k) % 32 == 0 and (act or k) % 32 == 0


@pytest.mark.parametrize("form,chunk", [("host", 2), ("host", 4),
                                        ("avx2", 2)])
@pytest.mark.parametrize("grid,n,k,group,st,act", CASES)
def test_lut_kernel_matches_the_reference(ctx, grid, n, k, group, st, act,
                                          form, chunk):
    if chunk == 4 and not _fits_chunk4(k, group, act):
        pytest.skip("4-byte chunks need K and the blocks to be multiples of 32")
    rng = np.random.default_rng(zlib.crc32(repr((grid, n, k, group, st, act)).encode()))
    text = _program(grid, n, k, group, st, rng, lut_layout=True, act_group=act,
                    chunk=chunk)
    cpu = "qc-cpu-pipeline" if form == "host" else AVX2_FORM
    lowered = _lowered(ctx, text, cpu)
    if form == "host" and _has_vbmi():
        # The LUT kernel, with vpermb lookups and vpdpbusd sums; in 4-byte
        # chunks where the weight is in them, or is 1-bit row-major codes
        # that the pipeline repacks (into them where K and blocks allow).
        assert re.search(r"@qc_cpu_w\d+a8_lut", lowered)
        assert "llvm.x86.avx512.permvar.qi.512" in lowered
        bits = GRIDS[grid][1]
        c4 = chunk == 4 or (bits == 1 and _fits_chunk4(k, group, act))
        assert bool(re.search(r"@qc_cpu_w\d+a8_lut\w*_c4", lowered)) == c4
    elif _has_avx2():
        # The AVX2 form: vpshufb lookups, no vpermb.
        assert re.search(r"@qc_cpu_w\d+a8_lut\w*_shuf", lowered)
        assert "llvm.x86.avx2.pshuf.b" in lowered
        assert "llvm.x86.avx512.permvar.qi.512" not in lowered
    check_against_reference(ctx, text, cpu, rng, k, n, (1, 3, 17, 64))


@pytest.mark.parametrize("grid", ["u1", "binary", "s2", "u4"])
def test_cost_model_choice(ctx, grid):
    """Row-major constants: 1-bit and binary codes get the LUT kernel (no
    integer-dot kernel reads them), 2- and 4-bit ones the integer-dot kernel,
    each with a remark that says why."""
    rng = np.random.default_rng(3)
    text = _program(grid, 64, 256, 64, "f32", rng, lut_layout=False)
    lowered = _lowered(ctx, text, "qc-cpu-pipeline{remarks=true}")
    notes = "\n".join(str(d) for d in ctx.take_diagnostics())
    lut = re.search(r"@qc_cpu_w\d+a8_lut", lowered) is not None
    if GRIDS[grid][1] == 1:
        # No integer-dot kernel reads 1-bit codes: the LUT kernel, in the
        # AVX2 form (20 instructions a plane) without VBMI.
        assert lut
        assert "LUT kernel (" in notes, notes
        # (K = 256 and blocks of 64: 4-byte chunks, 5.5 a plane rounded
        # up, on VBMI.)
        cost = 6 if _has_vbmi() else 20
        assert "%d vector instructions per 16 x 16 codes" % cost in notes, notes
        if not _has_vbmi():
            assert re.search(r"@qc_cpu_w\d+a8_lut\w*_shuf", lowered)
    else:
        assert not lut
        assert "integer-dot kernel: " in notes, notes


@pytest.mark.parametrize("grid", ["u1", "binary", "s2"])
def test_cost_model_choice_without_vbmi(ctx, grid):
    """The same choice for a target without VBMI: 1-bit and binary codes
    take the AVX2 form (vpshufb), 2-bit codes the integer-dot kernel."""
    rng = np.random.default_rng(5)
    text = _program(grid, 64, 256, 64, "f32", rng, lut_layout=False)
    lowered = _lowered(ctx, text,
                       "qc-cpu-pipeline{remarks=true target-features=host,-avx512vbmi}")
    notes = "\n".join(str(d) for d in ctx.take_diagnostics())
    if GRIDS[grid][1] == 1:
        assert re.search(r"@qc_cpu_w\d+a8_lut\w*_shuf", lowered)
        assert "20 vector instructions per 16 x 16 codes" in notes, notes
    else:
        assert "_lut" not in lowered
        assert "integer-dot kernel: " in notes, notes

