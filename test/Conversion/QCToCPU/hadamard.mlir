// qc.rotate by #qc.hadamard along the last axis of an f32 matrix becomes a
// call to the fast Walsh-Hadamard kernel; other rotations keep the
// reference lowering and say why.
// (An AVX2 target; the AVX-512 kernels are 16 lanes wide, below.)
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" --split-input-file -verify-diagnostics=only-expected | FileCheck %s
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: remark: convert-qc-to-cpu: 5 kernel(s) emitted (qc_cpu_hadamard_n480_k60, qc_cpu_hadamard_n160_k20_paley1_19, qc_cpu_hadamard_n11008_k172, qc_cpu_hadamard_n96_k12_paley1_11_signs_t, qc_cpu_hadamard_n64); 0 matmul(s) and 0 rotation(s) left to the reference lowering
// SUMMARY: remark: convert-qc-to-cpu: 0 kernel(s) emitted; 0 matmul(s) and 3 rotation(s) left to the reference lowering
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=ASM
// With AVX-512 the kernel works on 16 lanes (zmm) where the power-of-two
// factor allows (64: yes; 96 = 12 x 8: no):
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 | FileCheck %s --check-prefix=ZMM
// ZMM-LABEL: qc_cpu_hadamard_n96_k12_paley1_11_signs_t:
// ZMM-LABEL: qc_cpu_hadamard_n64_zmm:
// ZMM: vfmadd{{[0-9]+}}ps {{.*}}zmm

// A base of order K <= 28 is unrolled into its kernel (the name says
// which); a larger one is the kernel's K x K f32 table argument (transposed
// for x Q^T), so bases of the same order share one kernel: paley1 = 59 and
// paley2 = 29 (both K = 60) call qc_cpu_hadamard_n480_k60 with different
// tables.
// CHECK-LABEL: func.func @kernel(
// CHECK-NOT: qc.rotate
// CHECK: qc.kernel_call @qc_cpu_hadamard_n64 
// CHECK-NOT: qc.rotate
// CHECK: qc.kernel_call @qc_cpu_hadamard_n96_k12_paley1_11_signs_t ins(%{{.*}}, %{{.*}} : tensor<3x96xf32>, tensor<96xf32>) outs(%{{.*}} : tensor<?x96xf32>)
// CHECK: qc.kernel_call @qc_cpu_hadamard_n11008_k172 ins({{.*}} : tensor<?x11008xf32>, tensor<172x172xf32>) outs({{.*}} : tensor<?x11008xf32>, tensor<?x11008xf32>)
// CHECK: qc.kernel_call @qc_cpu_hadamard_n160_k20_paley1_19 
// CHECK: qc.kernel_call @qc_cpu_hadamard_n480_k60 ins({{.*}} : tensor<4x480xf32>, tensor<60x60xf32>) outs({{.*}} : tensor<?x480xf32>, tensor<?x480xf32>)
// CHECK: qc.kernel_call @qc_cpu_hadamard_n480_k60 ins({{.*}} : tensor<4x480xf32>, tensor<60x60xf32>) outs({{.*}} : tensor<?x480xf32>, tensor<?x480xf32>)
// CHECK-NOT: qc.rotate
// CHECK-LABEL: func.func @fallbacks(
// The base step's inner loop (a = 0 .. 171), for two output rows c and 32
// columns: four vectors of row a of t, a broadcast of T[c][a] and four
// FMAs, a broadcast of T[c + 1][a] (688 = 172 * 4 bytes on) and four more.
// ASM-LABEL: qc_cpu_hadamard_n11008_k172..omp_par:
// ASM: vbroadcastss ({{%[a-z0-9]+}},{{%[a-z0-9]+}}), %ymm
// ASM-COUNT-4: vfmadd231ps
// ASM: vbroadcastss 688({{%[a-z0-9]+}},{{%[a-z0-9]+}}), %ymm
// ASM-COUNT-4: vfmadd231ps
// ASM: cmpq $172
// ASM-LABEL: qc_cpu_hadamard_n96_k12_paley1_11_signs_t:
// The in-register stages: a lane shuffle and an FMA by +-1 each.
// ASM-LABEL: qc_cpu_hadamard_n64:
// ASM-DAG: vfmadd{{[0-9]+}}ps
// ASM-DAG: {{vpermilps|vshufps|vperm2f128|vpermpd|vshufpd}}
// ASM: .Lfunc_end
func.func @kernel(%x: tensor<?x64xf32>, %z: tensor<3x96xf32>, %u: tensor<?x11008xf32>, %v: tensor<4x160xf32>, %s: tensor<4x480xf32>) -> (tensor<?x64xf32>, tensor<3x96xf32>, tensor<?x11008xf32>, tensor<4x160xf32>, tensor<4x480xf32>, tensor<4x480xf32>) {
  %y = qc.rotate %x by #qc.hadamard<64> along 1 : tensor<?x64xf32>
  %w = qc.rotate %z by #qc.hadamard<96, paley1 = 11, seed = 3> along 1 transpose : tensor<3x96xf32>
  %r = qc.rotate %u by #qc.hadamard<11008> along 1 : tensor<?x11008xf32>
  %p = qc.rotate %v by #qc.hadamard<160, paley1 = 19> along 1 : tensor<4x160xf32>
  %q = qc.rotate %s by #qc.hadamard<480, paley1 = 59> along 1 : tensor<4x480xf32>
  %o = qc.rotate %s by #qc.hadamard<480, paley2 = 29> along 1 : tensor<4x480xf32>
  return %y, %w, %r, %p, %q, %o : tensor<?x64xf32>, tensor<3x96xf32>, tensor<?x11008xf32>, tensor<4x160xf32>, tensor<4x480xf32>, tensor<4x480xf32>
}

// -----

func.func @fallbacks(%a: tensor<2x64xf16>, %b: tensor<64x2xf32>, %c: tensor<2x24xf32>) -> (tensor<2x64xf16>, tensor<64x2xf32>, tensor<2x24xf32>) {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the tensor is not f32}}
  %0 = qc.rotate %a by #qc.hadamard<64> along 1 : tensor<2x64xf16>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the rotation is not along the last axis of a matrix}}
  %1 = qc.rotate %b by #qc.hadamard<64> along 0 : tensor<64x2xf32>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the power-of-two factor of the size is below 8 (24 = 12 * 2; the kernel works on 8 columns of the K x m view at a time)}}
  %2 = qc.rotate %c by #qc.hadamard<24, paley1 = 11> along 1 : tensor<2x24xf32>
  return %0, %1, %2 : tensor<2x64xf16>, tensor<64x2xf32>, tensor<2x24xf32>
}
