// convert-qc-to-cpu{remarks} says why a matmul keeps the reference
// lowering.
// The target is an AVX2 CPU (a VNNI one has kernels for two cases here; see
// vnni.mlir).
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" --split-input-file -verify-diagnostics=only-expected
// Each module also gets one summary remark: no kernel, its one matmul left.
// RUN: qc-opt %s --convert-qc-to-cpu="remarks target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SUMMARY
// SUMMARY-COUNT-21: remark: convert-qc-to-cpu: 0 kernel(s) emitted; 1 matmul(s) and 0 rotation(s) left to the reference lowering
// SUMMARY-NOT: convert-qc-to-cpu:
// Without `remarks`, nothing is said.
// RUN: qc-opt %s --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QUIET --allow-empty
// QUIET-NOT: remark:

func.func @f(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the weight is not a packed qc.constant or qc.assemble packed}}
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.binary, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight codes are not 2, 3, 4 or 8 bits}}
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.binary, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 16]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight blocks are not 1 x G with G * bits a multiple of 128}}
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 16]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.int<s4>, f8E4M3FN #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight scales are not f32, f16 or bf16}}
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s4>, f8E4M3FN #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: tensor<1x64xf16>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: activations are not f32}}
  %0 = qc.matmul %a, %q : tensor<1x64xf16>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf16> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: result is not f32}}
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf16>
  return %0 : tensor<1x8xf16>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s4>, f32 #qc.per_axis<0>>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: activation grid is not #qc.int<s8>}}
  %0 = qc.matmul %a, %q : !qc.qtensor<1x64, #qc.int<s4>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8>, f16 #qc.per_axis<0>>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: activation scales are not plain f32}}
  %0 = qc.matmul %a, %q : !qc.qtensor<1x64, #qc.int<s8>, f16 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_block<[1, 16]>>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: activation blocks are not a multiple of 32 codes (or exactly 32)}}
  %0 = qc.matmul %a, %q : !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_block<[1, 16]>>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, %q: !qc.qtensor<8x64, #qc.int<s3>, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight blocks are not 1 x G with G a multiple of 64}}
  %0 = qc.matmul %a, %q : !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<s3>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// 2-bit codes in blocks of 32 are 8 bytes: less than one 16-byte vector.
func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, %q: !qc.qtensor<8x64, #qc.int<s2>, f32 #qc.per_block<[1, 32]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight blocks are not 1 x G with G * bits a multiple of 128}}
  %0 = qc.matmul %a, %q : !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<s2>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, %q: !qc.qtensor<8x64, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, zero_point f32>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight zero points are not integers}}
  %0 = qc.matmul %a, %q : !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, zero_point f32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_axis<1>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight scales are not per row or per 1 x G block}}
  %0 = qc.matmul %a, %q : !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_axis<1>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// A layout other than the kernel's (two 16-byte chunks of rows 2 at a time
// for this f32-activation kernel).
func.func @f(%a: tensor<1x64xf32>, %bytes: tensor<128xi8>, %s: tensor<4x2xf32>) -> tensor<1x4xf32> {
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, layout #qc.tiled<rows = 4, chunk_bytes = 16>>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight layout #qc.tiled<rows = 4, chunk_bytes = 16> is not the kernel's #qc.tiled<rows = 2, chunk_bytes = 16>}}
  %0 = qc.matmul %a, %w : tensor<1x64xf32>, !qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, layout #qc.tiled<rows = 4, chunk_bytes = 16>> -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, %bytes: tensor<512xi8>, %s: tensor<8x2xf32>) -> tensor<1x8xf32> {
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<8x64, #qc.int<s8>, f32 #qc.per_block<[1, 32]>>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: 8-bit weights need #qc.int<s8, narrow> weights or activations (the sign trick negates one operand; -128 has no negation; a VNNI target has no such limit)}}
  %0 = qc.matmul %a, %w : !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<s8>, f32 #qc.per_block<[1, 32]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8, narrow>, f32 #qc.per_axis<0>>, %bytes: tensor<512xi8>, %s: tensor<8x2xf32>, %z: tensor<8x2xi16>) -> tensor<1x8xf32> {
  %w = qc.assemble packed %bytes, %s zero_points %z : !qc.qtensor<8x64, #qc.int<u8>, f32 #qc.per_block<[1, 32]>, zero_point i16>
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: 8-bit weight codes are unsigned (vpmaddubsw's pair sums of u8 x s8 products would saturate; a VNNI target has no such limit)}}
  %0 = qc.matmul %a, %w : !qc.qtensor<1x64, #qc.int<s8, narrow>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<u8>, f32 #qc.per_block<[1, 32]>, zero_point i16> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// 3-bit codes are read as bit planes only.
func.func @f(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.int<s3>, f32 #qc.per_block<[1, 64]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: 3-bit weight codes must be in layout #qc.bit_planes<[2, 1]> (qc-cpu-repack-weights puts constant weights in it)}}
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s3>, f32 #qc.per_block<[1, 64]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, layout #qc.bit_planes<[1, 1, 1, 1]>>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: weight layout #qc.bit_planes<[1, 1, 1, 1]> is not read by the CPU kernels (only #qc.bit_planes<[2, 1]> for 3-bit codes)}}
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, layout #qc.bit_planes<[1, 1, 1, 1]>> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: tensor<1x64xf32>, %w: tensor<8x64xf32>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the weight is not quantized (a float Linear layer)}}
  %0 = qc.matmul %a, %w : tensor<1x64xf32>, tensor<8x64xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, rotated #qc.hadamard<64> along 1>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: an operand is stored in a rotated basis (with int8 activations)}}
  %0 = qc.matmul %a, %q : !qc.qtensor<1x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, rotated #qc.hadamard<64> along 1> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @f(%a: tensor<1x64xf32>, %q: !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, rotated #qc.hadamard<8> along 0>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{no CPU kernel, left to the reference lowering: the weight is stored rotated along N}}
  %0 = qc.matmul %a, %q : tensor<1x64xf32>, !qc.qtensor<8x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, rotated #qc.hadamard<8> along 0> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}
