// The int8 quantizer fused into the Hadamard kernel (per-row absmax,
// round half to even, clamp) is the reference lowering's qc.quantize bit
// for bit: the codes and the bits of the scales printed by the CPU pipeline
// (fused kernel) and the reference pipeline are identical. The inputs are
// multiples of 1/8 and the rotation is a Sylvester Hadamard of order 64 with
// signs (scale 1/8), so both rotations are exact and only the quantizers
// could differ. Row 1 has an outlier; row 2 has ties at .5 after scaling
// only by chance, which the comparison covers either way.
// RUN: qc-opt %s --qc-cpu-pipeline | %mlir-run > %t.cpu
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: sed -e 's/base@ = 0x[0-9a-f]*//' %t.cpu > %t.cpu.data
// RUN: sed -e 's/base@ = 0x[0-9a-f]*//' %t.ref > %t.ref.data
// RUN: diff %t.cpu.data %t.ref.data
// RUN: FileCheck %s --input-file=%t.cpu
// The same on 8-lane vectors (the zmm kernel is the default on AVX-512):
// RUN: qc-opt %s --qc-cpu-pipeline="target-features=host,-avx512f" | %mlir-run > %t.ymm
// RUN: sed -e 's/base@ = 0x[0-9a-f]*//' %t.ymm > %t.ymm.data
// RUN: diff %t.ymm.data %t.ref.data
// The CPU pipeline used the fused kernel:
// RUN: qc-opt %s --convert-qc-to-cpu | FileCheck %s --check-prefix=FUSED
// FUSED: qc.kernel_call @qc_cpu_hadamard_n64_signs_q8{{(_zmm)?}} 
// FUSED-NOT: qc.quantize
// Both printed three rows of 64 codes, then three scales' bits.
// CHECK: sizes = [3, 64]
// CHECK: sizes = [3]
func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  %x = arith.constant dense<
    [[-1.75, -0.375, 1.0, -1.25, 0.125, 1.5, -0.75, 0.625, -1.625, -0.25, 1.125, -1.125, 0.25, 1.625, -0.625, 0.75, -1.5, -0.125, 1.25, -1.0, 0.375, 1.75, -0.5, 0.875, -1.375, 0.0, 1.375, -0.875, 0.5, -1.75, -0.375, 1.0, -1.25, 0.125, 1.5, -0.75, 0.625, -1.625, -0.25, 1.125, -1.125, 0.25, 1.625, -0.625, 0.75, -1.5, -0.125, 1.25, -1.0, 0.375, 1.75, -0.5, 0.875, -1.375, 0.0, 1.375, -0.875, 0.5, -1.75, -0.375, 1.0, -1.25, 0.125, 1.5],
     [-0.75, 0.625, -1.625, -0.25, 1.125, 40.0, 0.25, 1.625, -0.625, 0.75, -1.5, -0.125, 1.25, -1.0, 0.375, 1.75, -0.5, 0.875, -1.375, 0.0, 1.375, -0.875, 0.5, -1.75, -0.375, 1.0, -1.25, 0.125, 1.5, -0.75, 0.625, -1.625, -0.25, 1.125, -1.125, 0.25, 1.625, -0.625, 0.75, -1.5, -0.125, 1.25, -1.0, 0.375, 1.75, -0.5, 0.875, -1.375, 0.0, 1.375, -0.875, 0.5, -1.75, -0.375, 1.0, -1.25, 0.125, 1.5, -0.75, 0.625, -1.625, -0.25, 1.125, -1.125],
     [0.25, 1.625, -0.625, 0.75, -1.5, -0.125, 1.25, -1.0, 0.375, 1.75, -0.5, 0.875, -1.375, 0.0, 1.375, -0.875, 0.5, -1.75, -0.375, 1.0, -1.25, 0.125, 1.5, -0.75, 0.625, -1.625, -0.25, 1.125, -1.125, 0.25, 1.625, -0.625, 0.75, -1.5, -0.125, 1.25, -1.0, 0.375, 1.75, -0.5, 0.875, -1.375, 0.0, 1.375, -0.875, 0.5, -1.75, -0.375, 1.0, -1.25, 0.125, 1.5, -0.75, 0.625, -1.625, -0.25, 1.125, -1.125, 0.25, 1.625, -0.625, 0.75, -1.5, -0.125]]> : tensor<3x64xf32>
  %r = qc.rotate %x by #qc.hadamard<64, seed = 7> along 1 : tensor<3x64xf32>
  %q = qc.quantize %r : tensor<3x64xf32> -> !qc.qtensor<3x64, #qc.int<s8>, f32 #qc.per_axis<0>>
  %parts:2 = qc.disassemble %q : !qc.qtensor<3x64, #qc.int<s8>, f32 #qc.per_axis<0>>
  %codes = arith.extsi %parts#0 : tensor<3x64xi8> to tensor<3x64xi32>
  %cc = tensor.cast %codes : tensor<3x64xi32> to tensor<*xi32>
  call @printMemrefI32(%cc) : (tensor<*xi32>) -> ()
  %bits = arith.bitcast %parts#1 : tensor<3xf32> to tensor<3xi32>
  %bc = tensor.cast %bits : tensor<3xi32> to tensor<*xi32>
  call @printMemrefI32(%bc) : (tensor<*xi32>) -> ()
  return
}
