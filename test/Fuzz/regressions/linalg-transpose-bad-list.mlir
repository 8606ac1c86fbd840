// MLIR 22's linalg.transpose parser crashes on a malformed permutation list;
// the harness does not run such inputs (FuzzHarness.cpp).
func.func @f(%w: tensor<3x2xf32>, %e: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %t = linalg.transpose ins(%w : tensor<3x2xf32>) outs(%e : tensor<2x3xf32>) permutation = [1 0]
  return %t : tensor<2x3xf32>
}
