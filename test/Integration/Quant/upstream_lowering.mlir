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
  return
}
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefF32(tensor<*xf32>)
