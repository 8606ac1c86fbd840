#!/usr/bin/env python3
"""Writes the MLIR module of the benchmark's qc kernels: one function per
(kernel, N) with memref arguments (C interface) so the harness can call it
on weights it packed itself:

  qc_<kernel>_n<N>(A: M x K f32, packed codes: bytes, scales: N x K/G,
                   Y: M x N f32)

The quantized weight enters through `qc.assemble packed`, exactly as a
user's ahead-of-time packed weight would.
"""
import sys

# `gen_kernels.py PREFIX NAME,NAME,...` writes only those matmul kernels,
# their functions named PREFIX<name>_n<N> (the AVX2 build of some of them,
# which qc-bench times beside the host's).
PREFIX = sys.argv[1] if len(sys.argv) > 1 else "qc_"
ONLY = sys.argv[2].split(",") if len(sys.argv) > 2 else None

K = 4096
NS = [4096, 14336]
KERNELS = {
    # name: (grid, bits, group, scale type, activation quantization[,
    #        layout of the packed codes])
    "w4_g128": ("#qc.int<s4>", 4, 128, "f16", None),
    "w2_g128": ("#qc.int<s2>", 2, 128, "f16", None),
    "nf4_g128": ("#qc.nf4", 4, 128, "f16", None),
    # Activations quantized to int8 per block of 32 at run time, as
    # llama.cpp's Q4_0 x Q8_0.
    "w4a8_g128": ("#qc.int<s4>", 4, 128, "f16", "#qc.per_block<[1, 32]>"),
    # ... or per row (one scale per token).
    "w4a8row_g128": ("#qc.int<s4>", 4, 128, "f16", "#qc.per_axis<0>"),
    # 2-bit weights (same scales), activations per row.
    "w2a8row_g128": ("#qc.int<s2>", 2, 128, "f16", "#qc.per_axis<0>"),
    # 3-bit weights in the 2-bit + 1-bit planes the kernels read (what
    # qc-cpu-repack-weights does to constant 3-bit weights).
    "w3_g128": ("#qc.int<s3>", 3, 128, "f16", None, "#qc.bit_planes<[2, 1]>"),
    "w3a8row_g128": ("#qc.int<s3>", 3, 128, "f16", "#qc.per_axis<0>", "#qc.bit_planes<[2, 1]>"),
    # The same kernels reading weights repacked into their row-tiled layout
    # (what qc-cpu-repack-weights does to constant weights).
    "w4_g128_tiled": ("#qc.int<s4>", 4, 128, "f16", None, "#qc.tiled<rows = 2, chunk_bytes = 16>"),
    "w4a8row_g128_tiled": ("#qc.int<s4>", 4, 128, "f16", "#qc.per_axis<0>",
                           "#qc.tiled<rows = 4, chunk_bytes = 32>"),
    "w2a8row_g128_tiled": ("#qc.int<s2>", 2, 128, "f16", "#qc.per_axis<0>",
                           "#qc.tiled<rows = 4, chunk_bytes = 32>"),
    # ... with the scales widened to f32 ahead of time (exact; 2 more bytes
    # per block of 128).
    "w4a8row_g128_tiled_f32s": ("#qc.int<s4>", 4, 128, "f32", "#qc.per_axis<0>",
                                "#qc.tiled<rows = 4, chunk_bytes = 32>"),
    # llama.cpp's Q4_0 x Q8_0 and Q8_0 x Q8_0 (blocks of 32 on both sides,
    # f16 weight scales), and W8A8 with activations per row.
    "w4a8_g32_tiled": ("#qc.int<s4>", 4, 32, "f16", "#qc.per_block<[1, 32]>",
                       "#qc.tiled<rows = 4, chunk_bytes = 16>"),
    "w8a8_g32_tiled": ("#qc.int<s8>", 8, 32, "f16", "#qc.per_block<[1, 32]>",
                       "#qc.tiled<rows = 4, chunk_bytes = 32>"),
    "w8a8row_g128_tiled": ("#qc.int<s8>", 8, 128, "f16", "#qc.per_axis<0>",
                           "#qc.tiled<rows = 4, chunk_bytes = 32>"),
    # The row-lane tile of the AVX-512 VNNI kernels (what
    # qc-cpu-repack-weights gives constant weights on such a CPU; qc-bench
    # times these only there), with f16 scales in lane order as repacking
    # keeps them.
    "w4a8row_g128_rl": ("#qc.int<s4>", 4, 128, "f16", "#qc.per_axis<0>",
                        "#qc.tiled<rows = 16, chunk_bytes = 4>"),
    "w4a8_g32_rl": ("#qc.int<s4>", 4, 32, "f16", "#qc.per_block<[1, 32]>",
                    "#qc.tiled<rows = 16, chunk_bytes = 4>"),
    "w2a8row_g128_rl": ("#qc.int<s2>", 2, 128, "f16", "#qc.per_axis<0>",
                        "#qc.tiled<rows = 16, chunk_bytes = 4>"),
    "w8a8_g32_rl": ("#qc.int<s8>", 8, 32, "f16", "#qc.per_block<[1, 32]>",
                    "#qc.tiled<rows = 16, chunk_bytes = 4>"),
    "w8a8row_g128_rl": ("#qc.int<s8>", 8, 128, "f16", "#qc.per_axis<0>",
                        "#qc.tiled<rows = 16, chunk_bytes = 4>"),
    # The table-lookup (LUT) kernels on AVX-512 VBMI: codes as 1-bit planes,
    # each tiled 16 rows x 4 bytes (what qc-cpu-repack-weights gives 1-bit
    # and binary constants there; 2- to 4-bit codes take it only in this
    # layout), f16 scales in lane order. qc-bench times these only on a
    # VBMI host.
    "w1a8row_g128_lut": ("#qc.int<s1>", 1, 128, "f16", "#qc.per_axis<0>",
                         "#qc.tiled<rows = 16, chunk_bytes = 4>"),
    "bina8row_g128_lut": ("#qc.binary", 1, 128, "f16", "#qc.per_axis<0>",
                          "#qc.tiled<rows = 16, chunk_bytes = 4>"),
    "w2a8row_g128_lut": ("#qc.int<s2>", 2, 128, "f16", "#qc.per_axis<0>",
                         "#qc.bit_planes<[1, 1], tile = #qc.tiled<rows = 16, chunk_bytes = 4>>"),
    "w4a8row_g128_lut": ("#qc.int<s4>", 4, 128, "f16", "#qc.per_axis<0>",
                         "#qc.bit_planes<[1, 1, 1, 1], tile = #qc.tiled<rows = 16, chunk_bytes = 4>>"),
    # The same 1-bit kernels reading 16 rows x 2 bytes (the chunk of the
    # AVX2 form, and of K or blocks not a multiple of 32): the VBMI build
    # against the 4-byte chunk above, and the AVX2 build.
    "w1a8row_g128_lut_c2": ("#qc.int<s1>", 1, 128, "f16", "#qc.per_axis<0>",
                            "#qc.tiled<rows = 16, chunk_bytes = 2>"),
    "bina8row_g128_lut_c2": ("#qc.binary", 1, 128, "f16", "#qc.per_axis<0>",
                             "#qc.tiled<rows = 16, chunk_bytes = 2>"),
    # A nested weight: s8 codes stored once as a 4-bit low and a 4-bit high
    # plane, each in the row-lane tile, read at 4 bits by qc.requantize
    # msb_slice (the kernel reads the high plane in place; compare
    # w4a8row_g128_rl, a stored s4 weight).
    "w8n4a8row_g128_rl": ("#qc.int<s8>", 8, 128, "f16", "#qc.per_axis<0>",
                          "#qc.bit_planes<[4, 4], tile = #qc.tiled<rows = 16, chunk_bytes = 4>>",
                          ("#qc.int<s4>", "msb_slice")),
    # The same planes read at 8 bits: two kernels, one per plane (compare
    # w8a8row_g128_rl).
    "w8p4a8row_g128_rl": ("#qc.int<s8>", 8, 128, "f16", "#qc.per_axis<0>",
                          "#qc.bit_planes<[4, 4], tile = #qc.tiled<rows = 16, chunk_bytes = 4>>"),
}

