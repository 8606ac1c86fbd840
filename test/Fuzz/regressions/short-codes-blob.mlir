// A qc.constant whose codes blob holds none of the 64 bytes its type needs
// (qc-cpu-repack-weights read past the end of the buffer).
func.func @f(%a: tensor<?x64xf32>) -> tensor<?x2xf32> {
  %w = qc.constant codes(dense_resource<c> : tensor<64xi8>) scales(dense<1.0> : tensor<2x2xf32>) : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  %y = qc.matmul %a, %w : tensor<?x64xf32>, !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      c: "0x08000000"
    }
  }
#-}
