// Upstream quant programs (in the style of llvm-project's
// mlir/test/Dialect/Quant/lower-quant-ops.mlir: per-tensor with a narrow
// range and a zero point, per-axis u8, sub-channel i4) run two ways: imported
// by qc (qc-import-quant, first in qc-reference-pipeline and qc-cpu-pipeline)
// and lowered by upstream's own lower-quant-ops. The printed numbers must be
// the same. Values stay inside the storage ranges: outside them upstream's
// fptosi is poison (u8 storage wraps -3 to 253) where qc saturates.
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run | grep -v Unranked > %t.qc
// RUN: qc-opt %s --qc-cpu-pipeline | %mlir-run | grep -v Unranked > %t.qccpu
// RUN: mlir-opt %s --lower-quant-ops --canonicalize --convert-elementwise-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --buffer-deallocation-pipeline --convert-bufferization-to-memref \
// RUN:   --expand-strided-metadata --lower-affine --convert-scf-to-cf --convert-to-llvm \
// RUN:   --reconcile-unrealized-casts | %mlir-run | grep -v Unranked > %t.upstream
// RUN: diff %t.qc %t.upstream
// RUN: diff %t.qccpu %t.upstream
// RUN: FileCheck %s < %t.qc
// By hand: x / 0.25 + 3 truncated: 1.1 -> 7.4 -> 7, -2.3 -> -6.2 -> -6,
// 0.1 -> 3.4 -> 3, 30 -> 123; dequantized (q - 3) * 0.25.
// A scalar (upstream's own tests' form) first: -13.7 / 2 + 10 = 3.15 -> 3.
// CHECK:      {{^}}3{{$}}
// CHECK:      [7,   -6,   3,   123]
// CHECK-NEXT: [0,   33,   -121,   5]
// CHECK:      [1,   -2.25,   0,   30]
// Per axis 1 (scales 0.5, 0.125, 2; zero points 10, 128, 0): 1.3 -> 12.6 -> 12.
// CHECK:      [12,   168,   3]
// Sub-channel blocks of 2 along axis 1: 0.3 / 0.5 + 1 = 1.6 -> 1.
// CHECK:      [1,   -1,   1,   -4]
// The forms qc imports since issue 28, each against upstream too:
// a 0-d tensor: 7.3 / 2 + 10 = 13.65 -> 13, dequantized (13 - 10) * 2 = 6;
// CHECK:      {{^}}6{{$}}
// an int4 range held in i8 (#qc.int<s4>): x / 0.5 = 2.6, -19.8, 5.2, 100
// -> 2, -19, 5, 100, clamped to [-8, 7];
// CHECK:      [2,   -8,   5,   7]
// u8<0:15> (#qc.int<u4>) with zero point 3: 1.9 / 0.25 + 3 = 10.6 -> 10,
// -0.2 -> 2.2 -> 2, 9 -> 39 -> 15;
// CHECK:      [10,   2,   15]
// per axis 1 with a dynamic quantized dimension (3 scales): as above;
// CHECK:      [12,   168,   3]
// f64 values with an f32 scale: 1.25 / 0.5 + 2 = 4.5 -> 4 -> (4 - 2) * 0.5
// = 1; -3 / 0.5 + 2 = -4 -> -3.
// CHECK:      [1,   -3]