out = ["// Generated by bench/gen_kernels.py; do not edit."]
for name, (grid, bits, group, scale, act, *rest) in KERNELS.items():
    if ONLY and name not in ONLY:
        continue
    layout = rest[:1]
    nested = rest[1] if len(rest) > 1 else None
    for n in NS:
        nbytes = n * K * bits // 8
        extra = f", layout {layout[0]}" if layout else ""
        qt = f"!qc.qtensor<{n}x{K}, {grid}, {scale} #qc.per_block<[1, {group}]>{extra}>"
        stored_qt, read = qt, "%w"
        if nested:
            qt = f"!qc.qtensor<{n}x{K}, {nested[0]}, {scale} #qc.per_block<[1, {group}]>, min f32>"
            read = f"%wn = qc.requantize %w {nested[1]} : {stored_qt} -> {qt}\n  "
        if act:
            lhs_type = f"!qc.qtensor<?x{K}, #qc.int<s8>, f32 {act}>"
            lhs_def = f"%qa = qc.quantize %a : tensor<?x{K}xf32> -> {lhs_type}"
            lhs = "%qa"
        else:
            lhs_type, lhs_def, lhs = f"tensor<?x{K}xf32>", "", "%a"
        ng = K // group
        st = f"tensor<{n}x{ng}x{scale}>"
        if name.endswith(("_rl", "_lut", "_lut_c2")):
            # The scales arrive in the kernels' lane order (16 rows' scales
            # of a block together: what qc-cpu-repack-weights gives constant
            # weights), N/16 x K/G x 16 in the same buffer; the transposition
            # to the logical N x K/G is what convert-qc-to-cpu sees through.
            lo = f"tensor<{n // 16}x{ng}x16x{scale}>"
            tr = f"tensor<{n // 16}x16x{ng}x{scale}>"
            scales = f"""%sb = bufferization.to_tensor %sm restrict : memref<{n}x{ng}x{scale}> to {st}
  %sf = tensor.collapse_shape %sb [[0, 1]] : {st} into tensor<{n * ng}x{scale}>
  %sl = tensor.expand_shape %sf [[0, 1, 2]] output_shape [{n // 16}, {ng}, 16] : tensor<{n * ng}x{scale}> into {lo}
  %se = tensor.empty() : {tr}
  %stt = linalg.transpose ins(%sl : {lo}) outs(%se : {tr}) permutation = [0, 2, 1]
  %s = tensor.collapse_shape %stt [[0, 1], [2]] : {tr} into {st}"""
        else:
            scales = f"%s = bufferization.to_tensor %sm restrict : memref<{n}x{ng}x{scale}> to {st}"
        out.append(f"""
func.func @{PREFIX}{name}_n{n}(%am: memref<?x{K}xf32>, %bm: memref<{nbytes}xi8>,
    %sm: memref<{n}x{ng}x{scale}>, %ym: memref<?x{n}xf32>)
    attributes {{llvm.emit_c_interface}} {{
  %a = bufferization.to_tensor %am restrict : memref<?x{K}xf32> to tensor<?x{K}xf32>
  %b = bufferization.to_tensor %bm restrict : memref<{nbytes}xi8> to tensor<{nbytes}xi8>
  {scales}
  %w = qc.assemble packed %b, %s : {stored_qt}
  {read if nested else ""}{lhs_def}
  %y = qc.matmul {lhs}, {"%wn" if nested else "%w"} : {lhs_type}, {qt} -> tensor<?x{n}xf32>
  bufferization.materialize_in_destination %y in restrict writable %ym
      : (tensor<?x{n}xf32>, memref<?x{n}xf32>) -> ()
  return
}}""")
if ONLY:
    print("\n".join(out))
    sys.exit(0)
