

func.func @scales() {
  // expected-error @+1 {{'qc.constant' op scales: the dense_resource blob 's' holds 10 bytes where tensor<2x2xf16> needs 8}}
  %w = qc.constant codes(dense<0> : tensor<64xi8>) scales(dense_resource<s> : tensor<2x2xf16>) : !qc.qtensor<2x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  return
}
{-#
  dialect_resources: {
    builtin: {
      s: "0x0000000013371215493478744063"
    }
  }
#-}

