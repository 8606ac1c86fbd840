// RUN: qc-opt %s --split-input-file --verify-diagnostics

func.func private @k(memref<?x8xf32>, memref<?x4xf32>)

func.func @wrong_count(%x: tensor<2x8xf32>, %e: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @below {{callee @k takes 2 argument(s); the call has 3 (ins, then outs)}}
  %y = qc.kernel_call @k ins(%x, %x : tensor<2x8xf32>, tensor<2x8xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func private @k(memref<?x8xf32>, memref<?x4xf32>)

func.func @wrong_shape(%x: tensor<2x7xf32>, %e: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @below {{operand 0 of type 'tensor<2x7xf32>' cannot be passed as callee @k's argument of type 'memref<?x8xf32>'}}
  %y = qc.kernel_call @k ins(%x : tensor<2x7xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @no_callee(%x: tensor<2x8xf32>, %e: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @below {{callee @missing is not a function in a symbol table above}}
  %y = qc.kernel_call @missing ins(%x : tensor<2x8xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func private @k(memref<?x8xf32>, memref<?x4xf32>) -> i32

func.func @returns(%x: tensor<2x8xf32>, %e: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @below {{callee @k returns values; a kernel writes its outs buffers instead}}
  %y = qc.kernel_call @k ins(%x : tensor<2x8xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func private @k(memref<?x8xf32>, memref<?x4xf32>)

func.func @result_type(%x: tensor<2x8xf32>, %e: tensor<2x4xf32>) -> tensor<?x4xf32> {
  // expected-error @below {{result 0 has type 'tensor<?x4xf32>', which is not its outs operand's type 'tensor<2x4xf32>'}}
  %y = qc.kernel_call @k ins(%x : tensor<2x8xf32>) outs(%e : tensor<2x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func private @k(memref<?x8xf32>, memref<?x4xf32>)

func.func @result_count(%x: tensor<2x8xf32>, %e: tensor<2x4xf32>) {
  // expected-error @below {{has 0 result(s) for 1 outs operand(s); there must be one result per outs operand}}
  qc.kernel_call @k ins(%x : tensor<2x8xf32>) outs(%e : tensor<2x4xf32>)
  return
}
