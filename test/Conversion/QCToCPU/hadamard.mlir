// qc.rotate by #qc.hadamard along the last axis of an f32 matrix becomes a
// call to the fast Walsh-Hadamard kernel; other rotations keep the
// reference lowering and say why.
// RUN: qc-opt %s --convert-qc-to-cpu=remarks --split-input-file -verify-diagnostics=only-expected | FileCheck %s
// RUN: qc-opt %s --convert-qc-to-cpu=remarks --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: remark: convert-qc-to-cpu: 2 kernel(s) emitted (qc_cpu_hadamard_n96_k12_q11_signs_t, qc_cpu_hadamard_n64); 0 matmul(s) and 0 rotation(s) left to the reference lowering
// SUMMARY: remark: convert-qc-to-cpu: 0 kernel(s) emitted; 0 matmul(s) and 3 rotation(s) left to the reference lowering
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=ASM

// CHECK-LABEL: func.func @kernel(
// CHECK-NOT: qc.rotate
// CHECK: call @qc_cpu_hadamard_n64(
// CHECK-NOT: qc.rotate
// CHECK: call @qc_cpu_hadamard_n96_k12_q11_signs_t(
// CHECK-NOT: qc.rotate
// CHECK-LABEL: func.func @fallbacks(
// The in-register stages: a lane shuffle and an FMA by +-1 each.
// ASM-LABEL: qc_cpu_hadamard_n64:
// ASM-DAG: vfmadd{{[0-9]+}}ps
// ASM-DAG: {{vpermilps|vshufps|vperm2f128|vpermpd|vshufpd}}
// ASM: .Lfunc_end
func.func @kernel(%x: tensor<?x64xf32>, %z: tensor<3x96xf32>) -> (tensor<?x64xf32>, tensor<3x96xf32>) {
  %y = qc.rotate %x by #qc.hadamard<64> along 1 : tensor<?x64xf32>
  %w = qc.rotate %z by #qc.hadamard<96, paley1 = 11, seed = 3> along 1 transpose : tensor<3x96xf32>
  return %y, %w : tensor<?x64xf32>, tensor<3x96xf32>
}

// -----

func.func @fallbacks(%a: tensor<2x64xf16>, %b: tensor<64x2xf32>, %c: tensor<2x24xf32>) -> (tensor<2x64xf16>, tensor<64x2xf32>, tensor<2x24xf32>) {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the tensor is not f32}}
  %0 = qc.rotate %a by #qc.hadamard<64> along 1 : tensor<2x64xf16>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the rotation is not along the last axis of a matrix}}
  %1 = qc.rotate %b by #qc.hadamard<64> along 0 : tensor<64x2xf32>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the power-of-two factor of the size is below 8}}
  %2 = qc.rotate %c by #qc.hadamard<24, paley1 = 11> along 1 : tensor<2x24xf32>
  return %0, %1, %2 : tensor<2x64xf16>, tensor<64x2xf32>, tensor<2x24xf32>
}
