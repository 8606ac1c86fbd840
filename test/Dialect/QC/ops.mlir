// Every qc op, type and attribute, printed in pretty form, re-parsed, and
// round-tripped through the generic form.
// RUN: qc-opt %s | FileCheck %s
// RUN: qc-opt %s | qc-opt | FileCheck %s
// RUN: qc-opt %s --mlir-print-op-generic | qc-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// Grids and granularities as standalone attributes.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func private @attributes()
// CHECK-SAME: b = #qc.binary
// CHECK-SAME: cb2 = #qc.codebook<[-1.5, -0.5, 0.5, 1.5]>
// CHECK-SAME: cb3 = #qc.codebook<[-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]>
// Codebook values print exactly (the shortest decimal that reads back as the
// same f64): 0.1 and its successor 0.10000000000000002 stay distinct, 1e-300
// stays 1e-300, -0.0 keeps its sign, 2^53 + 2 keeps every digit.
// CHECK-SAME: cb_exact = #qc.codebook<[1.0e-300, 0.1, 0.10000000000000002, -0.0, 9007199254740994.0, -1.2345678901234567e+100, 3.0, 1.0e+22]>
// CHECK-SAME: e2m1 = #qc.float<f4E2M1FN>
// CHECK-SAME: e2m3 = #qc.float<f6E2M3FN>
// CHECK-SAME: e3m2 = #qc.float<f6E3M2FN>
// CHECK-SAME: e4m3 = #qc.float<f8E4M3FN>
// CHECK-SAME: e5m2 = #qc.float<f8E5M2>
// CHECK-SAME: m_absmax = #qc.method<absmax>
// CHECK-SAME: m_absmean = #qc.method<absmean>
// CHECK-SAME: m_minmax = #qc.method<minmax>
// CHECK-SAME: m_mse = #qc.method<mse>
// CHECK-SAME: m_mx = #qc.method<mx>
// CHECK-SAME: nf4 = #qc.nf4
// CHECK-SAME: pa = #qc.per_axis<1>
// CHECK-SAME: pb = #qc.per_block<[1, 32, 4]>
// CHECK-SAME: pt = #qc.per_tensor
// CHECK-SAME: s1 = #qc.int<s1>
// CHECK-SAME: s2n = #qc.int<s2, narrow>
// CHECK-SAME: s8n = #qc.int<s8, narrow>
// CHECK-SAME: t = #qc.ternary
// CHECK-SAME: u1 = #qc.int<u1>
// CHECK-SAME: u3 = #qc.int<u3>
// CHECK-SAME: u8 = #qc.int<u8>
func.func private @attributes() attributes {
  s1 = #qc.int<s1>, u1 = #qc.int<u1>, s2n = #qc.int<s2, narrow>,
  u3 = #qc.int<u3>, s8n = #qc.int<s8, narrow>, u8 = #qc.int<u8>,
  e2m1 = #qc.float<f4E2M1FN>, e3m2 = #qc.float<f6E3M2FN>,
  e2m3 = #qc.float<f6E2M3FN>, e4m3 = #qc.float<f8E4M3FN>,
  e5m2 = #qc.float<f8E5M2>, nf4 = #qc.nf4,
  cb2 = #qc.codebook<[-1.5, -0.5, 0.5, 1.5]>,
  cb3 = #qc.codebook<[-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]>,
  cb_exact = #qc.codebook<[1.0e-300, 0.1, 0.10000000000000002, -0.0, 9007199254740994.0, -1.2345678901234567e100, 3.0, 1.0e22]>,
  t = #qc.ternary, b = #qc.binary,
  pt = #qc.per_tensor, pa = #qc.per_axis<1>, pb = #qc.per_block<[1, 32, 4]>,
  m_absmax = #qc.method<absmax>, m_minmax = #qc.method<minmax>,
  m_mse = #qc.method<mse>, m_absmean = #qc.method<absmean>,
  m_mx = #qc.method<mx>}

//===----------------------------------------------------------------------===//
// Quantized tensor types.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func private @types(
// CHECK-SAME: !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
// CHECK-SAME: !qc.qtensor<4096x4096, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8>
// CHECK-SAME: !qc.qtensor<?x4096, #qc.int<s8>, f32 #qc.per_axis<0>>
// CHECK-SAME: !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E8M0FNU #qc.per_block<[1, 32]>>
// CHECK-SAME: !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
// CHECK-SAME: !qc.qtensor<2x3x64, #qc.nf4, bf16 #qc.per_block<[1, 1, 64]>, zero_point bf16>
// CHECK-SAME: !qc.qtensor<128x256, #qc.int<s4>, f8E4M3FN #qc.per_block<[1, 32]>, zero_point i8, outer f32 #qc.per_axis<0>>
// CHECK-SAME: !qc.qtensor<7, #qc.ternary, f32 #qc.per_tensor>
// CHECK-SAME: !qc.qtensor<?x?x8, #qc.binary, f16 #qc.per_block<[1, 1, 8]>>
// CHECK-SAME: !qc.qtensor<64x256, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8, layout #qc.tiled<rows = 4, chunk_bytes = 32>>
// CHECK-SAME: !qc.qtensor<32x32, #qc.int<s8, narrow>, f32 #qc.per_axis<1>, outer f32 #qc.per_tensor>
// CHECK-SAME: !qc.qtensor<64x256, #qc.int<s3>, f32 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[2, 1]>>
// CHECK-SAME: !qc.qtensor<8x16, #qc.nf4, f16 #qc.per_axis<0>, layout #qc.bit_planes<[1, 1, 1, 1]>>
// CHECK-SAME: !qc.qtensor<32x64, #qc.int<s2>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[1, 1], tile = <rows = 16, chunk_bytes = 2>>>
// CHECK-SAME: !qc.qtensor<32x64, #qc.int<u3>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[2, 1], tile = <rows = 16, chunk_bytes = 2>>>
// CHECK-SAME: !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>, rotated #qc.hadamard<64, seed = 3> along 1>
// CHECK-SAME: !qc.qtensor<?x24, #qc.int<s8>, f32 #qc.per_axis<0>, rotated #qc.hadamard<24, paley1 = 11> along 1>
func.func private @types(
  !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>,
  !qc.qtensor<4096x4096, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, zero_point i8>,
  !qc.qtensor<?x4096, #qc.int<s8>, f32 #qc.per_axis<0>>,
  !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E8M0FNU #qc.per_block<[1, 32]>>,
  !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>,
  !qc.qtensor<2x3x64, #qc.nf4, bf16 #qc.per_block<[1, 1, 64]>, zero_point bf16>,
  // The optional parts may be written in any order; they print in a fixed one.
  !qc.qtensor<128x256, #qc.int<s4>, f8E4M3FN #qc.per_block<[1, 32]>, outer f32 #qc.per_axis<0>, zero_point i8>,
  !qc.qtensor<7, #qc.ternary, f32 #qc.per_tensor>,
  !qc.qtensor<?x?x8, #qc.binary, f16 #qc.per_block<[1, 1, 8]>>,
  !qc.qtensor<64x256, #qc.int<u4>, f16 #qc.per_block<[1, 128]>, layout #qc.tiled<rows = 4, chunk_bytes = 32>, zero_point i8>,
  !qc.qtensor<32x32, #qc.int<s8, narrow>, f32 #qc.per_axis<1>, outer f32 #qc.per_tensor>,
  !qc.qtensor<64x256, #qc.int<s3>, f32 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[2, 1]>>,
  !qc.qtensor<8x16, #qc.nf4, f16 #qc.per_axis<0>, layout #qc.bit_planes<[1, 1, 1, 1]>>,
  // Tiled planes: the tile may be written with or without its prefix.
  !qc.qtensor<32x64, #qc.int<s2>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[1, 1], tile = #qc.tiled<rows = 16, chunk_bytes = 2>>>,
  !qc.qtensor<32x64, #qc.int<u3>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[2, 1], tile = <rows = 16, chunk_bytes = 2>>>,
  !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>, rotated #qc.hadamard<64, seed = 3> along 1>,
  !qc.qtensor<?x24, #qc.int<s8>, f32 #qc.per_axis<0>, rotated #qc.hadamard<24, paley1 = 11> along 1>)

//===----------------------------------------------------------------------===//
// quantize / dequantize
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @quantize(
func.func @quantize(%x: tensor<?x4096xf32>, %w: tensor<64x128xf32>,
                    %h: tensor<64x256xf16>, %s: tensor<64x4xf16>,
                    %z: tensor<64x4xi8>, %st: tensor<f32>, %o: tensor<f32>,
                    %s16: tensor<64x16xf8E4M3FN>) {
  // CHECK: qc.quantize %{{.*}} : tensor<?x4096xf32> -> !qc.qtensor<?x4096, #qc.int<s8>, f32 #qc.per_axis<0>>
  %0 = qc.quantize %x : tensor<?x4096xf32> -> !qc.qtensor<?x4096, #qc.int<s8>, f32 #qc.per_axis<0>>
  // CHECK: qc.quantize %{{.*}} method<minmax> : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  %1 = qc.quantize %w method<minmax> : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  // CHECK: qc.quantize %{{.*}} method<mse> : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.nf4, f32 #qc.per_block<[1, 64]>>
  %2 = qc.quantize %w method<mse> : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.nf4, f32 #qc.per_block<[1, 64]>>
  // CHECK: qc.quantize %{{.*}} method<mx> : tensor<64x256xf16> -> !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E8M0FNU #qc.per_block<[1, 32]>>
  %3 = qc.quantize %h method<mx> : tensor<64x256xf16> -> !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E8M0FNU #qc.per_block<[1, 32]>>
  // CHECK: qc.quantize %{{.*}} method<absmean> : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.ternary, f32 #qc.per_tensor>
  %4 = qc.quantize %w method<absmean> : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.ternary, f32 #qc.per_tensor>
  // CHECK: qc.quantize %{{.*}} scales(%{{.*}} : tensor<64x4xf16>) zero_points(%{{.*}} : tensor<64x4xi8>) : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  %5 = qc.quantize %w scales(%s : tensor<64x4xf16>) zero_points(%z : tensor<64x4xi8>) : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  // CHECK: qc.quantize %{{.*}} scales(%{{.*}} : tensor<f32>) : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.int<s8>, f32 #qc.per_tensor>
  %6 = qc.quantize %w scales(%st : tensor<f32>) : tensor<64x128xf32> -> !qc.qtensor<64x128, #qc.int<s8>, f32 #qc.per_tensor>
  // NVFP4: block scales and the per-tensor outer scale, given or computed.
  // CHECK: qc.quantize %{{.*}} scales(%{{.*}} : tensor<64x16xf8E4M3FN>) outer_scales(%{{.*}} : tensor<f32>) : tensor<64x256xf16> -> !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  %7 = qc.quantize %h scales(%s16 : tensor<64x16xf8E4M3FN>) outer_scales(%o : tensor<f32>) : tensor<64x256xf16> -> !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  // CHECK: qc.quantize %{{.*}} : tensor<64x256xf16> -> !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  %8 = qc.quantize %h : tensor<64x256xf16> -> !qc.qtensor<64x256, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  // A static input may produce a dynamic result and back.
  // CHECK: qc.quantize %{{.*}} : tensor<64x128xf32> -> !qc.qtensor<?x128, #qc.binary, f32 #qc.per_axis<0>>
  %9 = qc.quantize %w : tensor<64x128xf32> -> !qc.qtensor<?x128, #qc.binary, f32 #qc.per_axis<0>>
  return
}

// CHECK-LABEL: func.func @dequantize(
func.func @dequantize(%q: !qc.qtensor<64x128, #qc.nf4, f32 #qc.per_block<[1, 64]>>,
                      %d: !qc.qtensor<?x32, #qc.int<u8>, bf16 #qc.per_axis<0>, zero_point f32>)
    -> (tensor<64x128xf32>, tensor<?x32xbf16>) {
  // CHECK: qc.dequantize %{{.*}} : !qc.qtensor<64x128, #qc.nf4, f32 #qc.per_block<[1, 64]>> -> tensor<64x128xf32>
  %0 = qc.dequantize %q : !qc.qtensor<64x128, #qc.nf4, f32 #qc.per_block<[1, 64]>> -> tensor<64x128xf32>
  // CHECK: qc.dequantize %{{.*}} : !qc.qtensor<?x32, #qc.int<u8>, bf16 #qc.per_axis<0>, zero_point f32> -> tensor<?x32xbf16>
  %1 = qc.dequantize %d : !qc.qtensor<?x32, #qc.int<u8>, bf16 #qc.per_axis<0>, zero_point f32> -> tensor<?x32xbf16>
  return %0, %1 : tensor<64x128xf32>, tensor<?x32xbf16>
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul(
func.func @matmul(%a: tensor<?x128xf32>, %w: !qc.qtensor<256x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>,
                  %b: tensor<256xf32>, %qa: !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>,
                  %a16: tensor<1x128xf16>, %wf: tensor<256x128xbf16>)
    -> (tensor<?x256xf32>, tensor<?x256xf32>, tensor<1x256xf16>, tensor<?x256xf32>) {
  // W4, float activations, with bias.
  // CHECK: qc.matmul %{{.*}}, %{{.*}} bias(%{{.*}} : tensor<256xf32>) : tensor<?x128xf32>, !qc.qtensor<256x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x256xf32>
  %0 = qc.matmul %a, %w bias(%b : tensor<256xf32>) : tensor<?x128xf32>, !qc.qtensor<256x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x256xf32>
  // W4A8: quantized activations, no bias.
  // CHECK: qc.matmul %{{.*}}, %{{.*}} : !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<256x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x256xf32>
  %1 = qc.matmul %qa, %w : !qc.qtensor<?x128, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<256x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x256xf32>
  // CHECK: qc.matmul %{{.*}}, %{{.*}} : tensor<1x128xf16>, !qc.qtensor<256x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<1x256xf16>
  %2 = qc.matmul %a16, %w : tensor<1x128xf16>, !qc.qtensor<256x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<1x256xf16>
  // A float weight: the float Linear layer.
  // CHECK: qc.matmul %{{.*}}, %{{.*}} : tensor<?x128xf32>, tensor<256x128xbf16> -> tensor<?x256xf32>
  %3 = qc.matmul %a, %wf : tensor<?x128xf32>, tensor<256x128xbf16> -> tensor<?x256xf32>
  // CHECK: qc.rms_norm %{{.*}} weight(%{{.*}} : tensor<256xf32>) epsilon(9.99999997E-7) : tensor<?x256xf32>
  %4 = qc.rms_norm %3 weight(%b : tensor<256xf32>) epsilon(1.0e-6) : tensor<?x256xf32>
  return %0, %1, %2, %4 : tensor<?x256xf32>, tensor<?x256xf32>, tensor<1x256xf16>, tensor<?x256xf32>
}

//===----------------------------------------------------------------------===//
// assemble / disassemble / constant
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @parts(
func.func @parts(%c: tensor<64x128xi4>, %s: tensor<64x4xf16>, %z: tensor<64x4xi8>,
                 %c2: tensor<?x32xi4>, %s2: tensor<?x2xf8E4M3FN>, %o: tensor<?xf32>,
                 %bytes: tensor<4096xi8>, %dbytes: tensor<?xi8>) {
  // CHECK: %[[Q:.*]] = qc.assemble %{{.*}}, %{{.*}} zero_points %{{.*}} : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  %q = qc.assemble %c, %s zero_points %z : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  // CHECK: %{{.*}}:3 = qc.disassemble %[[Q]] : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  %parts:3 = qc.disassemble %q : !qc.qtensor<64x128, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, zero_point i8>
  // CHECK: %[[N:.*]] = qc.assemble %{{.*}}, %{{.*}} outer_scales %{{.*}} : !qc.qtensor<?x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_axis<0>>
  %n = qc.assemble %c2, %s2 outer_scales %o : !qc.qtensor<?x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_axis<0>>
  // CHECK: qc.assemble packed %{{.*}}, %{{.*}} : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  %p = qc.assemble packed %bytes, %s : !qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  // CHECK: qc.assemble packed %{{.*}}, %{{.*}} : !qc.qtensor<?x32, #qc.int<u3>, f32 #qc.per_axis<0>>
  %pd = qc.assemble packed %dbytes, %o : !qc.qtensor<?x32, #qc.int<u3>, f32 #qc.per_axis<0>>
  // CHECK: %{{.*}}:3 = qc.disassemble %[[N]]
  %nparts:3 = qc.disassemble %n : !qc.qtensor<?x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_axis<0>>
  return
}

// CHECK-LABEL: func.func @constants(
func.func @constants() -> (!qc.qtensor<2x2, #qc.int<s4>, f32 #qc.per_axis<0>>,
                           !qc.qtensor<2x3, #qc.int<s4>, f32 #qc.per_tensor>,
                           !qc.qtensor<4x8, #qc.int<u2>, f16 #qc.per_block<[1, 4]>, zero_point i8>,
                           !qc.qtensor<4x16, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>) {
  // Logical codes.
  // CHECK: qc.constant codes(dense<{{\[\[}}1, -2], [7, -8]]> : tensor<2x2xi4>) scales(dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>) : !qc.qtensor<2x2, #qc.int<s4>, f32 #qc.per_axis<0>>
  %0 = qc.constant codes(dense<[[1, -2], [7, -8]]> : tensor<2x2xi4>)
                   scales(dense<[0.5, 0.25]> : tensor<2xf32>)
      : !qc.qtensor<2x2, #qc.int<s4>, f32 #qc.per_axis<0>>
  // Packed codes: 6 x 4 bits = 3 bytes.
  // CHECK: qc.constant codes(dense<[33, 67, 101]> : tensor<3xi8>) scales(dense<1.000000e+00> : tensor<f32>) : !qc.qtensor<2x3, #qc.int<s4>, f32 #qc.per_tensor>
  %1 = qc.constant codes(dense<[33, 67, 101]> : tensor<3xi8>)
                   scales(dense<1.0> : tensor<f32>)
      : !qc.qtensor<2x3, #qc.int<s4>, f32 #qc.per_tensor>
  // Blobs: the codes and scales live in dense_resource attributes.
  // CHECK: qc.constant codes(dense_resource<u2_codes> : tensor<8xi8>) scales(dense_resource<u2_scales> : tensor<4x2xf16>) zero_points(dense<1> : tensor<4x2xi8>) : !qc.qtensor<4x8, #qc.int<u2>, f16 #qc.per_block<[1, 4]>, zero_point i8>
  %2 = qc.constant codes(dense_resource<u2_codes> : tensor<8xi8>)
                   scales(dense_resource<u2_scales> : tensor<4x2xf16>)
                   zero_points(dense<1> : tensor<4x2xi8>)
      : !qc.qtensor<4x8, #qc.int<u2>, f16 #qc.per_block<[1, 4]>, zero_point i8>
  // CHECK: qc.constant codes(dense<0> : tensor<32xi8>) scales(dense<1.000000e+00> : tensor<4x1xf8E4M3FN>) outer_scales(dense<2.500000e-01> : tensor<f32>) : !qc.qtensor<4x16, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  // Parts in any order; printed in the canonical one.
  %3 = qc.constant outer_scales(dense<0.25> : tensor<f32>)
                   codes(dense<0> : tensor<32xi8>)
                   scales(dense<1.0> : tensor<4x1xf8E4M3FN>)
      : !qc.qtensor<4x16, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  return %0, %1, %2, %3 : !qc.qtensor<2x2, #qc.int<s4>, f32 #qc.per_axis<0>>,
                          !qc.qtensor<2x3, #qc.int<s4>, f32 #qc.per_tensor>,
                          !qc.qtensor<4x8, #qc.int<u2>, f16 #qc.per_block<[1, 4]>, zero_point i8>,
                          !qc.qtensor<4x16, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
}

//===----------------------------------------------------------------------===//
// rotate and rotations
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @rotate(
// CHECK: qc.rotate %{{.*}} by #qc.hadamard<4096> along 1 : tensor<?x4096xf32>
// CHECK: qc.rotate %{{.*}} by #qc.hadamard<4096, seed = 7> along 1 transpose : tensor<?x4096xf32>
// CHECK: qc.rotate %{{.*}} by #qc.hadamard<3072, paley1 = 11> along 0 : tensor<3072x2xf16>
// CHECK: qc.rotate %{{.*}} by #qc.hadamard<56, paley2 = 13> along 2 : tensor<1x2x56xbf16>
// CHECK: qc.rotate %{{.*}} by #qc.hadamard<8, signs = [1, -1, 1, 1, -1, 1, 1, 1]> along 0 : tensor<8xf32>
// CHECK: qc.rotate %{{.*}} by #qc.orthogonal<dense<{{\[\[}}6.000000e-01, 8.000000e-01], [-8.000000e-01, 6.000000e-01]]> : tensor<2x2xf64>> along 0 transpose : tensor<2x56xf32>
func.func @rotate(%x: tensor<?x4096xf32>, %y: tensor<3072x2xf16>, %z: tensor<1x2x56xbf16>, %v: tensor<8xf32>)
    -> (tensor<?x4096xf32>, tensor<3072x2xf16>, tensor<1x2x56xbf16>, tensor<8xf32>, tensor<2x56xf32>) {
  %r = qc.rotate %x by #qc.hadamard<4096> along 1 : tensor<?x4096xf32>
  %b = qc.rotate %r by #qc.hadamard<4096, seed = 7> along 1 transpose : tensor<?x4096xf32>
  %c = qc.rotate %y by #qc.hadamard<3072, paley1 = 11> along 0 : tensor<3072x2xf16>
  %d = qc.rotate %z by #qc.hadamard<56, paley2 = 13> along 2 : tensor<1x2x56xbf16>
  %e = qc.rotate %v by #qc.hadamard<8, signs = [1, -1, 1, 1, -1, 1, 1, 1]> along 0 : tensor<8xf32>
  %w = arith.constant dense<1.0> : tensor<2x56xf32>
  %f = qc.rotate %w by #qc.orthogonal<dense<[[0.6, 0.8], [-0.8, 0.6]]> : tensor<2x2xf64>> along 0 transpose : tensor<2x56xf32>
  return %b, %c, %d, %e, %f : tensor<?x4096xf32>, tensor<3072x2xf16>, tensor<1x2x56xbf16>, tensor<8xf32>, tensor<2x56xf32>
}

// Without a named base the parser picks the base of smallest order that
// covers the size and prints it (worked out by hand: 11008 = 172 * 64 with
// 171 = 9 * 19 and 85 = 5 * 17 not prime powers, so no Paley base of order
// 172; 52 = 2 (25 + 1) over GF(25); 100 = 2 (49 + 1) over GF(49); 18944 =
// 148 * 128 = 2 (73 + 1) * 128; 40 = 20 * 2 with 39 = 3 * 13 no prime
// power). Within an order a prime field comes first: 20 is paley1 = 19,
// not paley2 = 9; 28 is paley2 = 13, not paley1 = 27.
// CHECK-LABEL: func.func private @chosen_bases()
// CHECK-SAME: a = #qc.hadamard<48, paley1 = 11>
// CHECK-SAME: b = #qc.hadamard<11008, williamson = 43>
// CHECK-SAME: c = #qc.hadamard<52, paley2 = 25>
// CHECK-SAME: d = #qc.hadamard<100, paley2 = 49>
// CHECK-SAME: e = #qc.hadamard<18944, paley2 = 73, seed = 3>
// CHECK-SAME: f = #qc.hadamard<40, paley1 = 19>
// CHECK-SAME: g = #qc.hadamard<20, paley1 = 19>
// CHECK-SAME: h = #qc.hadamard<28, paley2 = 13>
// CHECK-SAME: i = #qc.hadamard<156, williamson = 39>
// CHECK-SAME: j = #qc.hadamard<28, paley1 = 27>
// CHECK-SAME: k = #qc.hadamard<20, paley2 = 9>
// CHECK-SAME: l = #qc.hadamard<184, williamson = 23>
func.func private @chosen_bases() attributes {
  a = #qc.hadamard<48>, b = #qc.hadamard<11008>, c = #qc.hadamard<52>,
  d = #qc.hadamard<100>, e = #qc.hadamard<18944, seed = 3>,
  f = #qc.hadamard<40>, g = #qc.hadamard<20>, h = #qc.hadamard<28>,
  i = #qc.hadamard<156>, j = #qc.hadamard<28, paley1 = 27>,
  k = #qc.hadamard<20, paley2 = 9>, l = #qc.hadamard<184>}

// Permutations: a rotation (qc.rotate, a rotated qtensor) that gathers.
// CHECK-LABEL: func.func @permutations
// CHECK: qc.rotate %{{.*}} by #qc.permutation<[2, 0, 3, 1]> along 1 : tensor<?x4xf32>
// CHECK: qc.rotate %{{.*}} by #qc.permutation<[2, 0, 3, 1]> along 1 transpose : tensor<?x4xf32>
// CHECK: rotated #qc.permutation<[1, 0, 3, 2]> along 1>
func.func @permutations(%x: tensor<?x4xf32>, %w: !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, rotated #qc.permutation<[1, 0, 3, 2]> along 1>) -> tensor<?x2xf32> {
  %p = qc.rotate %x by #qc.permutation<[2, 0, 3, 1]> along 1 : tensor<?x4xf32>
  %b = qc.rotate %p by #qc.permutation<[2, 0, 3, 1]> along 1 transpose : tensor<?x4xf32>
  %y = qc.matmul %b, %w : tensor<?x4xf32>, !qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_axis<0>, rotated #qc.permutation<[1, 0, 3, 2]> along 1> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// Mixed precision along K: a matmul that accumulates into another's result.
// CHECK-LABEL: func.func @mixed_precision_along_k
// CHECK: %[[Y0:.*]] = qc.matmul %{{.*}}, %{{.*}} bias(%{{.*}} : tensor<8xf32>) : tensor<?x96xf32>
// CHECK: qc.matmul %{{.*}}, %{{.*}} accumulate(%[[Y0]] : tensor<?x8xf32>) : tensor<?x32xf32>, !qc.qtensor<8x32, #qc.int<s8, narrow>
func.func @mixed_precision_along_k(%a0: tensor<?x96xf32>, %a1: tensor<?x32xf32>,
    %w0: !qc.qtensor<8x96, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>,
    %w1: !qc.qtensor<8x32, #qc.int<s8, narrow>, f16 #qc.per_block<[1, 32]>>,
    %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %y0 = qc.matmul %a0, %w0 bias(%b : tensor<8xf32>) : tensor<?x96xf32>, !qc.qtensor<8x96, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x8xf32>
  %y = qc.matmul %a1, %w1 accumulate(%y0 : tensor<?x8xf32>) : tensor<?x32xf32>, !qc.qtensor<8x32, #qc.int<s8, narrow>, f16 #qc.per_block<[1, 32]>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// llama.cpp's formats: integer sub-block scales under an outer level and
// subtracted mins, through assemble, disassemble and constant.
!q4k = !qc.qtensor<4x256, #qc.int<u4>, ui6 #qc.per_block<[1, 32]>, outer f16 #qc.per_block<[1, 256]>, min ui6 outer f16>
!q6k = !qc.qtensor<4x256, #qc.int<s6>, si8 #qc.per_block<[1, 16]>, outer f16 #qc.per_block<[1, 256]>>
!q41 = !qc.qtensor<2x32, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, min f16>
// CHECK-LABEL: func.func @gguf_parts(
// CHECK: qc.assemble packed %{{.*}}, %{{.*}} outer_scales %{{.*}} mins %{{.*}} outer_mins %{{.*}} : !qc.qtensor<4x256, #qc.int<u4>, ui6 #qc.per_block<[1, 32]>, outer f16 #qc.per_block<[1, 256]>, min ui6 outer f16>
// CHECK: qc.disassemble %{{.*}} : !qc.qtensor<4x256, #qc.int<u4>, ui6 #qc.per_block<[1, 32]>, outer f16 #qc.per_block<[1, 256]>, min ui6 outer f16>
// CHECK: qc.assemble %{{.*}}, %{{.*}} outer_scales %{{.*}} : !qc.qtensor<4x256, #qc.int<s6>, si8 #qc.per_block<[1, 16]>, outer f16 #qc.per_block<[1, 256]>>
// CHECK: qc.constant codes(dense<3> : tensor<2x32xi4>) scales(dense<1.000000e+00> : tensor<2x1xf16>) mins(dense<-5.000000e-01> : tensor<2x1xf16>) : !qc.qtensor<2x32, #qc.int<u4>, f16 #qc.per_block<[1, 32]>, min f16>
func.func @gguf_parts(%b: tensor<512xi8>, %s: tensor<4x8xi6>, %d: tensor<4x1xf16>,
                      %m: tensor<4x8xi6>, %dmin: tensor<4x1xf16>,
                      %c6: tensor<4x256xi6>, %s8: tensor<4x16xi8>)
    -> (tensor<4x8xi6>, tensor<4x1xf16>, !q6k, !q41) {
  %k = qc.assemble packed %b, %s outer_scales %d mins %m outer_mins %dmin : !q4k
  %codes, %sc, %o, %mn, %mo = qc.disassemble %k : !q4k
  %six = qc.assemble %c6, %s8 outer_scales %d : !q6k
  %w = qc.constant codes(dense<3> : tensor<2x32xi4>) scales(dense<1.0> : tensor<2x1xf16>)
                   mins(dense<-0.5> : tensor<2x1xf16>) : !q41
  return %mn, %mo, %six, %w : tensor<4x8xi6>, tensor<4x1xf16>, !q6k, !q41
}

// CHECK: dialect_resources
// CHECK: u2_codes: "0x01000000E4E4E4E41B1B1B1B"
// CHECK: u2_scales: "0x02000000003C003C003C003C003C003C003C003C"
{-#
  dialect_resources: {
    builtin: {
      u2_codes: "0x01000000E4E4E4E41B1B1B1B",
      u2_scales: "0x02000000003C003C003C003C003C003C003C003C"
    }
  }
#-}


