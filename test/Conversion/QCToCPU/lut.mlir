// The table-lookup (LUT) kernel on AVX-512 VBMI: weights stored as 1-bit
// planes, each in #qc.tiled<rows = 16, chunk_bytes = 4> order (16 rows x 32
// codes a 64-byte load) where K and the blocks are multiples of 32, else
// chunk_bytes = 2, read by vpermb lookups in tables of partial sums that
// vpdpbusd adds up. The cost model (vector instructions per 16 x 16 codes:
// 5.5 per plane, rounded up, for the LUT kernel in 4-byte chunks, 8 in
// 2-byte ones; 4 vpdpbusd plus the unpacking for the integer-dot kernel)
// gives it 1-bit and binary weights, and 2-bit ones only where no
// integer-dot kernel reads them; a remark says which kernel and why.
// RUN: qc-opt %s --qc-cpu-repack-weights="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" | FileCheck %s --check-prefix=REPACK
// RUN: qc-opt %s --qc-cpu-repack-weights="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 | FileCheck %s --check-prefix=ASM
// Without VBMI the binary weight takes the LUT kernel's AVX2 form (vpshufb
// lookups: each 128-bit lane one group's table and all 16 rows' nibbles),
// whose cost (20 a plane) the remark gives; on an AVX2-only target its
// inner loop is vpshufb, byte adds and sign extensions, no vpermb.
// RUN: qc-opt %s --qc-cpu-repack-weights="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" \
// RUN:   --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni" -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOVBMI
// RUN: qc-opt %s --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 | FileCheck %s --check-prefix=AVX2ASM --implicit-check-not=vpermb
// The tiled planes round-trip through the printer and the parser.
// RUN: qc-opt %s --qc-cpu-repack-weights="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" | qc-opt | FileCheck %s --check-prefix=REPACK

// The 16 x 32 binary weight's row-major bytes are 0, 1, ..., 63 (row r:
// bytes 4r .. 4r + 3). Tiled by 16 rows x 4 bytes they stay in order (one
// chunk).
// REPACK-LABEL: func.func @binary
// REPACK: layout #qc.tiled<rows = 16, chunk_bytes = 4>>
// The 16 x 48 one (K = 48, not a multiple of 32): bytes 0, 1, ..., 95 (row
// r: bytes 6r .. 6r + 5) tiled by 16 rows x 2 bytes: bytes 0-1 of rows
// 0-15, then bytes 2-3, then 4-5.
// REPACK-LABEL: func.func @binary48
// REPACK: layout #qc.tiled<rows = 16, chunk_bytes = 2>>
// The 2-bit weights: in blocks of 128 the integer-dot kernel's row-lane
// tile; in blocks of 32 (no integer-dot kernel: G * bits < 128) the LUT
// kernel's planes. Code byte 27 = 0b00011011 holds codes 3, 2, 1, 0: plane 0
// (bit 0 of each) is 0b0101 per 4 codes, 0x55 a byte; plane 1 is 0x33.
// REPACK-LABEL: func.func @two_bits
// REPACK: layout #qc.tiled<rows = 16, chunk_bytes = 4>>
// REPACK: layout #qc.bit_planes<[1, 1], tile = <rows = 16, chunk_bytes = 4>>>
// REPACK: qc_codes: "0x10000000000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F"
// REPACK: qc_codes_1: "0x10000000000106070C0D121318191E1F24252A2B303136373C3D424348494E4F54555A5B020308090E0F14151A1B202126272C2D323338393E3F44454A4B505156575C5D04050A0B101116171C1D222328292E2F34353A3B404146474C4D525358595E5F"
// REPACK: qc_codes_3: "0x10000000{{(5555555555555555){64}(3333333333333333){64}"}}

// REMARK-DAG: remark: convert-qc-to-cpu: LUT kernel (the integer-dot kernel has no binary codes): 6 vector instructions per 16 x 16 codes for the LUT kernel (1 plane(s)) against none for the integer-dot kernel (qc_cpu_w1a8_lut_n16_k32_g32_f32_bin_arow_c4)
// REMARK-DAG: remark: convert-qc-to-cpu: LUT kernel (the integer-dot kernel has no binary codes): 8 vector instructions per 16 x 16 codes for the LUT kernel (1 plane(s)) against none for the integer-dot kernel (qc_cpu_w1a8_lut_n16_k48_g48_f32_bin_arow)
// REMARK-DAG: remark: convert-qc-to-cpu: integer-dot kernel: 11 vector instructions per 16 x 16 codes for the LUT kernel (2 plane(s)) against 11 for the integer-dot kernel (qc_cpu_w2a8_n16_k256_g128_f32_arow_vnni512_rowlanes_lo)
// REMARK-DAG: remark: convert-qc-to-cpu: LUT kernel (weight blocks are not 1 x G with G * bits a multiple of 128): 11 vector instructions per 16 x 16 codes for the LUT kernel (2 plane(s)) against none for the integer-dot kernel (qc_cpu_w2a8_lut_n16_k256_g32_f32_arow_c4_lo)
// REMARK-DAG: 0 matmul(s) and 0 rotation(s) left to the reference lowering

