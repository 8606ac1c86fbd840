// The gptq options' errors that depend on the options themselves: a
// negative damping (both passes), a format GPTQ cannot take (two-level
// scales), importance with gptq, and a layer without a Gram matrix in
// qc-allocate-bits. Nothing is rewritten after an error.
// RUN: not qc-opt %s --qc-quantize-linears='weight-format="#qc.int<s4>, f16 #qc.per_tensor" gptq gptq-damp=-1' 2>&1 | FileCheck %s --check-prefix=DAMP
// RUN: not qc-opt %s --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" avg-bits=8 gptq gptq-damp=-1' 2>&1 | FileCheck %s --check-prefix=ADAMP
// RUN: not qc-opt %s --qc-quantize-linears='weight-format="#qc.int<s4>, f8E4M3FN #qc.per_block<[1, 32]>, outer f32 #qc.per_tensor" gptq skip=down' 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: not qc-opt %s --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" avg-bits=8 gptq importance' 2>&1 | FileCheck %s --check-prefix=IMP
// RUN: not qc-opt %s --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_tensor" avg-bits=8 gptq' 2>&1 | FileCheck %s --check-prefix=NOGRAM

// DAMP: error: qc-quantize-linears: gptq-damp must be a finite number >= 0
// ADAMP: error: qc-allocate-bits: gptq-damp must be a finite number >= 0, got -1
// TWO: error: qc-quantize-linears{gptq}: layer 'up': GPTQ does not take two-level scales
// IMP: error: qc-allocate-bits: gptq measures the output error with the full qc.act_gram; importance (its diagonal) adds nothing
// NOGRAM: error: qc-allocate-bits{gptq}: layer 'down' needs a 'qc.act_gram' attribute{{.*}}: it has none
func.func @layers(%x: tensor<?x64xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x64xf32>
  %w2 = arith.constant dense<0.25> : tensor<2x2xf32>
  %y = qc.matmul %x, %w {qc.name = "up", qc.act_sq_sum = dense<1.0> : tensor<64xf32>, qc.act_gram = dense<0.0> : tensor<64x64xf32>} : tensor<?x64xf32>, tensor<2x64xf32> -> tensor<?x2xf32>
  %z = qc.matmul %y, %w2 {qc.name = "down", qc.act_sq_sum = dense<1.0> : tensor<2xf32>} : tensor<?x2xf32>, tensor<2x2xf32> -> tensor<?x2xf32>
  return %z : tensor<?x2xf32>
}
