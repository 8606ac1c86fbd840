"""GGUF import: files written by the PyPI `gguf` package's writer, read by
qc-import, run by the JIT, compared bit for bit with `gguf`'s own
dequantization; damaged files get a clear error and never a crash."""

import json
import os
import subprocess

import numpy as np
import pytest

import qc

gguf = pytest.importorskip("gguf")
from gguf import GGMLQuantizationType as T  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
QC_IMPORT = os.environ.get("QC_IMPORT", os.path.join(REPO, "build", "bin", "qc-import"))

N, K = 8, 512  # K: two super-blocks of 256

# Block formats qc-import reads, and the qc type that holds each exactly
# (after the shape): llama.cpp's formulas, x = d*q (+ m) and
# x = d*sc*q (- dmin*m), written as the qtensor's
# x = (s*o)*q - m*mo.
SUPER = "outer f16 #qc.per_block<[1, 256]>"
FORMATS = {
    T.Q4_0: "#qc.int<s4>, f16 #qc.per_block<[1, 32]>",
    T.Q5_0: "#qc.int<s5>, f16 #qc.per_block<[1, 32]>",
    T.Q8_0: "#qc.int<s8>, f16 #qc.per_block<[1, 32]>",
    T.Q4_1: "#qc.int<u4>, f16 #qc.per_block<[1, 32]>, min f16",
    T.Q5_1: "#qc.int<u5>, f16 #qc.per_block<[1, 32]>, min f16",
    T.Q2_K: f"#qc.int<u2>, ui4 #qc.per_block<[1, 16]>, {SUPER}, min ui4 outer f16",
    T.Q3_K: f"#qc.int<s3>, si6 #qc.per_block<[1, 16]>, {SUPER}",
    T.Q4_K: f"#qc.int<u4>, ui6 #qc.per_block<[1, 32]>, {SUPER}, min ui6 outer f16",
    T.Q5_K: f"#qc.int<u5>, ui6 #qc.per_block<[1, 32]>, {SUPER}, min ui6 outer f16",
    T.Q6_K: f"#qc.int<s6>, si8 #qc.per_block<[1, 16]>, {SUPER}",
}


