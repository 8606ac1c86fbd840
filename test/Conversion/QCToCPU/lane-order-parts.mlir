// With constant parts, the row-lane kernel reads a block's scales (and
// mins) of R = 16 rows as one vector: convert-qc-to-cpu passes them in lane
// order, part[n / 16, g, n % 16] (an N/16 x K/G x 16 constant reordered at
// compile time), and the kernel's arguments say so. Scales and mins keep
// their types (f16 here: converted per vector, not widened to f32).
// RUN: qc-opt %s --qc-cpu-repack-weights="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" \
// RUN:   --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" | FileCheck %s
// A weight that is no constant (qc.assemble of arguments) keeps the logical
// N x K/G parts, read by a gather:
// RUN: qc-opt %s --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" | FileCheck %s --check-prefix=ARGS

// Row n < 16 has scales 1, 2 (blocks 0, 1), rows 16-31 have 3, 4; the
// mins are the same numbers in f16. Logical order alternates 1, 2, 1, 2;
// lane order is sixteen 1s, sixteen 2s, sixteen 3s, sixteen 4s.
// CHECK-LABEL: func.func @layer(
// CHECK-DAG: %[[S:.*]] = arith.constant dense_resource<[[SB:qc_lane_order[0-9_]*]]> : tensor<2x2x16xf32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense_resource<[[MB:qc_lane_order[0-9_]*]]> : tensor<2x2x16xf16>
// CHECK: qc.kernel_call @qc_cpu_w4a8_n32_k64_g32_f32_mf16_u_ag32_vnni512_rowlanes_lo ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[S]], %[[M]] :
// CHECK: func.func private @qc_cpu_w4a8_n32_k64_g32_f32_mf16_u_ag32_vnni512_rowlanes_lo(%{{.*}}: memref<?x64xi8>, %{{.*}}: memref<?x2xf32>, %{{.*}}: memref<1024xi8>, %{{.*}}: memref<2x2x16xf32>, %{{.*}}: memref<2x2x16xf16>,
// CHECK-DAG: [[SB]]: "0x400000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F000000400000004000000040000000400000004000000040000000400000004000000040000000400000004000000040000000400000004000000040000000400000404000004040000040400000404000004040000040400000404000004040000040400000404000004040000040400000404000004040000040400000404000008040000080400000804000008040000080400000804000008040000080400000804000008040000080400000804000008040000080400000804000008040"
// CHECK-DAG: [[MB]]: "0x40000000003C003C003C003C003C003C003C003C003C003C003C003C003C003C003C003C004000400040004000400040004000400040004000400040004000400040004000420042004200420042004200420042004200420042004200420042004200420044004400440044004400440044004400440044004400440044004400440044"
func.func @layer(%x: tensor<?x64xf32>) -> tensor<?x32xf32> {
  %qa = qc.quantize %x : tensor<?x64xf32> -> !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
  %w = qc.constant codes(dense<33> : tensor<1024xi8>) scales(dense<[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0]]> : tensor<32x2xf32>) mins(dense<[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0], [3.0, 4.0]]> : tensor<32x2xf16>) : !qc.qtensor<32x64, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, min f16>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>, !qc.qtensor<32x64, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, min f16> -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// ARGS-LABEL: func.func @assembled(
// ARGS: func.func private @qc_cpu_w4a8_n32_k64_g32_f16_mf16_u_ag32_vnni512_rowlanes(%{{.*}}: memref<?x64xi8>, %{{.*}}: memref<?x2xf32>, %{{.*}}: memref<1024xi8>, %{{.*}}: memref<32x2xf16>, %{{.*}}: memref<32x2xf16>,
func.func @assembled(%x: tensor<?x64xf32>, %b: tensor<1024xi8>, %s: tensor<32x2xf16>, %m: tensor<32x2xf16>) -> tensor<?x32xf32> {
  %qa = qc.quantize %x : tensor<?x64xf32> -> !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
  %w = qc.assemble packed %b, %s mins %m : !qc.qtensor<32x64, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, min f16, layout #qc.tiled<rows = 16, chunk_bytes = 4>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>, !qc.qtensor<32x64, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, min f16, layout #qc.tiled<rows = 16, chunk_bytes = 4>> -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}
