// A seeded Hadamard of 2^32 entries: expanding its signs ran out of memory
// in convert-qc-to-linalg.
func.func @f(%a: tensor<2x4294967296xf32>) -> tensor<2x4294967296xf32> {
  %y = qc.rotate %a by #qc.hadamard<4294967296, seed = 3> along 1 : tensor<2x4294967296xf32>
  return %y : tensor<2x4294967296xf32>
}
