//===- FloatDotKernel.h - weight-only CPU kernel generator ------*- C++ -*-===//
//
// Private to QCToCPU. Builds the kernel for B-bit weight codes (B = 2, 3, 4
// or 8) of any grid that decodes in registers, times f32 activations.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_FLOATDOTKERNEL_H
#define QC_LIB_CONVERSION_QCTOCPU_FLOATDOTKERNEL_H

#include "KernelBuilder.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlir::qc::cpu {

/// How a code's B-bit field becomes its grid value.
enum class CodeDecode {
  /// Two's complement integer (8-bit codes).
  Signed,
  /// Unsigned integer.
  Unsigned,
  /// value = intTable[code] * tableUnit, |intTable| <= 127 (2- and 4-bit
  /// codes: one vpshufb).
  IntTable,
  /// value = floatTable[code] (4-bit codes: two vpermps and a select).
  FloatTable,
};

/// What a weight-only kernel is specialized for: the weight, and how its
/// codes decode; activations are M x K f32 (M dynamic). Zero points are
/// integers or f32/f16/bf16.
struct FloatDotKernelSpec : WeightSpec {
  CodeDecode decode = CodeDecode::Signed;
  std::vector<int> intTable;
  double tableUnit = 1.0;
  std::vector<float> floatTable;
  /// Float tables decode with one 16-entry `vpermps zmm` (AVX512-F)
  /// instead of two 8-entry `vpermps` per half and a select.
  bool zmmTable = false;
};

/// The #qc.tiled<rows, chunk_bytes> layout the kernel reads best: rows > 1
/// when it computes several weight rows at once.
std::pair<int64_t, int64_t>
floatDotWeightTile(const FloatDotKernelSpec &spec);

/// Why `spec` has no weight-only kernel, or empty if it has one.
std::string checkFloatDotKernel(const FloatDotKernelSpec &spec);

/// The kernel: a private func.func named `spec.name`, appended to
/// `moduleBody`, with arguments
///   (a: memref<?xKxf32>, w: memref<N*K*B/8 x i8>, s: memref<NxK/GxST>
///    [, z: memref<NxK/GxZT>], y: memref<?xNxf32>,
///    scratch: ap: memref<?xKxf32>[, asum: memref<?xK/Gxf32> with z]).
/// The scratch buffers have M rows; the caller allocates them.
/// `checkFloatDotKernel(spec)` must be empty.
func::FuncOp buildFloatDotKernel(OpBuilder &builder, Location loc,
                                 Block &moduleBody,
                                 const FloatDotKernelSpec &spec);

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_FLOATDOTKERNEL_H
