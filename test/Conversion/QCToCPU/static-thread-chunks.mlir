// qc-static-thread-chunks (in qc-cpu-pipeline, after convert-scf-to-openmp):
// each thread of an OpenMP region computes its own static block of the
// loop (omp_get_thread_num, omp_get_num_threads) instead of calling
// __kmpc_for_static_init through omp.wsloop. A module that already has
// another symbol named omp_get_thread_num keeps its omp.wsloop loops.
// python/tests/test_copies.py and the differential tester run such loops at
// 1, 2 and 3 threads.
// RUN: qc-opt %s --qc-cpu-pipeline="target-features=+avx2,+fma" | FileCheck %s
// RUN: sed 's|^// CLASH: ||' %s | qc-opt --qc-cpu-pipeline="target-features=+avx2,+fma" | FileCheck %s --check-prefix=KEPT
// CHECK-NOT: omp.wsloop
// CHECK: llvm.func @exp_rows
// CHECK: omp.parallel
// CHECK: llvm.call @omp_get_thread_num() : () -> i32
// CHECK: llvm.call @omp_get_num_threads() : () -> i32
// CHECK-NOT: omp.wsloop
// KEPT: llvm.func @omp_get_thread_num() -> i64
// KEPT: omp.wsloop
// CLASH: llvm.func @omp_get_thread_num() -> i64
func.func @exp_rows(%x: tensor<64x1536xf32>) -> tensor<64x1536xf32> {
  %e = tensor.empty() : tensor<64x1536xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<64x1536xf32>) outs(%e : tensor<64x1536xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<64x1536xf32>
  return %y : tensor<64x1536xf32>
}
