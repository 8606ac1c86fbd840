// Chains around contractions of computed values (attention's scores,
// softmax and p . v, as examples/minilm writes them) are fused into one
// scf.forall over their batch loops (sentence and head): each iteration
// computes one head's S x S scores, softmax and p . v while they are in the
// core's cache, instead of five ops each passing over all B x 12 x S x S.
// RUN: qc-opt %s --qc-cpu-vectorize-linalg="target-features=+avx2,+fma remarks=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: qc-opt %s --qc-cpu-vectorize-linalg="target-features=+avx2,+fma" | FileCheck %s
// k^T in square blocks of lanes x lanes, read as whole rows of k and
// transposed in registers: 16 x 16 by shuffles (AVX-512), 8 x 8 by AVX2's
// shuffles and blends.
// RUN: qc-opt %s --qc-cpu-vectorize-linalg="target-features=+avx2,+fma,+avx512f" | FileCheck %s --check-prefix=ZMM
// ZMM-LABEL: func.func @attention
// ZMM: scf.for {{.*}} step %c16 iter_args({{.*}}) -> (tensor<1x1x32x?xf32>)
// ZMM: scf.for {{.*}} step %c16
// ZMM: vector.transfer_read {{.*}} : tensor<1x16x1x16xf32>, vector<16x1x16xf32>
// ZMM-COUNT-64: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// ZMM: vector.transfer_write {{.*}} : vector<16x16xf32>, tensor<1x1x16x16xf32>
// fuse-chains=false (qc-cpu-pipeline's option too): every op on its own.
// RUN: qc-opt %s --qc-cpu-vectorize-linalg="target-features=+avx2,+fma fuse-chains=false remarks=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOFUSE
// RUN: qc-opt %s --qc-cpu-pipeline="target-features=+avx2,+fma fuse-chains=false" | FileCheck %s --check-prefix=NOFUSE-LLVM
// NOFUSE-NOT: fused into one loop
// NOFUSE: remark: qc-cpu-vectorize-linalg: {{[0-9]+}} linalg op(s) tiled and vectorized, 0 left scalar
// NOFUSE-LLVM-LABEL: llvm.func @attention
// NOFUSE-LLVM-COUNT-8: omp.parallel
// The fused loop through the pipeline: one OpenMP region per attention.
// RUN: qc-opt %s --qc-cpu-pipeline="target-features=+avx2,+fma" | FileCheck %s --check-prefix=LLVM

// REMARK: remark: qc-cpu-vectorize-linalg: 11 ops ending in this linalg.generic fused into one loop over 2 batch dimension(s)

// The attention: one loop over sentences and heads; every op inside it, on
// one head's slices (1 x 1 x S x S scores); buffers of one iteration.
// CHECK-LABEL: func.func @attention
// CHECK-NOT: linalg.generic
// CHECK: = scf.forall ({{.*}}) in (%{{.*}}, 12)
// CHECK-NOT: = scf.forall
// CHECK: tensor.empty({{.*}}) : tensor<1x1x32x?xf32>
// CHECK: scf.for {{.*}} step %c8 iter_args({{.*}}) -> (tensor<1x1x32x?xf32>)
// CHECK: vector.transfer_read {{.*}} : tensor<1x8x1x8xf32>, vector<8x1x8xf32>
// CHECK: llvm.inline_asm {{.*}}"vblendps
// CHECK: tensor.empty({{.*}}) : tensor<1x1x?x?xf32>
// CHECK: arith.maximumf
// (exp's polynomial:)
// CHECK: math.floor
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice
// CHECK-NOT: = scf.forall
// CHECK: return

// The row maximum also a result: it and the scores it reads stay outside
// (their whole tensors are needed), and p . v's chain (the exponentials,
// their sum, p . v, the normalization) is fused on its own.
// REMARK: remark: qc-cpu-vectorize-linalg: 6 ops ending in this linalg.generic fused into one loop over 2 batch dimension(s)
// REMARK: remark: qc-cpu-vectorize-linalg: 3 ops ending in this linalg.generic fused into one loop over 2 batch dimension(s)
// CHECK-LABEL: func.func @max_read_outside
// The scores, with k^T fused:
// CHECK: = scf.forall ({{.*}}) in (%{{.*}}, 12)
// CHECK: tensor.empty({{.*}}) : tensor<1x1x32x?xf32>
// The row maximum's fill and the maximum, threaded over rows:
// CHECK: = scf.forall
// CHECK: = scf.forall
// CHECK: arith.maximumf
// The exponentials, their sum, p . v and the normalization:
// CHECK: = scf.forall ({{.*}}) in (%{{[a-z0-9_]+}}, 12)
// CHECK: math.floor
// CHECK-NOT: = scf.forall
// CHECK: return

