//===- FloatFormat.h - Small floating-point formats -------------*- C++ -*-===//
//
// Plain C++ description of the floating-point formats qc stores codes and
// scales in (OCP minifloats, f16, bf16, f32, E8M0), with round-to-nearest-even
// conversion that saturates at the largest finite value.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_FLOATFORMAT_H
#define QC_NUMERICS_FLOATFORMAT_H

#include <cstdint>
#include <string>

namespace mlir::qc::numerics {

/// How a format spends its all-ones exponent.
enum class FloatSpecials {
  /// IEEE-754 style: all-ones exponent is Inf (mantissa 0) or NaN (E5M2, f16).
  IEEE,
  /// "FN": no infinities; only the all-ones exponent with all-ones mantissa is
  /// NaN (OCP E4M3FN).
  FiniteNaNOnlyAllOnes,
  /// Every bit pattern is a finite number (OCP E2M1, E3M2, E2M3).
  FiniteOnly,
};

/// A sign-magnitude binary floating-point format with subnormals.
struct FloatFormat {
  const char *name;
  unsigned exponentBits;
  unsigned mantissaBits;
  int bias;
  FloatSpecials specials;

  unsigned totalBits() const { return 1 + exponentBits + mantissaBits; }
  /// Largest finite value.
  double maxFinite() const;
  /// Smallest positive normal value, 2^(1 - bias).
  double minNormal() const;
  /// Value of a bit pattern (NaN or +-Inf for special patterns).
  double decode(uint32_t bits) const;
  /// Round `x` to the nearest representable value, ties to even mantissa,
  /// saturating to +-maxFinite. NaN stays NaN.
  double round(double x) const;

  static const FloatFormat &e2m1();
  static const FloatFormat &e3m2();
  static const FloatFormat &e2m3();
  static const FloatFormat &e4m3fn();
  static const FloatFormat &e5m2();
  static const FloatFormat &f16();
  static const FloatFormat &bf16();
  static const FloatFormat &f32();
};

/// OCP E8M0: an unsigned power of two 2^(e - 127), e in [0, 254]; 255 is NaN.
struct E8M0 {
  static constexpr int kMinExponent = -127;
  static constexpr int kMaxExponent = 127;
  /// Biased encoding of 2^exponent; `exponent` must lie in [-127, 127].
  static uint8_t encode(int exponent) { return uint8_t(exponent + 127); }
  static double decode(uint8_t bits);
};

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_FLOATFORMAT_H
