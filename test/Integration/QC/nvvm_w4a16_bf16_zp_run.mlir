// A W4A16 linear with bf16 activations and u4 weights with zero points
// (AWQ's format) through qc-nvvm-pipeline, run by mlir-runner with qc's
// CUDA runtime. On a machine with an NVIDIA GPU it must print what the
// reference pipeline prints (every value here is exact in bf16 and the sums
// are exact in f32, so the output is identical); without one, the runtime
// stops the program with one message that says why, before anything runs.
//   row m of a is m + 1 everywhere (m = 0, 1, 2);
//   every weight byte is 0x99: u4 codes 9 and 9, zero point 5, scale 0.5,
//   so every weight is 0.5 * (9 - 5) = 2: y[m, n] = (m + 1) * 256 * 2 =
//   512 (m + 1).
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run > %t.ref
// RUN: FileCheck %s < %t.ref
// CHECK: [512,   512
// CHECK-NEXT: [1024,   1024
// CHECK-NEXT: [1536,   1536
// RUN: qc-opt %s --qc-nvvm-pipeline="chip=sm_90 format=isa" -o %t.gpu.mlir
// RUN: FileCheck %s --check-prefix=KERNEL < %t.gpu.mlir
// KERNEL: gpu.launch_func {{.*}}@qc_nvvm_kernels::@qc_nvvm_w4a16_n64_k256_g128_split1_bf16_zp
// RUN: %if no-cuda-gpu %{ not %mlir-run -shared-libs=%qc_cuda_runtime %t.gpu.mlir 2>&1 | FileCheck %s --check-prefix=NOGPU %}
// RUN: %if cuda-gpu %{ %mlir-run -shared-libs=%qc_cuda_runtime %t.gpu.mlir > %t.gpu && diff %t.ref %t.gpu %}
// NOGPU: qc-cuda-runtime: cannot load the CUDA driver (libcuda.so.1); this program launches GPU kernels and needs an NVIDIA GPU with its driver
// NOGPU-NOT: [512
func.func @linear(%a: tensor<?x256xbf16>) -> tensor<?x64xf32> {
  %w = qc.constant codes(dense<-103> : tensor<8192xi8>) scales(dense<0.5> : tensor<64x2xbf16>)
      zero_points(dense<5> : tensor<64x2xi8>)
      : !qc.qtensor<64x256, #qc.int<u4>, bf16 #qc.per_block<[1, 128]>, zero_point i8>
  %y = qc.matmul %a, %w : tensor<?x256xbf16>, !qc.qtensor<64x256, #qc.int<u4>, bf16 #qc.per_block<[1, 128]>, zero_point i8> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @main() {
  %r0 = arith.constant dense<1.0> : tensor<1x256xbf16>
  %r1 = arith.constant dense<2.0> : tensor<1x256xbf16>
  %r2 = arith.constant dense<3.0> : tensor<1x256xbf16>
  %a3 = tensor.concat dim(0) %r0, %r1, %r2 : (tensor<1x256xbf16>, tensor<1x256xbf16>, tensor<1x256xbf16>) -> tensor<3x256xbf16>
  %a = tensor.cast %a3 : tensor<3x256xbf16> to tensor<?x256xbf16>
  %y = call @linear(%a) : (tensor<?x256xbf16>) -> tensor<?x64xf32>
  %u = tensor.cast %y : tensor<?x64xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
