// qc-quantize-constants{remarks}: each quantized constant's error against
// the float values it came from. By hand (numpy, float64 sums): s = 4/127
// in f32, codes [32, 64, 95, 127], dq = code * s; errors
// [-0.00787, -0.01575, 0.00787, 0]: SQNR = 10 log10(30 / 3.72e-4) =
// 49.07 dB, max |error| / max |x| = 0.01575 / 4 = 0.00394.
// RUN: qc-opt %s --qc-quantize-constants=remarks -o /dev/null 2>&1 | FileCheck %s
// CHECK: remark: qc-quantize-constants: quantized with SQNR 49.07 dB against the float values, max |error| / max |x| = 0.00394
func.func @f() -> !qc.qtensor<1x4, #qc.int<s8>, f32 #qc.per_tensor> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0]]> : tensor<1x4xf32>
  %q = qc.quantize %w : tensor<1x4xf32> -> !qc.qtensor<1x4, #qc.int<s8>, f32 #qc.per_tensor>
  return %q : !qc.qtensor<1x4, #qc.int<s8>, f32 #qc.per_tensor>
}
