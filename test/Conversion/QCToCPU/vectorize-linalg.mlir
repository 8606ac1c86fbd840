// qc-cpu-vectorize-linalg: the float rest of a program (the linalg ops
// around qc's kernels) as threads over its outer parallel loops and vectors
// over its inner loops (masked only in a loop's one partial tile), with
// upstream's tiling interface, loop peeling and linalg vectorizer. Vector
// sizes follow the target's f32 lanes (8 with AVX2, 16 with AVX-512): 4
// registers for an elementwise op or a reduction (and for a dynamic size),
// up to 32 for a contraction's accumulators; a static size taken whole
// when it fits, else the widest multiple of the lanes that divides it.
// RUN: qc-opt %s --qc-cpu-vectorize-linalg="target-features=+avx2,+fma" | FileCheck %s
// RUN: qc-opt %s --qc-cpu-vectorize-linalg="target-features=+avx2,+fma,+avx512f" | FileCheck %s --check-prefix=ZMM
// RUN: qc-opt %s --qc-cpu-vectorize-linalg="target-features=+avx2,+fma remarks=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: not qc-opt %s --qc-cpu-vectorize-linalg="target-features=+avx2,+nosuchfeature" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BADFEATURE
// Through the pipeline to the LLVM dialect: no vector.mask, forall or
// multi-reduction is left for the LLVM lowering to reject; the thread loops
// are OpenMP regions whose threads compute their own blocks of iterations
// (qc-static-thread-chunks: no omp.wsloop, so no __kmpc_for_static_init).
// RUN: qc-opt %s --qc-cpu-pipeline="target-features=+avx2,+fma" | FileCheck %s --check-prefix=LLVM

// BADFEATURE: error: qc-cpu-vectorize-linalg: {{.*}}nosuchfeature

// REMARK: remark: qc-cpu-vectorize-linalg: linalg.generic reads or writes sub-byte elements (i1, i4, ...)
// REMARK: remark: qc-cpu-vectorize-linalg: 3 linalg op(s) tiled and vectorized, 1 left scalar

// LLVM-NOT: vector.mask
// LLVM-NOT: scf.forall
// LLVM-NOT: vector.multi_reduction
// LLVM-NOT: omp.wsloop
// LLVM: llvm.func @gelu
// LLVM: omp.parallel
// LLVM: llvm.call @omp_get_thread_num()
// LLVM: llvm.call @omp_get_num_threads()
// LLVM-NOT: @erff
// LLVM-NOT: omp.wsloop

// Elementwise (GELU-like): rows over threads, 1536 columns as 48 vectors
// of 32 (4 AVX2 registers) or 24 of 64 (4 AVX-512 registers): a wider tile
// only unrolls, and erf's polynomial keeps a dozen values of the tile's
// width live (with 32 registers per value, most of them lived on the
// stack); erf as one rational function on vectors (the input clamped to
// [-4, 4], x P(x^2) / Q(x^2) by fused multiply-adds, no blends between
// intervals).
// CHECK-LABEL: func.func @gelu
// CHECK: scf.forall
// CHECK: scf.for {{.*}} step %c32
// CHECK: vector.transfer_read {{.*}} vector<32xf32>
// CHECK-NOT: math.erf
// CHECK-NOT: arith.select
// CHECK: arith.minimumf {{.*}} : vector<32xf32>
// CHECK: arith.maximumf {{.*}} : vector<32xf32>
// CHECK-COUNT-10: math.fma {{.*}} : vector<32xf32>
// CHECK-NOT: arith.select
// CHECK: arith.divf {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write
// CHECK: scf.forall.in_parallel
// ZMM-LABEL: func.func @gelu
// ZMM: scf.for {{.*}} step %c64
// ZMM: vector<64xf32>
func.func @gelu(%x: tensor<?x1536xf32>) -> tensor<?x1536xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x1536xf32>
  %o = tensor.empty(%m) : tensor<?x1536xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(t, d) -> (t, d)>, affine_map<(t, d) -> (t, d)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x1536xf32>) outs(%o : tensor<?x1536xf32>) {
  ^bb0(%v: f32, %out: f32):
    %c = arith.constant 0.707106769 : f32
    %s = arith.mulf %v, %c : f32
    %e = math.erf %s : f32
    %r = arith.mulf %v, %e : f32
    linalg.yield %r : f32
  } -> tensor<?x1536xf32>
  return %y : tensor<?x1536xf32>
}

