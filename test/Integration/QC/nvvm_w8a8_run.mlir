// A W8A8 linear (int8 activations quantized per row at run time, on the
// GPU by the quantization kernel) through qc-nvvm-pipeline, run by
// mlir-runner with qc's CUDA runtime. On a machine with an NVIDIA GPU it must print what the reference
// pipeline prints (the kernel scales an exact i32 sum, the reference sums
// dequantized products in f32; at the printed precision both are 384 (m+1));
// without one, the runtime stops the program with one message that says
// why, before anything runs.
//   row m of a is m + 1 everywhere: codes 127, scale (m + 1) / 127;
//   every weight code is 3, scale 0.5: y[m, n] = 256 * 127 * 3 * 0.5 *
//   (m + 1) / 127 = 384 (m + 1) (the kernel's i32 sum 97536 is exact).
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: FileCheck %s < %t.ref
// CHECK: [384,   384
// CHECK-NEXT: [768,   768
// CHECK-NEXT: [1152,   1152
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_90 format=isa" -o %t.gpu.mlir
// RUN: FileCheck %s --check-prefix=KERNELS < %t.gpu.mlir
// KERNELS: gpu.launch_func {{.*}}@qc_nvvm_kernels::@qc_nvvm_quantize_rows_s8_k256_f32
// KERNELS: gpu.launch_func {{.*}}@qc_nvvm_kernels::@qc_nvvm_w8a8_n64_k256
// RUN: %if no-cuda-gpu %{ not %mlir-run -shared-libs=%qc_cuda_runtime %t.gpu.mlir 2>&1 | FileCheck %s --check-prefix=NOGPU %}
// RUN: %if cuda-gpu %{ %mlir-run -shared-libs=%qc_cuda_runtime %t.gpu.mlir > %t.gpu && diff %t.ref %t.gpu %}
// NOGPU: qc-cuda-runtime: cannot load the CUDA driver (libcuda.so.1); this program launches GPU kernels and needs an NVIDIA GPU with its driver
// NOGPU-NOT: [384
func.func @linear(%a: tensor<?x256xf32>) -> tensor<?x64xf32> {
  %w = qc.constant codes(dense<3> : tensor<16384xi8>) scales(dense<0.5> : tensor<64xf32>)
      : !qc.qtensor<64x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %qa = qc.quantize %a : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<64x256, #qc.int<s8>, f32 #qc.per_axis<0>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @main() {
  %r0 = arith.constant dense<1.0> : tensor<1x256xf32>
  %r1 = arith.constant dense<2.0> : tensor<1x256xf32>
  %r2 = arith.constant dense<3.0> : tensor<1x256xf32>
  %a3 = tensor.concat dim(0) %r0, %r1, %r2 : (tensor<1x256xf32>, tensor<1x256xf32>, tensor<1x256xf32>) -> tensor<3x256xf32>
  %a = tensor.cast %a3 : tensor<3x256xf32> to tensor<?x256xf32>
  %y = call @linear(%a) : (tensor<?x256xf32>) -> tensor<?x64xf32>
  %u = tensor.cast %y : tensor<?x64xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
