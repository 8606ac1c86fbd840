func.func @use(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense_resource<lin.weight> : tensor<2x4xf32>
  %y = qc.matmul %x, %w : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
