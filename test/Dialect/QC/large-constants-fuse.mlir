// qc-fuse-rotations reads at most 2^28 elements of a weight to fold a
// rotation into it (see large-constants.mlir).
// RUN: qc-opt %s --qc-fuse-rotations="remarks=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=FUSE

// A rotation read by a Linear layer whose weight is too large to fold into
// stays online, and the remark says why.
// FUSE: remark: rotation left online: its operand is a block argument; and the weight of a Linear layer reading it cannot be read: the constant tensor<1048576x1048576xf32> has more than 2^28 = 268435456 elements, the most qc reads at compile time
func.func @fold(%a: tensor<?x1048576xf32>) -> tensor<?x1048576xf32> {
  %c = arith.constant dense<0.5> : tensor<1048576x1048576xf32>
  %r = qc.rotate %a by #qc.hadamard<1048576> along 1 : tensor<?x1048576xf32>
  %z = qc.matmul %r, %c : tensor<?x1048576xf32>, tensor<1048576x1048576xf32> -> tensor<?x1048576xf32>
  return %z : tensor<?x1048576xf32>
}
