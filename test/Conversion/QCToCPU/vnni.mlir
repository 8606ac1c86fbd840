// The integer-dot kernels on VNNI targets: vpdpbusd on 512-bit vectors
// with AVX512-VNNI, on 256-bit vectors (VEX-encoded) with AVX-VNNI alone,
// and today's vpmaddubsw kernels with AVX2 alone, which have no AVX-512 or
// VNNI instruction. Checked in llc's output, so on any host.
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 \
// RUN:   | FileCheck %s --check-prefix=ZMM
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avxvnni" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 \
// RUN:   | FileCheck %s --check-prefix=YMM
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 \
// RUN:   | FileCheck %s --check-prefix=AVX2
// Which kernel each matmul gets (the names say the instruction set; K = 96
// is no multiple of a zmm's 64 codes, so it gets the ymm kernel), and the
// activations' quantization kernels (one per shape and block size):
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=NAMES

// (The kernels come in the reverse order of their matmuls.)
// ZMM-LABEL: qc_cpu_w4a8_n16_k96_g32_f32_ag32_vnni256:
// ZMM-NOT: vpdpbusd {{.*}}zmm
// ZMM: vpdpbusd {{.*}}ymm
// ZMM-NOT: vpdpbusd {{.*}}zmm
// NF4 with f32 activations: the 16-value table in one zmm, one vpermps
// per 16 codes (LLVM may pick its integer twin vpermd).
// ZMM-LABEL: qc_cpu_w4_ftab_n64_k256_g128_f16_zmm:
// ZMM: {{vpermps|vpermd}} {{.*}}zmm
// ZMM-LABEL: qc_cpu_w8a8_n64_k256_g64_f32_zi16_u_arow_vnni512:
// ZMM: vpdpbusd {{.*}}zmm
// 8-bit weights that are neither narrow nor signed-narrow activations: no
// sign trick needed, u = q + 128.
// ZMM-LABEL: qc_cpu_w8a8_n64_k256_g32_f32_arow_vnni512:
// ZMM-NOT: vpsignb
// ZMM: vpdpbusd {{.*}}zmm
// ZMM-NOT: vpsignb
// ZMM-LABEL: qc_cpu_w3a8_n64_k256_g128_f16_arow_vnni512:
// ZMM-NOT: vpmaddubsw
// ZMM: vpdpbusd {{.*}}zmm
// ZMM-NOT: vpmaddubsw
// ZMM-LABEL: qc_cpu_w2a8_n64_k256_g128_f16_ag64_vnni512:
// ZMM-NOT: vpmaddubsw
// ZMM: vpdpbusd {{.*}}zmm
// ZMM-NOT: vpmaddubsw
// 4-bit: a chunk broadcast from memory to both halves, fields masked in
// place (one ternary logic op flips the sign bits and masks).
// ZMM-LABEL: qc_cpu_w4a8_n64_k256_g128_f16_arow_vnni512:
// ZMM: vbroadcasti64x4 {{.*}}, %[[CHUNK:zmm[0-9]+]]
// ZMM: vpternlog{{[dq]}} ${{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %[[CHUNK]]
// ZMM: vpdpbusd {{.*}}zmm
// ZMM-NOT: vpmaddubsw

// YMM-NOT: zmm
// YMM-LABEL: qc_cpu_w8a8_n64_k256_g32_f32_arow_vnni256:
// YMM: {vex} vpdpbusd {{.*}}ymm
// YMM-NOT: zmm
// YMM-LABEL: qc_cpu_w4a8_n64_k256_g128_f16_arow_vnni256:
// YMM: {vex} vpdpbusd {{.*}}ymm
// YMM-NOT: zmm

// AVX2-LABEL: qc_cpu_w4_ftab_n64_k256_g128_f16:
// AVX2-NOT: zmm
// AVX2: vpermps {{.*}}ymm
// AVX2-LABEL: qc_cpu_w4a8_n64_k256_g128_f16_arow:
// AVX2-NOT: vpdpbusd
// AVX2-NOT: zmm
// AVX2: vpmaddubsw
// AVX2-NOT: vpdpbusd
// AVX2-NOT: zmm

