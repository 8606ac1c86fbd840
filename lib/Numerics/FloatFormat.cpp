//===- FloatFormat.cpp - Small floating-point formats ---------------------===//

#include "qc/Numerics/FloatFormat.h"

#include <cmath>
#include <limits>

using namespace mlir::qc::numerics;

static unsigned maxBiasedExponent(const FloatFormat &f) {
  unsigned allOnes = (1u << f.exponentBits) - 1;
  return f.specials == FloatSpecials::IEEE ? allOnes - 1 : allOnes;
}

double FloatFormat::maxFinite() const {
  unsigned maxMantissa = (1u << mantissaBits) - 1;
  if (specials == FloatSpecials::FiniteNaNOnlyAllOnes)
    maxMantissa -= 1; // all-ones mantissa under all-ones exponent is NaN
  return std::ldexp(double((1u << mantissaBits) + maxMantissa),
                    int(maxBiasedExponent(*this)) - bias - int(mantissaBits));
}

double FloatFormat::minNormal() const { return std::ldexp(1.0, 1 - bias); }

double FloatFormat::decode(uint32_t bits) const {
  unsigned m = mantissaBits, e = exponentBits;
  bool negative = (bits >> (e + m)) & 1;
  unsigned exponent = (bits >> m) & ((1u << e) - 1);
  unsigned mantissa = bits & ((1u << m) - 1);
  unsigned allOnesExp = (1u << e) - 1;
  double value;
  if (specials == FloatSpecials::IEEE && exponent == allOnesExp)
    value = mantissa == 0 ? std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::quiet_NaN();
  else if (specials == FloatSpecials::FiniteNaNOnlyAllOnes &&
           exponent == allOnesExp && mantissa == (1u << m) - 1)
    value = std::numeric_limits<double>::quiet_NaN();
  else if (exponent == 0)
    value = std::ldexp(double(mantissa), 1 - bias - int(m));
  else
    value = std::ldexp(double((1u << m) + mantissa),
                       int(exponent) - bias - int(m));
  return negative ? -value : value;
}

double FloatFormat::round(double x) const {
  if (std::isnan(x) || x == 0.0)
    return x;
  double a = std::fabs(x);
  int e2;
  std::frexp(a, &e2); // a = f * 2^e2, f in [0.5, 1)
  int exponent = std::max(e2 - 1, 1 - bias);
  double quantum = std::ldexp(1.0, exponent - int(mantissaBits));
  // a / quantum is exact (power-of-two scaling); nearbyint rounds half to even
  // in the default rounding mode.
  double r = std::nearbyint(a / quantum) * quantum;
  r = std::min(r, maxFinite());
  return std::copysign(r, x);
}

const FloatFormat &FloatFormat::e2m1() {
  static const FloatFormat f{"e2m1", 2, 1, 1, FloatSpecials::FiniteOnly};
  return f;
}
const FloatFormat &FloatFormat::e3m2() {
  static const FloatFormat f{"e3m2", 3, 2, 3, FloatSpecials::FiniteOnly};
  return f;
}
const FloatFormat &FloatFormat::e2m3() {
  static const FloatFormat f{"e2m3", 2, 3, 1, FloatSpecials::FiniteOnly};
  return f;
}
const FloatFormat &FloatFormat::e4m3fn() {
  static const FloatFormat f{"e4m3", 4, 3, 7,
                             FloatSpecials::FiniteNaNOnlyAllOnes};
  return f;
}
const FloatFormat &FloatFormat::e5m2() {
  static const FloatFormat f{"e5m2", 5, 2, 15, FloatSpecials::IEEE};
  return f;
}
const FloatFormat &FloatFormat::f16() {
  static const FloatFormat f{"f16", 5, 10, 15, FloatSpecials::IEEE};
  return f;
}
const FloatFormat &FloatFormat::bf16() {
  static const FloatFormat f{"bf16", 8, 7, 127, FloatSpecials::IEEE};
  return f;
}
const FloatFormat &FloatFormat::f32() {
  static const FloatFormat f{"f32", 8, 23, 127, FloatSpecials::IEEE};
  return f;
}

double E8M0::decode(uint8_t bits) {
  if (bits == 0xFF)
    return std::numeric_limits<double>::quiet_NaN();
  return std::ldexp(1.0, int(bits) - 127);
}
