// MLIR 22's linalg.broadcast parser crashes on a malformed dimensions list
// (found by qc-fuzz from the raise-linears tests); the harness does not run
// such inputs (FuzzHarness.cpp).
func.func @f(%w: tensor<3x2xf32>, %e: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %wb = linalg.broadcast ins(%w : tensor<3x2xf32>) outs(%e : tensor<2x3x2xf32>) dimensions =ch
  return %wb : tensor<2x3x2xf32>
}