// A row reduction over a dynamic size: 32-lane tiles (4 AVX2 registers),
// the loop peeled: the full tiles read unmasked, then one partial tile
// reads masked, the lanes past the row as the reduction's neutral element
// (-inf for max). The maximum over the lanes is a tree of halves (32 -> 16
// -> ... -> 1 lanes, elementwise maximumf; LLVM would expand a
// vector.reduction <maximumf> lane by lane), then the accumulator.
// CHECK-LABEL: func.func @row_max
// CHECK: %[[NEG:.*]] = arith.constant dense<0xFF800000> : vector<1x32xf32>
// CHECK: scf.forall
// CHECK: scf.for {{.*}} step %c32
// CHECK-NOT: vector.create_mask
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<1x32xf32>, vector<32xf32>
// CHECK: arith.maximumf {{.*}} : vector<16xf32>
// CHECK: scf.yield
// CHECK: scf.for {{.*}} step %c32
// CHECK: %[[M:.*]] = vector.create_mask
// CHECK: vector.transfer_read {{.*}}, %{{.*}}, %{{.*}} {in_bounds = [true]} : tensor<1x?xf32>, vector<32xf32>
// CHECK: arith.select %[[M]], %{{.*}}, %[[NEG]]
// CHECK-NOT: vector.reduction
// CHECK: %[[LO:.*]] = vector.extract_strided_slice %[[V:.*]] {offsets = [0], sizes = [16], strides = [1]} : vector<32xf32> to vector<16xf32>
// CHECK: %[[HI:.*]] = vector.extract_strided_slice %[[V]] {offsets = [16], sizes = [16], strides = [1]} : vector<32xf32> to vector<16xf32>
// CHECK: arith.maximumf %[[LO]], %[[HI]] : vector<16xf32>
// CHECK: arith.maximumf {{.*}} : vector<1xf32>
// CHECK: %[[LANE:.*]] = vector.extract {{.*}}[0] : f32 from vector<1xf32>
// CHECK: arith.maximumf %[[LANE]], %{{.*}} : f32
// CHECK-NOT: vector.mask
func.func @row_max(%x: tensor<?x?xf32>, %init: tensor<?xf32>) -> tensor<?xf32> {
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<?x?xf32>) outs(%init : tensor<?xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %r = arith.maximumf %acc, %v : f32
    linalg.yield %r : f32
  } -> tensor<?xf32>
  return %y : tensor<?xf32>
}
func.func @scores(%q: tensor<?x32xf32>, %kt: tensor<32x?xf32>, %init: tensor<?x?xf32>) -> tensor<?x?xf32> {

// q . k^T with k^T stored keys-innermost: the keys' loop moves innermost
// (it is contiguous in k^T and in the output), so the head dimension is an
// outer reduction that accumulates whole vectors (no horizontal sums).
// A register block of 4 query rows: each vector of k^T is loaded once for
// 4 rows (the keys' vector narrows to 2 registers, 4 x 2 accumulators,
// within the same 32-register budget); threads take chunks of 32 rows.
// The loops over row blocks and key tiles are peeled (full tiles without
// masks, then one partial tile), the reduction loop is innermost, and
// the accumulators are read before it and written after it (its vector
// iter_args: registers). Multiplies and adds may fuse (contract).
// CHECK-LABEL: func.func @scores
// CHECK: scf.forall (%{{.*}}) = (0) to (%{{.*}}) step (32)
// CHECK: scf.for {{.*}} step %c4
// CHECK: scf.for {{.*}} step %c16
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<4x16xf32>, vector<4x16xf32>
// CHECK: scf.for {{.*}} = %c0 to %c32 step %c4 iter_args({{.*}}, %{{.*}} = %[[ACC]])
// CHECK-NOT: vector.create_mask
// q's 4 x 4 values, each broadcast over the 16 keys: a shape_cast and a
// broadcast that stretches a unit dimension (splats), not the vectorizer's
// broadcast and transpose, which LLVM lowers one element at a time.
// CHECK: vector.shape_cast {{.*}} : vector<4x4xf32> to vector<4x4x1xf32>
// CHECK-NEXT: vector.broadcast {{.*}} : vector<4x4x1xf32> to vector<4x4x16xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<4x16xf32>, vector<4x16xf32>
// CHECK-NOT: vector.reduction
// CHECK-NOT: vector.transpose {{.*}} : vector<16x4x4xf32>
// CHECK: arith.mulf {{.*}} fastmath<contract> : vector<4x4x16xf32>
// CHECK: arith.addf {{.*}} fastmath<contract> : vector<64xf32>
// CHECK: scf.yield
// CHECK: vector.transfer_write
// CHECK: scf.for {{.*}} step %c16
// CHECK: vector.create_mask %c4, {{.*}} : vector<4x16xi1>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j, d) -> (i, d)>, affine_map<(i, j, d) -> (d, j)>, affine_map<(i, j, d) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%q, %kt : tensor<?x32xf32>, tensor<32x?xf32>) outs(%init : tensor<?x?xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @widen_i4(%x: tensor<4xi4>) -> tensor<4xi32> {
  %e = tensor.empty() : tensor<4xi32>

// i4 elements are bit-packed in vectors but one per byte in memrefs: left
// alone (with a remark), for the reference lowering's scalar loops.
// CHECK-LABEL: func.func @widen_i4
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
  %y = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%x : tensor<4xi4>) outs(%e : tensor<4xi32>) {
  ^bb0(%v: i4, %out: i32):
    %r = arith.extsi %v : i4 to i32
    linalg.yield %r : i32
  } -> tensor<4xi32>
  return %y : tensor<4xi32>
}