// NAMES: 10 kernel(s) emitted (qc_cpu_w4a8_n16_k96_g32_f32_ag32_vnni256, qc_cpu_quantize_s8_k96_g32, qc_cpu_w4_ftab_n64_k256_g128_f16_zmm, qc_cpu_w8a8_n64_k256_g64_f32_zi16_u_arow_vnni512, qc_cpu_quantize_s8_k256_row, qc_cpu_w8a8_n64_k256_g32_f32_arow_vnni512, qc_cpu_w3a8_n64_k256_g128_f16_arow_vnni512, qc_cpu_w2a8_n64_k256_g128_f16_ag64_vnni512, qc_cpu_quantize_s8_k256_g64, qc_cpu_w4a8_n64_k256_g128_f16_arow_vnni512); 0 matmul(s)

!a = !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>
!ab = !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_block<[1, 64]>>
!w4 = !qc.qtensor<64x256, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
!w2 = !qc.qtensor<64x256, #qc.int<s2>, f16 #qc.per_block<[1, 128]>>
!w3 = !qc.qtensor<64x256, #qc.int<s3>, f16 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[2, 1]>>
!w8 = !qc.qtensor<64x256, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
!u8 = !qc.qtensor<64x256, #qc.int<u8>, f32 #qc.per_block<[1, 64]>, zero_point i16>
!a96 = !qc.qtensor<?x96, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
!w96 = !qc.qtensor<16x96, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
!nf4 = !qc.qtensor<64x256, #qc.nf4, f16 #qc.per_block<[1, 128]>>

func.func @w4(%x: tensor<?x256xf32>, %bytes: tensor<8192xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %x : tensor<?x256xf32> -> !a
  %w = qc.assemble packed %bytes, %s : !w4
  %y = qc.matmul %qa, %w : !a, !w4 -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @w2(%x: tensor<?x256xf32>, %bytes: tensor<4096xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %x : tensor<?x256xf32> -> !ab
  %w = qc.assemble packed %bytes, %s : !w2
  %y = qc.matmul %qa, %w : !ab, !w2 -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @w3(%x: tensor<?x256xf32>, %bytes: tensor<6144xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %x : tensor<?x256xf32> -> !a
  %w = qc.assemble packed %bytes, %s : !w3
  %y = qc.matmul %qa, %w : !a, !w3 -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @w8(%x: tensor<?x256xf32>, %bytes: tensor<16384xi8>, %s: tensor<64x8xf32>) -> tensor<?x64xf32> {
  %qa = qc.quantize %x : tensor<?x256xf32> -> !a
  %w = qc.assemble packed %bytes, %s : !w8
  %y = qc.matmul %qa, %w : !a, !w8 -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @u8(%x: tensor<?x256xf32>, %bytes: tensor<16384xi8>, %s: tensor<64x4xf32>, %z: tensor<64x4xi16>) -> tensor<?x64xf32> {
  %qa = qc.quantize %x : tensor<?x256xf32> -> !a
  %w = qc.assemble packed %bytes, %s zero_points %z : !u8
  %y = qc.matmul %qa, %w : !a, !u8 -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @nf4(%x: tensor<?x256xf32>, %bytes: tensor<8192xi8>, %s: tensor<64x2xf16>) -> tensor<?x64xf32> {
  %w = qc.assemble packed %bytes, %s : !nf4
  %y = qc.matmul %x, %w : tensor<?x256xf32>, !nf4 -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

func.func @k96(%x: tensor<?x96xf32>, %bytes: tensor<768xi8>, %s: tensor<16x3xf32>) -> tensor<?x16xf32> {
  %qa = qc.quantize %x : tensor<?x96xf32> -> !a96
  %w = qc.assemble packed %bytes, %s : !w96
  %y = qc.matmul %qa, %w : !a96, !w96 -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}
