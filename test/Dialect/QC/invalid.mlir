// Every diagnostic of the qc dialect's parsers and verifiers, one case each.
// RUN: qc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Grid attributes
//===----------------------------------------------------------------------===//

// expected-error @+1 {{expected an integer grid such as 's4' or 'u8', got 'i4'}}
func.func private @f() attributes {g = #qc.int<i4>}

// -----

// expected-error @+1 {{integer grid bit width must be in [1, 8], got 9}}
func.func private @f() attributes {g = #qc.int<s9>}

// -----

// expected-error @+1 {{integer grid bit width must be in [1, 8], got 0}}
func.func private @f() attributes {g = #qc.int<u0>}

// -----

// expected-error @+1 {{narrow range needs a signed grid ('s4'), got 'u4'}}
func.func private @f() attributes {g = #qc.int<u4, narrow>}

// -----

// expected-error @+1 {{narrow range needs at least 2 bits}}
func.func private @f() attributes {g = #qc.int<s1, narrow>}

// -----

// expected-error @+1 {{float grid type must be one of f4E2M1FN, f6E3M2FN, f6E2M3FN, f8E4M3FN, f8E5M2; got 'f16'}}
func.func private @f() attributes {g = #qc.float<f16>}

// -----

// expected-error @+1 {{a codebook must have 2^b values with 1 <= b <= 8, got 3}}
func.func private @f() attributes {g = #qc.codebook<[-1.0, 0.0, 1.0]>}

// -----

// expected-error @+1 {{codebook values must be distinct}}
func.func private @f() attributes {g = #qc.codebook<[-1.0, 0.0, 0.0, 1.0]>}

// -----

// expected-error @+1 {{codebook values must be finite}}
func.func private @f() attributes {g = #qc.codebook<[-1.0, 0.0, 0x7FF0000000000000, 1.0]>}

// -----

// expected-error @+2 {{expected ::mlir::qc::ScaleMethod to be one of: absmax, minmax, mse, absmean, mx}}
// expected-error @+1 {{failed to parse QC_ScaleMethodAttr parameter 'value'}}
func.func private @f() attributes {m = #qc.method<max>}

//===----------------------------------------------------------------------===//
// Granularities (checked against the shape of the type that uses them)
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{per_axis axis must be non-negative, got -1}}
func.func private @f() attributes {g = #qc.per_axis<-1>}

// -----

// expected-error @+1 {{per_axis axis 2 is out of range for a rank-2 tensor}}
func.func private @f(!qc.qtensor<4x8, #qc.int<s8>, f32 #qc.per_axis<2>>)

// -----

// expected-error @+1 {{per_block gives 1 block sizes for a rank-2 tensor; expected one per dimension}}
func.func private @f(!qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_block<[8]>>)

// -----

// expected-error @+1 {{per_block block sizes must be positive, got 0 for dimension 1}}
func.func private @f() attributes {g = #qc.per_block<[1, 0]>}

// -----

// expected-error @+1 {{per_block block size 32 along dynamic dimension 0; blocks along a dynamic dimension must be 1}}
func.func private @f(!qc.qtensor<?x64, #qc.int<s4>, f32 #qc.per_block<[32, 1]>>)

// -----

// A group size that does not divide the axis.
// expected-error @+1 {{per_block block size 128 does not divide dimension 1 of size 4000}}
func.func private @f(!qc.qtensor<64x4000, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>)

//===----------------------------------------------------------------------===//
// The quantized tensor type
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{expected a grid (#qc.int, #qc.float, #qc.nf4, #qc.codebook, #qc.ternary, #qc.binary), got #qc.per_tensor}}
func.func private @f(!qc.qtensor<4x8, #qc.per_tensor, f32 #qc.per_tensor>)

// -----

// expected-error @+1 {{expected a granularity (#qc.per_tensor, #qc.per_axis, #qc.per_block), got #qc.nf4}}
func.func private @f(!qc.qtensor<4x8, #qc.nf4, f32 #qc.nf4>)

// -----

// expected-error @+1 {{zero_point is given twice}}
func.func private @f(!qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor, zero_point i8, zero_point i8>)

// -----

// expected-error @+1 {{outer is given twice}}
func.func private @f(!qc.qtensor<4x8, #qc.int<u4>, f16 #qc.per_axis<0>, outer f32 #qc.per_tensor, outer f32 #qc.per_tensor>)

// -----

// expected-error @+1 {{expected 'zero_point', 'outer', 'min', 'layout' or 'rotated'}}
func.func private @f(!qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor, zeros i8>)

// -----

// expected-error @+1 {{qtensor must have rank >= 1}}
func.func private @f(!qc.qtensor<, #qc.int<s4>, f32 #qc.per_tensor>)

// -----

// expected-error @+1 {{qtensor dimensions must be positive or '?', got 0}}
func.func private @f(!qc.qtensor<4x0, #qc.int<s4>, f32 #qc.per_tensor>)

// -----

// expected-error @+1 {{qtensor is too large: its codes would take more than 2^63 bits}}
func.func private @f(!qc.qtensor<4611686018427387904x2, #qc.int<s4>, f32 #qc.per_tensor>)

// -----

// expected-error @+1 {{integer scales must say their signedness ('ui32' or 'si32'), got 'i32'}}
func.func private @f(!qc.qtensor<4x8, #qc.int<s4>, i32 #qc.per_tensor>)

// -----

// Integer (sub-block) scales and mins, as in llama.cpp's K-quants.
// expected-error @+1 {{integer scales ('ui6') are sub-block scales: they need an outer level ('outer f16 #qc.per_block<...>') that gives them their float scale}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, ui6 #qc.per_block<[1, 16]>>)

// -----

// expected-error @+1 {{integer scales must have 1 to 16 bits, got 'ui32'}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, ui32 #qc.per_block<[1, 16]>, outer f16 #qc.per_block<[1, 32]>>)

// -----

// expected-error @+1 {{integer mins ('ui6') need an outer factor: 'min ui6 outer f16'}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, min ui6>)

// -----

// expected-error @+1 {{integer mins must say their signedness ('ui6' or 'si6'), got 'i6'}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, ui6 #qc.per_block<[1, 16]>, outer f16 #qc.per_block<[1, 32]>, min i6 outer f16>)

// -----

// expected-error @+1 {{'min ... outer' needs the type's outer level, whose granularity the outer mins share}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, min f16 outer f16>)

// -----

// expected-error @+1 {{a qtensor has either zero points or a min, not both}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, zero_point i8, min f16>)

// -----

// expected-error @+1 {{f8E8M0FNU (OCP MX) scales are symmetric: remove the min}}
func.func private @f(!qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E8M0FNU #qc.per_block<[1, 32]>, min f16>)

// -----

// expected-error @+1 {{min type must be one of f32, f16, bf16, f8E4M3FN, f8E5M2, f6E3M2FN, f6E2M3FN, f4E2M1FN or f8E8M0FNU, or an integer type with a signedness; got 'f64'}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, min f64>)

// -----

// expected-error @+1 {{outer min type must be one of f32, f16, bf16, f8E4M3FN, f8E5M2, f6E3M2FN, f6E2M3FN, f4E2M1FN or f8E8M0FNU; got 'i8'}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, ui6 #qc.per_block<[1, 16]>, outer f16 #qc.per_block<[1, 32]>, min ui6 outer i8>)

// -----

// expected-error @+1 {{min is given twice}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, min f16, min f16>)

// -----

func.func @f(%x: tensor<4x32xf32>) {
  // expected-error @+1 {{'qc.quantize' op cannot produce '!qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, min f16>': qc.quantize computes float scales and zero points; integer sub-block scales and mins come with the data (qc.constant, qc.assemble, qc-import)}}
  %q = qc.quantize %x : tensor<4x32xf32> -> !qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, min f16>
  return
}

// -----

func.func @f(%c: tensor<4x32xi4>, %s: tensor<4x2xf16>) {
  // expected-error @+1 {{the type has a min: give the mins with 'mins %m'}}
  %q = qc.assemble %c, %s : !qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, min f16>
  return
}

// -----

func.func @f(%c: tensor<4x32xi4>, %s: tensor<4x2xi6>, %o: tensor<4x1xf16>, %m: tensor<4x2xi6>) {
  // expected-error @+1 {{the type's min has an outer factor: give it with 'outer_mins %mo'}}
  %q = qc.assemble %c, %s outer_scales %o mins %m : !qc.qtensor<4x32, #qc.int<u4>, ui6 #qc.per_block<[1, 16]>, outer f16 #qc.per_block<[1, 32]>, min ui6 outer f16>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'qc.constant' op needs mins of type 'tensor<4x2xf16>' (the quantized type has them)}}
  %q = qc.constant codes(dense<0> : tensor<4x32xi4>) scales(dense<1.0> : tensor<4x2xf16>) : !qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, min f16>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'qc.constant' op scales must have type 'tensor<4x2xi6>', got 'tensor<4x2xui6>'}}
  %q = qc.constant codes(dense<0> : tensor<4x32xi4>) scales(dense<1> : tensor<4x2xui6>) outer_scales(dense<1.0> : tensor<4x1xf16>) : !qc.qtensor<4x32, #qc.int<u4>, ui6 #qc.per_block<[1, 16]>, outer f16 #qc.per_block<[1, 32]>>
  return
}

// -----

// Scale types the numerics cannot round to are rejected up front.
// expected-error @+1 {{scale type must be one of f32, f16, bf16, f8E4M3FN, f8E5M2, f6E3M2FN, f6E2M3FN, f4E2M1FN or f8E8M0FNU, or an integer type with a signedness (ui6, si8) under an outer level; got 'f64'}}
func.func private @f(!qc.qtensor<4x8, #qc.int<s4>, f64 #qc.per_tensor>)

// -----

// expected-error @+1 {{integer zero points of type 'i8' cannot hold the grid's range [0, 255]; use a wider signed integer type}}
func.func private @f(!qc.qtensor<4x8, #qc.int<u8>, f32 #qc.per_tensor, zero_point i8>)

// -----

// expected-error @+1 {{zero point type must be a signless integer type or one of f32, f16, bf16, f8E4M3FN, f8E5M2, f6E3M2FN, f6E2M3FN, f4E2M1FN or f8E8M0FNU; got 'f8E4M3FNUZ'}}
func.func private @f(!qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor, zero_point f8E4M3FNUZ>)

// -----

// expected-error @+1 {{integer zero points must be signless, got 'ui8'}}
func.func private @f(!qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor, zero_point ui8>)

// -----

// expected-error @+1 {{integer zero points need an integer grid (#qc.int), got #qc.nf4; use a float zero point type}}
func.func private @f(!qc.qtensor<4x8, #qc.nf4, f32 #qc.per_tensor, zero_point i8>)

// -----

// expected-error @+1 {{zero point type must be a signless integer type or one of f32, f16, bf16, f8E4M3FN, f8E5M2, f6E3M2FN, f6E2M3FN, f4E2M1FN or f8E8M0FNU; got 'index'}}
func.func private @f(!qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor, zero_point index>)

// -----

// expected-error @+1 {{f8E8M0FNU (OCP MX) scales are symmetric: remove the zero point}}
func.func private @f(!qc.qtensor<4x32, #qc.int<u4>, f8E8M0FNU #qc.per_block<[1, 32]>, zero_point i8>)

// -----

// expected-error @+1 {{outer scale type must be one of f32, f16, bf16, f8E4M3FN, f8E5M2, f6E3M2FN, f6E2M3FN, f4E2M1FN or f8E8M0FNU; got 'i8'}}
func.func private @f(!qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer i8 #qc.per_tensor>)

// -----

// expected-error @+1 {{f8E8M0FNU (OCP MX) scales are single-level: remove the outer level}}
func.func private @f(!qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E8M0FNU #qc.per_block<[1, 32]>, outer f32 #qc.per_tensor>)

// -----

// expected-error @+1 {{outer granularity must be coarser than the scale granularity: along dimension 1, outer blocks of 16 elements do not contain whole scale blocks of 32}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>, outer f32 #qc.per_block<[1, 16]>>)

// -----

// Per-row scales (blocks of 1x64) cannot nest in per-column outer scales
// (blocks of 4x1).
// expected-error @+1 {{outer granularity must be coarser than the scale granularity: along dimension 1, outer blocks of 1 elements do not contain whole scale blocks of 64}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f16 #qc.per_axis<0>, outer f32 #qc.per_axis<1>>)

// -----

// Per-column scales span the dynamic dimension 0; per-row outer scales do not.
// expected-error @+1 {{along dimension 0, outer blocks of 1 elements do not contain whole scale blocks of '?' (the whole dimension)}}
func.func private @f(!qc.qtensor<?x8, #qc.int<s4>, f32 #qc.per_axis<1>, outer f32 #qc.per_block<[1, 8]>>)

// -----

// The outer granularity is checked against the shape too.
// expected-error @+1 {{per_block block size 48 does not divide dimension 1 of size 64}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f16 #qc.per_block<[1, 16]>, outer f32 #qc.per_block<[1, 48]>>)

//===----------------------------------------------------------------------===//
// qc.quantize / qc.dequantize
//===----------------------------------------------------------------------===//

// -----

func.func @f(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'qc.quantize' op input shape 4x16 does not match result shape 4x32}}
  %0 = qc.quantize %x : tensor<4x16xf32> -> !qc.qtensor<4x32, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%x: tensor<4x16xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'qc.quantize' op takes either scales(...) or a method, not both}}
  %0 = qc.quantize %x scales(%s : tensor<f32>) method<absmax> : tensor<4x16xf32> -> !qc.qtensor<4x16, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%x: tensor<4x16xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'qc.quantize' op scales must have type 'tensor<4x2xf16>' (implied by the quantized type), got 'tensor<4xf32>'}}
  %0 = qc.quantize %x scales(%s : tensor<4xf32>) : tensor<4x16xf32> -> !qc.qtensor<4x16, #qc.int<s4>, f16 #qc.per_block<[1, 8]>>
  return
}

// -----

func.func @f(%x: tensor<4x16xf32>, %s: tensor<4x2xf16>, %z: tensor<4x2xi8>) {
  // expected-error @+1 {{'qc.quantize' op has zero_points but the quantized type has none}}
  %0 = qc.quantize %x scales(%s : tensor<4x2xf16>) zero_points(%z : tensor<4x2xi8>) : tensor<4x16xf32> -> !qc.qtensor<4x16, #qc.int<s4>, f16 #qc.per_block<[1, 8]>>
  return
}

// -----

func.func @f(%x: tensor<4x16xf32>, %s: tensor<4x2xf16>) {
  // expected-error @+1 {{'qc.quantize' op needs zero_points of type 'tensor<4x2xi8>' (the quantized type has them)}}
  %0 = qc.quantize %x scales(%s : tensor<4x2xf16>) : tensor<4x16xf32> -> !qc.qtensor<4x16, #qc.int<u4>, f16 #qc.per_block<[1, 8]>, zero_point i8>
  return
}

// -----

func.func @f(%x: tensor<4x16xf32>, %s: tensor<4x2xf16>, %z: tensor<4x2xf16>) {
  // expected-error @+1 {{'qc.quantize' op zero_points must have type 'tensor<4x2xi8>' (implied by the quantized type), got 'tensor<4x2xf16>'}}
  %0 = qc.quantize %x scales(%s : tensor<4x2xf16>) zero_points(%z : tensor<4x2xf16>) : tensor<4x16xf32> -> !qc.qtensor<4x16, #qc.int<u4>, f16 #qc.per_block<[1, 8]>, zero_point i8>
  return
}

// -----

func.func @f(%x: tensor<4x32xf32>, %s: tensor<4x2xf8E4M3FN>) {
  // expected-error @+1 {{'qc.quantize' op needs outer_scales of type 'tensor<f32>' (the quantized type has them)}}
  %0 = qc.quantize %x scales(%s : tensor<4x2xf8E4M3FN>) : tensor<4x32xf32> -> !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%x: tensor<4x32xf32>, %z: tensor<4x2xi8>) {
  // expected-error @+1 {{'qc.quantize' op zero_points(...) and outer_scales(...) need scales(...)}}
  %0 = "qc.quantize"(%x, %z) <{operandSegmentSizes = array<i32: 1, 0, 1, 0>}> : (tensor<4x32xf32>, tensor<4x2xi8>) -> !qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 16]>, zero_point i8>
  return
}

// -----

func.func @f(%x: tensor<4x32xf32>) {
  // expected-error @+1 {{'qc.quantize' op method mx (OCP Microscaling) needs f8E8M0FNU scales, got 'f16'}}
  %0 = qc.quantize %x method<mx> : tensor<4x32xf32> -> !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f16 #qc.per_block<[1, 32]>>
  return
}

// -----

func.func @f(%x: tensor<4x32xf32>) {
  // expected-error @+1 {{'qc.quantize' op f8E8M0FNU scales are computed by method mx, got method absmax}}
  %0 = qc.quantize %x : tensor<4x32xf32> -> !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E8M0FNU #qc.per_block<[1, 32]>>
  return
}

// -----

func.func @f(%x: tensor<4x32xf32>) {
  // expected-error @+1 {{'qc.quantize' op method minmax needs a zero point in the result type}}
  %0 = qc.quantize %x method<minmax> : tensor<4x32xf32> -> !qc.qtensor<4x32, #qc.int<u4>, f16 #qc.per_block<[1, 32]>>
  return
}

// -----

func.func @f(%x: tensor<4x32xf32>) {
  // expected-error @+1 {{'qc.quantize' op two-level scales need method absmax or absmean, got mse}}
  %0 = qc.quantize %x method<mse> : tensor<4x32xf32> -> !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%x: tensor<4x32xi32>) {
  // expected-error @+1 {{'qc.quantize' op operand #0 must be ranked tensor of floating-point values}}
  %0 = qc.quantize %x : tensor<4x32xi32> -> !qc.qtensor<4x32, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%q: !qc.qtensor<4x32, #qc.int<s8>, f32 #qc.per_tensor>) {
  // expected-error @+1 {{'qc.dequantize' op input shape 4x32 does not match result shape 32x4}}
  %0 = qc.dequantize %q : !qc.qtensor<4x32, #qc.int<s8>, f32 #qc.per_tensor> -> tensor<32x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// qc.matmul
//===----------------------------------------------------------------------===//

// -----

func.func @f(%a: tensor<2x4x64xf32>, %w: !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>) {
  // expected-error @+1 {{'qc.matmul' op lhs must be an M x K matrix, got rank 3}}
  %0 = qc.matmul %a, %w : tensor<2x4x64xf32>, !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<4x32xf32>
  return
}

// -----

func.func @f(%a: tensor<4x64xf32>, %w: !qc.qtensor<2x32x64, #qc.int<s4>, f16 #qc.per_block<[1, 1, 32]>>) {
  // expected-error @+1 {{'qc.matmul' op weight must be an N x K matrix (Linear layout), got rank 3}}
  %0 = qc.matmul %a, %w : tensor<4x64xf32>, !qc.qtensor<2x32x64, #qc.int<s4>, f16 #qc.per_block<[1, 1, 32]>> -> tensor<4x32xf32>
  return
}

// -----

func.func @f(%a: tensor<4x128xf32>, %w: !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>) {
  // expected-error @+1 {{'qc.matmul' op reduction sizes differ: lhs is M x K with K = 128, weight is N x K with K = 64}}
  %0 = qc.matmul %a, %w : tensor<4x128xf32>, !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<4x32xf32>
  return
}

// -----

// A weight stored K x N (transposed) is caught by the same check.
func.func @f(%a: tensor<?x32xf32>, %w: !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>) {
  // expected-error @+1 {{'qc.matmul' op reduction sizes differ: lhs is M x K with K = 32, weight is N x K with K = 64}}
  %0 = qc.matmul %a, %w : tensor<?x32xf32>, !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x64xf32>
  return
}

// -----

func.func @f(%a: tensor<4x64xf32>, %w: !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>, %b: tensor<64xf32>) {
  // expected-error @+1 {{'qc.matmul' op bias must be a vector of N = 32 elements, got shape 64}}
  %0 = qc.matmul %a, %w bias(%b : tensor<64xf32>) : tensor<4x64xf32>, !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<4x32xf32>
  return
}

// -----

func.func @f(%a: tensor<4x64xf32>, %w: !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>) {
  // expected-error @+1 {{'qc.matmul' op result must be M x N = 4x32, got 4x64}}
  %0 = qc.matmul %a, %w : tensor<4x64xf32>, !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<4x64xf32>
  return
}

// -----

func.func @f(%a: tensor<4x64xf32>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'qc.matmul' op operand #1 must be ranked tensor of floating-point values or quantized tensor, but got 'tensor<32x64xi8>'}}
  %0 = qc.matmul %a, %w : tensor<4x64xf32>, tensor<32x64xi8> -> tensor<4x32xf32>
  return
}

//===----------------------------------------------------------------------===//
// qc.assemble / qc.disassemble
//===----------------------------------------------------------------------===//

// -----

func.func @f(%c: tensor<4x8xi4>, %s: tensor<f32>) {
  // expected-error @+1 {{expected a !qc.qtensor type, got 'tensor<4x8xf32>'}}
  %0 = qc.assemble %c, %s : tensor<4x8xf32>
  return
}

// -----

func.func @f(%c: tensor<4x8xi4>, %s: tensor<f32>, %z: tensor<i8>) {
  // expected-error @+1 {{zero_points given, but the type has no zero points}}
  %0 = qc.assemble %c, %s zero_points %z : !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%c: tensor<4x8xi4>, %s: tensor<f32>) {
  // expected-error @+1 {{the type has zero points: give them with 'zero_points %z'}}
  %0 = qc.assemble %c, %s : !qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor, zero_point i8>
  return
}

// -----

func.func @f(%c: tensor<4x8xi4>, %s: tensor<f32>, %o: tensor<f32>) {
  // expected-error @+1 {{outer_scales given, but the type has no outer level}}
  %0 = qc.assemble %c, %s outer_scales %o : !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%c: tensor<4x32xi4>, %s: tensor<4x2xf8E4M3FN>) {
  // expected-error @+1 {{the type has outer scales: give them with 'outer_scales %o'}}
  %0 = qc.assemble %c, %s : !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  return
}

// -----

// expected-note @+1 {{prior use here}}
func.func @f(%c: tensor<4x8xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{use of value '%c' expects different type than prior uses: 'tensor<4x8xi4>' vs 'tensor<4x8xi8>'}}
  %0 = qc.assemble %c, %s : !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

// The generic form reaches the verifier with any operand types.
func.func @f(%c: tensor<4x8xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'qc.assemble' op codes must be the logical codes 'tensor<4x8xi4>' or the packed bytes 'tensor<16xi8>' (implied by the quantized type), got 'tensor<4x8xi8>'}}
  %0 = "qc.assemble"(%c, %s) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>}> : (tensor<4x8xi8>, tensor<f32>) -> !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

// Packed codes have exactly ceil(numel * B / 8) bytes.
func.func @f(%c: tensor<15xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'qc.assemble' op codes must be the logical codes 'tensor<4x8xi4>' or the packed bytes 'tensor<16xi8>' (implied by the quantized type), got 'tensor<15xi8>'}}
  %0 = "qc.assemble"(%c, %s) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>}> : (tensor<15xi8>, tensor<f32>) -> !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%c: tensor<4x8xi4>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'qc.assemble' op scales must have type 'tensor<f32>' (implied by the quantized type), got 'tensor<4xf32>'}}
  %0 = "qc.assemble"(%c, %s) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>}> : (tensor<4x8xi4>, tensor<4xf32>) -> !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%c: tensor<4x8xi4>, %s: tensor<f32>) {
  // expected-error @+1 {{'qc.assemble' op needs zero_points of type 'tensor<i8>' (the quantized type has them)}}
  %0 = "qc.assemble"(%c, %s) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>}> : (tensor<4x8xi4>, tensor<f32>) -> !qc.qtensor<4x8, #qc.int<u4>, f32 #qc.per_tensor, zero_point i8>
  return
}

// -----

func.func @f(%c: tensor<4x8xi4>, %s: tensor<f32>, %o: tensor<f32>) {
  // expected-error @+1 {{'qc.assemble' op has outer_scales but the quantized type has none}}
  %0 = "qc.assemble"(%c, %s, %o) <{operandSegmentSizes = array<i32: 1, 1, 0, 1, 0, 0>}> : (tensor<4x8xi4>, tensor<f32>, tensor<f32>) -> !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f(%q: !qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>) {
  // expected-error @+2 {{'qc.disassemble' op failed to infer returned types}}
  // expected-error @+1 {{'qc.disassemble' op inferred type(s) 'tensor<4x8xi4>', 'tensor<f32>' are incompatible with return type(s) of operation 'tensor<4x8xi8>', 'tensor<f32>'}}
  %0:2 = "qc.disassemble"(%q) : (!qc.qtensor<4x8, #qc.int<s4>, f32 #qc.per_tensor>) -> (tensor<4x8xi8>, tensor<f32>)
  return
}

// -----

func.func @f(%q: tensor<4x8xf32>) {
  // expected-error @+1 {{'qc.disassemble' op operand #0 must be quantized tensor, but got 'tensor<4x8xf32>'}}
  %0:2 = "qc.disassemble"(%q) : (tensor<4x8xf32>) -> (tensor<4x8xi8>, tensor<f32>)
  return
}

//===----------------------------------------------------------------------===//
// qc.constant
//===----------------------------------------------------------------------===//

// -----

func.func @f() {
  // expected-error @+1 {{custom op 'qc.constant' has no part named 'zero_point' (the parts are codes, scales, zero_points, outer_scales, mins, outer_mins)}}
  %0 = qc.constant codes(dense<0> : tensor<8xi8>) scales(dense<1.0> : tensor<f32>) zero_point(dense<0> : tensor<i8>) : !qc.qtensor<8, #qc.int<u8>, f32 #qc.per_tensor, zero_point i16>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{custom op 'qc.constant' part 'scales' is given twice}}
  %0 = qc.constant codes(dense<0> : tensor<8xi8>) scales(dense<1.0> : tensor<f32>) scales(dense<1.0> : tensor<f32>) : !qc.qtensor<8, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{custom op 'qc.constant' needs a 'scales(...)' part}}
  %0 = qc.constant codes(dense<0> : tensor<8xi8>) : !qc.qtensor<8, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{custom op 'qc.constant' invalid kind of attribute specified}}
  %0 = qc.constant codes(1 : i8) scales(dense<1.0> : tensor<f32>) : !qc.qtensor<8, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

// A part in the trailing dictionary (the generic form's spelling of a part
// that the pretty form would write as a keyword) must be one of the four.
func.func @f() {
  // expected-error @+1 {{'qc.constant' op has no part named 'zero_point' (the parts are codes, scales, zero_points, outer_scales, mins, outer_mins)}}
  %0 = qc.constant codes(dense<0> : tensor<8xi8>) scales(dense<1.0> : tensor<f32>) {zero_point = dense<0> : tensor<i8>} : !qc.qtensor<8, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'qc.constant' op needs a static shape, got ?x8}}
  %0 = qc.constant codes(dense<0> : tensor<8xi8>) scales(dense<1.0> : tensor<f32>) : !qc.qtensor<?x8, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'qc.constant' op codes must be the logical codes 'tensor<2x3xi4>' or the packed bytes 'tensor<3xi8>', got 'tensor<6xi8>'}}
  %0 = qc.constant codes(dense<0> : tensor<6xi8>) scales(dense<1.0> : tensor<f32>) : !qc.qtensor<2x3, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'qc.constant' op scales must have type 'tensor<2xf32>', got 'tensor<f32>'}}
  %0 = qc.constant codes(dense<0> : tensor<2x3xi4>) scales(dense<1.0> : tensor<f32>) : !qc.qtensor<2x3, #qc.int<s4>, f32 #qc.per_axis<0>>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'qc.constant' op needs zero_points of type 'tensor<i8>' (the quantized type has them)}}
  %0 = qc.constant codes(dense<0> : tensor<2x3xi4>) scales(dense<1.0> : tensor<f32>) : !qc.qtensor<2x3, #qc.int<u4>, f32 #qc.per_tensor, zero_point i8>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'qc.constant' op has outer_scales but the quantized type has none}}
  %0 = qc.constant codes(dense<0> : tensor<2x3xi4>) scales(dense<1.0> : tensor<f32>) outer_scales(dense<1.0> : tensor<f32>) : !qc.qtensor<2x3, #qc.int<s4>, f32 #qc.per_tensor>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'qc.constant' op outer_scales must have type 'tensor<f32>' (implied by the quantized type), got 'tensor<1xf32>'}}
  %0 = qc.constant codes(dense<0> : tensor<4x32xi4>) scales(dense<1.0> : tensor<4x2xf8E4M3FN>) outer_scales(dense<1.0> : tensor<1xf32>) : !qc.qtensor<4x32, #qc.float<f4E2M1FN>, f8E4M3FN #qc.per_block<[1, 16]>, outer f32 #qc.per_tensor>
  return
}

// -----

// expected-error @+1 {{layout is given twice}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc.tiled<rows = 2, chunk_bytes = 16>, layout #qc.tiled<rows = 2, chunk_bytes = 16>>)

// -----

// expected-error @+1 {{expected a layout (#qc.tiled, #qc.bit_planes, #qc_nvvm.mma_fragments), got #qc.per_tensor}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc.per_tensor>)

// -----

// expected-error @+1 {{tiled layout needs rows >= 1 and chunk_bytes >= 1, got rows = 0, chunk_bytes = 16}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc.tiled<rows = 0, chunk_bytes = 16>>)

// -----

// expected-error @+1 {{layout #qc.tiled<rows = 2, chunk_bytes = 16> needs a rank-2 static shape}}
func.func private @f(!qc.qtensor<?x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc.tiled<rows = 2, chunk_bytes = 16>>)

// -----

// expected-error @+1 {{layout #qc.tiled<rows = 2, chunk_bytes = 1> needs rows of whole bytes; a row of 5 3-bit codes is 15 bits}}
func.func private @f(!qc.qtensor<4x5, #qc.int<s3>, f32 #qc.per_axis<0>, layout #qc.tiled<rows = 2, chunk_bytes = 1>>)

// -----

// expected-error @+1 {{layout #qc.tiled<rows = 3, chunk_bytes = 16>: rows = 3 does not divide the 4 rows}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc.tiled<rows = 3, chunk_bytes = 16>>)

// -----

// expected-error @+1 {{layout #qc.tiled<rows = 2, chunk_bytes = 24>: chunk_bytes = 24 does not divide a row's 32 bytes}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc.tiled<rows = 2, chunk_bytes = 24>>)

// -----

func.func @f(%x: tensor<4x64xf32>) {
  // expected-error @+1 {{method absmax divides the largest magnitude by the grid's largest value, which is 0 for #qc.int<s1>: use method minmax with a zero point, #qc.binary or #qc.int<u1>}}
  %q = qc.quantize %x method<absmax> : tensor<4x64xf32> -> !qc.qtensor<4x64, #qc.int<s1>, f32 #qc.per_axis<0>>
  return
}

// -----

// expected-error @+1 {{bit_planes widths must be 1, 2 or 4 (fields that never straddle a byte), got 3}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[3, 1]>>)

// -----

// expected-error @+1 {{bit_planes needs at least two planes, got 1}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[4]>>)

// -----

// expected-error @+1 {{layout #qc.bit_planes<[2, 2]> has 4 bits in all, but #qc.int<s3> codes have 3}}
func.func private @f(!qc.qtensor<4x64, #qc.int<s3>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[2, 2]>>)

// -----

// expected-error @+1 {{layout #qc.bit_planes<[2, 1]> needs a static shape}}
func.func private @f(!qc.qtensor<?x64, #qc.int<s3>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[2, 1]>>)

// -----

// expected-error @+1 {{layout #qc.bit_planes<[1, 1], tile = <rows = 16, chunk_bytes = 2>>: the 1-bit plane of a 8 x 64 matrix does not tile (its rows must be whole bytes, rows must divide 8 and chunk_bytes a plane row's bytes)}}
func.func private @f(!qc.qtensor<8x64, #qc.int<s2>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[1, 1], tile = #qc.tiled<rows = 16, chunk_bytes = 2>>>)

// -----

// expected-error @+1 {{layout #qc.bit_planes<[2, 1], tile = <rows = 16, chunk_bytes = 4>>: the 1-bit plane of a 16 x 16 matrix does not tile}}
func.func private @f(!qc.qtensor<16x16, #qc.int<s3>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[2, 1], tile = #qc.tiled<rows = 16, chunk_bytes = 4>>>)

// -----

// expected-error @+1 {{layout #qc.bit_planes<[1, 1], tile = <rows = 2, chunk_bytes = 1>> (tiled planes) needs a rank-2 shape}}
func.func private @f(!qc.qtensor<2x2x8, #qc.int<s2>, f32 #qc.per_tensor, layout #qc.bit_planes<[1, 1], tile = #qc.tiled<rows = 2, chunk_bytes = 1>>>)

// -----

// expected-error @+1 {{layout #qc.bit_planes<[2, 1]>: a plane of 12 1-bit fields is 12 bits, not whole bytes}}
func.func private @f(!qc.qtensor<3x4, #qc.int<s3>, f32 #qc.per_axis<0>, layout #qc.bit_planes<[2, 1]>>)

//===----------------------------------------------------------------------===//
// Rotations
//===----------------------------------------------------------------------===//

// -----

// Without a named base the parser picks the smallest that covers the size
// (ops.mlir); a size none covers says which larger bases would and the
// nearest sizes that work. 188 = 4 * 47: no prime power at 187 or 93, and
// no Williamson matrices of order 47.
// expected-error @+1 {{hadamard: size 188 is not a power of two; no Hadamard base of order at most 1024 covers size 188 = 47 * 4; qc builds no base of order 47 * 2^j (it has Paley I and II for prime powers and Williamson for n = 23, 29, 39, 43); the nearest sizes that work are 184 = 92 * 2, williamson = 23 and 192 = 12 * 16, paley1 = 11}}
func.func private @f() attributes {r = #qc.hadamard<188>}

// -----

// 4100 = 4 * 1025: only paley1 = 4099 covers it, above the maximum order.
// expected-error @+1 {{hadamard: size 4100 is not a power of two; no Hadamard base of order at most 1024 covers size 4100 = 1025 * 4; larger bases cover it: paley1 = 4099 (order 4100), more than 1024, the largest base order qc builds (its largest base is paley1 = 1019, order 1020); the nearest sizes that work are 4096 = 2^12 and 4128 = 516 * 8, paley2 = 257}}
func.func private @f() attributes {r = #qc.hadamard<4100>}

// -----

// expected-error @+1 {{hadamard: size 6 is not a power of two; no Hadamard base of order at most 1024 covers size 6 = 3 * 2 (the order of a Hadamard matrix larger than 2 is a multiple of 4, and 4 does not divide 6); qc builds no base of order 3 * 2^j (it has Paley I and II for prime powers and Williamson for n = 23, 29, 39, 43); the nearest sizes that work are 4 = 2^2 and 8 = 2^3}}
func.func private @f() attributes {r = #qc.hadamard<6, seed = 1>}

// -----

// The issue's case: a base above the maximum is refused, and the small one
// named.
// expected-error @+1 {{hadamard: paley1 = 5503 is a base of order 5504, more than 1024, the largest base order qc builds (its largest base is paley1 = 1019, order 1020); bases that cover 11008: williamson = 43 (11008 = 172 * 64), paley1 = 343 (11008 = 344 * 32)}}
func.func private @f() attributes {r = #qc.hadamard<11008, paley1 = 5503>}

// -----

// The explicit base above the maximum, for a size no smaller base covers:
// the same explanation as the bare size.
// expected-error @+1 {{hadamard: paley1 = 4099 is a base of order 4100, more than 1024, the largest base order qc builds (its largest base is paley1 = 1019, order 1020); no Hadamard base of order at most 1024 covers size 4100 = 1025 * 4; larger bases cover it: paley1 = 4099 (order 4100)}}
func.func private @f() attributes {r = #qc.hadamard<4100, paley1 = 4099>}

// -----

// expected-error @+1 {{hadamard: qc has no Williamson matrices of order 47 (it has n = 23, 29, 39, 43)}}
func.func private @f() attributes {r = #qc.hadamard<188, williamson = 47>}

// -----

// expected-error @+1 {{hadamard: size 176 is not 172 times a power of two (williamson = 43 has order 172); bases that cover 176: paley1 = 43 (176 = 44 * 4)}}
func.func private @f() attributes {r = #qc.hadamard<176, williamson = 43>}

// -----

// expected-error @+1 {{hadamard: williamson = 0 is not a base: its parameter must be positive}}
func.func private @f() attributes {r = #qc.hadamard<4, williamson = 0>}

// -----

// expected-error @+1 {{hadamard: size 40 is not 12 times a power of two (paley1 = 11 has order 12); bases that cover 40: paley1 = 19 (40 = 20 * 2), paley2 = 9 (40 = 20 * 2)}}
func.func private @f() attributes {r = #qc.hadamard<40, paley1 = 11>}

// -----

// expected-error @+1 {{hadamard: a Paley I base needs a prime power q = 3 (mod 4), got q = 13; bases that cover 56: paley2 = 13 (56 = 28 * 2), paley1 = 27 (56 = 28 * 2)}}
func.func private @f() attributes {r = #qc.hadamard<56, paley1 = 13>}

// -----

// expected-error @+1 {{hadamard: a Paley II base needs a prime power q = 1 (mod 4), got q = 15; 64 is a power of two, which needs no base}}
func.func private @f() attributes {r = #qc.hadamard<64, paley2 = 15>}

// -----

// expected-error @+1 {{hadamard takes a seed or signs, not both}}
func.func private @f() attributes {r = #qc.hadamard<2, seed = 1, signs = [1, -1]>}

// -----

// expected-error @+1 {{hadamard: 3 signs for size 4}}
func.func private @f() attributes {r = #qc.hadamard<4, signs = [1, -1, 1]>}

// -----

// expected-error @+1 {{hadamard: signs must be 1 or -1, got 2}}
func.func private @f() attributes {r = #qc.hadamard<2, signs = [1, 2]>}

// -----

// expected-error @+1 {{a base is given twice}}
func.func private @f() attributes {r = #qc.hadamard<24, paley1 = 11, paley2 = 5>}

// -----

// expected-error @+1 {{expected 'paley1', 'paley2', 'williamson', 'seed' or 'signs', got 'base'}}
func.func private @f() attributes {r = #qc.hadamard<24, base = 12>}

// -----

func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'qc.rotate' op axis 2 is out of range for a rank-2 tensor}}
  %0 = qc.rotate %x by #qc.hadamard<8> along 2 : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @f(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  // expected-error @+1 {{'qc.rotate' op rotates along dimension 1, which must be static (the rotation has size 8)}}
  %0 = qc.rotate %x by #qc.hadamard<8> along 1 : tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

// -----

func.func @f(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{'qc.rotate' op rotation of size 8 along dimension 1 of size 6: the sizes must be equal (zero padding is not orthogonal)}}
  %0 = qc.rotate %x by #qc.hadamard<8> along 1 : tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{custom op 'qc.rotate' invalid kind of attribute specified}}
  %0 = qc.rotate %x by #qc.per_tensor along 1 : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @f(%x: tensor<4x8xf32>, %g: tensor<4xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'qc.rms_norm' op weight must be a vector of the last axis' 8 elements, got shape 4}}
  %0 = qc.rms_norm %x weight(%g : tensor<4xf32>) epsilon(1.0e-5) : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'qc.rms_norm' op epsilon must be >= 0, got -1}}
  %0 = qc.rms_norm %x epsilon(-1.0) : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// expected-error @+1 {{orthogonal matrix must be square N x N, got 'tensor<2x3xf64>'}}
func.func private @f() attributes {r = #qc.orthogonal<dense<1.0> : tensor<2x3xf64>>}

// -----

// expected-error @+1 {{orthogonal matrix must be f32 or f64, got 'f16'}}
func.func private @f() attributes {r = #qc.orthogonal<dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf16>>}

// -----

// expected-error @+1 {{matrix is not orthogonal: max |Q Q^T - I| = 5.000000e-01 > 1.000000e-12}}
func.func private @f() attributes {r = #qc.orthogonal<dense<[[1.0, 0.5], [0.0, 1.0]]> : tensor<2x2xf64>>}

// -----

// expected-error @+1 {{rotation of size 64 along dimension 0 of size 32: the sizes must be equal and static}}
func.func private @f(!qc.qtensor<32x64, #qc.int<s4>, f32 #qc.per_axis<0>, rotated #qc.hadamard<64> along 0>)

// -----

// expected-error @+1 {{rotation of size 64 along dimension 0 of size ?: the sizes must be equal and static}}
func.func private @f(!qc.qtensor<?x64, #qc.int<s4>, f32 #qc.per_axis<0>, rotated #qc.hadamard<64> along 0>)

// -----

// expected-error @+1 {{rotation axis 2 is out of range for a rank-2 qtensor}}
func.func private @f(!qc.qtensor<32x64, #qc.int<s4>, f32 #qc.per_axis<0>, rotated #qc.hadamard<64> along 2>)

// -----

// expected-error @+1 {{expected a rotation (#qc.hadamard, #qc.orthogonal, #qc.permutation), got #qc.per_tensor}}
func.func private @f(!qc.qtensor<32x64, #qc.int<s4>, f32 #qc.per_axis<0>, rotated #qc.per_tensor along 1>)

// -----

// expected-error @+1 {{rotated is given twice}}
func.func private @f(!qc.qtensor<32x64, #qc.int<s4>, f32 #qc.per_axis<0>, rotated #qc.hadamard<64> along 1, rotated #qc.hadamard<64> along 1>)

// -----

// A huge size is refused at once (the search for a Paley base is bounded).
// expected-error @+1 {{hadamard: size 1099511627775 is more than 2^24 = 16777216, the largest Hadamard rotation qc builds}}
func.func private @f() attributes {r = #qc.hadamard<1099511627775>}

// -----

// The largest size qc builds is 2^24; one above it is refused, with seeds or
// without.
// expected-error @+1 {{hadamard: size 33554432 is more than 2^24 = 16777216, the largest Hadamard rotation qc builds}}
func.func private @f() attributes {r = #qc.hadamard<33554432, seed = 1>}

// -----

func.func private @f() attributes {r = #qc.hadamard<16777216, seed = 1>}

// -----

// A base is a dense K x K matrix: K is at most 1024 (the prime power is
// never tested when q is larger, and the size is checked first).
// expected-error @+1 {{hadamard: size 4611686018427387904 is more than 2^24 = 16777216, the largest Hadamard rotation qc builds}}
func.func private @f() attributes {r = #qc.hadamard<4611686018427387904, paley1 = 2305843009213693951>}

// -----

// expected-error @+1 {{hadamard: paley1 = 2305843009213693951 is a base of order more than 2^24, more than 1024, the largest base order qc builds (its largest base is paley1 = 1019, order 1020); bases that cover 24: paley1 = 11 (24 = 12 * 2), paley2 = 5 (24 = 12 * 2), paley1 = 23 (24 = 24 * 1)}}
func.func private @f() attributes {r = #qc.hadamard<24, paley1 = 2305843009213693951>}

// -----

// expected-error @+1 {{hadamard: paley2 = 4733 is a base of order 9468, more than 1024, the largest base order qc builds (its largest base is paley1 = 1019, order 1020)}}
func.func private @f() attributes {r = #qc.hadamard<9468, paley2 = 4733>}

// -----

// expected-error @+1 {{hadamard: paley1 = 8191 is a base of order 8192, more than 1024, the largest base order qc builds (its largest base is paley1 = 1019, order 1020); 8192 is a power of two, which needs no base}}
func.func private @f() attributes {r = #qc.hadamard<8192, paley1 = 8191>}

// -----

// The largest: paley1 = 1019 (K = 1020) and paley2 = 509 (K = 1020).
func.func private @f() attributes {r = #qc.hadamard<2040, paley1 = 1019>, s = #qc.hadamard<1020, paley2 = 509>}

// -----

//===----------------------------------------------------------------------===//
// Permutations
//===----------------------------------------------------------------------===//

// expected-error @+1 {{permutation of 4 entries: 2 appears at positions 0 and 3 (3 is missing)}}
func.func private @f() attributes {r = #qc.permutation<[2, 0, 1, 2]>}

// -----

// expected-error @+1 {{permutation of 3 entries: entry 2 is 3, outside [0, 3)}}
func.func private @f() attributes {r = #qc.permutation<[0, 1, 3]>}

// -----

// expected-error @+1 {{permutation of 2 entries: entry 0 is -1, outside [0, 2)}}
func.func private @f() attributes {r = #qc.permutation<[-1, 0]>}

// -----

// expected-error @+2 {{expected integer value}}
// expected-error @+1 {{failed to parse QC_PermutationAttr parameter 'perm'}}
func.func private @f() attributes {r = #qc.permutation<[]>}

// -----

func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{rotation of size 3 along dimension 1 of size 4: the sizes must be equal}}
  %y = qc.rotate %x by #qc.permutation<[2, 0, 1]> along 1 : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// expected-error @+1 {{rotation of size 3 along dimension 1 of size 4: the sizes must be equal and static}}
func.func private @f(!qc.qtensor<2x4, #qc.int<s4>, f32 #qc.per_tensor, rotated #qc.permutation<[0, 2, 1]> along 1>)

// -----

func.func @f(%a: tensor<?x4xf32>, %w: tensor<2x4xf32>, %acc: tensor<?x3xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{accumulate must have the result's type 'tensor<?x2xf32>', got 'tensor<?x3xf32>'}}
  %y = qc.matmul %a, %w accumulate(%acc : tensor<?x3xf32>) : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Zero-width integer elements (MLIR's printer cannot print them, so the
// error names the attribute without printing the op).
func.func @f() {
  // expected-error @+1 {{'qc.constant' op attribute 'zero_point' has zero-width integer elements, which no part can hold}}
  %0 = qc.constant codes(dense<0> : tensor<8xi8>) scales(dense<1.0> : tensor<f32>) {zero_point = dense<0> : tensor<i0>} : !qc.qtensor<8, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

func.func @rounding_needs_int_grid(%x: tensor<64xf32>, %s: tensor<2xf32>) {
  // expected-error @+1 {{rounding<toward_zero> needs an integer grid, got #qc.nf4}}
  %q = qc.quantize %x scales(%s : tensor<2xf32>) rounding<toward_zero> : tensor<64xf32> -> !qc.qtensor<64, #qc.nf4, f32 #qc.per_block<[32]>>
  return
}

// -----

func.func @rounding_needs_scales(%x: tensor<4xf32>) {
  // expected-error @+1 {{rounding<toward_zero> needs scales(...): it models quant.qcast, whose scales are given}}
  %q = qc.quantize %x rounding<toward_zero> : tensor<4xf32> -> !qc.qtensor<4, #qc.int<s8>, f32 #qc.per_tensor>
  return
}

// -----

// expected-error @+1 {{layout #qc_nvvm.mma_fragments holds 4-bit codes, not 8-bit #qc.int<s8>}}
func.func private @f(!qc.qtensor<16x64, #qc.int<s8>, f32 #qc.per_axis<0>, layout #qc_nvvm.mma_fragments>)

// -----

// expected-error @+1 {{layout #qc_nvvm.mma_fragments needs rows in multiples of 16 and columns in multiples of 64, got 16x96}}
func.func private @f(!qc.qtensor<16x96, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc_nvvm.mma_fragments>)

// -----

// expected-error @+1 {{layout #qc_nvvm.mma_fragments needs a rank-2 static shape}}
func.func private @f(!qc.qtensor<?x64, #qc.int<s4>, f32 #qc.per_axis<0>, layout #qc_nvvm.mma_fragments>)

// -----

// qc.requantize: the types it relates.
func.func @f(%w: !qc.qtensor<8x16, #qc.nf4, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32> {
  // expected-error @+1 {{needs #qc.int grids on both sides}}
  %r = qc.requantize %w msb_slice : !qc.qtensor<8x16, #qc.nf4, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
  return %r : !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>, min f32> {
  // expected-error @+1 {{keeps the codes' signedness}}
  %r = qc.requantize %w msb_slice : !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>, min f32>
  return %r : !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>, min f32>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>, min f32> {
  // expected-error @+1 {{drops bits: the result grid #qc.int<s8> must be narrower than #qc.int<s4>}}
  %r = qc.requantize %w msb_slice : !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>, min f32>
  return %r : !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>, min f32>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<s4, narrow>, f32 #qc.per_axis<0>, min f32> {
  // expected-error @+1 {{msb_slice gives codes over the whole grid, so the result cannot be narrow}}
  %r = qc.requantize %w msb_slice : !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<s4, narrow>, f32 #qc.per_axis<0>, min f32>
  return %r : !qc.qtensor<8x16, #qc.int<s4, narrow>, f32 #qc.per_axis<0>, min f32>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_tensor, min f32> {
  // expected-error @+1 {{keeps the granularity}}
  %r = qc.requantize %w msb_slice : !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_tensor, min f32>
  return %r : !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_tensor, min f32>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<s4>, f16 #qc.per_axis<0>, min f32> {
  // expected-error @+1 {{keeps the float scale type}}
  %r = qc.requantize %w msb_slice : !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<s4>, f16 #qc.per_axis<0>, min f32>
  return %r : !qc.qtensor<8x16, #qc.int<s4>, f16 #qc.per_axis<0>, min f32>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<u8>, f32 #qc.per_axis<0>, zero_point i16>) -> !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>, zero_point f32> {
  // expected-error @+1 {{gives its offset as float mins (`min f32`), not zero points}}
  %r = qc.requantize %w round_shift : !qc.qtensor<8x16, #qc.int<u8>, f32 #qc.per_axis<0>, zero_point i16> -> !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>, zero_point f32>
  return %r : !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>, zero_point f32>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>> {
  // expected-error @+1 {{msb_slice needs a result with float mins (`min f32`)}}
  %r = qc.requantize %w msb_slice : !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>>
  return %r : !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<u8>, f32 #qc.per_axis<0>, zero_point i16>) -> !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>> {
  // expected-error @+1 {{needs a result with float mins (`min f32`) for the input's zero points or mins}}
  %r = qc.requantize %w round_shift : !qc.qtensor<8x16, #qc.int<u8>, f32 #qc.per_axis<0>, zero_point i16> -> !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>>
  return %r : !qc.qtensor<8x16, #qc.int<u4>, f32 #qc.per_axis<0>>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32> {
  // expected-error @+1 {{round_shift of codes without zero points or mins has no offset}}
  %r = qc.requantize %w round_shift : !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
  return %r : !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32>
}

// -----

func.func @f(%w: !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>>) -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32, layout #qc.tiled<rows = 4, chunk_bytes = 4>> {
  // expected-error @+1 {{gives a tensor without a layout}}
  %r = qc.requantize %w msb_slice : !qc.qtensor<8x16, #qc.int<s8>, f32 #qc.per_axis<0>> -> !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32, layout #qc.tiled<rows = 4, chunk_bytes = 4>>
  return %r : !qc.qtensor<8x16, #qc.int<s4>, f32 #qc.per_axis<0>, min f32, layout #qc.tiled<rows = 4, chunk_bytes = 4>>
}
