// qc-serial-single-iteration-loops (in qc-cpu-pipeline, before
// convert-scf-to-openmp): a thread loop of one iteration, or of less work
// than a fork and join of threads costs (fewer than 16384 operations:
// iterations times the body's operations, static inner loops counted), runs
// on the calling thread; a dynamic trip count gets a serial twin chosen at
// run time.
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

// Four iterations of two operations (a store and the terminator): serial.
// CHECK-LABEL: func.func @four_small_iterations
// CHECK-NOT: scf.parallel
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1
func.func @four_small_iterations(%m: memref<4x8xf32>) {
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

// Four iterations of an inner loop of 8192 stores (8192 x 2 operations
// each, 65536 in all): a thread loop as it was.
// CHECK-LABEL: func.func @four_large_iterations
// CHECK: scf.parallel
// CHECK-NOT: scf.if
func.func @four_large_iterations(%m: memref<4x8192xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8192 = arith.constant 8192 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %j = %c0 to %c8192 step %c1 {
      memref.store %f, %m[%i, %j] : memref<4x8192xf32>
    }
    scf.reduce
  }
  return
}

// Four iterations of an inner loop of a dynamic trip count: the work is not
// known, the loop stays parallel.
// CHECK-LABEL: func.func @dynamic_inner_work
// CHECK: scf.parallel
// CHECK-NOT: scf.if
func.func @dynamic_inner_work(%m: memref<4x?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %j = %c0 to %n step %c1 {
      memref.store %f, %m[%i, %j] : memref<4x?xf32>
    }
    scf.reduce
  }
  return
}

// A dynamic trip count over a body of 64 x 4 + 2 = 258 operations (the
// inner loop's add, multiply, store and yield, the loop, the terminator): the
// thread loop runs from ceil(16384 / 258) = 64 iterations on, the serial
// twin below.
// CHECK-LABEL: func.func @dynamic_small_body
// CHECK: %[[T:.*]] = arith.ceildivsi
// CHECK: %[[P:.*]] = arith.muli %{{.*}}, %[[T]]
// CHECK: %[[LEAST:.*]] = arith.constant 64 : index
// CHECK: %[[MANY:.*]] = arith.cmpi sge, %[[P]], %[[LEAST]]
// CHECK: scf.if %[[MANY]] {
// CHECK:   scf.parallel
// CHECK: } else {
// CHECK:   scf.for
// CHECK: }
func.func @dynamic_small_body(%m: memref<?x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.for %j = %c0 to %c64 step %c1 {
      %g = arith.addf %f, %f : f32
      %h = arith.mulf %g, %f : f32
      memref.store %h, %m[%i, %j] : memref<?x64xf32>
    }
    scf.reduce
  }
  return
}

// Dynamic: trips = ceildiv(n - 0, 2) * ceildiv(8 - 0, 8); the body holds a
// parallel loop (work not known), so two or more iterations run the thread
// loop, one the serial twin. The inner parallel loop (inside the outer one)
// is not versioned again.
// CHECK-LABEL: func.func @dynamic
// CHECK: %[[T0:.*]] = arith.ceildivsi
// CHECK: %[[P0:.*]] = arith.muli %{{.*}}, %[[T0]]
// CHECK: %[[T1:.*]] = arith.ceildivsi
// CHECK: %[[P1:.*]] = arith.muli %[[P0]], %[[T1]]
// CHECK: %[[MANY:.*]] = arith.cmpi sge, %[[P1]], %c2
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
