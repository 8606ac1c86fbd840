//===- Nesting.h - nested (Matryoshka) integer codes -------------*- C++ -*-===//
//
// One stored B-bit integer weight read at R < B bits, by dropping its
// d = B - R low bits: the arithmetic `qc.requantize` specifies, which its
// folder, its reference lowering and the CPU kernels that read only the top
// bit planes of a weight all follow.
//
// A code q of B bits is q = 2^d h + l with h its top R bits (arithmetic
// shift: h keeps q's sign) and l in [0, 2^d - 1] the dropped bits, so the
// value s * (q - z) - m of an element is read as s' * h' - m' with:
//
//  * MSB slicing (MatQuant's nested codes, read from the top bit planes):
//    h' = h = q >> d; the dropped bits are replaced by the middle of their
//    range, c = (2^d - 1) / 2 (7.5 for INT8 -> INT4), so
//      s' = s * 2^d,   m' = (m + s * z) - s * c.
//    Where the dropped bits are uniform, the sliced value is unbiased:
//    E[2^d h + c] = E[q]. Without c every value would fall by c * s on
//    average.
//  * Rounding shift (Double Rounding): h' = clamp((q + 2^(d-1)) >> d) to the
//    R-bit grid (half up, as a rounding right shift instruction does), so
//      s' = s * 2^d,   m' = m + s * z.
//
// Each scale and min is computed in f32 in the order written (absent terms
// left out), then rounded to its type.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_NESTING_H
#define QC_NUMERICS_NESTING_H

#include <cstdint>

namespace mlir::qc::numerics {

enum class NestingMode {
  /// Keep the top bits (q >> d), with the offset of the middle of the
  /// dropped range in the min.
  MsbSlice,
  /// Round to the nearest multiple of 2^d (half up), clamped to the narrower
  /// grid.
  RoundShift,
};

/// The narrower code h' of the code `q` (its integer value: signed or
/// unsigned) that drops `droppedBits` of its low bits, for a result grid of
/// integers in [lo, hi]. Requires 1 <= droppedBits <= 7.
int64_t nestedCode(int64_t q, unsigned droppedBits, NestingMode mode,
                   int64_t lo, int64_t hi);

/// (2^d - 1) / 2: the middle of the dropped bits' range, which MSB slicing
/// adds back (exact in f32).
float sliceOffset(unsigned droppedBits);

/// s' = s * 2^d in f32 (exact where it does not overflow).
float nestedScale(float scale, unsigned droppedBits);

/// m' in f32: (m + s * z) - s * sliceOffset(d) for MSB slicing,
/// m + s * z for the rounding shift, with `zeroPoint` and `min` 0 where the
/// type has none (their terms are then left out, so no rounding is added).
float nestedMin(float scale, float zeroPoint, bool hasZeroPoint, float min,
                bool hasMin, unsigned droppedBits, NestingMode mode);

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_NESTING_H
