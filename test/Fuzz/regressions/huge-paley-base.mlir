// A Paley base with an enormous prime: its primality test and its K x K
// matrix must never run.
func.func @f(%a: tensor<2x4611686018427387904xf32>) -> tensor<2x4611686018427387904xf32> {
  %y = qc.rotate %a by #qc.hadamard<4611686018427387904, paley1 = 2305843009213693951> along 1 : tensor<2x4611686018427387904xf32>
  return %y : tensor<2x4611686018427387904xf32>
}
