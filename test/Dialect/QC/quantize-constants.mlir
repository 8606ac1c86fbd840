// RUN: qc-opt %s --qc-quantize-constants --split-input-file | FileCheck %s

// Per-row int4 with f16 scales, values chosen so the result is known by hand:
//   row 0: max|w| = 7  -> s = 1; codes 1, -2, 4 (3.5 ties to even), 7
//   row 1: max|w| = 14 -> s = 2; codes 0, 0 (0.25), -7, 1 (0.75)
// Packed lsb first, two codes per byte: E1 74 | 00 19. f16 1.0 = 0x3C00,
// 2.0 = 0x4000 (little endian).
// CHECK-LABEL: func.func @per_row_int4
// CHECK: %[[Q:.*]] = qc.constant codes(dense_resource<[[CODES:.*]]> : tensor<4xi8>) scales(dense_resource<[[SCALES:.*]]> : tensor<2xf16>) : !qc.qtensor<2x4, #qc.int<s4>, f16 #qc.per_axis<0>>
// CHECK-NOT: qc.quantize
// CHECK: return %[[Q]]
// CHECK: [[CODES]]: "0x01000000E1740019"
// CHECK: [[SCALES]]: "0x02000000003C0040"
func.func @per_row_int4() -> !qc.qtensor<2x4, #qc.int<s4>, f16 #qc.per_axis<0>> {
  %w = arith.constant dense<[[1.0, -2.0, 3.5, 7.0], [0.0, 0.5, -14.0, 1.5]]> : tensor<2x4xf32>
  %q = qc.quantize %w : tensor<2x4xf32> -> !qc.qtensor<2x4, #qc.int<s4>, f16 #qc.per_axis<0>>
  return %q : !qc.qtensor<2x4, #qc.int<s4>, f16 #qc.per_axis<0>>
}

// -----

// Asymmetric uint2 with an integer zero point over the whole tensor:
// [lo, hi] = [-1, 2], s = 3/3 = 1, z = 0 - (-1)/1 = 1;
// codes = round(x + 1) = 0, 1, 2, 3 -> one byte 0b11100100 = 0xE4.
// CHECK-LABEL: func.func @minmax_u2
// CHECK: qc.constant codes(dense_resource<[[C:.*]]> : tensor<1xi8>) scales(dense_resource<[[S:.*]]> : tensor<f32>) zero_points(dense_resource<[[Z:.*]]> : tensor<i8>)
// CHECK: [[C]]: "0x01000000E4"
// CHECK: [[S]]: "0x040000000000803F"
// CHECK: [[Z]]: "0x0100000001"
func.func @minmax_u2() -> !qc.qtensor<4, #qc.int<u2>, f32 #qc.per_tensor, zero_point i8> {
  %w = arith.constant dense<[-1.0, 0.0, 1.0, 2.0]> : tensor<4xf32>
  %q = qc.quantize %w method<minmax> : tensor<4xf32> -> !qc.qtensor<4, #qc.int<u2>, f32 #qc.per_tensor, zero_point i8>
  return %q : !qc.qtensor<4, #qc.int<u2>, f32 #qc.per_tensor, zero_point i8>
}

// -----

// Quantizers of non-constants, or with given scales, are left alone.
// CHECK-LABEL: func.func @not_constant
// CHECK: qc.quantize %{{.*}} : tensor<2x4xf32>
// CHECK: qc.quantize %{{.*}} scales(
func.func @not_constant(%x: tensor<2x4xf32>, %s: tensor<f32>) -> (!qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_tensor>, !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_tensor>) {
  %q = qc.quantize %x : tensor<2x4xf32> -> !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_tensor>
  %w = arith.constant dense<1.0> : tensor<2x4xf32>
  %r = qc.quantize %w scales(%s : tensor<f32>) : tensor<2x4xf32> -> !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_tensor>
  return %q, %r : !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_tensor>, !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_tensor>
}