# Mixed precision along K (Atom's high-precision tail): the first K - 128
# input channels in int4 groups of 128, the last 128 in int8 (narrow, as
# absmax quantization gives), activations int8 per block of 32 or per row,
# as two qc.matmul, the second accumulating into the first. Compared with
# the unsplit w4a8_g128 / w4a8row_g128 kernels above.
TAIL = 128
SPLITS = {"w4a8_g128": "#qc.per_block<[1, 32]>", "w4a8row_g128": "#qc.per_axis<0>"}
for name, act in SPLITS.items():
    for n in NS:
        k0 = K - TAIL
        w0 = f"!qc.qtensor<{n}x{k0}, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>"
        w1 = f"!qc.qtensor<{n}x{TAIL}, #qc.int<s8, narrow>, f16 #qc.per_block<[1, 128]>>"
        a0 = f"!qc.qtensor<?x{k0}, #qc.int<s8>, f32 {act}>"
        a1 = f"!qc.qtensor<?x{TAIL}, #qc.int<s8>, f32 {act}>"
        out.append(f"""
func.func @qc_{name}_tail{TAIL}_n{n}(%am: memref<?x{K}xf32>,
    %b0m: memref<{n * k0 // 2}xi8>, %s0m: memref<{n}x{k0 // 128}xf16>,
    %b1m: memref<{n * TAIL}xi8>, %s1m: memref<{n}x1xf16>, %ym: memref<?x{n}xf32>)
    attributes {{llvm.emit_c_interface}} {{
  %c0 = arith.constant 0 : index
  %a = bufferization.to_tensor %am restrict : memref<?x{K}xf32> to tensor<?x{K}xf32>
  %m = tensor.dim %a, %c0 : tensor<?x{K}xf32>
  %b0 = bufferization.to_tensor %b0m restrict : memref<{n * k0 // 2}xi8> to tensor<{n * k0 // 2}xi8>
  %s0 = bufferization.to_tensor %s0m restrict : memref<{n}x{k0 // 128}xf16> to tensor<{n}x{k0 // 128}xf16>
  %b1 = bufferization.to_tensor %b1m restrict : memref<{n * TAIL}xi8> to tensor<{n * TAIL}xi8>
  %s1 = bufferization.to_tensor %s1m restrict : memref<{n}x1xf16> to tensor<{n}x1xf16>
  %w0 = qc.assemble packed %b0, %s0 : {w0}
  %w1 = qc.assemble packed %b1, %s1 : {w1}
  %x0 = tensor.extract_slice %a[0, 0] [%m, {k0}] [1, 1] : tensor<?x{K}xf32> to tensor<?x{k0}xf32>
  %x1 = tensor.extract_slice %a[0, {k0}] [%m, {TAIL}] [1, 1] : tensor<?x{K}xf32> to tensor<?x{TAIL}xf32>
  %q0 = qc.quantize %x0 : tensor<?x{k0}xf32> -> {a0}
  %q1 = qc.quantize %x1 : tensor<?x{TAIL}xf32> -> {a1}
  %y0 = qc.matmul %q0, %w0 : {a0}, {w0} -> tensor<?x{n}xf32>
  %y = qc.matmul %q1, %w1 accumulate(%y0 : tensor<?x{n}xf32>) : {a1}, {w1} -> tensor<?x{n}xf32>
  bufferization.materialize_in_destination %y in restrict writable %ym
      : (tensor<?x{n}xf32>, memref<?x{n}xf32>) -> ()
  return
}}""")
# Online rotations: the fast Walsh-Hadamard kernel of qc.rotate, for a
# power of two, a Paley base (12 x 256), and model widths with the base the
# parser picks: 5120 = 20 * 256 (paley1 = 19), 11008 = 172 * 64
# (williamson = 43), 13824 = 108 * 128 (paley1 = 107).
ROTATIONS = {4096: "#qc.hadamard<4096>", 3072: "#qc.hadamard<3072, paley1 = 11>",
             5120: "#qc.hadamard<5120>", 11008: "#qc.hadamard<11008>",
             13824: "#qc.hadamard<13824>"}
for n, attr in ROTATIONS.items():
    out.append(f"""
func.func @qc_hadamard_n{n}(%xm: memref<?x{n}xf32>, %ym: memref<?x{n}xf32>)
    attributes {{llvm.emit_c_interface}} {{
  %x = bufferization.to_tensor %xm restrict : memref<?x{n}xf32> to tensor<?x{n}xf32>
  %y = qc.rotate %x by {attr} along 1 : tensor<?x{n}xf32>
  bufferization.materialize_in_destination %y in restrict writable %ym
      : (tensor<?x{n}xf32>, memref<?x{n}xf32>) -> ()
  return
}}""")
print("\n".join(out))