// A batched product of two arguments has nothing to fuse: its fill and
// the product are threaded each on its own.
// CHECK-LABEL: func.func @batched_args
// CHECK-COUNT-2: = scf.forall
// CHECK-NOT: = scf.forall
// CHECK: return

// (@grouped_query, below:)
// REMARK: remark: qc-cpu-vectorize-linalg: 9 ops ending in this linalg.generic fused into one loop over 2 batch dimension(s)
// REMARK-NOT: fused into one loop
// REMARK: remark: qc-cpu-vectorize-linalg: {{[0-9]+}} linalg op(s) tiled and vectorized, 0 left scalar

// LLVM-LABEL: llvm.func @attention
// LLVM-COUNT-1: omp.parallel
// LLVM-NOT: omp.parallel
// LLVM: llvm.return

func.func @attention(%q: tensor<?x?x12x32xf32>, %k: tensor<?x?x12x32xf32>, %v: tensor<?x?x12x32xf32>, %mask: tensor<?x?xf32>) -> tensor<?x?x12x32xf32> {
    %i0 = arith.constant 0 : index
    %i1 = arith.constant 1 : index
    %nb = tensor.dim %mask, %i0 : tensor<?x?xf32>
    %ns = tensor.dim %mask, %i1 : tensor<?x?xf32>
    %e31 = tensor.empty(%nb, %ns) : tensor<?x12x32x?xf32>
    %kt32 = linalg.transpose ins(%k : tensor<?x?x12x32xf32>) outs(%e31 : tensor<?x12x32x?xf32>) permutation = [0, 2, 3, 1]
    %e33 = tensor.empty(%nb, %ns, %ns) : tensor<?x12x?x?xf32>
    %c34 = arith.constant 0.0 : f32
    %f35 = linalg.fill ins(%c34 : f32) outs(%e33 : tensor<?x12x?x?xf32>) -> tensor<?x12x?x?xf32>
    %scores36 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, i, h, d)>, affine_map<(b, h, i, j, d) -> (b, h, d, j)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
        iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %kt32 : tensor<?x?x12x32xf32>, tensor<?x12x32x?xf32>) outs(%f35 : tensor<?x12x?x?xf32>) {
    ^bb0(%qv: f32, %kv: f32, %acc: f32):
      %m = arith.mulf %qv, %kv : f32
      %r = arith.addf %acc, %m : f32
      linalg.yield %r : f32
    } -> tensor<?x12x?x?xf32>
    %e37 = tensor.empty(%nb, %ns) : tensor<?x12x?xf32>
    %c38 = arith.constant -3.40282347E+38 : f32
    %f39 = linalg.fill ins(%c38 : f32) outs(%e37 : tensor<?x12x?xf32>) -> tensor<?x12x?xf32>
    %max40 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, j)>, affine_map<(b, h, i, j) -> (b, h, i)>],
        iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%scores36, %mask : tensor<?x12x?x?xf32>, tensor<?x?xf32>) outs(%f39 : tensor<?x12x?xf32>) {
    ^bb0(%sv: f32, %mv: f32, %acc: f32):
      %scale = arith.constant 0.176776695 : f32
      %big = arith.constant 10000.0 : f32
      %one = arith.constant 1.0 : f32
      %ss = arith.mulf %sv, %scale : f32
      %mm = arith.subf %mv, %one : f32
      %bias = arith.mulf %mm, %big : f32
      %l = arith.addf %ss, %bias : f32
      %r = arith.maximumf %acc, %l : f32
      linalg.yield %r : f32
    } -> tensor<?x12x?xf32>
    %e41 = tensor.empty(%nb, %ns, %ns) : tensor<?x12x?x?xf32>
    %exp42 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, j)>, affine_map<(b, h, i, j) -> (b, h, i)>, affine_map<(b, h, i, j) -> (b, h, i, j)>],
        iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scores36, %mask, %max40 : tensor<?x12x?x?xf32>, tensor<?x?xf32>, tensor<?x12x?xf32>) outs(%e41 : tensor<?x12x?x?xf32>) {
    ^bb0(%sv: f32, %mv: f32, %xv: f32, %out: f32):
      %scale = arith.constant 0.176776695 : f32
      %big = arith.constant 10000.0 : f32
      %one = arith.constant 1.0 : f32
      %ss = arith.mulf %sv, %scale : f32
      %mm = arith.subf %mv, %one : f32
      %bias = arith.mulf %mm, %big : f32
      %l = arith.addf %ss, %bias : f32
      %c = arith.subf %l, %xv : f32
      %r = math.exp %c : f32
      linalg.yield %r : f32
    } -> tensor<?x12x?x?xf32>
    %e43 = tensor.empty(%nb, %ns) : tensor<?x12x?xf32>
    %c44 = arith.constant 0.0 : f32
    %f45 = linalg.fill ins(%c44 : f32) outs(%e43 : tensor<?x12x?xf32>) -> tensor<?x12x?xf32>
    %sum46 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i)>],
        iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp42 : tensor<?x12x?x?xf32>) outs(%f45 : tensor<?x12x?xf32>) {
    ^bb0(%ev: f32, %acc: f32):
      %r = arith.addf %acc, %ev : f32
      linalg.yield %r : f32
    } -> tensor<?x12x?xf32>
    %e47 = tensor.empty(%nb, %ns) : tensor<?x?x12x32xf32>
    %c48 = arith.constant 0.0 : f32
    %f49 = linalg.fill ins(%c48 : f32) outs(%e47 : tensor<?x?x12x32xf32>) -> tensor<?x?x12x32xf32>
    %ctx50 = linalg.generic {indexing_maps = [affine_map<(b, i, h, j, d) -> (b, h, i, j)>, affine_map<(b, i, h, j, d) -> (b, j, h, d)>, affine_map<(b, i, h, j, d) -> (b, i, h, d)>],
        iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%exp42, %v : tensor<?x12x?x?xf32>, tensor<?x?x12x32xf32>) outs(%f49 : tensor<?x?x12x32xf32>) {
    ^bb0(%pv: f32, %vv: f32, %acc: f32):
      %m = arith.mulf %pv, %vv : f32
      %r = arith.addf %acc, %m : f32
      linalg.yield %r : f32
    } -> tensor<?x?x12x32xf32>
    %e51 = tensor.empty(%nb, %ns) : tensor<?x?x12x32xf32>
    %ctxn52 = linalg.generic {indexing_maps = [affine_map<(b, i, h, d) -> (b, i, h, d)>, affine_map<(b, i, h, d) -> (b, h, i)>, affine_map<(b, i, h, d) -> (b, i, h, d)>],
        iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ctx50, %sum46 : tensor<?x?x12x32xf32>, tensor<?x12x?xf32>) outs(%e51 : tensor<?x?x12x32xf32>) {
    ^bb0(%cv: f32, %zv: f32, %out: f32):
      %r = arith.divf %cv, %zv : f32
      linalg.yield %r : f32
    } -> tensor<?x?x12x32xf32>
    return %ctxn52 : tensor<?x?x12x32xf32>
}

