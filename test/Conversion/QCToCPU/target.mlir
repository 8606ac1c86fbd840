// Kernels are selected for the target: a kernel whose instructions need a
// CPU feature the target lacks is not emitted, and its op keeps the
// reference lowering (with a remark), so the program never contains an
// instruction the target cannot run.
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=sse2,ssse3" \
// RUN:   -verify-diagnostics=only-expected | FileCheck %s --check-prefix=SSSE3
// RUN: qc-opt %s --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" \
// RUN:   | FileCheck %s --check-prefix=AVX2
// "-" removes a feature from the list: avx2 then -avx2 is no avx2.
// RUN: qc-opt %s --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,ssse3,-avx2" \
// RUN:   | FileCheck %s --check-prefix=SSSE3
// Another architecture gets no kernel at all.
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=aarch64-unknown-linux-gnu target-features=neon" \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=ARM
// A feature list that does not parse is an error.
// RUN: not qc-opt %s --convert-qc-to-cpu="target-features=avx2,+" -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// The whole pipeline for a CPU without AVX2 emits no AVX2 instruction, and the program still
// lowers (the W4A8 matmul through the reference lowering).
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=sse2,ssse3" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 \
// RUN:   | FileCheck %s --check-prefix=ASM

// SSSE3-LABEL: func.func @layers(
// SSSE3: qc.matmul %{{.*}}, %{{.*}} : !qc.qtensor<?x256, #qc.int<s8>
// SSSE3: qc.kernel_call @qc_cpu_w4_int_n64_k256_g128_f32 
// SSSE3: qc.matmul %{{.*}}, %{{.*}} : tensor<?x256xf32>, !qc.qtensor<64x256, #qc.nf4
// SSSE3-NOT: qc_x86.vpmaddubsw
// SSSE3-NOT: qc_x86.vpermps
// AVX2-LABEL: func.func @layers(
// AVX2: qc.kernel_call @qc_cpu_w4a8_n64_k256_g128_f32_arow 
// AVX2: qc.kernel_call @qc_cpu_w4_int_n64_k256_g128_f32 
// AVX2: qc.kernel_call @qc_cpu_w4_ftab_n64_k256_g128_f32 
// AVX2-NOT: qc.matmul
// AVX2: qc_x86.vpmaddubsw
// ARM-COUNT-3: remark: no CPU kernel, left to the reference lowering: the target aarch64-unknown-linux-gnu is not x86-64
// ARM: remark: convert-qc-to-cpu: 0 kernel(s) emitted; 3 matmul(s) and 0 rotation(s) left to the reference lowering
// BAD: error: convert-qc-to-cpu: target-features: '' is not a feature name (expected e.g. "avx2,fma" or "host")
// ASM-NOT: vpmaddubsw
// ASM-NOT: vpermps
// ASM-NOT: ymm
// ASM: qc_cpu_w4_int_n64_k256_g128_f32:
// ASM: pshufb
// ASM-NOT: ymm
func.func @layers(%a: tensor<?x256xf32>, %bytes: tensor<8192xi8>, %s: tensor<64x2xf32>)
    -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  %qa = qc.quantize %a : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x256, #qc.int<s4>, f32 #qc.per_block<[1, 128]>>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the target lacks avx2 (needed by the kernel's instructions)}}
  %0 = qc.matmul %qa, %w : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<64x256, #qc.int<s4>, f32 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  %1 = qc.matmul %a, %w : tensor<?x256xf32>, !qc.qtensor<64x256, #qc.int<s4>, f32 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  %nf4 = qc.assemble packed %bytes, %s : !qc.qtensor<64x256, #qc.nf4, f32 #qc.per_block<[1, 128]>>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the target lacks avx2 (needed by the kernel's instructions)}}
  %2 = qc.matmul %a, %nf4 : tensor<?x256xf32>, !qc.qtensor<64x256, #qc.nf4, f32 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  return %0, %1, %2 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}
