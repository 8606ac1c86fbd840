// A splat float weight of 2^40 elements, quantized at compile time and
// under a rotation: it must stay a splat (or be left to run time), never be
// expanded element by element.
func.func @f(%a: tensor<?x1048576xf32>) -> (tensor<?x1048576xf32>, tensor<?x1048576xf32>) {
  %c = arith.constant dense<0.5> : tensor<1048576x1048576xf32>
  %w = qc.quantize %c : tensor<1048576x1048576xf32> -> !qc.qtensor<1048576x1048576, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  %y = qc.matmul %a, %w : tensor<?x1048576xf32>, !qc.qtensor<1048576x1048576, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x1048576xf32>
  %r = qc.rotate %a by #qc.hadamard<1048576> along 1 : tensor<?x1048576xf32>
  %z = qc.matmul %r, %c : tensor<?x1048576xf32>, tensor<1048576x1048576xf32> -> tensor<?x1048576xf32>
  return %y, %z : tensor<?x1048576xf32>, tensor<?x1048576xf32>
}