!qt = !quant.uniform<i8<-127:127>:f32, 0.25:3>
!qa = !quant.uniform<u8:f32:1, {0.5:10, 0.125:128, 2.0:0}>
!qs = !quant.uniform<i4:f32:{0:1, 1:2}, {{0.5:1, 0.25:-2}, {1.0:0, 0.75:3}}>
func.func @per_tensor(%x: tensor<2x4xf32>) -> (tensor<2x4xi8>, tensor<2x4xf32>) {
  %q = quant.qcast %x : tensor<2x4xf32> to tensor<2x4x!qt>
  %c = quant.scast %q : tensor<2x4x!qt> to tensor<2x4xi8>
  %o = tensor.cast %c : tensor<2x4xi8> to tensor<?x4xi8>
  %b = tensor.cast %o : tensor<?x4xi8> to tensor<2x4xi8>
  %q2 = quant.scast %b : tensor<2x4xi8> to tensor<2x4x!qt>
  %d = quant.dcast %q2 : tensor<2x4x!qt> to tensor<2x4xf32>
  return %c, %d : tensor<2x4xi8>, tensor<2x4xf32>
}
func.func @per_axis(%x: tensor<2x3xf32>) -> tensor<2x3xi8> {
  %q = quant.qcast %x : tensor<2x3xf32> to tensor<2x3x!qa>
  %c = quant.scast %q : tensor<2x3x!qa> to tensor<2x3xi8>
  return %c : tensor<2x3xi8>
}
func.func @sub_channel(%x: tensor<2x4xf32>) -> tensor<2x4xi4> {
  %q = quant.qcast %x : tensor<2x4xf32> to tensor<2x4x!qs>
  %c = quant.scast %q : tensor<2x4x!qs> to tensor<2x4xi4>
  return %c : tensor<2x4xi4>
}
func.func @qcast_per_layer_scalar(%arg0: f32) -> i8 {
  %0 = quant.qcast %arg0 : f32 to !quant.uniform<i8:f32, 2.0:10>
  %1 = quant.scast %0 : !quant.uniform<i8:f32, 2.0:10> to i8
  return %1 : i8
}
// (Through the storage integers: upstream folds a quant.dcast of a
// quant.qcast away.)
func.func @zero_d(%x: tensor<f32>) -> tensor<f32> {
  %q = quant.qcast %x : tensor<f32> to tensor<!quant.uniform<i8:f32, 2.0:10>>
  %c = quant.scast %q : tensor<!quant.uniform<i8:f32, 2.0:10>> to tensor<i8>
  %q2 = quant.scast %c : tensor<i8> to tensor<!quant.uniform<i8:f32, 2.0:10>>
  %d = quant.dcast %q2 : tensor<!quant.uniform<i8:f32, 2.0:10>> to tensor<f32>
  return %d : tensor<f32>
}
func.func @int4_in_i8(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-8:7>:f32, 0.5>>
  %c = quant.scast %q : tensor<4x!quant.uniform<i8<-8:7>:f32, 0.5>> to tensor<4xi8>
  return %c : tensor<4xi8>
}
func.func @uint4_in_u8(%x: tensor<3xf32>) -> tensor<3xi8> {
  %q = quant.qcast %x : tensor<3xf32> to tensor<3x!quant.uniform<u8<0:15>:f32, 0.25:3>>
  %c = quant.scast %q : tensor<3x!quant.uniform<u8<0:15>:f32, 0.25:3>> to tensor<3xi8>
  return %c : tensor<3xi8>
}
func.func @per_axis_dynamic(%x: tensor<2x?xf32>) -> tensor<2x?xi8> {
  %q = quant.qcast %x : tensor<2x?xf32> to tensor<2x?x!qa>
  %c = quant.scast %q : tensor<2x?x!qa> to tensor<2x?xi8>
  return %c : tensor<2x?xi8>
}
func.func @f64_values(%x: tensor<2xf64>) -> tensor<2xf64> {
  %q = quant.qcast %x : tensor<2xf64> to tensor<2x!quant.uniform<i8:f64, 0.5:2>>
  %c = quant.scast %q : tensor<2x!quant.uniform<i8:f64, 0.5:2>> to tensor<2xi8>
  %q2 = quant.scast %c : tensor<2xi8> to tensor<2x!quant.uniform<i8:f64, 0.5:2>>
  %d = quant.dcast %q2 : tensor<2x!quant.uniform<i8:f64, 0.5:2>> to tensor<2xf64>
  return %d : tensor<2xf64>
}
func.func @main() {
  %f = arith.constant -13.7 : f32
  %sq = call @qcast_per_layer_scalar(%f) : (f32) -> i8
  %sqi = arith.extsi %sq : i8 to i32
  vector.print %sqi : i32
  %x = arith.constant dense<[[1.1, -2.3, 0.1, 30.0], [-0.9, 7.7, -31.0, 0.6]]> : tensor<2x4xf32>
  %c, %d = call @per_tensor(%x) : (tensor<2x4xf32>) -> (tensor<2x4xi8>, tensor<2x4xf32>)
  %ci = arith.extsi %c : tensor<2x4xi8> to tensor<2x4xi32>
  %cu = tensor.cast %ci : tensor<2x4xi32> to tensor<*xi32>
  call @printMemrefI32(%cu) : (tensor<*xi32>) -> ()
  %du = tensor.cast %d : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%du) : (tensor<*xf32>) -> ()
  %y = arith.constant dense<[[1.3, 5.1, 7.9], [20.2, -3.3, 100.0]]> : tensor<2x3xf32>
  %a = call @per_axis(%y) : (tensor<2x3xf32>) -> tensor<2x3xi8>
  %ai = arith.extui %a : tensor<2x3xi8> to tensor<2x3xi32>
  %au = tensor.cast %ai : tensor<2x3xi32> to tensor<*xi32>
  call @printMemrefI32(%au) : (tensor<*xi32>) -> ()
  %z = arith.constant dense<[[0.3, -1.2, 0.9, -0.6], [2.9, -1.1, 1.4, 0.2]]> : tensor<2x4xf32>
  %s = call @sub_channel(%z) : (tensor<2x4xf32>) -> tensor<2x4xi4>
  %si = arith.extsi %s : tensor<2x4xi4> to tensor<2x4xi32>
  %su = tensor.cast %si : tensor<2x4xi32> to tensor<*xi32>
  call @printMemrefI32(%su) : (tensor<*xi32>) -> ()
  %x0 = arith.constant dense<7.3> : tensor<f32>
  %d0 = call @zero_d(%x0) : (tensor<f32>) -> tensor<f32>
  %c0 = arith.constant 0 : index
  %e0 = tensor.extract %d0[] : tensor<f32>
  %e0i = arith.fptosi %e0 : f32 to i32
  vector.print %e0i : i32
  %x4 = arith.constant dense<[1.3, -9.9, 2.6, 50.0]> : tensor<4xf32>
  %q4 = call @int4_in_i8(%x4) : (tensor<4xf32>) -> tensor<4xi8>
  %q4i = arith.extsi %q4 : tensor<4xi8> to tensor<4xi32>
  %q4u = tensor.cast %q4i : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%q4u) : (tensor<*xi32>) -> ()
  %xu = arith.constant dense<[1.9, -0.2, 9.0]> : tensor<3xf32>
  %qu = call @uint4_in_u8(%xu) : (tensor<3xf32>) -> tensor<3xi8>
  %qui = arith.extui %qu : tensor<3xi8> to tensor<3xi32>
  %quu = tensor.cast %qui : tensor<3xi32> to tensor<*xi32>
  call @printMemrefI32(%quu) : (tensor<*xi32>) -> ()
  %yd = tensor.cast %y : tensor<2x3xf32> to tensor<2x?xf32>
  %ad = call @per_axis_dynamic(%yd) : (tensor<2x?xf32>) -> tensor<2x?xi8>
  %adi = arith.extui %ad : tensor<2x?xi8> to tensor<2x?xi32>
  %adu = tensor.cast %adi : tensor<2x?xi32> to tensor<*xi32>
  call @printMemrefI32(%adu) : (tensor<*xi32>) -> ()
  %x64 = arith.constant dense<[1.25, -3.0]> : tensor<2xf64>
  %d64 = call @f64_values(%x64) : (tensor<2xf64>) -> tensor<2xf64>
  %d64f = arith.truncf %d64 : tensor<2xf64> to tensor<2xf32>
  %d64u = tensor.cast %d64f : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%d64u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefF32(tensor<*xf32>)
