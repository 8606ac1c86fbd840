// A NaN inside an orthogonal matrix must be rejected, not lowered.
func.func @f(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %y = qc.rotate %a by #qc.orthogonal<dense<[[0x7FF8000000000000, 0.0], [0.0, 1.0]]> : tensor<2x2xf64>> along 1 : tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
