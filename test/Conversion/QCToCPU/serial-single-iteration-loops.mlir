// qc-serial-single-iteration-loops (in qc-cpu-pipeline, before
// convert-scf-to-openmp): a thread loop of one iteration runs on the calling
// thread; a dynamic trip count gets a serial twin chosen at run time.
// RUN: qc-opt %s --qc-serial-single-iteration-loops | FileCheck %s

// CHECK-LABEL: func.func @one_iteration
// CHECK-NOT: scf.parallel
// CHECK: scf.for %{{.*}} = %c0 to %c1 step %c1
func.func @one_iteration(%m: memref<1x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    memref.store %f, %m[%i, %c0] : memref<1x8xf32>
    scf.reduce
  }
  return
}

// Four iterations: a thread loop as it was.
// CHECK-LABEL: func.func @four_iterations
// CHECK: scf.parallel
// CHECK-NOT: scf.if
func.func @four_iterations(%m: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    memref.store %f, %m[%i, %c0] : memref<4x8xf32>
    scf.reduce
  }
  return
}

// Dynamic: trips = ceildiv(n - 0, 2) * ceildiv(8 - 0, 8); more than one runs
// the thread loop, else the serial twin. The inner parallel loop (inside the
// outer one) is not versioned again.
// CHECK-LABEL: func.func @dynamic
// CHECK: %[[T0:.*]] = arith.ceildivsi
// CHECK: %[[P0:.*]] = arith.muli %{{.*}}, %[[T0]]
// CHECK: %[[T1:.*]] = arith.ceildivsi
// CHECK: %[[P1:.*]] = arith.muli %[[P0]], %[[T1]]
// CHECK: %[[MANY:.*]] = arith.cmpi sgt, %[[P1]], %c1
// CHECK: scf.if %[[MANY]] {
// CHECK:   scf.parallel (%{{.*}}, %{{.*}}) =
// CHECK:     scf.parallel
// CHECK: } else {
// CHECK:   scf.for
// CHECK:     scf.for
// CHECK:       scf.parallel
// CHECK: }
func.func @dynamic(%m: memref<?x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c8) step (%c2, %c8) {
    scf.parallel (%k) = (%c0) to (%c2) step (%c1) {
      %r = arith.addi %i, %k : index
      memref.store %f, %m[%r, %j] : memref<?x8xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}
