// The README's demo command on the bundled example must keep working.
// RUN: qc-opt %qc_src_root/examples/linear.mlir --canonicalize --cse | FileCheck %s

// CHECK-LABEL: func.func @linear(
// CHECK: %[[W:.*]] = arith.constant {{.*}} : tensor<8x16xf32>
// CHECK: %[[Q:.*]] = qc.quantize %[[W]] : tensor<8x16xf32> -> !qc.qtensor<8x16, #qc.int<s4>, f16 #qc.per_block<[1, 8]>>
// CHECK: qc.matmul %{{.*}}, %[[Q]] bias(
