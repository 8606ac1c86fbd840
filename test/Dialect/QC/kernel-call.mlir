// qc.kernel_call: round trip (pretty and generic), verifier, and what
// One-Shot Bufferize makes of it: a func.call on the operands' buffers,
// with a copy where a buffer that is still read would be overwritten.
// RUN: qc-opt %s --split-input-file | qc-opt --split-input-file | FileCheck %s --check-prefix=ROUND
// RUN: qc-opt %s --split-input-file --mlir-print-op-generic | qc-opt --split-input-file | FileCheck %s --check-prefix=ROUND
// RUN: qc-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s --check-prefix=BUF

func.func private @k(memref<?x8xf32>, memref<4xf32>, memref<?x4xf32>)

// ROUND-LABEL: func.func @call(
// ROUND: qc.kernel_call @k ins(%{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<?x4xf32>) -> tensor<?x4xf32>
// BUF-LABEL: func.func @call(
// BUF-SAME: %[[X:.*]]: memref<?x8xf32>
// BUF: %[[Y:.*]] = memref.alloc(%{{.*}}) {{.*}}: memref<?x4xf32>
// BUF: call @k(%[[X]], %{{.*}}, %[[Y]]) : (memref<?x8xf32>, memref<4xf32>, memref<?x4xf32>) -> ()
// BUF: return %[[Y]]
func.func @call(%x: tensor<?x8xf32>, %s: tensor<4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%m) : tensor<?x4xf32>
  %y = qc.kernel_call @k ins(%x, %s : tensor<?x8xf32>, tensor<4xf32>) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func private @k(memref<?x8xf32>, memref<?x8xf32>)

// An out whose buffer is an input the kernel reads and the function
// returns: the kernel writes a new buffer (not a copy: outs are written in
// full, never read), and the input stays as it was.
// BUF-LABEL: func.func @reader_after(
// BUF-SAME: %[[X:.*]]: memref<2x8xf32>
// BUF: %[[NEW:.*]] = memref.alloc() {{.*}}: memref<2x8xf32>
// BUF-NOT: memref.copy
// BUF: %[[A:.*]] = memref.cast %[[X]]
// BUF: %[[B:.*]] = memref.cast %[[NEW]]
// BUF: call @k(%[[A]], %[[B]])
// BUF: return %[[NEW]], %[[X]]
func.func @reader_after(%x: tensor<2x8xf32> {bufferization.writable = false}) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %y = qc.kernel_call @k ins(%x : tensor<2x8xf32>) outs(%x : tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y, %x : tensor<2x8xf32>, tensor<2x8xf32>
}
