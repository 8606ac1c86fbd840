// qc-allocate-bits{summary=PATH}: the JSON summary of allocate-bits.mlir's
// first case (budget, used, objective, optimality, per unit its choice and
// every candidate's loss and storage bits: 8 x 128 codes of 4 bits plus 8
// f16 scales = 4224 bits; of 8 bits, 8320).
// RUN: qc-opt %s -o /dev/null \
// RUN:   --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>; #qc.int<s8>, f16 #qc.per_block<[1, 128]>" avg-bits=6.125 summary=%t.json'
// RUN: FileCheck %s < %t.json
func.func @budget(%x: tensor<?x128xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x128xf32>
  %a = qc.matmul %x, %w {qc.name = "a", qc.loss = [10.0, 1.0]} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  %b = qc.matmul %x, %w {qc.name = "b", qc.loss = [3.0, 2.0]} : tensor<?x128xf32>, tensor<8x128xf32> -> tensor<?x8xf32>
  return %a, %b : tensor<?x8xf32>, tensor<?x8xf32>
}
// CHECK: "budget": {
// CHECK-NEXT: "avg-bits": 6.125
// CHECK: "used": {
// CHECK-NEXT: "avg-bits": 6.125
// CHECK: "objective": 4,
// CHECK-NEXT: "optimal": true,
// CHECK: "name": "a",
// CHECK: "choice": 1,
// CHECK: "loss": 10,
// CHECK-NEXT: "bits": 4224
// CHECK: "loss": 1,
// CHECK-NEXT: "bits": 8320
// CHECK: "name": "b",
// CHECK: "choice": 0,
