// An arith.constant whose dense_resource blob holds no bytes, quantized and
// rotated: every pass that reads it must say so, not read past its end.
func.func @f(%a: tensor<?x64xf32>) -> tensor<?x2xf32> {
  %c = arith.constant dense_resource<c> : tensor<2x64xf32>
  %w = qc.quantize %c : tensor<2x64xf32> -> !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  %y = qc.matmul %a, %w : tensor<?x64xf32>, !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<?x2xf32>
  %r = qc.rotate %a by #qc.hadamard<64> along 1 : tensor<?x64xf32>
  %z = qc.matmul %r, %c : tensor<?x64xf32>, tensor<2x64xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      c: "0x04000000"
    }
  }
#-}