def random_blocks(qtype, n, k, rng):
    """Random bytes for n x k elements of `qtype`, with every f16 field a
    finite value (so that every code, scale and minimum bit pattern is
    exercised, not only what a quantizer would write)."""
    block, size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(n * k // block, size), dtype=np.uint8)
    # Offsets of the f16 fields in each block.
    halves = {
        T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
        T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2],
        T.Q6_K: [208],
    }[qtype]
    for off in halves:
        h = (rng.standard_normal(raw.shape[0]) * 0.05).astype(np.float16)
        raw[:, off:off + 2] = h.view(np.uint8).reshape(-1, 2)
    return raw.reshape(n, k // block * size)


def every_format(prefix, n, k, rng):
    """Random n x k tensors of every block format, named PREFIX<format>:
    the (name.weight, raw, type) entries for write_gguf, and each layer's
    values by gguf's own dequantization (float32)."""
    tensors, values = [], {}
    for qtype in FORMATS:
        raw = random_blocks(qtype, n, k, rng)
        name = prefix + qtype.name.lower()
        tensors.append((name + ".weight", raw, qtype))
        values[name] = gguf.quants.dequantize(raw, qtype).astype(np.float32)
        assert values[name].shape == (n, k)
    return tensors, values


def write_gguf(path, tensors, arch="llama", extra=None):
    w = gguf.GGUFWriter(str(path), arch)
    w.add_block_count(2)
    w.add_context_length(2048)
    w.add_embedding_length(K)
    w.add_head_count(4)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_tokenizer_model("gpt2")
    w.add_token_list([f"t{i}" for i in range(100)])
    for key, value in (extra or {}).items():
        w.add_string(key, value)
    for name, array, qtype in tensors:
        if qtype is None:
            w.add_tensor(name, array)
        else:
            w.add_tensor(name, array, raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def qc_import(*args):
    return subprocess.run([QC_IMPORT, *map(str, args)], capture_output=True,
                          text=True, timeout=120)


def test_every_block_format_bit_exact(tmp_path):
    rng = np.random.default_rng(0)
    tensors, expected = every_format("blk.0.", N, K, rng)
    floats = {"f32": rng.standard_normal((N, K)).astype(np.float32),
              "f16": rng.standard_normal((N, K)).astype(np.float16)}
    for name, a in floats.items():
        tensors.append((f"blk.0.{name}.weight", a, None))
        expected[f"blk.0.{name}"] = a.astype(np.float32)
    path = tmp_path / "m.gguf"
    write_gguf(path, tensors)
    out, meta = tmp_path / "m.mlir", tmp_path / "m.json"
    r = qc_import(path, "--linears=^blk", "--emit=text", "-o", out,
                  f"--metadata={meta}")
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    for qtype, rest in FORMATS.items():
        assert f"!qc.qtensor<{N}x{K}, {rest}>" in text, qtype.name
    ctx = qc.Context()
    x = np.eye(K, dtype=np.float32)
    for pipeline in ["qc-reference-pipeline", "qc-cpu-pipeline"]:
        m = qc.compile(qc.Module.parse(ctx, text), pipeline)
        for name, want in expected.items():
            # x = I: y = W^T, every product exact (one nonzero term; the
            # sum starts from +0, so -0 reads as 0).
            got = m[name](x).T
            np.testing.assert_array_equal(got, want, err_msg=name)
    # Bit for bit, signed zeros included: each tensor's getter (a qc type
    # or f32) dequantized and returned.
    r = qc_import(path, "--emit=text", "-o", tmp_path / "g.mlir")
    assert r.returncode == 0, r.stderr
    getters = (tmp_path / "g.mlir").read_text()
    extra = ""
    for i, name in enumerate(expected):
        ty = next(l for l in getters.splitlines()
                  if f"func.func @{name}.weight()" in l).split("-> ")[1].rstrip(" {")
        value = f"%w{i}"
        extra += f"  func.func @deq{i}() -> tensor<{N}x{K}xf32> {{\n" \
                 f"    {value} = func.call @{name}.weight() : () -> {ty}\n"
        if ty.startswith("!qc.qtensor"):
            extra += f"    %d{i} = qc.dequantize {value} : {ty} -> tensor<{N}x{K}xf32>\n"
            value = f"%d{i}"
        elif ty.endswith("xf16>"):
            extra += f"    %d{i} = arith.extf {value} : {ty} to tensor<{N}x{K}xf32>\n"
            value = f"%d{i}"
        extra += f"    return {value} : tensor<{N}x{K}xf32>\n  }}\n"
    head, rest = getters.split("\n", 1)
    assert head.startswith("module") and head.endswith("{"), head
    full = head + "\n" + extra + rest
    m = qc.compile(qc.Module.parse(ctx, full), "qc-reference-pipeline")
    for i, (name, want) in enumerate(expected.items()):
        np.testing.assert_array_equal(m[f"deq{i}"]().view(np.uint32),
                                      want.view(np.uint32), err_msg=name)
    # The metadata, in full in the JSON file and as module attributes.
    md = json.loads(meta.read_text())
    assert md["general.architecture"] == "llama"
    assert md["llama.embedding_length"] == K
    assert md["llama.rope.freq_base"] == 10000.0
    assert md["tokenizer.ggml.tokens"][:2] == ["t0", "t1"]
    assert len(md["tokenizer.ggml.tokens"]) == 100
    head = text.split("\n", 1)[0]
    assert head.startswith("module attributes {gguf.metadata = {")
    assert "llama.block_count = 2 : i64" in head
    assert "llama.rope.freq_base = 1.000000e+04 : f64" in head
    # A 100-entry vocabulary is left to the JSON file.
    assert "tokenizer.ggml.tokens" not in head and '"t0"' not in head


def test_gguf_float_decodes_every_format_bit_exact(tmp_path):
    rng = np.random.default_rng(1)
    tensors, expected = every_format("w_", N, K, rng)
    path = tmp_path / "q.gguf"
    write_gguf(path, tensors)
    r = qc_import(path, "--gguf-float", "--linears=^w_", "--emit=text", "-o",
                  tmp_path / "q.mlir")
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "q.mlir").read_text()
    assert "qc.qtensor" not in text
    m = qc.compile(qc.Module.parse(qc.Context(), text), "qc-reference-pipeline")
    for name, want in expected.items():
        got = m[name](np.eye(K, dtype=np.float32)).T
        np.testing.assert_array_equal(got, want, err_msg=name)


@pytest.mark.parametrize("rows", [1, 5, 17])
def test_imported_formats_run_on_the_cpu_kernels(tmp_path, rows):
    """Every imported format runs on a CPU kernel (Q4_0, Q4_1, Q8_0 as they
    are; the others folded exactly first) with activations that are not
    hand-picked, odd row counts, and agrees with float64 over gguf's values
    and with the reference lowering."""
    rng = np.random.default_rng(10 + rows)
    n, k = 24, 768
    tensors, weights = every_format("blk.0.", n, k, rng)
    path = tmp_path / "m.gguf"
    write_gguf(path, tensors)
    out = tmp_path / "m.mlir"
    r = qc_import(path, "--linears=^blk", "--emit=text", "-o", out)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    ctx = qc.Context()
    lowered = qc.Module.parse(ctx, text)
    lowered.run("qc-cpu-repack-weights,convert-qc-to-cpu{remarks=true}")
    summary = [d for d in ctx.take_diagnostics() if "kernel(s) emitted" in d]
    assert len(summary) == 1 and "0 matmul(s) and 0 rotation(s) left" in summary[0], summary
    cpu = qc.compile(qc.Module.parse(ctx, text), "qc-cpu-pipeline")
    ref = qc.compile(qc.Module.parse(ctx, text), "qc-reference-pipeline")
    x = rng.standard_normal((rows, k)).astype(np.float32)
    for name, w32 in weights.items():
        w = w32.astype(np.float64)
        want = x.astype(np.float64) @ w.T
        scale = np.abs(x).astype(np.float64) @ np.abs(w).T
        for label, m in [("cpu", cpu), ("reference", ref)]:
            got = m[name](x).astype(np.float64)
            # f32 sums of k products: a few ulps of the absolute sum.
            assert np.all(np.abs(got - want) <= 1e-5 * scale + 1e-30), (name, label)


def test_unread_formats_and_damaged_files_are_clear_errors(tmp_path):
    rng = np.random.default_rng(2)
    # A format qc-import does not read: named with the tensor.
    raw = rng.integers(0, 256, size=(N, K // 256 * 66), dtype=np.uint8)
    path = tmp_path / "tq.gguf"
    write_gguf(path, [("t.weight", raw, T.TQ2_0)])
    r = qc_import(path, "-o", tmp_path / "o.mlirbc")
    assert r.returncode == 1
    assert "tensor 't.weight' is TQ2_0, a format qc-import does not read" in r.stderr
    # ... and --select leaves it out.
    write_gguf(tmp_path / "two.gguf", [("t.weight", raw, T.TQ2_0),
                                       ("f.weight", np.ones((2, 4), np.float32), None)])
    r = qc_import(tmp_path / "two.gguf", "--select=^f", "-o", tmp_path / "o.mlirbc")
    assert r.returncode == 0, r.stderr

    good = tmp_path / "good.gguf"
    write_gguf(good, [("a.weight", random_blocks(T.Q4_K, 2, 256, rng), T.Q4_K),
                      ("b.weight", np.ones((2, 32), np.float32), None)])
    data = good.read_bytes()

    def run(blob, name):
        p = tmp_path / name
        p.write_bytes(blob)
        return qc_import(p, "-o", tmp_path / "out.mlirbc")

    cases = {
        "magic": (b"GGUX" + data[4:], "not a GGUF file"),
        "v1": (data[:4] + (1).to_bytes(4, "little") + data[8:], "version 1 is not supported"),
        "v9": (data[:4] + (9).to_bytes(4, "little") + data[8:], "version 9 is not supported"),
        "big-endian": (data[:4] + (3).to_bytes(4, "big") + data[8:], "big-endian"),
        "tensor count": (data[:8] + (1 << 60).to_bytes(8, "little") + data[16:], "tensors, more than the file can hold"),
        "key count": (data[:16] + (1 << 60).to_bytes(8, "little") + data[24:], "metadata entries, more than the file can hold"),
    }
    # Fields found by searching the bytes: the first tensor's type and
    # shape, the offset of the second.
    name_at = data.index(b"a.weight")
    info = name_at + len(b"a.weight")  # n_dims u32, ne[2] u64, type u32, offset u64
    type_at, ne0_at = info + 4 + 16, info + 4
    cases["unknown type"] = (data[:type_at] + (77).to_bytes(4, "little") + data[type_at + 4:],
                             "unknown ggml type 77")
    cases["overflow"] = (data[:ne0_at] + (1 << 62).to_bytes(8, "little") + data[ne0_at + 8:],
                         "overflows 64 bits")
    cases["rows not blocks"] = (data[:ne0_at] + (100).to_bytes(8, "little") + data[ne0_at + 8:],
                                "do not divide its rows of 100")
    b_at = data.index(b"b.weight") + len(b"b.weight")
    off_at = b_at + 4 + 16 + 4
    cases["misaligned"] = (data[:off_at] + (int.from_bytes(data[off_at:off_at + 8], "little") + 4).to_bytes(8, "little") + data[off_at + 8:],
                           "not a multiple of the alignment")
    cases["truncated"] = (data[:-8], "truncated")
    for name, (blob, message) in cases.items():
        r = run(blob, name.replace(" ", "_") + ".gguf")
        assert r.returncode == 1 and message in r.stderr, (name, r.stderr)
    # Every prefix of the file, and random byte flips: an error or a good
    # import, never a crash.
    for cut in range(0, len(data), max(1, len(data) // 97)):
        r = run(data[:cut], "prefix.gguf")
        assert r.returncode in (0, 1) and "qc-import:" in r.stderr + "qc-import:", (cut, r.stderr)
        assert r.returncode == 1, cut
    flips = np.random.default_rng(3)
    for i in range(60):
        blob = bytearray(data)
        for pos in flips.integers(0, len(data), size=3):
            blob[pos] = flips.integers(0, 256)
        r = run(bytes(blob), "flip.gguf")
        assert r.returncode in (0, 1), (i, r.returncode, r.stderr[-2000:])


def test_k_quant_requantization_reports_its_error(tmp_path):
    """With --gguf-float a Q4_K weight arrives as its exact f32 values;
    qc-quantize-model requantizes it to another format and, with remarks,
    reports the error against them."""
    rng = np.random.default_rng(4)
    raw = random_blocks(T.Q4_K, 16, 256, rng)
    path = tmp_path / "k.gguf"
    write_gguf(path, [("blk.0.ffn_up.weight", raw, T.Q4_K)])
    r = qc_import(path, "--gguf-float", "--linears=^blk", "--emit=text", "-o",
                  tmp_path / "k.mlir")
    assert r.returncode == 0, r.stderr
    ctx = qc.Context()
    m = qc.Module.parse(ctx, (tmp_path / "k.mlir").read_text())
    m.run("qc-quantize-model{policy=w4g64 remarks=true}")
    diags = [d for d in ctx.take_diagnostics() if "qc-quantize-constants" in d]
    assert len(diags) == 1, diags
    db = float(diags[0].split("SQNR ")[1].split(" dB")[0])
    # The same figure from numpy: qc's own dequantization of the new
    # weight (the JIT) against gguf's values.
    want = gguf.quants.dequantize(raw, T.Q4_K).astype(np.float64)
    got = qc.compile(qc.Module.parse(ctx, str(m)), "qc-reference-pipeline")[
        "blk.0.ffn_up"](np.eye(256, dtype=np.float32)).T.astype(np.float64)
    ref_db = 10 * np.log10((want ** 2).sum() / ((want - got) ** 2).sum())
    assert abs(db - ref_db) < 0.01, (db, ref_db)
    assert 10 < db < 30


def test_into_fills_block_parts_of_a_template(tmp_path):
    """qc-import --into fills a hand-written module's qc.constant parts
    (NAME.codes, NAME.scales, NAME.mins) from Q4_0, Q4_1, Q5_1 and Q8_0
    tensors (the formats whose parts are all blobs), bit for bit; a K-quant
    named that way, a part the format lacks, and a wrong size are errors."""
    rng = np.random.default_rng(21)
    n, k = 8, 64
    blob_formats = [T.Q4_0, T.Q4_1, T.Q5_1, T.Q8_0]
    tensors, values = [], {}
    for qtype in blob_formats + [T.Q4_K]:
        kk = 256 if qtype == T.Q4_K else k
        raw = random_blocks(qtype, n, kk, rng)
        name = "blk.0.%s.weight" % qtype.name.lower()
        tensors.append((name, raw, qtype))
        values[qtype] = gguf.quants.dequantize(raw, qtype).astype(np.float64)
    path = tmp_path / "m.gguf"
    write_gguf(path, tensors)

    def const(qtype, nbytes=None):
        """The qc.constant text naming a tensor's parts, and its type."""
        name = "blk.0.%s.weight" % qtype.name.lower()
        bits = {T.Q4_0: 4, T.Q4_1: 4, T.Q5_1: 5, T.Q8_0: 8}[qtype]
        grid = {T.Q4_0: "#qc.int<s4>", T.Q4_1: "#qc.int<u4>", T.Q5_1: "#qc.int<u5>",
                T.Q8_0: "#qc.int<s8>"}[qtype]
        has_min = qtype in (T.Q4_1, T.Q5_1)
        qt = "!qc.qtensor<%dx%d, %s, f16 #qc.per_block<[1, 32]>%s>" % (
            n, k, grid, ", min f16" if has_min else "")
        codes = nbytes or (n * k * bits + 7) // 8
        text = ("qc.constant codes(dense_resource<%s.codes> : tensor<%dxi8>) "
                "scales(dense_resource<%s.scales> : tensor<%dx%dxf16>)" % (
                    name, codes, name, n, k // 32))
        if has_min:
            text += " mins(dense_resource<%s.mins> : tensor<%dx%dxf16>)" % (name, n, k // 32)
        return text, qt

    fns = []
    for qtype in blob_formats:
        c, qt = const(qtype)
        fns.append("func.func @%s(%%x: tensor<?x%dxf32>) -> tensor<?x%dxf32> {\n"
                   "  %%w = %s : %s\n"
                   "  %%y = qc.matmul %%x, %%w : tensor<?x%dxf32>, %s -> tensor<?x%dxf32>\n"
                   "  return %%y : tensor<?x%dxf32>\n}" % (
                       qtype.name.lower(), k, n, c, qt, k, qt, n, n))
    template = tmp_path / "t.mlir"
    template.write_text("\n".join(fns) + "\n")
    out = tmp_path / "t.mlirbc"
    r = qc_import(path, "--into=%s" % template, "-o", out)
    assert r.returncode == 0, r.stderr
    ctx = qc.Context()
    m = qc.compile(qc.Module.load(ctx, str(out)), "qc-reference-pipeline")
    x = rng.standard_normal((3, k)).astype(np.float32)
    for qtype in blob_formats:
        got = m[qtype.name.lower()](x).astype(np.float64)
        want = x.astype(np.float64) @ values[qtype].T
        scale = np.abs(x).astype(np.float64) @ np.abs(values[qtype]).T
        assert np.all(np.abs(got - want) <= 1e-5 * scale + 1e-30), qtype

    def fails(text, *needles):
        t = tmp_path / "bad.mlir"
        t.write_text(text)
        r = qc_import(path, "--into=%s" % t, "-o", tmp_path / "bad.mlirbc")
        assert r.returncode == 1, r.stderr
        for needle in needles:
            assert needle in r.stderr, r.stderr

    # (A qc.constant of the wrong size is the verifier's error; a bare blob
    # is qc-import's.)
    c, qt = const(T.Q4_1, nbytes=100)
    fails("func.func @f() -> %s {\n  %%w = %s : %s\n  return %%w : %s\n}\n" % (qt, c, qt, qt),
          "codes must be the logical codes")
    fails('func.func @f() -> tensor<100xi8> {\n  %w = arith.constant '
          'dense_resource<"blk.0.q4_1.weight.codes"> : tensor<100xi8>\n'
          '  return %w : tensor<100xi8>\n}\n', "shape mismatch for 'blk.0.q4_1.weight.codes'")
    fails('func.func @f() -> tensor<8x8xf16> {\n  %w = arith.constant '
          'dense_resource<"blk.0.q8_0.weight.mins"> : tensor<8x8xf16>\n'
          '  return %w : tensor<8x8xf16>\n}\n', "has no .mins blob")
    fails('func.func @f() -> tensor<8x8xf16> {\n  %w = arith.constant '
          'dense_resource<"blk.0.q4_k.weight.scales"> : tensor<8x8xf16>\n'
          '  return %w : tensor<8x8xf16>\n}\n', "has no .scales blob")


@pytest.mark.parametrize("features", ["host", "host,-avx512vnni", "host,-avx512vnni,-avxvnni"])
@pytest.mark.parametrize("n", [12, 32])
def test_gguf_weights_with_int8_activations_run_on_the_integer_kernels(tmp_path, features, n):
    """Q4_0, Q4_1 (mins: w = d q + m) and Q8_0 weights as imported, times
    activations quantized at run time to int8 in blocks of 32 (llama.cpp's
    Q8 activations): the integer-dot kernels (where the target has one; N =
    32, a multiple of the VNNI row-lane tile's rows, takes the row-lane
    form, N = 12 the K-major one) against the reference lowering and
    float64 numpy."""
    rng = np.random.default_rng(33 + n)
    k, rows = 256, 7
    tensors, weights = [], {}
    for qtype in (T.Q4_0, T.Q4_1, T.Q8_0):
        raw = random_blocks(qtype, n, k, rng)
        name = "blk.0.%s" % qtype.name.lower()
        tensors.append((name + ".weight", raw, qtype))
        weights[name] = gguf.quants.dequantize(raw, qtype).astype(np.float64)
    path = tmp_path / "m.gguf"
    write_gguf(path, tensors)
    out = tmp_path / "m.mlir"
    r = qc_import(path, "--linears=^blk", "--emit=text", "-o", out)
    assert r.returncode == 0, r.stderr
    act = "!qc.qtensor<?x%d, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>" % k
    text = out.read_text().replace(
        "qc.matmul %arg0, %0 : tensor<?x256xf32>",
        "qc.matmul %qa, %0 : " + act).replace(
        "    %1 = qc.matmul", "    %%qa = qc.quantize %%arg0 : tensor<?x%dxf32> -> %s\n"
        "    %%1 = qc.matmul" % (k, act))
    assert text.count("qc.quantize") == 3, text[:2000]
    ctx = qc.Context()
    if features == "host":
        lowered = qc.Module.parse(ctx, text)
        lowered.run("qc-cpu-repack-weights,convert-qc-to-cpu{remarks=true}")
        summary = [d for d in ctx.take_diagnostics() if "kernel(s) emitted" in d]
        assert len(summary) == 1 and "0 matmul(s)" in summary[0], summary
    cpu = qc.compile(qc.Module.parse(ctx, text),
                     "qc-cpu-pipeline{target-features=%s}" % features)
    ref = qc.compile(qc.Module.parse(ctx, text), "qc-reference-pipeline")
    x = rng.standard_normal((rows, k)).astype(np.float32)
    # The activations' int8 codes as NUMERICS.md defines them (absmax per
    # block of 32, f32 scale, round half to even).
    blocks = x.reshape(rows, k // 32, 32)
    s = (np.abs(blocks).max(axis=2, keepdims=True) / np.float32(127)).astype(np.float32)
    q = np.clip(np.rint(blocks / np.where(s == 0, 1, s)), -128, 127)
    xq = (q * s).reshape(rows, k).astype(np.float64)
    for name, w in weights.items():
        want = xq @ w.T
        scale = np.abs(xq) @ np.abs(w).T
        got_ref = ref[name](x).astype(np.float64)
        got = cpu[name](x).astype(np.float64)
        assert np.all(np.abs(got_ref - want) <= 1e-5 * scale + 1e-30), (name, "reference")
        assert np.all(np.abs(got - got_ref) <= 1e-5 * scale + 1e-30), (name, features)
