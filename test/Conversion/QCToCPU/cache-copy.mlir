// A KV cache grown as the SmolLM2 example grows it: the P cached columns of
// a layer's keys (stored 64 x positions per head) copied into the grown
// result, then the new ones. The copy's rows are P floats, a dynamic width
// at an offset: upstream's memref.copy lowering sends such a copy to the
// runtime's element-by-element memrefCopy; qc-copy-contiguous-rows makes it
// one llvm.memcpy per contiguous block (here one per row of P floats; a
// whole slab when more trailing dimensions are contiguous on both sides).
// python/tests/test_copies.py runs the same programs and checks the values.
// RUN: qc-opt %s --qc-cpu-pipeline="target-features=+avx2,+fma" | FileCheck %s
// CHECK-LABEL: llvm.func @grow_keys
// CHECK-NOT: memrefCopy
// CHECK: llvm.intr.memcpy
// CHECK-NOT: memrefCopy
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @grow_values
// CHECK-NOT: memrefCopy
// CHECK: llvm.intr.memcpy
// CHECK-NOT: memrefCopy
// CHECK: llvm.return
func.func @grow_keys(%past: tensor<2x3x64x?xf32>, %new: tensor<3x64x?xf32>) -> tensor<2x3x64x?xf32> {
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %p = tensor.dim %past, %c3 : tensor<2x3x64x?xf32>
  %t = tensor.dim %new, %c2 : tensor<3x64x?xf32>
  %l = arith.addi %p, %t : index
  %e = tensor.empty(%l) : tensor<2x3x64x?xf32>
  %rows = tensor.extract_slice %past[1, 0, 0, 0] [1, 3, 64, %p] [1, 1, 1, 1] : tensor<2x3x64x?xf32> to tensor<3x64x?xf32>
  %a = tensor.insert_slice %rows into %e[1, 0, 0, 0] [1, 3, 64, %p] [1, 1, 1, 1] : tensor<3x64x?xf32> into tensor<2x3x64x?xf32>
  %b = tensor.insert_slice %new into %a[1, 0, 0, %p] [1, 3, 64, %t] [1, 1, 1, 1] : tensor<3x64x?xf32> into tensor<2x3x64x?xf32>
  %rows0 = tensor.extract_slice %past[0, 0, 0, 0] [1, 3, 64, %p] [1, 1, 1, 1] : tensor<2x3x64x?xf32> to tensor<3x64x?xf32>
  %c = tensor.insert_slice %rows0 into %b[0, 0, 0, 0] [1, 3, 64, %p] [1, 1, 1, 1] : tensor<3x64x?xf32> into tensor<2x3x64x?xf32>
  %d = tensor.insert_slice %new into %c[0, 0, 0, %p] [1, 3, 64, %t] [1, 1, 1, 1] : tensor<3x64x?xf32> into tensor<2x3x64x?xf32>
  return %d : tensor<2x3x64x?xf32>
}
func.func @grow_values(%past: tensor<2x3x?x64xf32>, %new: tensor<3x?x64xf32>) -> tensor<2x3x?x64xf32> {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %p = tensor.dim %past, %c2 : tensor<2x3x?x64xf32>
  %t = tensor.dim %new, %c1 : tensor<3x?x64xf32>
  %l = arith.addi %p, %t : index
  %e = tensor.empty(%l) : tensor<2x3x?x64xf32>
  %rows = tensor.extract_slice %past[1, 0, 0, 0] [1, 3, %p, 64] [1, 1, 1, 1] : tensor<2x3x?x64xf32> to tensor<3x?x64xf32>
  %a = tensor.insert_slice %rows into %e[1, 0, 0, 0] [1, 3, %p, 64] [1, 1, 1, 1] : tensor<3x?x64xf32> into tensor<2x3x?x64xf32>
  %b = tensor.insert_slice %new into %a[1, 0, %p, 0] [1, 3, %t, 64] [1, 1, 1, 1] : tensor<3x?x64xf32> into tensor<2x3x?x64xf32>
  %rows0 = tensor.extract_slice %past[0, 0, 0, 0] [1, 3, %p, 64] [1, 1, 1, 1] : tensor<2x3x?x64xf32> to tensor<3x?x64xf32>
  %c = tensor.insert_slice %rows0 into %b[0, 0, 0, 0] [1, 3, %p, 64] [1, 1, 1, 1] : tensor<3x?x64xf32> into tensor<2x3x?x64xf32>
  %d = tensor.insert_slice %new into %c[0, 0, %p, 0] [1, 3, %t, 64] [1, 1, 1, 1] : tensor<3x?x64xf32> into tensor<2x3x?x64xf32>
  return %d : tensor<2x3x?x64xf32>
}
