// Codebook values that 7 significant digits cannot tell apart, and one that
// they print as 0: the printed module must read back.
func.func @f(%a: tensor<4x8xf32>) -> !qc.qtensor<4x8, #qc.codebook<[1.0e-300, 0.1, 0.10000000000000002, 1.2345678901234567]>, f32 #qc.per_tensor> {
  %q = qc.quantize %a : tensor<4x8xf32> -> !qc.qtensor<4x8, #qc.codebook<[1.0e-300, 0.1, 0.10000000000000002, 1.2345678901234567]>, f32 #qc.per_tensor>
  return %q : !qc.qtensor<4x8, #qc.codebook<[1.0e-300, 0.1, 0.10000000000000002, 1.2345678901234567]>, f32 #qc.per_tensor>
}
