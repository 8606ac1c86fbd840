// qc-quantize-linears{policy=...}: a named format built from typed
// attributes (what qc-quantize-model uses), and the static checks of a
// format against each layer before anything is rewritten.
// RUN: qc-opt %s --qc-quantize-linears='policy=w4a8 remarks' -verify-diagnostics=only-expected | FileCheck %s --check-prefix=W4A8
// RUN: qc-opt %s --qc-quantize-linears='policy=nf4g64' | FileCheck %s --check-prefix=NF4
// RUN: qc-opt %s --qc-quantize-linears='policy=w8a8' | FileCheck %s --check-prefix=W8A8
// A policy and a format text together are an error:
// RUN: not qc-opt %s --qc-quantize-linears='policy=w4g64 weight-format="#qc.int<s4>, f16 #qc.per_tensor"' 2>&1 | FileCheck %s --check-prefix=BOTH
// An unknown policy is an error when the pipeline is built:
// RUN: not qc-opt %s --qc-quantize-linears='policy=w3g64' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// A method the format cannot take (minmax needs zero points), found without
// creating a quantizer: an error naming the layer, and nothing rewritten;
// with leave-unfit the layer stays float with the reason.
// RUN: not qc-opt %s --qc-quantize-linears='policy=w4g64 method=minmax' 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: qc-opt %s --qc-quantize-linears='policy=w4g64 method=minmax leave-unfit remarks' 2>&1 | FileCheck %s --check-prefix=UNFIT

// W4A8-LABEL: func.func @layer(
// W4A8: qc.quantize %{{.*}} method<absmax> : tensor<16x256xf32> -> !qc.qtensor<16x256, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
// W4A8: qc.quantize %{{.*}} : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
// NF4: qc.quantize %{{.*}} method<absmax> : tensor<16x256xf32> -> !qc.qtensor<16x256, #qc.nf4, f16 #qc.per_block<[1, 64]>>
// NF4-NOT: tensor<?x256xf32> -> !qc.qtensor
// W8A8: qc.quantize %{{.*}} method<absmax> : tensor<16x256xf32> -> !qc.qtensor<16x256, #qc.int<s8, narrow>, f32 #qc.per_axis<0>>
// W8A8: qc.quantize %{{.*}} : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
// BOTH: error: qc-quantize-linears: give a policy or weight-format/act-format, not both
// UNKNOWN: 'w3g64' is not a value of option 'policy'; the values are: custom, w4g128, w4g64, nf4g64, w4a8, w8a8
// METHOD: error: layer 'matmul0' (16 x 256) cannot take the format #qc.int<s4>, f16 #qc.per_block<[1, 64]>: method minmax needs a zero point in the result type
// UNFIT: remark: qc-quantize-linears: 'matmul0' left float: layer 'matmul0' (16 x 256) cannot take the format #qc.int<s4>, f16 #qc.per_block<[1, 64]>: method minmax needs a zero point in the result type
// UNFIT: qc.matmul %{{.*}}, %{{.*}} : tensor<?x256xf32>, tensor<16x256xf32>
func.func @layer(%x: tensor<?x256xf32>) -> tensor<?x16xf32> {
  %w = arith.constant dense<0.5> : tensor<16x256xf32>
  // expected-remark @+1 {{qc-quantize-linears: 'matmul0' quantized as #qc.int<s4>, f16 #qc.per_block<[1, 128]> act #qc.int<s8>, f32 #qc.per_block<[1, 32]>}}
  %y = qc.matmul %x, %w : tensor<?x256xf32>, tensor<16x256xf32> -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}