// The lookups and their sums are the inner loop's work. In 4-byte chunks,
// one 64-byte load of 16 rows x 32 codes gives two vectors of indices in 3
// instructions (a shift and two vpternlogd: the low and the high nibbles
// of each byte, masked and or'ed with their group), no widening; the low
// nibbles look up set A's T_l and T_h tables (memory operands at 0 and
// 64), the high ones set B's (128 and 192), each lookup summed by vpdpbusd.
// ASM-LABEL: qc_cpu_w2a8_lut_n16_k256_g32_f32_arow_c4_lo:
// ASM: vpermb
// ASM: vpdpbusd
// In 2-byte chunks, 32 bytes widened to 16-bit lanes give one vector of
// indices, which looks up the T_l and T_h tables.
// ASM-LABEL: qc_cpu_w1a8_lut_n16_k48_g48_f32_bin_arow:
// ASM: Parent Loop
// ASM: vpermb (%{{.*}}), %zmm[[IDX:[0-9]+]], %zmm[[L:[0-9]+]]
// ASM-NEXT: vpdpbusd %zmm[[L]], %zmm{{[0-9]+}}, %zmm[[ACC:[0-9]+]]
// ASM-NEXT: vpermb 64(%{{.*}}), %zmm[[IDX]], %zmm[[H:[0-9]+]]
// ASM-NEXT: vpdpbusd %zmm[[H]], %zmm{{[0-9]+}}, %zmm[[ACC]]
// ASM-NOT: vpmaddubsw
// ASM-LABEL: qc_cpu_w1a8_lut_n16_k48_g48_f32_bin_arow..omp_par:
// ASM-LABEL: qc_cpu_w1a8_lut_n16_k32_g32_f32_bin_arow_c4:
// ASM: Inner Loop Header
// ASM-NEXT: vmovdqu64 (%{{.*}}), %zmm[[LOW:[0-9]+]]
// ASM-NEXT: vpsrld $4, %zmm[[LOW]], %zmm[[HIGH:[0-9]+]]
// ASM-NEXT: vpternlogd $236, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm[[LOW]]
// ASM-NEXT: vpternlogd $236, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm[[HIGH]]
// ASM-NEXT: vpermb (%{{.*}}), %zmm[[LOW]], %zmm[[L:[0-9]+]]
// ASM: vpdpbusd %zmm[[L]], %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// ASM: vpermb 64(%{{.*}}), %zmm[[LOW]],
// ASM: vpermb 128(%{{.*}}), %zmm[[HIGH]],
// ASM: vpermb 192(%{{.*}}), %zmm[[HIGH]],
// ASM-NOT: vpmaddubsw
// ASM-NOT: vpmovzxbw
// ASM-LABEL: qc_cpu_w1a8_lut_n16_k32_g32_f32_bin_arow_c4..omp_par:

// NOVBMI: remark: convert-qc-to-cpu: LUT kernel (the integer-dot kernel has no binary codes): 20 vector instructions per 16 x 16 codes for the LUT kernel (1 plane(s)) against none for the integer-dot kernel (qc_cpu_w1a8_lut_n16_k32_g32_f32_bin_arow_shuf)
// AVX2ASM-LABEL: qc_cpu_w1a8_lut_n16_k32_g32_f32_bin_arow_shuf:
// AVX2ASM: vpshufb
// AVX2ASM: vpaddb
// AVX2ASM: vpmovsxbw
// AVX2ASM: vpmovsxwd
func.func @binary(%x: tensor<?x32xf32>) -> tensor<?x16xf32> {
  %qa = qc.quantize %x : tensor<?x32xf32> -> !qc.qtensor<?x32, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.constant codes(dense<[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63]> : tensor<64xi8>) scales(dense<0.5> : tensor<16xf32>) : !qc.qtensor<16x32, #qc.binary, f32 #qc.per_axis<0>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x32, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<16x32, #qc.binary, f32 #qc.per_axis<0>> -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}
func.func @binary48(%x: tensor<?x48xf32>) -> tensor<?x16xf32> {
  %qa = qc.quantize %x : tensor<?x48xf32> -> !qc.qtensor<?x48, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.constant codes(dense<[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95]> : tensor<96xi8>) scales(dense<0.5> : tensor<16xf32>) : !qc.qtensor<16x48, #qc.binary, f32 #qc.per_axis<0>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x48, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<16x48, #qc.binary, f32 #qc.per_axis<0>> -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}
func.func @two_bits(%x: tensor<?x256xf32>) -> (tensor<?x16xf32>, tensor<?x16xf32>) {
  %qa = qc.quantize %x : tensor<?x256xf32> -> !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.constant codes(dense<27> : tensor<1024xi8>) scales(dense<0.5> : tensor<16x2xf32>) : !qc.qtensor<16x256, #qc.int<s2>, f32 #qc.per_block<[1, 128]>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<16x256, #qc.int<s2>, f32 #qc.per_block<[1, 128]>> -> tensor<?x16xf32>
  %w32 = qc.constant codes(dense<27> : tensor<1024xi8>) scales(dense<0.5> : tensor<16x8xf32>) : !qc.qtensor<16x256, #qc.int<s2>, f32 #qc.per_block<[1, 32]>>
  %y32 = qc.matmul %qa, %w32 : !qc.qtensor<?x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<16x256, #qc.int<s2>, f32 #qc.per_block<[1, 32]>> -> tensor<?x16xf32>
  return %y, %y32 : tensor<?x16xf32>, tensor<?x16xf32>
}
