//===- Nesting.cpp - nested (Matryoshka) integer codes --------------------===//

#include "qc/Numerics/Nesting.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace mlir::qc::numerics {

int64_t nestedCode(int64_t q, unsigned droppedBits, NestingMode mode,
                   int64_t lo, int64_t hi) {
  assert(droppedBits >= 1 && droppedBits <= 7 && "drops 1 to 7 bits");
  // >> on a negative int64_t is an arithmetic shift (C++20, and every
  // compiler qc builds with): floor(q / 2^d).
  int64_t h = mode == NestingMode::MsbSlice
                  ? q >> droppedBits
                  : (q + (int64_t(1) << (droppedBits - 1))) >> droppedBits;
  return std::clamp(h, lo, hi);
}

float sliceOffset(unsigned droppedBits) {
  return float((1u << droppedBits) - 1) / 2.0f;
}

float nestedScale(float scale, unsigned droppedBits) {
  return scale * float(1u << droppedBits);
}

float nestedMin(float scale, float zeroPoint, bool hasZeroPoint, float min,
                bool hasMin, unsigned droppedBits, NestingMode mode) {
  bool any = hasMin || hasZeroPoint;
  float m = hasMin ? min : 0.0f;
  if (hasZeroPoint)
    m = hasMin ? m + scale * zeroPoint : scale * zeroPoint;
  if (mode == NestingMode::MsbSlice) {
    float offset = scale * sliceOffset(droppedBits);
    m = any ? m - offset : -offset;
  }
  return m;
}

} // namespace mlir::qc::numerics
