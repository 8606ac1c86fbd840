// A W4A16 linear through qc-nvvm-pipeline, run by mlir-runner with qc's CUDA
// runtime. On a machine with an NVIDIA GPU it must print what the reference
// pipeline prints (to f16-weight rounding: every value here is exact in
// f16, so the output is identical); without one, the runtime stops the
// program with one message that says why, before anything runs.
//   a = 1 in every column of row m (m = 0, 1, 2: rows of 1, 2, 3);
//   every weight code is 0x9 -> code 1 (offset 8) in both nibbles of 0x99
//   after qc-nvvm-layout (the plain bytes 0x11 are codes 1, 1), scale 0.5:
//   y[m, n] = (m + 1) * 256 * 0.5 = 128 (m + 1).
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: FileCheck %s < %t.ref
// CHECK: [128,   128
// CHECK-NEXT: [256,   256
// CHECK-NEXT: [384,   384
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_90 format=isa" -o %t.gpu.mlir
// RUN: %if no-cuda-gpu %{ not %mlir-run -shared-libs=%qc_cuda_runtime %t.gpu.mlir 2>&1 | FileCheck %s --check-prefix=NOGPU %}
// RUN: %if cuda-gpu %{ %mlir-run -shared-libs=%qc_cuda_runtime %t.gpu.mlir > %t.gpu && diff %t.ref %t.gpu %}
// NOGPU: qc-cuda-runtime: cannot load the CUDA driver (libcuda.so.1); this program launches GPU kernels and needs an NVIDIA GPU with its driver
// NOGPU-NOT: [128
func.func @linear(%a: tensor<?x256xf16>) -> tensor<?x64xf32> {
  %w = qc.constant codes(dense<17> : tensor<8192xi8>) scales(dense<0.5> : tensor<64x2xf16>)
      : !qc.qtensor<64x256, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
  %y = qc.matmul %a, %w : tensor<?x256xf16>, !qc.qtensor<64x256, #qc.int<s4>, f16 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @main() {
  %r0 = arith.constant dense<1.0> : tensor<1x256xf16>
  %r1 = arith.constant dense<2.0> : tensor<1x256xf16>
  %r2 = arith.constant dense<3.0> : tensor<1x256xf16>
  %a3 = tensor.concat dim(0) %r0, %r1, %r2 : (tensor<1x256xf16>, tensor<1x256xf16>, tensor<1x256xf16>) -> tensor<3x256xf16>
  %a = tensor.cast %a3 : tensor<3x256xf16> to tensor<?x256xf16>
  %y = call @linear(%a) : (tensor<?x256xf16>) -> tensor<?x64xf32>
  %u = tensor.cast %y : tensor<?x64xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
