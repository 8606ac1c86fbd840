// The int4 kernel compiles to AVX2 code that unpacks in registers: shifts
// of the packed bytes (LLVM emulates the i8 arithmetic shift with vpsrlw and
// a sign fix-up), sign extension and conversion to f32, and fused
// multiply-adds.
// RUN: qc-opt %s --qc-cpu-pipeline | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mcpu=znver3 | FileCheck %s
// CHECK-LABEL: qc_cpu_w4_n64_k128_g64_f16:
// CHECK-DAG: vpsrlw
// CHECK-DAG: vpmovsxbd
// CHECK-DAG: vcvtdq2ps
// CHECK-DAG: vfmadd231ps
func.func @linear(%a: tensor<?x128xf32>, %bytes: tensor<4096xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>>
  %y = qc.matmul %a, %w : tensor<?x128xf32>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// W4A8: the integer kernel's dot product is vpmaddubsw.
// RUN: qc-opt %s --qc-cpu-pipeline | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mcpu=znver3 | FileCheck %s --check-prefix=A8
// A8-LABEL: qc_cpu_w4a8_n64_k128_g64_f16_ag32:
// A8: vpmaddubsw
func.func @linear_a8(%a: tensor<?x128xf32>, %bytes: tensor<4096xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %a : tensor<?x128xf32> -> !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
