// qc-cpu-repack-weights reorders a constant weight's packed bytes into the
// layout of the kernel that reads it and widens f16/bf16 scales to f32,
// recording both in the type.
// (For an AVX2 target; repack-weights-vnni.mlir has the VNNI layouts.)
// RUN: qc-opt %s --qc-cpu-repack-weights="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c" --split-input-file -verify-diagnostics | FileCheck %s

// A 2 x 64 int4 weight (32 bytes per row) read by the f32-activation kernel,
// which computes 2 rows at once from 16-byte chunks: the bytes become
// row 0 chunk 0, row 1 chunk 0, row 0 chunk 1, row 1 chunk 1. The other
// user keeps the row-major constant.
// CHECK-LABEL: func.func @two_rows(
// CHECK-DAG: %[[ROWMAJOR:.*]] = qc.constant codes(dense<[0, 1, 2, {{.*}} : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>{{$}}
// CHECK-DAG: %[[TILED:.*]] = qc.constant codes(dense_resource<qc_codes> : tensor<64xi8>){{.*}} : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, layout #qc.tiled<rows = 2, chunk_bytes = 16>>
// CHECK: qc.matmul %{{.*}}, %[[TILED]]
// CHECK: return {{.*}}%[[ROWMAJOR]]
// CHECK: qc_codes: "0x10000000000102030405060708090A0B0C0D0E0F202122232425262728292A2B2C2D2E2F101112131415161718191A1B1C1D1E1F303132333435363738393A3B3C3D3E3F"
func.func @two_rows(%a: tensor<?x64xf32>) -> (tensor<?x2xf32>, !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>) {
  %w = qc.constant codes(dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63]> : tensor<64xi8>)
                   scales(dense<1.0> : tensor<2x2xf32>) : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  %y = qc.matmul %a, %w : tensor<?x64xf32>, !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<?x2xf32>
  return %y, %w : tensor<?x2xf32>, !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
}

// -----

// Left alone: one output row at a time (N odd) and a weight that already
// has a layout. A weight whose blocks of 16 4-bit codes (8 bytes) no
// kernel reads is widened to 8-bit codes, the same integers, which the
// kernel reads in 16-byte chunks.
// CHECK-LABEL: func.func @untouched(
// CHECK: qc.constant {{.*}} : !qc.qtensor<3x32, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>{{$}}
// CHECK: qc.constant codes(dense_resource<[[WIDE:.*]]> : tensor<64xi8>) {{.*}} : !qc.qtensor<2x32, #qc.int<s8>, f32 #qc.per_block<[1, 16]>, layout #qc.tiled<rows = 2, chunk_bytes = 16>>{{$}}
// CHECK: qc.constant {{.*}} layout #qc.tiled<rows = 1, chunk_bytes = 8>>{{$}}
// CHECK-NOT: qc.constant
// The codes 1, 0, 2, 0, ..., 7, 0, -8, 0 of row 0's first 8 bytes, one per
// byte: row 0's first 16-byte chunk.
// CHECK: [[WIDE]]: "0x100000000100020003000400050006000700F800
func.func @untouched(%a: tensor<?x32xf32>) -> (tensor<?x3xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %w3 = qc.constant codes(dense<0> : tensor<48xi8>) scales(dense<1.0> : tensor<3x1xf32>) : !qc.qtensor<3x32, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  %y3 = qc.matmul %a, %w3 : tensor<?x32xf32>, !qc.qtensor<3x32, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<?x3xf32>
  %w16 = qc.constant codes(dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, -1]> : tensor<32xi8>) scales(dense<1.0> : tensor<2x2xf32>) : !qc.qtensor<2x32, #qc.int<s4>, f32 #qc.per_block<[1, 16]>>
  %y16 = qc.matmul %a, %w16 : tensor<?x32xf32>, !qc.qtensor<2x32, #qc.int<s4>, f32 #qc.per_block<[1, 16]>> -> tensor<?x2xf32>
  %wl = qc.constant codes(dense<0> : tensor<32xi8>) scales(dense<1.0> : tensor<2x1xf32>) : !qc.qtensor<2x32, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, layout #qc.tiled<rows = 1, chunk_bytes = 8>>
  %yl = qc.matmul %a, %wl : tensor<?x32xf32>, !qc.qtensor<2x32, #qc.int<s4>, f32 #qc.per_block<[1, 32]>, layout #qc.tiled<rows = 1, chunk_bytes = 8>> -> tensor<?x2xf32>
  return %y3, %y16, %yl : tensor<?x3xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}

// -----

// f16 scales become f32 (exact): 0.5, 0.25, -2, 65504 (the largest f16).
// One weight row per tile here (N = 1), so the bytes keep their order.
// CHECK-LABEL: func.func @widen(
// CHECK: qc.constant codes(dense<7> : tensor<64xi8>) scales(dense_resource<qc_scales> : tensor<1x4xf32>) : !qc.qtensor<1x128, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>{{$}}
// CHECK: qc_scales: "0x080000000000003F0000803E000000C000E07F47"
func.func @widen(%a: !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>) -> tensor<?x1xf32> {
  %w = qc.constant codes(dense<7> : tensor<64xi8>)
                   scales(dense<[[0.5, 0.25, -2.0, 65504.0]]> : tensor<1x4xf16>) : !qc.qtensor<1x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  %y = qc.matmul %a, %w : !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<1x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}

