// RUN: qc-opt %s --split-input-file --qc-import-quant | FileCheck %s

// Per tensor, narrow signed range, a zero point: the scale and zero point
// become constants; the pair stays a pair (upstream folds it away).
// CHECK-LABEL: func.func @pair
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<2.500000e-01> : tensor<f32>
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<3> : tensor<i32>
// CHECK: %[[Q:.*]] = qc.quantize %[[X]] scales(%[[S]] : tensor<f32>) zero_points(%[[Z]] : tensor<i32>) rounding<toward_zero> : tensor<4xf32> -> !qc.qtensor<4, #qc.int<s8, narrow>, f32 #qc.per_tensor, zero_point i32>
// CHECK: %[[D:.*]] = qc.dequantize %[[Q]]
// CHECK: return %[[D]]
func.func @pair(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-127:127>:f32, 0.25:3>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.25:3>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Per axis, unsigned, through a function boundary; all-zero zero points
// mean a symmetric type; dynamic dimensions other than the axis are fine.
// CHECK-LABEL: func.func @per_axis
// CHECK-SAME: -> !qc.qtensor<?x3, #qc.int<u8>, f32 #qc.per_axis<1>, zero_point i32>
// CHECK: arith.constant dense<[5.000000e-01, 1.250000e-01, 2.000000e+00]> : tensor<3xf32>
// CHECK: arith.constant dense<[10, 128, 0]> : tensor<3xi32>
// CHECK-LABEL: func.func @symmetric
// CHECK-SAME: (%[[A:.*]]: tensor<8xi8>) -> tensor<8xf16>
// CHECK: %[[S:.*]] = arith.constant dense<1.000000e+00> : tensor<f16>
// CHECK: %[[Q:.*]] = qc.assemble %[[A]], %[[S]] : !qc.qtensor<8, #qc.int<s8>, f16 #qc.per_tensor>
// CHECK: qc.dequantize %[[Q]] : !qc.qtensor<8, #qc.int<s8>, f16 #qc.per_tensor> -> tensor<8xf16>
// CHECK-LABEL: func.func @caller
// CHECK: call @per_axis(%{{.*}}) : (tensor<?x3xf32>) -> !qc.qtensor<?x3, #qc.int<u8>, f32 #qc.per_axis<1>, zero_point i32>
// CHECK: %[[C:.*]]:3 = qc.disassemble
// CHECK: return %[[C]]#0 : tensor<?x3xi8>
func.func @per_axis(%x: tensor<?x3xf32>) -> tensor<?x3x!quant.uniform<u8:f32:1, {0.5:10, 0.125:128, 2.0}>> {
  %q = quant.qcast %x : tensor<?x3xf32> to tensor<?x3x!quant.uniform<u8:f32:1, {0.5:10, 0.125:128, 2.0}>>
  return %q : tensor<?x3x!quant.uniform<u8:f32:1, {0.5:10, 0.125:128, 2.0}>>
}
func.func @symmetric(%a: tensor<8xi8>) -> tensor<8xf16> {
  %q = quant.scast %a : tensor<8xi8> to tensor<8x!quant.uniform<i8:f16, 1.0>>
  %d = quant.dcast %q : tensor<8x!quant.uniform<i8:f16, 1.0>> to tensor<8xf16>
  return %d : tensor<8xf16>
}
func.func @caller(%x: tensor<?x3xf32>) -> tensor<?x3xi8> {
  %q = call @per_axis(%x) : (tensor<?x3xf32>) -> tensor<?x3x!quant.uniform<u8:f32:1, {0.5:10, 0.125:128, 2.0}>>
  %c = quant.scast %q : tensor<?x3x!quant.uniform<u8:f32:1, {0.5:10, 0.125:128, 2.0}>> to tensor<?x3xi8>
  return %c : tensor<?x3xi8>
}

// -----

// Sub-channel (parse-uniform.mlir's form): blocks of 2 along axis 1, axis 0
// unlisted (its whole size), i4 storage.
// CHECK-LABEL: func.func @sub_channel
// CHECK: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00]]> : tensor<1x2xf32>
// CHECK: qc.quantize {{.*}} rounding<toward_zero> : tensor<3x4xf32> -> !qc.qtensor<3x4, #qc.int<s4>, f32 #qc.per_block<[3, 2]>>
func.func @sub_channel(%x: tensor<3x4xf32>) -> tensor<3x4xi4> {
  %q = quant.qcast %x : tensor<3x4xf32> to tensor<3x4x!quant.uniform<i4:f32:{1:2}, {{1.0, 2.0}}>>
  %c = quant.scast %q : tensor<3x4x!quant.uniform<i4:f32:{1:2}, {{1.0, 2.0}}>> to tensor<3x4xi4>
  return %c : tensor<3x4xi4>
}

// -----

// Scalars (upstream's lower-quant-ops.mlir style) are one-element tensors.
// CHECK-LABEL: func.func @qcast_per_layer_scalar
// CHECK-SAME: (%[[X:.*]]: f32) -> !qc.qtensor<1, #qc.int<s8>, f32 #qc.per_tensor, zero_point i32>
// CHECK: %[[T:.*]] = tensor.from_elements %[[X]] : tensor<1xf32>
// CHECK: qc.quantize %[[T]] scales
// CHECK-LABEL: func.func @dcast_per_layer_scalar
// CHECK: %[[D:.*]] = qc.dequantize %{{.*}} : !qc.qtensor<1, #qc.int<s8>, f32 #qc.per_tensor, zero_point i32> -> tensor<1xf32>
// CHECK: %[[E:.*]] = tensor.extract %[[D]][%{{.*}}] : tensor<1xf32>
// CHECK: return %[[E]] : f32
func.func @qcast_per_layer_scalar(%arg0: f32) -> !quant.uniform<i8:f32, 2.0:10> {
  %0 = quant.qcast %arg0 : f32 to !quant.uniform<i8:f32, 2.0:10>
  return %0 : !quant.uniform<i8:f32, 2.0:10>
}
func.func @dcast_per_layer_scalar(%arg0: !quant.uniform<i8:f32, 2.0:10>) -> f32 {
  %0 = quant.dcast %arg0 : !quant.uniform<i8:f32, 2.0:10> to f32
  return %0 : f32
}

// -----

// No quant types: nothing changes.
// CHECK-LABEL: func.func @plain
// CHECK-NEXT: return %arg0
func.func @plain(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// Sub-channel types whose scales vary along at most one dimension are the
// per-tensor and per-axis types upstream's normalize-quant-types makes of
// them, so a dynamic shape imports (the per-axis dimension sized by its
// scales), through a call as well.
// CHECK-LABEL: func.func @normalized(
// CHECK-SAME: !qc.qtensor<?x?, #qc.int<s8>, f32 #qc.per_tensor, zero_point i32>
// CHECK-SAME: !qc.qtensor<2x?, #qc.int<s8>, f32 #qc.per_axis<0>, zero_point i32>
// CHECK: qc.dequantize %{{.*}} : !qc.qtensor<2x?, #qc.int<s8>, f32 #qc.per_axis<0>, zero_point i32> -> tensor<2x?xf32>
// CHECK: tensor.cast %{{.*}} : tensor<2x?xf32> to tensor<?x?xf32>
!qsub1 = !quant.uniform<i8:f32:{0:1,1:4}, {{2.0:127}}>
!qsub2 = !quant.uniform<i8:f32:{0:1,1:4}, {{2.0:127}, {3.0:127}}>
func.func private @callee(tensor<?x?x!qsub1>) -> tensor<?x?x!qsub1>
func.func @normalized(%a: tensor<?x?x!qsub1>, %b: tensor<?x?x!qsub2>) -> (tensor<?x?x!qsub1>, tensor<?x?xf32>) {
  %c = func.call @callee(%a) : (tensor<?x?x!qsub1>) -> tensor<?x?x!qsub1>
  %d = quant.dcast %b : tensor<?x?x!qsub2> to tensor<?x?xf32>
  return %c, %d : tensor<?x?x!qsub1>, tensor<?x?xf32>
}
