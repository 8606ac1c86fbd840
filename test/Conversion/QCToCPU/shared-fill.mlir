// Two row sums whose destinations are equal zero fills (as every layer's
// attention has): CSE would make them one tensor, and bufferization would
// copy that buffer before each sum writes it. qc-cpu-pipeline gives each
// writer its own fill and runs CSE before the fills are tiled: no copy.
// RUN: qc-opt %s --qc-cpu-pipeline="target-features=+avx2,+fma" | FileCheck %s
// CHECK-LABEL: llvm.func @two_sums
// CHECK-NOT: llvm.intr.memcpy
// CHECK-NOT: memrefCopy
// CHECK: llvm.return
func.func @two_sums(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %e0 = tensor.empty(%m) : tensor<?xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<?xf32>) -> tensor<?xf32>
  %s0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<?x?xf32>) outs(%f0 : tensor<?xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %r = arith.addf %acc, %v : f32
    linalg.yield %r : f32
  } -> tensor<?xf32>
  %e1 = tensor.empty(%m) : tensor<?xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?xf32>) -> tensor<?xf32>
  %s1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%y : tensor<?x?xf32>) outs(%f1 : tensor<?xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %r = arith.addf %acc, %v : f32
    linalg.yield %r : f32
  } -> tensor<?xf32>
  return %s0, %s1 : tensor<?xf32>, tensor<?xf32>
}
