func.func @use() -> tensor<2xf32> {
  %w = arith.constant dense_resource<nowhere> : tensor<2xf32>
  return %w : tensor<2xf32>
}
