// qc's default quantization (round half to even) exported to upstream's
// quant dialect: the rounding written out (roundeven(x / s + z) in f32,
// clamped, NaN to 0) and its integers cast in with quant.scast, then
// lowered by upstream's own lower-quant-ops. The printed codes and values
// must equal qc's reference pipeline on the original program.
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run | grep -v Unranked > %t.qc
// RUN: qc-opt %s --qc-export-quant | FileCheck %s --check-prefix=IR
// RUN: qc-opt %s --qc-export-quant | mlir-opt --lower-quant-ops --canonicalize \
// RUN:   --convert-elementwise-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-loops --convert-math-to-llvm --buffer-deallocation-pipeline \
// RUN:   --convert-bufferization-to-memref --expand-strided-metadata --lower-affine \
// RUN:   --convert-scf-to-cf --convert-to-llvm --reconcile-unrealized-casts \
// RUN:   | %mlir-run | grep -v Unranked > %t.exported
// RUN: diff %t.qc %t.exported
// RUN: FileCheck %s < %t.qc
// IR: math.roundeven
// IR: quant.scast {{.*}} : tensor<6xi8> to tensor<6x!quant.uniform<i8:f32, 5.000000e-01>>
// IR-NOT: qc.quantize
// Ties go to even: x / 0.5 = 5 -> 5, 1.25 / 0.5 = 2.5 -> 2, 1.75 / 0.5 =
// 3.5 -> 4, -1.25 / 0.5 = -2.5 -> -2; 100 clamps to 127, -100 to -128.
// CHECK:      [5,   2,   4,   -2,   127,   -128]
// Per axis 0 with zero points 3 and 250 (u8): 0.5 / 0.25 + 3 = 5,
// 0.625 / 0.25 + 3 = 5.5 -> 6; 1.0 / 2 + 250 = 250.5 -> 250, 20 / 2 + 250
// = 260 -> 255.
// CHECK:      [5,   6],
// CHECK-NEXT: [250,   255]

!qt = !quant.uniform<i8:f32, 0.5>
func.func @per_tensor(%x: tensor<6xf32>) -> tensor<6xi8> {
  %s = arith.constant dense<0.5> : tensor<f32>
  %q = qc.quantize %x scales(%s : tensor<f32>) : tensor<6xf32> -> !qc.qtensor<6, #qc.int<s8>, f32 #qc.per_tensor>
  %c:2 = qc.disassemble %q : !qc.qtensor<6, #qc.int<s8>, f32 #qc.per_tensor>
  return %c#0 : tensor<6xi8>
}
func.func @per_axis(%x: tensor<2x2xf32>) -> tensor<2x2xi8> {
  %s = arith.constant dense<[0.25, 2.0]> : tensor<2xf32>
  %z = arith.constant dense<[3, 250]> : tensor<2xi16>
  %q = qc.quantize %x scales(%s : tensor<2xf32>) zero_points(%z : tensor<2xi16>) : tensor<2x2xf32> -> !qc.qtensor<2x2, #qc.int<u8>, f32 #qc.per_axis<0>, zero_point i16>
  %c:3 = qc.disassemble %q : !qc.qtensor<2x2, #qc.int<u8>, f32 #qc.per_axis<0>, zero_point i16>
  return %c#0 : tensor<2x2xi8>
}
func.func @main() {
  %x = arith.constant dense<[2.5, 1.25, 1.75, -1.25, 100.0, -100.0]> : tensor<6xf32>
  %c = call @per_tensor(%x) : (tensor<6xf32>) -> tensor<6xi8>
  %ci = arith.extsi %c : tensor<6xi8> to tensor<6xi32>
  %cu = tensor.cast %ci : tensor<6xi32> to tensor<*xi32>
  call @printMemrefI32(%cu) : (tensor<*xi32>) -> ()
  %y = arith.constant dense<[[0.5, 0.625], [1.0, 20.0]]> : tensor<2x2xf32>
  %a = call @per_axis(%y) : (tensor<2x2xf32>) -> tensor<2x2xi8>
  %ai = arith.extui %a : tensor<2x2xi8> to tensor<2x2xi32>
  %au = tensor.cast %ai : tensor<2x2xi32> to tensor<*xi32>
  call @printMemrefI32(%au) : (tensor<*xi32>) -> ()
  return
}
func.func private @printMemrefI32(tensor<*xi32>)
