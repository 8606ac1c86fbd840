// Unranked tensors of !quant.uniform (upstream's ops.mlir and
// lower-quant-ops test this form): qc-import-quant flattens them as
// upstream's lower-quant-ops does (per tensor to [?], per axis a to
// [?, C, ?] with #qc.per_axis<1>), carries the shape beside the qtensor
// (through a function signature too: @deq takes the qtensor and the
// shape) and restores it with tensor.reshape. Both pipelines; values by
// hand from fptosi(x / s + z):
// per tensor (0.5, zero point 1): 1.3 -> 3.6 -> 3, -2.2 -> -3.4 -> -3,
// 0.6 -> 2, 4.1 -> 9, 0.3 -> 1, -7.9 -> -14.8 -> -14;
// CHECK:      [3,   -3,   2],
// CHECK-NEXT: [9,   1,   -14]
// per axis 1 of a 1 x 3 x 2 tensor (0.5:1, 0.25:-2, 2.0:0), dequantized:
// (3 - 1) * 0.5 = 1, (-3 - 1) * 0.5 = -2; 0.6 -> 0.4 -> 0 -> 0.5,
// 4.1 -> 14.4 -> 14 -> 4; 0.3 -> 0, -7.9 -> -3.95 -> -3 -> -6.
// CHECK:      {{\[\[\[}}1,    -2],
// CHECK-NEXT: [0.5,    4],
// CHECK-NEXT: [0,    -6]]]
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run | FileCheck %s
// RUN: qc-opt %s --qc-cpu-pipeline | %mlir-run | FileCheck %s
// RUN: qc-opt %s --qc-import-quant | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @deq(
// IR-SAME: !qc.qtensor<?x3x?, #qc.int<s8>, f32 #qc.per_axis<1>, zero_point i32>, %{{.*}}: tensor<?xindex>) -> tensor<*xf32>

!qu = !quant.uniform<i8:f32, 0.5:1>
!qx = !quant.uniform<i8:f32:1, {0.5:1, 0.25:-2, 2.0:0}>
func.func @unranked(%x: tensor<*xf32>) -> tensor<*xi8> {
  %q = quant.qcast %x : tensor<*xf32> to tensor<*x!qu>
  %c = quant.scast %q : tensor<*x!qu> to tensor<*xi8>
  return %c : tensor<*xi8>
}
func.func @deq(%q: tensor<*x!qx>) -> tensor<*xf32> {
  %d = quant.dcast %q : tensor<*x!qx> to tensor<*xf32>
  return %d : tensor<*xf32>
}
func.func @unranked_axis(%x: tensor<*xf32>) -> tensor<*xf32> {
  %q = quant.qcast %x : tensor<*xf32> to tensor<*x!qx>
  %c = quant.scast %q : tensor<*x!qx> to tensor<*xi8>
  %q2 = quant.scast %c : tensor<*xi8> to tensor<*x!qx>
  %d = call @deq(%q2) : (tensor<*x!qx>) -> tensor<*xf32>
  return %d : tensor<*xf32>
}
func.func @main() {
  %x = arith.constant dense<[[1.3, -2.2, 0.6], [4.1, 0.3, -7.9]]> : tensor<2x3xf32>
  %xu = tensor.cast %x : tensor<2x3xf32> to tensor<*xf32>
  %c = call @unranked(%xu) : (tensor<*xf32>) -> tensor<*xi8>
  %cr = tensor.cast %c : tensor<*xi8> to tensor<2x3xi8>
  %ci = arith.extsi %cr : tensor<2x3xi8> to tensor<2x3xi32>
  %cu = tensor.cast %ci : tensor<2x3xi32> to tensor<*xi32>
  call @printMemrefI32(%cu) : (tensor<*xi32>) -> ()
  %y = arith.constant dense<[[[1.3, -2.2], [0.6, 4.1], [0.3, -7.9]]]> : tensor<1x3x2xf32>
  %yu = tensor.cast %y : tensor<1x3x2xf32> to tensor<*xf32>
  %d = call @unranked_axis(%yu) : (tensor<*xf32>) -> tensor<*xf32>
  call @printMemrefF32(%d) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefF32(tensor<*xf32>)
