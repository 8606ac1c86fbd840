// convert-qc-to-cpu: which matmuls get a kernel, and what the call looks like.
// RUN: qc-opt %s --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" \
// RUN:   --split-input-file | FileCheck %s
// RUN: qc-opt %s --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,ssse3,sse2" \
// RUN:   --convert-qc-x86-to-llvm --split-input-file \
// RUN:   | FileCheck %s --check-prefix=LLVM

// A packed int4 weight: one kernel per weight shape and format, shared by
// both matmuls; the bias is added after the call.
// CHECK-LABEL: func.func @two_matmuls(
// CHECK-SAME: %[[A:.*]]: tensor<?x64xf32>, %[[BYTES:.*]]: tensor<1024xi8>, %[[S:.*]]: tensor<32x2xf16>, %[[B:.*]]: tensor<32xf32>
// The call is a qc.kernel_call on tensors: the inputs it reads, then the
// output and the scratch buffer for the permuted activations (one row per
// activation row) as outs, which bufferization allocates and frees.
// CHECK: %[[M:.*]] = tensor.dim %[[A]]
// CHECK: %[[Y0:.*]] = tensor.empty(%[[M]]) : tensor<?x32xf32>
// CHECK: %[[AP:.*]] = tensor.empty(%[[M]]) : tensor<?x64xf32>
// CHECK: %[[Y:.*]]:2 = qc.kernel_call @qc_cpu_w4_int_n32_k64_g32_f16 ins(%[[A]], %[[BYTES]], %[[S]] : tensor<?x64xf32>, tensor<1024xi8>, tensor<32x2xf16>) outs(%[[Y0]], %[[AP]] : tensor<?x32xf32>, tensor<?x64xf32>)
// CHECK-NOT: bufferization.to_buffer
// CHECK: linalg.generic {{.*}} ins(%[[Y]]#0, %[[B]]
// CHECK: qc.kernel_call @qc_cpu_w4_int_n32_k64_g32_f16 
// CHECK-NOT: qc.matmul
// The kernel is built once, with its body: the activations permuted into
// phase order, then weight rows in parallel; each 16-byte chunk of packed
// codes is split into its two nibble phases (mask; shift), sign-extended
// by a vpshufb table lookup, converted and accumulated by FMAs.
// CHECK: func.func private @qc_cpu_w4_int_n32_k64_g32_f16(
// CHECK-SAME: %[[KA:.*]]: memref<?x64xf32>, %[[KW:.*]]: memref<1024xi8>, %{{.*}}: memref<32x2xf16>, %{{.*}}: memref<?x32xf32>, %[[KAP:.*]]: memref<?x64xf32>)
// It is compiled for the target's SIMD features, whatever CPU LLVM's
// backend is given for the rest of the program, with internal linkage (two
// programs linked together keep a kernel each).
// Its spec, which it is found by, holds every field that changes its code.
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, qc.kernel_spec = {bits = 4 : i64, decode = 0 : i64, family = "cpu.float_dot", float_table = array<f32>, int_table = array<i32>, k = 64 : i64, min_type, n = 32 : i64, plane_bit_offset = 0 : i64, scale_type = f16, stored_bits = 0 : i64, table_unit = 1.000000e+00 : f64, target_features = "+sse2,+ssse3,+avx2,+fma", tiled_weights = false, weight_group = 32 : i64, zero_point_type, zmm_table = false}
// CHECK-SAME: target_features = #llvm.target_features<["+sse2", "+ssse3", "+avx2", "+fma"]>} {
// CHECK: %[[V:.*]] = vector.load %[[KA]][%{{.*}}, %{{.*}}] : memref<?x64xf32>, vector<32xf32>
// CHECK: %[[P:.*]] = vector.shuffle %[[V]], %[[V]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: vector.store %[[P]], %[[KAP]]
// CHECK: scf.parallel
// CHECK: %[[B:.*]] = vector.load %[[KW]][%{{.*}}] : memref<1024xi8>, vector<16xi8>
// CHECK: %[[LO:.*]] = arith.andi %[[B]], %{{.*}} : vector<16xi8>
// CHECK: %[[LOV:.*]] = qc_x86.vpshufb %{{.*}}, %[[LO]] : vector<16xi8>
// CHECK: arith.sitofp %[[LOV]] : vector<16xi8> to vector<16xf32>
// CHECK: vector.fma
// CHECK: %[[HI:.*]] = arith.shrui %[[B]], %{{.*}} : vector<16xi8>
// CHECK: qc_x86.vpshufb %{{.*}}, %[[HI]] : vector<16xi8>
// CHECK: vector.fma
// CHECK-NOT: func.func private @qc_cpu_w4
// convert-qc-x86-to-llvm makes each qc_x86 op its intrinsic call.
// LLVM-LABEL: func.func private @qc_cpu_w4_int_n32_k64_g32_f16(
// LLVM: llvm.call_intrinsic "llvm.x86.ssse3.pshuf.b.128"(%{{.*}}, %{{.*}}) : (vector<16xi8>, vector<16xi8>) -> vector<16xi8>
// LLVM-NOT: qc_x86
func.func @two_matmuls(%a: tensor<?x64xf32>, %bytes: tensor<1024xi8>, %s: tensor<32x2xf16>, %b: tensor<32xf32>)
    -> (tensor<?x32xf32>, tensor<?x32xf32>) {
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  %y = qc.matmul %a, %w bias(%b : tensor<32xf32>) : tensor<?x64xf32>, !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x32xf32>
  %z = qc.matmul %a, %w : tensor<?x64xf32>, !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x32xf32>
  return %y, %z : tensor<?x32xf32>, tensor<?x32xf32>
}

// -----

// No kernel for blocks smaller than 16 bytes or unpacked weights: these
// stay for convert-qc-to-linalg. Zero points have a kernel.
// CHECK-LABEL: func.func @not_covered(
// CHECK: qc.matmul
// CHECK: qc.kernel_call @qc_cpu_w4_uint_n8_k64_g32_f32_zi8 
// CHECK: qc.matmul
// CHECK-NOT: call
func.func @not_covered(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>,
                       %bytes: tensor<256xi8>, %s: tensor<8x2xf32>, %z: tensor<8x2xi8>, %s16: tensor<8x4xf32>)
    -> (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) {
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  %wz = qc.assemble packed %bytes, %s zero_points %z : !qc.qtensor<8x64, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, zero_point i8>
  %1 = qc.matmul %a, %wz : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, zero_point i8> -> tensor<1x8xf32>
  %w16 = qc.assemble packed %bytes, %s16 : !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 16]>>
  %2 = qc.matmul %a, %w16 : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 16]>> -> tensor<1x8xf32>
  return %0, %1, %2 : tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>
}