// -----

// 3-bit codes go into the 2-bit and 1-bit planes the kernels read. Codes
// 0..7 repeated: the dense stream is 0x88 0xC6 0xFA per 8 codes (0 | 1<<3 |
// 2<<6 | ... | 7<<21 = 0xFAC688); plane 0 (bits 0-1: 0,1,2,3,0,1,2,3) is
// 0xE4 0xE4 per 8 codes and plane 1 (bit 2: 0,0,0,0,1,1,1,1) is 0xF0.
// CHECK-LABEL: func.func @planes(
// CHECK: qc.constant {{.*}} : !qc.qtensor<1x64, #qc.int<s3>, f32 #qc.per_block<[1, 64]>, layout #qc.bit_planes<[2, 1]>>
// CHECK: qc_codes: "0x10000000E4E4E4E4E4E4E4E4E4E4E4E4E4E4E4E4F0F0F0F0F0F0F0F0"
func.func @planes(%a: tensor<?x64xf32>) -> tensor<?x1xf32> {
  %w = qc.constant codes(dense<[-120, -58, -6, -120, -58, -6, -120, -58, -6, -120, -58, -6, -120, -58, -6, -120, -58, -6, -120, -58, -6, -120, -58, -6]> : tensor<24xi8>)
                   scales(dense<1.0> : tensor<1x1xf32>) : !qc.qtensor<1x64, #qc.int<s3>, f32 #qc.per_block<[1, 64]>>
  %y = qc.matmul %a, %w : tensor<?x64xf32>, !qc.qtensor<1x64, #qc.int<s3>, f32 #qc.per_block<[1, 64]>> -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}

// -----

// Bytes that are not there (an elided resource) cannot be repacked: a
// warning, and the weight is left as it is.
// CHECK-LABEL: func.func @elided(
// CHECK: qc.constant codes(dense_resource<__elided__> : tensor<64xi8>) scales(dense<1.000000e+00> : tensor<2x2xf32>) : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>{{$}}
func.func @elided(%a: tensor<?x64xf32>) -> tensor<?x2xf32> {
  %w = qc.constant codes(dense_resource<__elided__> : tensor<64xi8>)
                   scales(dense<1.0> : tensor<2x2xf32>) : !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>>
  // expected-warning @+1 {{qc-cpu-repack-weights: cannot read the weight's packed codes, left as is: the dense_resource blob '__elided__' is elided or not defined in the file}}
  %y = qc.matmul %a, %w : tensor<?x64xf32>, !qc.qtensor<2x64, #qc.int<s4>, f32 #qc.per_block<[1, 32]>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// llama.cpp's Q4_K shape (6-bit scales and mins under f16 super-block
// factors) folded exactly into f32 scales and mins per block for the
// kernel: s * o = [[3, 5], [7, 1]] * [[0.5], [2]] = [[1.5, 2.5], [14, 2]],
// m * mo = [[1, 2], [3, 4]] * [[0.25], [1]] = [[0.25, 0.5], [3, 4]]
// (little-endian f32 after the blob's 4-byte alignment word).
// CHECK-LABEL: func.func @k_quant(
// CHECK: qc.constant codes(dense_resource<{{.*}}> : tensor<64xi8>) scales(dense_resource<[[S:.*]]> : tensor<2x2xf32>) mins(dense_resource<[[M:.*]]> : tensor<2x2xf32>) : !qc.qtensor<2x64, #qc.int<u4>, f32 #qc.per_block<[1, 32]>, min f32, layout #qc.tiled<rows = 2, chunk_bytes = 16>>{{$}}
// CHECK: [[S]]: "0x080000000000C03F000020400000604100000040"
// CHECK: [[M]]: "0x080000000000803E0000003F0000404000008040"
func.func @k_quant(%a: tensor<?x64xf32>) -> tensor<?x2xf32> {
  %w = qc.constant codes(dense<7> : tensor<64xi8>)
                   scales(dense<[[3, 5], [7, 1]]> : tensor<2x2xi6>)
                   outer_scales(dense<[[0.5], [2.0]]> : tensor<2x1xf16>)
                   mins(dense<[[1, 2], [3, 4]]> : tensor<2x2xi6>)
                   outer_mins(dense<[[0.25], [1.0]]> : tensor<2x1xf16>)
      : !qc.qtensor<2x64, #qc.int<u4>, ui6 #qc.per_block<[1, 32]>, outer f16 #qc.per_block<[1, 64]>, min ui6 outer f16>
  %y = qc.matmul %a, %w : tensor<?x64xf32>, !qc.qtensor<2x64, #qc.int<u4>, ui6 #qc.per_block<[1, 32]>, outer f16 #qc.per_block<[1, 64]>, min ui6 outer f16> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
