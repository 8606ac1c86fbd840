// A quantized constant of 2^40 4-bit codes held as a splat byte: the CPU
// back end must not expand it to repack it.
func.func @f(%a: tensor<?x1048576xf32>) -> tensor<?x1048576xf32> {
  %w = qc.constant codes(dense<17> : tensor<549755813888xi8>) scales(dense<1.0> : tensor<1048576x32768xf32>) : !qc.qtensor<1048576x1048576, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  %y = qc.matmul %a, %w : tensor<?x1048576xf32>, !qc.qtensor<1048576x1048576, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<?x1048576xf32>
  return %y : tensor<?x1048576xf32>
}
