//===- NestingTest.cpp - nested (Matryoshka) codes ------------------------===//
//
// MSB slicing and rounding shifts (qc/Numerics/Nesting.h) against their
// definitions restated in float64, and the two properties that make nested
// weights worth storing: an INT8 weight sliced to INT4 is as accurate as a
// weight quantized to INT4 directly, and the documented offset makes the
// slice unbiased.
//
//===----------------------------------------------------------------------===//

#include "qc/Numerics/Nesting.h"
#include "qc/Numerics/Quantizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

using namespace mlir::qc::numerics;

namespace {

TEST(NestingTest, MsbSliceKeepsTheTopBitsOfEveryCode) {
  for (bool isSigned : {false, true})
    for (unsigned d = 1; d <= 7; ++d) {
      int64_t lo = isSigned ? -128 : 0, hi = isSigned ? 127 : 255;
      int64_t rlo = isSigned ? -(int64_t(1) << (7 - d)) : 0;
      int64_t rhi = isSigned ? (int64_t(1) << (7 - d)) - 1
                             : (int64_t(1) << (8 - d)) - 1;
      for (int64_t q = lo; q <= hi; ++q) {
        int64_t h = nestedCode(q, d, NestingMode::MsbSlice, rlo, rhi);
        // floor(q / 2^d), and the dropped bits are q's low bits.
        EXPECT_EQ(h, int64_t(std::floor(double(q) / double(1 << d))));
        int64_t dropped = q - h * (int64_t(1) << d);
        EXPECT_GE(dropped, 0);
        EXPECT_LT(dropped, int64_t(1) << d);
        EXPECT_EQ(dropped, (q & ((1 << d) - 1)));
      }
    }
}

TEST(NestingTest, RoundShiftIsTheNearestMultipleHalfUpClamped) {
  for (unsigned d = 1; d <= 7; ++d)
    for (int64_t q = -128; q <= 127; ++q) {
      int64_t rlo = -(int64_t(1) << (7 - d)), rhi = (int64_t(1) << (7 - d)) - 1;
      double nearest = std::floor(double(q) / double(1 << d) + 0.5);
      EXPECT_EQ(nestedCode(q, d, NestingMode::RoundShift, rlo, rhi),
                int64_t(std::clamp(nearest, double(rlo), double(rhi))))
          << "q " << q << " d " << d;
    }
  // 127 / 16 = 7.94 rounds to 8, which s4 saturates to 7.
  EXPECT_EQ(nestedCode(127, 4, NestingMode::RoundShift, -8, 7), 7);
  EXPECT_EQ(nestedCode(-128, 4, NestingMode::RoundShift, -8, 7), -8);
  // A tie goes up: 24 / 16 = 1.5 -> 2; -24 / 16 = -1.5 -> -1.
  EXPECT_EQ(nestedCode(24, 4, NestingMode::RoundShift, -8, 7), 2);
  EXPECT_EQ(nestedCode(-24, 4, NestingMode::RoundShift, -8, 7), -1);
}

TEST(NestingTest, PartsFollowTheDocumentedFormulas) {
  EXPECT_EQ(sliceOffset(4), 7.5f);
  EXPECT_EQ(sliceOffset(6), 31.5f);
  EXPECT_EQ(nestedScale(0.375f, 4), 6.0f);
  // Symmetric codes: m' = -s c.
  EXPECT_EQ(nestedMin(0.5f, 0, false, 0, false, 4, NestingMode::MsbSlice),
            -3.75f);
  EXPECT_EQ(nestedMin(0.5f, 0, false, 0, false, 4, NestingMode::RoundShift),
            0.0f);
  // Zero points: m' = s z - s c; mins: m' = m - s c.
  EXPECT_EQ(nestedMin(0.5f, 100, true, 0, false, 4, NestingMode::MsbSlice),
            50.0f - 3.75f);
  EXPECT_EQ(nestedMin(0.5f, 100, true, 0, false, 4, NestingMode::RoundShift),
            50.0f);
  EXPECT_EQ(nestedMin(0.5f, 0, false, -2.0f, true, 2, NestingMode::MsbSlice),
            -2.0f - 0.75f);
}

std::vector<float> normalRows(int64_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(0.0, 1.0);
  std::vector<float> v(n);
  for (float &x : v)
    x = float(dist(rng));
  return v;
}

QuantScheme rowScheme(Grid grid, int64_t k, bool zeroPoints) {
  QuantScheme s;
  s.grid = std::move(grid);
  s.blockShape = {1, k};
  if (zeroPoints) {
    s.method = ScaleMethod::MinMax;
    s.zeroPoint = ZeroPointKind::Int;
    s.zeroPointFormat = ValueFormat::integer(16);
  }
  return s;
}

/// The values of `q` (8-bit codes, one scale per row) sliced to `bits`,
/// s' h' - m' in float64 from the f32 parts, and with `offset` false the
/// same without the slice offset (plain truncation).
std::vector<double> sliced(const QuantizedTensor &q, const Grid &grid8,
                           unsigned bits, NestingMode mode, bool offset = true) {
  int64_t rows = q.shape[0], k = q.shape[1];
  unsigned d = 8 - bits;
  bool isSigned = grid8.isSigned();
  int64_t lo = isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  int64_t hi = isSigned ? (int64_t(1) << (bits - 1)) - 1
                        : (int64_t(1) << bits) - 1;
  bool zp = !q.zeroPoints.empty();
  std::vector<double> out(q.codes.size());
  for (int64_t r = 0; r < rows; ++r) {
    float s = q.scales[r], z = zp ? q.zeroPoints[r] : 0.0f;
    float s2 = nestedScale(s, d);
    float m2 = nestedMin(s, z, zp, 0, false, d, mode);
    if (!offset)
      m2 = nestedMin(s, z, zp, 0, false, d, NestingMode::RoundShift);
    for (int64_t i = 0; i < k; ++i) {
      int64_t code = int64_t(grid8.decode(q.codes[r * k + i]));
      int64_t h = nestedCode(code, d, mode, lo, hi);
      out[r * k + i] = double(s2) * double(h) - double(m2);
    }
  }
  return out;
}

double mse(const std::vector<float> &x, const std::vector<double> &y) {
  double e = 0;
  for (size_t i = 0; i < x.size(); ++i)
    e += (double(x[i]) - y[i]) * (double(x[i]) - y[i]);
  return e / double(x.size());
}

std::vector<double> widen(const std::vector<float> &v) {
  return std::vector<double>(v.begin(), v.end());
}

TEST(NestingTest, SlicedInt8IsAtLeastAsAccurateAsDirectInt4OnGaussianRows) {
  const int64_t rows = 256, k = 4096;
  std::vector<float> x = normalRows(rows * k, 31);
  for (bool zeroPoints : {true, false}) {
    Grid g8 = zeroPoints ? Grid::unsignedInt(8) : Grid::signedInt(8);
    Grid g4 = zeroPoints ? Grid::unsignedInt(4) : Grid::signedInt(4);
    QuantScheme s8 = rowScheme(g8, k, zeroPoints);
    QuantScheme s4 = rowScheme(g4, k, zeroPoints);
    QuantizedTensor q8 = quantize(x.data(), {rows, k}, s8);
    QuantizedTensor q4 = quantize(x.data(), {rows, k}, s4);
    double direct = mse(x, widen(dequantize(q4, s4)));
    double msb = mse(x, sliced(q8, g8, 4, NestingMode::MsbSlice));
    double round = mse(x, sliced(q8, g8, 4, NestingMode::RoundShift));
    double truncated =
        mse(x, sliced(q8, g8, 4, NestingMode::MsbSlice, /*offset=*/false));
    std::printf("  %s: MSE direct INT4 %.5f, MSB slice %.5f, rounding shift "
                "%.5f, slice without offset %.5f\n",
                zeroPoints ? "u8 minmax" : "s8 absmax", direct, msb, round,
                truncated);
    EXPECT_LE(msb, direct);
    // Without the offset every value falls by 7.5 s: far worse.
    EXPECT_GT(truncated, 2 * direct);
  }
}

TEST(NestingTest, TheSliceOffsetMakesTheSlicedCodesUnbiased) {
  const int64_t rows = 256, k = 4096;
  std::vector<float> x = normalRows(rows * k, 77);
  Grid g8 = Grid::unsignedInt(8);
  QuantScheme s8 = rowScheme(g8, k, true);
  QuantizedTensor q8 = quantize(x.data(), {rows, k}, s8);
  std::vector<float> full = dequantize(q8, s8);
  for (unsigned bits : {4u, 2u}) {
    std::vector<double> withOffset = sliced(q8, g8, bits, NestingMode::MsbSlice);
    std::vector<double> without =
        sliced(q8, g8, bits, NestingMode::MsbSlice, /*offset=*/false);
    // The mean difference from the INT8 value, in units of the INT8 step.
    double bias = 0, biasWithout = 0;
    for (int64_t i = 0; i < rows * k; ++i) {
      double step = q8.scales[i / k];
      bias += (withOffset[i] - double(full[i])) / step;
      biasWithout += (without[i] - double(full[i])) / step;
    }
    bias /= double(rows * k);
    biasWithout /= double(rows * k);
    double c = sliceOffset(8 - bits);
    std::printf("  INT8 -> INT%u: mean error %.4f steps with the offset, "
                "%.4f without (offset %.1f)\n",
                bits, bias, biasWithout, c);
    // The dropped bits are uniform to within sampling error (their standard
    // deviation is about c / sqrt(3), over 10^6 values).
    EXPECT_LT(std::fabs(bias), 0.02 * c + 0.01);
    EXPECT_NEAR(biasWithout, -c, 0.02 * c + 0.01);
  }
}

} // namespace
