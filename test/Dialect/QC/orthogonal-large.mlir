// Above N = 256 the orthogonality of a #qc.orthogonal matrix is checked in
// O(N^2) (Freivalds' test): an orthogonal 512 x 512 matrix passes, one with
// an entry off by 0.05 does not (its error along a random vector is about
// 0.05, far above N t = 512 * 1e-5).
// RUN: %python %S/Inputs/orthogonal_blob.py 512 > %t.ok.mlir
// RUN: qc-opt %t.ok.mlir -o /dev/null
// RUN: %python %S/Inputs/orthogonal_blob.py 512 0.05 > %t.bad.mlir
// RUN: not qc-opt %t.bad.mlir -o /dev/null 2>&1 | FileCheck %s
// CHECK: error: 'qc.rotate' op matrix is not orthogonal: max |v Q Q^T - v| = {{.*}} > N t max|v| = {{.*}} for test vector 1
// An entry off by 1e-6 is within the tolerance and passes.
// RUN: %python %S/Inputs/orthogonal_blob.py 512 0.000001 > %t.close.mlir
// RUN: qc-opt %t.close.mlir -o /dev/null