func.func @max_read_outside(%q: tensor<?x?x12x32xf32>, %k: tensor<?x?x12x32xf32>, %v: tensor<?x?x12x32xf32>, %mask: tensor<?x?xf32>) -> (tensor<?x?x12x32xf32>, tensor<?x12x?xf32>) {
    %i0 = arith.constant 0 : index
    %i1 = arith.constant 1 : index
    %nb = tensor.dim %mask, %i0 : tensor<?x?xf32>
    %ns = tensor.dim %mask, %i1 : tensor<?x?xf32>
    %e31 = tensor.empty(%nb, %ns) : tensor<?x12x32x?xf32>
    %kt32 = linalg.transpose ins(%k : tensor<?x?x12x32xf32>) outs(%e31 : tensor<?x12x32x?xf32>) permutation = [0, 2, 3, 1]
    %e33 = tensor.empty(%nb, %ns, %ns) : tensor<?x12x?x?xf32>
    %c34 = arith.constant 0.0 : f32
    %f35 = linalg.fill ins(%c34 : f32) outs(%e33 : tensor<?x12x?x?xf32>) -> tensor<?x12x?x?xf32>
    %scores36 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, i, h, d)>, affine_map<(b, h, i, j, d) -> (b, h, d, j)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
        iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %kt32 : tensor<?x?x12x32xf32>, tensor<?x12x32x?xf32>) outs(%f35 : tensor<?x12x?x?xf32>) {
    ^bb0(%qv: f32, %kv: f32, %acc: f32):
      %m = arith.mulf %qv, %kv : f32
      %r = arith.addf %acc, %m : f32
      linalg.yield %r : f32
    } -> tensor<?x12x?x?xf32>
    %e37 = tensor.empty(%nb, %ns) : tensor<?x12x?xf32>
    %c38 = arith.constant -3.40282347E+38 : f32
    %f39 = linalg.fill ins(%c38 : f32) outs(%e37 : tensor<?x12x?xf32>) -> tensor<?x12x?xf32>
    %max40 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, j)>, affine_map<(b, h, i, j) -> (b, h, i)>],
        iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%scores36, %mask : tensor<?x12x?x?xf32>, tensor<?x?xf32>) outs(%f39 : tensor<?x12x?xf32>) {
    ^bb0(%sv: f32, %mv: f32, %acc: f32):
      %scale = arith.constant 0.176776695 : f32
      %big = arith.constant 10000.0 : f32
      %one = arith.constant 1.0 : f32
      %ss = arith.mulf %sv, %scale : f32
      %mm = arith.subf %mv, %one : f32
      %bias = arith.mulf %mm, %big : f32
      %l = arith.addf %ss, %bias : f32
      %r = arith.maximumf %acc, %l : f32
      linalg.yield %r : f32
    } -> tensor<?x12x?xf32>
    %e41 = tensor.empty(%nb, %ns, %ns) : tensor<?x12x?x?xf32>
    %exp42 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, j)>, affine_map<(b, h, i, j) -> (b, h, i)>, affine_map<(b, h, i, j) -> (b, h, i, j)>],
        iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scores36, %mask, %max40 : tensor<?x12x?x?xf32>, tensor<?x?xf32>, tensor<?x12x?xf32>) outs(%e41 : tensor<?x12x?x?xf32>) {
    ^bb0(%sv: f32, %mv: f32, %xv: f32, %out: f32):
      %scale = arith.constant 0.176776695 : f32
      %big = arith.constant 10000.0 : f32
      %one = arith.constant 1.0 : f32
      %ss = arith.mulf %sv, %scale : f32
      %mm = arith.subf %mv, %one : f32
      %bias = arith.mulf %mm, %big : f32
      %l = arith.addf %ss, %bias : f32
      %c = arith.subf %l, %xv : f32
      %r = math.exp %c : f32
      linalg.yield %r : f32
    } -> tensor<?x12x?x?xf32>
    %e43 = tensor.empty(%nb, %ns) : tensor<?x12x?xf32>
    %c44 = arith.constant 0.0 : f32
    %f45 = linalg.fill ins(%c44 : f32) outs(%e43 : tensor<?x12x?xf32>) -> tensor<?x12x?xf32>
    %sum46 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i)>],
        iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp42 : tensor<?x12x?x?xf32>) outs(%f45 : tensor<?x12x?xf32>) {
    ^bb0(%ev: f32, %acc: f32):
      %r = arith.addf %acc, %ev : f32
      linalg.yield %r : f32
    } -> tensor<?x12x?xf32>
    %e47 = tensor.empty(%nb, %ns) : tensor<?x?x12x32xf32>
    %c48 = arith.constant 0.0 : f32
    %f49 = linalg.fill ins(%c48 : f32) outs(%e47 : tensor<?x?x12x32xf32>) -> tensor<?x?x12x32xf32>
    %ctx50 = linalg.generic {indexing_maps = [affine_map<(b, i, h, j, d) -> (b, h, i, j)>, affine_map<(b, i, h, j, d) -> (b, j, h, d)>, affine_map<(b, i, h, j, d) -> (b, i, h, d)>],
        iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%exp42, %v : tensor<?x12x?x?xf32>, tensor<?x?x12x32xf32>) outs(%f49 : tensor<?x?x12x32xf32>) {
    ^bb0(%pv: f32, %vv: f32, %acc: f32):
      %m = arith.mulf %pv, %vv : f32
      %r = arith.addf %acc, %m : f32
      linalg.yield %r : f32
    } -> tensor<?x?x12x32xf32>
    %e51 = tensor.empty(%nb, %ns) : tensor<?x?x12x32xf32>
    %ctxn52 = linalg.generic {indexing_maps = [affine_map<(b, i, h, d) -> (b, i, h, d)>, affine_map<(b, i, h, d) -> (b, h, i)>, affine_map<(b, i, h, d) -> (b, i, h, d)>],
        iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ctx50, %sum46 : tensor<?x?x12x32xf32>, tensor<?x12x?xf32>) outs(%e51 : tensor<?x?x12x32xf32>) {
    ^bb0(%cv: f32, %zv: f32, %out: f32):
      %r = arith.divf %cv, %zv : f32
      linalg.yield %r : f32
    } -> tensor<?x?x12x32xf32>
    return %ctxn52, %max40 : tensor<?x?x12x32xf32>, tensor<?x12x?xf32>
}

