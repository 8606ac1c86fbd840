// The weight-only int4 kernel compiles to AVX2 code that decodes in
// registers: a shift and a mask of the packed bytes per phase, a vpshufb
// table lookup (sign extension), conversion to f32 and fused multiply-adds.
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s
// CHECK-LABEL: qc_cpu_w4_int_n64_k128_g64_f16:
// CHECK-DAG: vpsrlw
// CHECK-DAG: vpshufb
// CHECK-DAG: vpmovsxbd
// CHECK-DAG: vcvtdq2ps
// CHECK-DAG: vfmadd231ps
func.func @linear(%a: tensor<?x128xf32>, %bytes: tensor<4096xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>>
  %y = qc.matmul %a, %w : tensor<?x128xf32>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// W4A8: the integer kernel's dot product is vpmaddubsw.
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=A8
// A8-LABEL: qc_cpu_w4a8_n64_k128_g64_f16_ag32:
// A8: vpmaddwd
// A8: vpmaddubsw
func.func @linear_a8(%a: tensor<?x128xf32>, %bytes: tensor<4096xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %a : tensor<?x128xf32> -> !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>, !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// The NF4 decode is two vpermps lookups in the 8-entry halves of the f32 table (LLVM
// may pick the integer-domain vpermd), then a blend.
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=NF4
// NF4-LABEL: qc_cpu_w4_ftab_n64_k128_g64_f16:
// NF4-DAG: {{vpermps|vpermd}}
// NF4-DAG: vblendvps
// NF4-DAG: vfmadd231ps
func.func @linear_nf4(%a: tensor<?x128xf32>, %bytes: tensor<4096xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.nf4, f16 #qc.per_block<[1, 64]>>
  %y = qc.matmul %a, %w : tensor<?x128xf32>, !qc.qtensor<64x128, #qc.nf4, f16 #qc.per_block<[1, 64]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// W2A8: 2-bit codes on the same integer dot product.
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=W2
// W2-LABEL: qc_cpu_w2a8_n64_k128_g128_f16_arow:
// W2-DAG: vpmaddubsw
// W2-DAG: vpmaddwd
func.func @linear_w2a8(%a: tensor<?x128xf32>, %bytes: tensor<2048xi8>, %s: tensor<64x1xf16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %a : tensor<?x128xf32> -> !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s2>, f16 #qc.per_block<[1, 128]>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<64x128, #qc.int<s2>, f16 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// W8A8: the sign trick, vpabsb on the weights and vpsignb on the (narrow)
// activations, then the same vpmaddubsw/vpmaddwd.
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=W8
// W8-LABEL: qc_cpu_w8a8_n64_k128_g128_f16_arow:
// W8-DAG: vpabsb
// W8-DAG: vpsignb
// W8-DAG: vpmaddubsw
// W8-DAG: vpmaddwd
func.func @linear_w8a8(%a: tensor<?x128xf32>, %bytes: tensor<8192xi8>, %s: tensor<64x1xf16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %a : tensor<?x128xf32> -> !qc.qtensor<?x128, #qc.int<s8, narrow>, f32 #qc.per_axis<0>>
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s8>, f16 #qc.per_block<[1, 128]>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x128, #qc.int<s8, narrow>, f32 #qc.per_axis<0>>, !qc.qtensor<64x128, #qc.int<s8>, f16 #qc.per_block<[1, 128]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// W3A8 (#qc.bit_planes<[2, 1]>): the 1-bit plane's bytes are spread over
// the lanes (vpermq + vpunpcklbw), tested per phase (vpcmpeqb) and OR-ed
// into the 2-bit fields; the dot product is vpmaddubsw.
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=W3
// W3-LABEL: qc_cpu_w3a8_n64_k128_g128_f16_arow:
// W3-DAG: vpunpcklbw
// W3-DAG: vpcmpeqb
// W3-DAG: vpor
// W3-DAG: vpmaddubsw
// W3: .Lfunc_end
func.func @linear_w3a8(%a: tensor<?x128xf32>, %bytes: tensor<3072xi8>, %s: tensor<64x1xf16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %a : tensor<?x128xf32> -> !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s3>, f16 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[2, 1]>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<64x128, #qc.int<s3>, f16 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[2, 1]>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
