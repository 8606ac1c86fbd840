// qc.requantize: printer/parser round trip, and its folding on constants
// (the expected bytes derived by hand from the op's documentation).
// RUN: qc-opt %s -split-input-file | qc-opt -split-input-file | FileCheck %s --check-prefix=ROUND
// RUN: qc-opt %s -split-input-file -canonicalize | FileCheck %s

// ROUND-LABEL: func.func @fold_s8
// ROUND: qc.requantize %{{.*}} msb_slice : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
// ROUND: qc.requantize %{{.*}} round_shift : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>>
// Codes q = [[-128, -1, 0, 127], [16, 31, 32, -17]], scales 0.5, 0.25.
// msb_slice: h = q >> 4 = [[-8, -1, 0, 7], [1, 1, 2, -2]], packed low nibble
// first: F8 70 11 E2; s' = 16 s = 8, 4 (41000000, 40800000); m' = -7.5 s =
// -3.75, -1.875 (C0700000, BFF00000).
// round_shift: (q + 8) >> 4 clamped to [-8, 7] = [[-8, 0, 0, 7], [1, 2, 2,
// -1]] (127 -> 8 saturates): 08 70 21 F2; no mins.
// CHECK-LABEL: func.func @fold_s8
// CHECK-NOT: qc.requantize
// CHECK: qc.constant codes(dense_resource<[[C1:qc_codes[_0-9]*]]> : tensor<4xi8>) scales(dense_resource<[[S1:qc_scales[_0-9]*]]> : tensor<2xf32>) mins(dense_resource<[[M1:qc_mins[_0-9]*]]> : tensor<2xf32>) : !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
// CHECK: qc.constant codes(dense_resource<[[C2:qc_codes[_0-9]*]]> : tensor<4xi8>) scales(dense_resource<[[S2:qc_scales[_0-9]*]]> : tensor<2xf32>) : !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>>
func.func @fold_s8() -> (!qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>, !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>>) {
  %w = qc.constant codes(dense<[[-128, -1, 0, 127], [16, 31, 32, -17]]> : tensor<2x4xi8>)
                   scales(dense<[0.5, 0.25]> : tensor<2xf32>)
      : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>>
  %m = qc.requantize %w msb_slice : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
  %r = qc.requantize %w round_shift : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>>
  return %m, %r : !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>, !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>>
}
// CHECK: [[C1]]: "0x10000000F87011E2"
// CHECK: [[S1]]: "0x080000000000004100008040"
// CHECK: [[M1]]: "0x08000000000070C00000F0BF"
// CHECK: [[C2]]: "0x10000000087021F2"
// CHECK: [[S2]]: "0x080000000000004100008040"

// -----

// Unsigned codes with zero points, to 2 bits (d = 6): h = q >> 6 of
// [0, 63, 64, 255] = [0, 0, 1, 3] -> byte 0b11010000 = D0; s' = 64 * 0.5 =
// 32 in f16; m' = s z - s (63 / 2) = 0.5 * 100 - 15.75 = 34.25
// (42090000).
// CHECK-LABEL: func.func @fold_u8_zero_points
// CHECK: qc.constant codes(dense_resource<[[C3:qc_codes[_0-9]*]]> : tensor<1xi8>) scales(dense<3.200000e+01> : tensor<f16>) mins(dense_resource<[[M3:qc_mins[_0-9]*]]> : tensor<f32>) : !qc.qtensor<1x4, #qc.int<u2>, f16 #qc.per_tensor, min f32>
func.func @fold_u8_zero_points() -> !qc.qtensor<1x4, #qc.int<u2>, f16 #qc.per_tensor, min f32> {
  %w = qc.constant codes(dense<[[0, 63, 64, -1]]> : tensor<1x4xi8>)
                   scales(dense<0.5> : tensor<f16>) zero_points(dense<100> : tensor<i16>)
      : !qc.qtensor<1x4, #qc.int<u8>, f16 #qc.per_tensor, zero_point i16>
  %m = qc.requantize %w msb_slice : !qc.qtensor<1x4, #qc.int<u8>, f16 #qc.per_tensor, zero_point i16> -> !qc.qtensor<1x4, #qc.int<u2>, f16 #qc.per_tensor, min f32>
  return %m : !qc.qtensor<1x4, #qc.int<u2>, f16 #qc.per_tensor, min f32>
}
// CHECK: [[C3]]: "0x10000000D0"
// CHECK: [[M3]]: "0x0800000000000942"

// -----

// A constant stored in planes is read in place, so it is not folded (that
// would store the weight twice).
// CHECK-LABEL: func.func @planes_stay
// CHECK: qc.requantize
func.func @planes_stay() -> !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, min f32> {
  %w = qc.constant codes(dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8>)
                   scales(dense<[0.5, 0.25]> : tensor<2xf32>)
      : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[4, 4]>>
  %m = qc.requantize %w msb_slice : !qc.qtensor<2x4, #qc.int<s8>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[4, 4]>> -> !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
  return %m : !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
}

