// A 1-bit weight already in the VBMI LUT kernel's 4-byte chunks
// (#qc.tiled<rows = 16, chunk_bytes = 4>) compiled for a CPU that lacks VBMI;
// the AVX2 form reads 2-byte chunks only, no other kernel reads binary
// codes, so the matmul keeps the reference lowering (correct, slow) and the
// remark says why. On a VBMI target the same weight takes the 4-byte-chunk
// kernel.
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AVX2
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi" -o /dev/null 2>&1 | FileCheck %s --check-prefix=VBMI

// AVX2: remark: no CPU kernel, left to the reference lowering: binary codes: the LUT kernel's AVX2 form reads chunks of 2 bytes
// AVX2: 1 matmul(s) and 0 rotation(s) left to the reference lowering
// VBMI: remark: convert-qc-to-cpu: LUT kernel (the integer-dot kernel has no binary codes): 6 vector instructions per 16 x 16 codes for the LUT kernel (1 plane(s)) against none for the integer-dot kernel (qc_cpu_w1a8_lut_n16_k64_g64_f32_bin_arow_c4)
// VBMI: 0 matmul(s) and 0 rotation(s) left to the reference lowering
func.func @f(%x: tensor<?x64xf32>) -> tensor<?x16xf32> {
  %qa = qc.quantize %x : tensor<?x64xf32> -> !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.constant codes(dense<7> : tensor<128xi8>) scales(dense<0.5> : tensor<16xf32>) : !qc.qtensor<16x64, #qc.binary, f32 #qc.per_axis<0>, layout #qc.tiled<rows = 16, chunk_bytes = 4>>
  %y = qc.matmul %qa, %w : !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<16x64, #qc.binary, f32 #qc.per_axis<0>, layout #qc.tiled<rows = 16, chunk_bytes = 4>> -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}
