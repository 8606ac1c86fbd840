// qc reads at most 2^28 elements of one constant at compile time. A larger
// splat is quantized without being expanded (it stays a splat); anything
// else larger, or a constant whose blob is elided, is left to run time with
// a diagnostic that says why.
// RUN: qc-opt %s -split-input-file --qc-quantize-constants -verify-diagnostics | FileCheck %s

// 2^40 elements of 0.5 in int4 with f16 scales per 32: absmax gives
// s = 0.5 / 7 = 0.0714286, rounded to f16 (spacing 2^-14 there) 1170 * 2^-14
// = 0.0714111, and code round(0.5 / 0.0714111) = round(7.0017) = 7 in every
// block.
// CHECK-LABEL: func.func @splat(
// CHECK: qc.constant codes(dense<7> : tensor<1048576x1048576xi4>) scales(dense<7.141110e-02> : tensor<1048576x32768xf16>) : !qc.qtensor<1048576x1048576, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
// CHECK-NOT: qc.quantize
func.func @splat() -> !qc.qtensor<1048576x1048576, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> {
  %c = arith.constant dense<0.5> : tensor<1048576x1048576xf32>
  %w = qc.quantize %c : tensor<1048576x1048576xf32> -> !qc.qtensor<1048576x1048576, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  return %w : !qc.qtensor<1048576x1048576, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
}

// -----

// A zero point and an NVFP4-style outer scale stay splats as well: min-max
// of {-3} in u4 is s = 3 / 15 = 0.2, z = round(0 - (-3) / 0.2) = 15 (the
// range always holds 0), and code round(-3 / 0.2) + 15 = 0.
// CHECK-LABEL: func.func @splat_zero_point(
// CHECK: qc.constant codes(dense<0> : tensor<8192x65536xi4>) scales(dense<2.000000e-01> : tensor<8192x2048xf32>) zero_points(dense<15> : tensor<8192x2048xi16>)
func.func @splat_zero_point() -> !qc.qtensor<8192x65536, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, zero_point i16> {
  %c = arith.constant dense<-3.0> : tensor<8192x65536xf32>
  %w = qc.quantize %c method<minmax> : tensor<8192x65536xf32> -> !qc.qtensor<8192x65536, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, zero_point i16>
  return %w : !qc.qtensor<8192x65536, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, zero_point i16>
}

// -----

// Stored rotated, the splat is no longer a splat: left to run time.
// CHECK-LABEL: func.func @rotated(
// CHECK: qc.quantize
func.func @rotated() -> !qc.qtensor<16384x32768, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, rotated #qc.hadamard<32768> along 1> {
  %c = arith.constant dense<0.5> : tensor<16384x32768xf32>
  // expected-warning @+1 {{qc-quantize-constants: left to run time: the constant tensor<16384x32768xf32> has more than 2^28 = 268435456 elements, the most qc reads at compile time}}
  %w = qc.quantize %c : tensor<16384x32768xf32> -> !qc.qtensor<16384x32768, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, rotated #qc.hadamard<32768> along 1>
  return %w : !qc.qtensor<16384x32768, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, rotated #qc.hadamard<32768> along 1>
}

// -----

// An elided blob cannot be quantized at compile time.
// CHECK-LABEL: func.func @elided(
// CHECK: qc.quantize
func.func @elided() -> !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> {
  %c = arith.constant dense_resource<__elided__> : tensor<2x64xf32>
  // expected-warning @+1 {{qc-quantize-constants: left to run time: the dense_resource blob '__elided__' is elided or not defined in the file}}
  %w = qc.quantize %c : tensor<2x64xf32> -> !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  return %w : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
}