func.func @batched_args(%a: tensor<?x12x?x32xf32>, %b: tensor<?x12x32x?xf32>) -> tensor<?x12x?x?xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %nb = tensor.dim %a, %c0 : tensor<?x12x?x32xf32>
  %m = tensor.dim %a, %c2 : tensor<?x12x?x32xf32>
  %n = tensor.dim %b, %c3 : tensor<?x12x32x?xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%nb, %m, %n) : tensor<?x12x?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x12x?x?xf32>) -> tensor<?x12x?x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, d, j)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : tensor<?x12x?x32xf32>, tensor<?x12x32x?xf32>) outs(%f : tensor<?x12x?x?xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x12x?x?xf32>
  return %r : tensor<?x12x?x?xf32>
}

// SmolLM2's grouped-query attention (examples/smollm2/smollm2_mlir.py): one
// loop over query rows and KV heads (9 ops); inside it the query row is one
// row, so the contractions' register blocks take the 3 query heads of a KV
// head instead (a loop of one iteration has no rows to block).
// CHECK-LABEL: func.func @grouped_query
// CHECK: = scf.forall ({{.*}}) in (%{{.*}}, 3)
// CHECK-NOT: = scf.forall (
// CHECK: vector<3x1x1x4x16xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: = scf.forall (
// CHECK: return
func.func @grouped_query(%q: tensor<?x9x64xf32>, %kt: tensor<3x64x?xf32>, %v: tensor<3x?x64xf32>, %np: index) -> tensor<?x576xf32> {
  %i0 = arith.constant 0 : index
  %i2 = arith.constant 2 : index
  %nt = tensor.dim %q, %i0 : tensor<?x9x64xf32>
  %nl = tensor.dim %kt, %i2 : tensor<3x64x?xf32>
      %q51 = tensor.expand_shape %q [[0], [1, 2], [3]] output_shape [%nt, 3, 3, 64] : tensor<?x9x64xf32> into tensor<?x3x3x64xf32>
      %e2 = tensor.empty(%nt, %nl) : tensor<3x3x?x?xf32>
      %c3 = arith.constant 0.0 : f32
      %f4 = linalg.fill ins(%c3 : f32) outs(%e2 : tensor<3x3x?x?xf32>) -> tensor<3x3x?x?xf32>
      %scores5 = linalg.generic {indexing_maps = [affine_map<(a, g, i, j, d) -> (i, a, g, d)>, affine_map<(a, g, i, j, d) -> (a, d, j)>, affine_map<(a, g, i, j, d) -> (a, g, i, j)>],
          iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q51, %kt : tensor<?x3x3x64xf32>, tensor<3x64x?xf32>) outs(%f4 : tensor<3x3x?x?xf32>) {
      ^bb0(%qv: f32, %kv: f32, %acc: f32):
        %m = arith.mulf %qv, %kv : f32
        %r = arith.addf %acc, %m : f32
        linalg.yield %r : f32
      } -> tensor<3x3x?x?xf32>
      %e6 = tensor.empty(%nt) : tensor<3x3x?xf32>
      %c7 = arith.constant -3.40282347E+38 : f32
      %f8 = linalg.fill ins(%c7 : f32) outs(%e6 : tensor<3x3x?xf32>) -> tensor<3x3x?xf32>
      %max9 = linalg.generic {indexing_maps = [affine_map<(a, g, i, j) -> (a, g, i, j)>, affine_map<(a, g, i, j) -> (a, g, i)>],
          iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%scores5 : tensor<3x3x?x?xf32>) outs(%f8 : tensor<3x3x?xf32>) {
      ^bb0(%sv: f32, %acc: f32):
        %i = linalg.index 2 : index
        %j = linalg.index 3 : index
        %lim = arith.addi %np, %i : index
        %late = arith.cmpi ugt, %j, %lim : index
        %scale = arith.constant 0.125 : f32
        %ss = arith.mulf %sv, %scale : f32
        %neg = arith.constant -1.0e+30 : f32
        %l = arith.select %late, %neg, %ss : f32
        %r = arith.maximumf %acc, %l : f32
        linalg.yield %r : f32
      } -> tensor<3x3x?xf32>
      %e10 = tensor.empty(%nt) : tensor<3x3x?xf32>
      %c11 = arith.constant 0.0 : f32
      %f12 = linalg.fill ins(%c11 : f32) outs(%e10 : tensor<3x3x?xf32>) -> tensor<3x3x?xf32>
      %sum13 = linalg.generic {indexing_maps = [affine_map<(a, g, i, j) -> (a, g, i, j)>, affine_map<(a, g, i, j) -> (a, g, i)>, affine_map<(a, g, i, j) -> (a, g, i)>],
          iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%scores5, %max9 : tensor<3x3x?x?xf32>, tensor<3x3x?xf32>) outs(%f12 : tensor<3x3x?xf32>) {
      ^bb0(%sv: f32, %xv: f32, %acc: f32):
        %i = linalg.index 2 : index
        %j = linalg.index 3 : index
        %lim = arith.addi %np, %i : index
        %late = arith.cmpi ugt, %j, %lim : index
        %scale = arith.constant 0.125 : f32
        %ss = arith.mulf %sv, %scale : f32
        %neg = arith.constant -1.0e+30 : f32
        %l = arith.select %late, %neg, %ss : f32
        %c = arith.subf %l, %xv : f32
        %ev = math.exp %c : f32
        %r = arith.addf %acc, %ev : f32
        linalg.yield %r : f32
      } -> tensor<3x3x?xf32>
      %e14 = tensor.empty(%nt, %nl) : tensor<3x3x?x?xf32>
      %probs15 = linalg.generic {indexing_maps = [affine_map<(a, g, i, j) -> (a, g, i, j)>, affine_map<(a, g, i, j) -> (a, g, i)>, affine_map<(a, g, i, j) -> (a, g, i)>, affine_map<(a, g, i, j) -> (a, g, i, j)>],
          iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scores5, %max9, %sum13 : tensor<3x3x?x?xf32>, tensor<3x3x?xf32>, tensor<3x3x?xf32>) outs(%e14 : tensor<3x3x?x?xf32>) {
      ^bb0(%sv: f32, %xv: f32, %zv: f32, %out: f32):
        %i = linalg.index 2 : index
        %j = linalg.index 3 : index
        %lim = arith.addi %np, %i : index
        %late = arith.cmpi ugt, %j, %lim : index
        %scale = arith.constant 0.125 : f32
        %ss = arith.mulf %sv, %scale : f32
        %neg = arith.constant -1.0e+30 : f32
        %l = arith.select %late, %neg, %ss : f32
        %c = arith.subf %l, %xv : f32
        %ev = math.exp %c : f32
        %r = arith.divf %ev, %zv : f32
        linalg.yield %r : f32
      } -> tensor<3x3x?x?xf32>
      %e16 = tensor.empty(%nt) : tensor<?x3x3x64xf32>
      %c17 = arith.constant 0.0 : f32
      %f18 = linalg.fill ins(%c17 : f32) outs(%e16 : tensor<?x3x3x64xf32>) -> tensor<?x3x3x64xf32>
      %ctx19 = linalg.generic {indexing_maps = [affine_map<(i, a, g, j, d) -> (a, g, i, j)>, affine_map<(i, a, g, j, d) -> (a, j, d)>, affine_map<(i, a, g, j, d) -> (i, a, g, d)>],
          iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%probs15, %v : tensor<3x3x?x?xf32>, tensor<3x?x64xf32>) outs(%f18 : tensor<?x3x3x64xf32>) {
      ^bb0(%pv: f32, %vv: f32, %acc: f32):
        %m = arith.mulf %pv, %vv : f32
        %r = arith.addf %acc, %m : f32
        linalg.yield %r : f32
      } -> tensor<?x3x3x64xf32>
      %ctxf20 = tensor.collapse_shape %ctx19 [[0], [1, 2, 3]] : tensor<?x3x3x64xf32> into tensor<?x576xf32>
  return %ctxf20 : tensor<?x576xf32>
}
