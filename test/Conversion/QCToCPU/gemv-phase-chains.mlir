// The row-lane integer-dot kernel's one-activation-row tile (the GEMV)
// keeps each phase of the packed weight bytes in an i32 chain of its own:
// phase j's field is read in place with one mask (code * 4^j for 2-bit
// codes), its vpdpbusd adds into chain j, and once per conversion block the
// chains are joined as chain_0 + (chain_1 >> 2) + (chain_2 >> 4) + (chain_3
// >> 6) (exact: chain j is 4^j times an integer). The GEMV's products then
// do not wait on each other. The tile of 4 activation rows keeps shifting
// each phase down and one chain per vector (its unpacking is shared by
// the 4 rows). The GEMV takes 4 vectors of 16 weight rows per step (N = 64
// here), so that each activation broadcast (a load) serves 4 weight
// vectors: a GEMV from DRAM is bound by the loads in flight. The 4-row
// tile keeps 2 vectors and runs twice per step of 64 rows.
// RUN: qc-opt %s --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" | FileCheck %s

// CHECK-LABEL: func.func private @qc_cpu_w2a8_n64_k256_g128_f32_arow_vnni512_rowlanes(
// CHECK-DAG: %[[SIX:.*]] = arith.constant dense<6> : vector<16xi32>
// CHECK-DAG: %[[FOUR:.*]] = arith.constant dense<4> : vector<16xi32>
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2> : vector<16xi32>
// CHECK-DAG: %[[M3:.*]] = arith.constant dense<-64> : vector<64xi8>
// CHECK-DAG: %[[M2:.*]] = arith.constant dense<48> : vector<64xi8>
// CHECK-DAG: %[[M1:.*]] = arith.constant dense<12> : vector<64xi8>
// CHECK-DAG: %[[M0:.*]] = arith.constant dense<3> : vector<64xi8>
// The 4-row tile: 2 vectors x 4 rows, one chain each, fields shifted
// down; once for each 32-row half of the step.
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: arith.shrui {{.*}} : vector<32xi16>
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: arith.shrui {{.*}} : vector<32xi16>
// The GEMV: 4 vectors, 4 phase chains each.
// CHECK: %[[R:.*]]:16 = scf.for {{.*}} step %c16 iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK-NOT: arith.shrui
// Phase 0 of the 4 vectors (one mask each), one broadcast for all 4:
// CHECK: %[[F0:.*]] = arith.andi %[[B0:.*]], %[[M0]] : vector<64xi8>
// CHECK: %[[F1:.*]] = arith.andi %[[B1:.*]], %[[M0]] : vector<64xi8>
// CHECK: %[[F2:.*]] = arith.andi %[[B2:.*]], %[[M0]] : vector<64xi8>
// CHECK: %[[F3:.*]] = arith.andi %[[B3:.*]], %[[M0]] : vector<64xi8>
// CHECK: %[[A:.*]] = vector.bitcast {{.*}} : vector<16xi32> to vector<64xi8>
// CHECK-NEXT: qc_x86.vpdpbusd %{{.*}}, %[[F0]], %[[A]]
// CHECK-NEXT: qc_x86.vpdpbusd %{{.*}}, %[[F1]], %[[A]]
// CHECK-NEXT: qc_x86.vpdpbusd %{{.*}}, %[[F2]], %[[A]]
// CHECK-NEXT: qc_x86.vpdpbusd %{{.*}}, %[[F3]], %[[A]]
// Phases 1 to 3 read the same bytes in place, with their masks:
// CHECK: arith.andi %[[B0]], %[[M1]] : vector<64xi8>
// CHECK: qc_x86.vpdpbusd
// CHECK: arith.andi %[[B0]], %[[M2]] : vector<64xi8>
// CHECK: qc_x86.vpdpbusd
// CHECK: arith.andi %[[B0]], %[[M3]] : vector<64xi8>
// CHECK: qc_x86.vpdpbusd
// CHECK: scf.yield
// CHECK: %[[S1:.*]] = arith.shrsi %[[R]]#1, %[[TWO]] : vector<16xi32>
// CHECK: %[[A1:.*]] = arith.addi %[[R]]#0, %[[S1]] : vector<16xi32>
// CHECK: %[[S2:.*]] = arith.shrsi %[[R]]#2, %[[FOUR]] : vector<16xi32>
// CHECK: %[[A2:.*]] = arith.addi %[[A1]], %[[S2]] : vector<16xi32>
// CHECK: %[[S3:.*]] = arith.shrsi %[[R]]#3, %[[SIX]] : vector<16xi32>
// CHECK: %[[A3:.*]] = arith.addi %[[A2]], %[[S3]] : vector<16xi32>
// CHECK: arith.sitofp %[[A3]]
func.func @gemv(%x: tensor<?x256xf32>, %b: tensor<4096xi8>, %s: tensor<64x2xf32>) -> tensor<?x64xf32> {
  %qa = qc.quantize %x : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.assemble packed %b, %s : !qc.qtensor<64x256, #qc.int<s2>, f32 #qc.per_block<[1, 128]>, layout #qc.tiled<rows = 16, chunk_bytes = 4>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<64x256, #qc.int<s2>, f32 #qc.per_block<[1, 128]>, layout #qc.tiled<rows = 16, chunk_bytes = 4>> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
