// qc-export-quant inverts qc-import-quant for what upstream can say: the
// round trip gives back upstream's ops and types.
// RUN: qc-opt %s --qc-import-quant --qc-export-quant | FileCheck %s
// RUN: qc-opt %s --qc-import-quant --qc-export-quant --qc-import-quant | FileCheck %s --check-prefix=AGAIN

// CHECK-LABEL: func.func @pair
// CHECK: %[[Q:.*]] = quant.qcast %arg0 : tensor<4xf32> to tensor<4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01:3>>
// CHECK: %[[D:.*]] = quant.dcast %[[Q]] : tensor<4x!quant.uniform<i8<-127:127>:f32, 2.500000e-01:3>> to tensor<4xf32>
// CHECK: return %[[D]]
// AGAIN-LABEL: func.func @pair
// AGAIN: qc.quantize %arg0 scales(%{{.*}} : tensor<f32>) zero_points(%{{.*}} : tensor<i32>) rounding<toward_zero>
func.func @pair(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-127:127>:f32, 0.25:3>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.25:3>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// CHECK-LABEL: func.func @per_axis
// CHECK: quant.qcast %arg0 : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32:1, {5.000000e-01:10,1.250000e-01:128,2.000000e+00}>>
// CHECK: quant.scast %{{.*}} : tensor<2x3x!quant.uniform<u8:f32:1, {5.000000e-01:10,1.250000e-01:128,2.000000e+00}>> to tensor<2x3xi8>
func.func @per_axis(%x: tensor<2x3xf32>) -> tensor<2x3xi8> {
  %q = quant.qcast %x : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32:1, {0.5:10, 0.125:128, 2.0}>>
  %c = quant.scast %q : tensor<2x3x!quant.uniform<u8:f32:1, {0.5:10, 0.125:128, 2.0}>> to tensor<2x3xi8>
  return %c : tensor<2x3xi8>
}

// CHECK-LABEL: func.func @sub_channel
// CHECK: quant.scast %arg0 : tensor<3x4xi4> to tensor<3x4x!quant.uniform<i4:f32:{1:2}, {{[{][{]}}1.000000e+00, 2.000000e+00{{[}][}]}}>>
// CHECK: quant.dcast
func.func @sub_channel(%c: tensor<3x4xi4>) -> tensor<3x4xf32> {
  %q = quant.scast %c : tensor<3x4xi4> to tensor<3x4x!quant.uniform<i4:f32:{1:2}, {{1.0, 2.0}}>>
  %d = quant.dcast %q : tensor<3x4x!quant.uniform<i4:f32:{1:2}, {{1.0, 2.0}}>> to tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}
