

// A part in the trailing dictionary (the generic form's spelling of a part
// that the pretty form would write as a keyword) must be one of the four.
func.func @f() {
  // expected-error @+1 {{'qc.conatnts' op has no part named 'zero_point' (the parts are codes, scales, zero_points, outer_scales)}}
  %0 = qc.constant codes(dense<0> : tensor<8xi8>) scales(dense<1.0> : tensor<f32>) {zero_point = dense<0> : tensor<i0>} : !qc.qtensor<8, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

