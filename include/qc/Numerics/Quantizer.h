//===- Quantizer.h - Scales, granularity and tensor quantization -*- C++ -*-===//
//
// Turns float tensors into codes + scales (+ zero points) and back, for every
// grid and granularity qc represents. This is the single implementation of the
// quantization arithmetic: compile-time folding in passes calls it, and the
// run-time lowering mirrors it operation for operation, so both give the same
// codes. The arithmetic is specified in f32 (as the lowered IR computes it):
//
//   granularity  each scale covers one block of `blockShape` elements; the
//                scale tensor has shape[d] / blockShape[d] entries along d
//                (per tensor: blockShape == shape; per axis a: 1 along a and
//                the full extent elsewhere).
//   quantize     q = encode(x / s + z)  (f32 divide and add; if s == 0 the
//                quotient is taken as 0, so q = encode(z))
//   dequantize   x = s * (decode(q) - z)   (f32)
//   two-level    s = inner * outer (f32 product), inner stored in a small
//                float format (e.g. E4M3), outer per coarser block in f32.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_QUANTIZER_H
#define QC_NUMERICS_QUANTIZER_H

#include "qc/Numerics/FloatFormat.h"
#include "qc/Numerics/Grid.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qc::numerics {

/// How a group's scale (and zero point) is chosen from its values.
enum class ScaleMethod {
  /// Symmetric: s = max|x| / maxPositive(grid).
  AbsMax,
  /// Asymmetric over [lo, hi] = [min(min x, 0), max(max x, 0)]:
  /// s = (hi - lo) / (maxValue - minValue), z = minValue - lo / s
  /// (rounded half-to-even and clamped to the grid for integer zero points).
  MinMax,
  /// Clipping search: the AbsMax (or MinMax) range shrunk by
  /// alpha in {1, 0.95, ..., 0.5}; the alpha with the least squared error
  /// (float64 sum) wins, the largest alpha on ties.
  MSE,
  /// s = max(mean|x|, 1e-5) (BitNet b1.58 ternary, binary XNOR-style).
  AbsMean,
  /// OCP Microscaling: s = 2^(floor(log2(max|x|)) - emax), emax =
  /// floor(log2(maxPositive(grid))), exponent clamped to [-127, 127];
  /// max|x| == 0 gives 2^-127. Scales are stored as E8M0.
  MX,
};

/// The MSE search tries alpha = mseClipAlpha(i) for i in [0, kMseClipSteps):
/// 1 - 0.05 * i in f32 (1, 0.95, ..., 0.5).
constexpr int kMseClipSteps = 11;
float mseClipAlpha(int step);

/// The storage format of a scale or zero-point value.
struct ValueFormat {
  enum class Kind { Float, E8M0, Int };
  Kind kind = Kind::Float;
  const FloatFormat *format = &FloatFormat::f32(); // Kind::Float only
  unsigned intBits = 32;                           // Kind::Int only

  static ValueFormat f32() { return {}; }
  static ValueFormat floating(const FloatFormat &f) { return {Kind::Float, &f, 0}; }
  static ValueFormat e8m0() { return {Kind::E8M0, nullptr, 0}; }
  static ValueFormat integer(unsigned bits) { return {Kind::Int, nullptr, bits}; }
  /// Round a value to this format (RNE, saturating).
  double round(double x) const;
};

enum class ZeroPointKind { None, Int, Float };

/// Everything needed to quantize a tensor: a plain-C++ mirror of the
/// parameters of `!qc.qtensor` plus the method that picks scales.
struct QuantScheme {
  Grid grid = Grid::signedInt(8);
  /// One entry per tensor dimension; each must divide the dimension.
  std::vector<int64_t> blockShape;
  ValueFormat scaleFormat;
  ZeroPointKind zeroPoint = ZeroPointKind::None;
  ValueFormat zeroPointFormat;
  /// Two-level scales: a second, coarser block shape whose f32 scale
  /// multiplies the stored (inner) scale. Each inner block must lie inside
  /// one outer block.
  std::optional<std::vector<int64_t>> outerBlockShape;
  ValueFormat outerScaleFormat;
  ScaleMethod method = ScaleMethod::AbsMax;

  /// Empty if the scheme can quantize a tensor of `shape`; else a message.
  std::string check(const std::vector<int64_t> &shape) const;
};

/// Codes and scales of a quantized tensor, all row-major.
struct QuantizedTensor {
  std::vector<int64_t> shape;
  std::vector<uint8_t> codes;     // one code per element (low grid.bits())
  std::vector<float> scales;      // shape / blockShape
  std::vector<float> zeroPoints;  // same shape as scales, or empty
  std::vector<float> outerScales; // shape / outerBlockShape, or empty
};

/// Shape of the scale tensor for `shape` split in blocks of `blockShape`.
std::vector<int64_t> scaleShape(const std::vector<int64_t> &shape,
                                const std::vector<int64_t> &blockShape);
int64_t numElements(const std::vector<int64_t> &shape);

/// Quantize `data` (numElements(shape) floats, row-major). The scheme must
/// pass `check(shape)`.
QuantizedTensor quantize(const float *data, const std::vector<int64_t> &shape,
                         const QuantScheme &scheme);
/// x = s * (decode(q) - z) for every element.
std::vector<float> dequantize(const QuantizedTensor &q,
                              const QuantScheme &scheme);

/// One element: the code of x with scale s and zero point z,
/// encode(x / s + z) in f32 (encode(z) when s == 0), and its value,
/// s * (decode(code) - z). quantize and dequantize apply these to each
/// element; GPTQ (Gptq.h) applies them column by column.
uint8_t encodeValue(const Grid &grid, float x, float scale, float zeroPoint);
float decodeValue(const Grid &grid, uint8_t code, float scale,
                  float zeroPoint);

/// Block shapes for the three granularities.
std::vector<int64_t> perTensorBlocks(const std::vector<int64_t> &shape);
std::vector<int64_t> perAxisBlocks(const std::vector<int64_t> &shape,
                                   unsigned axis);
std::vector<int64_t> perBlockAlong(const std::vector<int64_t> &shape,
                                   unsigned axis, int64_t blockSize);

/// Signal-to-quantization-noise ratio in dB, 10 log10(sum x^2 / sum (x-y)^2),
/// accumulated in float64.
double sqnrDb(const std::vector<float> &x, const std::vector<float> &y);

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_QUANTIZER_H
