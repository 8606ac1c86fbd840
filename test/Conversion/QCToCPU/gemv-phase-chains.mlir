// The row-lane integer-dot kernel's one-activation-row tile (the GEMV)
// keeps each phase of the packed weight bytes in an i32 chain of its own:
// phase j's field is read in place with one mask (code * 4^j for 2-bit
// codes), its vpdpbusd adds into chain j, and once per conversion block the
// chains are joined as chain_0 + (chain_1 >> 2) + (chain_2 >> 4) + (chain_3
// >> 6) (exact: chain j is 4^j times an integer). The GEMV's products then
// do not wait on each other. The tile of 4 activation rows keeps shifting
// each phase down and one chain per vector (its unpacking is shared by
// the 4 rows). The GEMV takes one vector of 16 weight rows at a time (one
// sequential weight stream).
// RUN: qc-opt %s --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" | FileCheck %s

// CHECK-LABEL: func.func private @qc_cpu_w2a8_n64_k256_g128_f32_arow_vnni512_rowlanes(
// CHECK-DAG: %[[SIX:.*]] = arith.constant dense<6> : vector<16xi32>
// CHECK-DAG: %[[FOUR:.*]] = arith.constant dense<4> : vector<16xi32>
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2> : vector<16xi32>
// CHECK-DAG: %[[M3:.*]] = arith.constant dense<-64> : vector<64xi8>
// CHECK-DAG: %[[M2:.*]] = arith.constant dense<48> : vector<64xi8>
// CHECK-DAG: %[[M1:.*]] = arith.constant dense<12> : vector<64xi8>
// CHECK-DAG: %[[M0:.*]] = arith.constant dense<3> : vector<64xi8>
// The 4-row tile: 2 vectors x 4 rows, one chain each, fields shifted down.
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: arith.shrui {{.*}} : vector<32xi16>
// The GEMV: one vector, 4 phase chains.
// CHECK: scf.for {{.*}} step %c16 iter_args(%[[C0:[^ ]*]] = {{.*}}, %[[C1:[^ ]*]] = {{.*}}, %[[C2:[^ ]*]] = {{.*}}, %[[C3:[^ ]*]] = {{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK-NOT: arith.shrui
// CHECK: %[[F0:.*]] = arith.andi %[[B:.*]], %[[M0]] : vector<64xi8>
// CHECK: qc_x86.vpdpbusd %[[C0]], %[[F0]],
// CHECK: %[[F1:.*]] = arith.andi %[[B]], %[[M1]] : vector<64xi8>
// CHECK: qc_x86.vpdpbusd %[[C1]], %[[F1]],
// CHECK: %[[F2:.*]] = arith.andi %[[B]], %[[M2]] : vector<64xi8>
// CHECK: qc_x86.vpdpbusd %[[C2]], %[[F2]],
// CHECK: %[[F3:.*]] = arith.andi %[[B]], %[[M3]] : vector<64xi8>
// CHECK: qc_x86.vpdpbusd %[[C3]], %[[F3]],
// CHECK: scf.yield
// CHECK: %[[S1:.*]] = arith.shrsi %[[R:.*]]#1, %[[TWO]] : vector<16xi32>
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
