func.func @use(%x: tensor<?x2xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense_resource<lin.weight> : tensor<4x2xf32>
  %y = qc.matmul %x, %w : tensor<?x2xf32>, tensor<4x2xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
