//===- GridTest.cpp - Grids against the formats' specifications -----------===//
//
// Expected values come from ../shared/NUMERICS.md and the OCP / QLoRA
// specifications, or from an independent construction in this file; never
// from the library's own output.
//
//===----------------------------------------------------------------------===//

#include "qc/Numerics/Grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mlir::qc::numerics;

namespace {

/// Phi^-1 by bisection on the normal CDF (independent of the NF4 table).
double inverseNormalCdf(double p) {
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 200; ++i) {
    double mid = 0.5 * (lo + hi);
    double cdf = 0.5 * std::erfc(-mid / std::sqrt(2.0));
    (cdf < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::vector<double> linspace(double a, double b, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(a + (b - a) * i / (n - 1));
  return v;
}

TEST(NF4, MatchesQLoRAConstruction) {
  // positive half = Phi^-1(linspace(0.9677083, 0.5, 9)[:-1]),
  // negative half = -Phi^-1(linspace(0.9677083, 0.5, 8)[:-1]), plus 0,
  // all divided by the maximum.
  std::vector<double> v;
  for (double p : linspace(0.9677083, 0.5, 9))
    v.push_back(inverseNormalCdf(p));
  v.pop_back();
  std::vector<double> neg = linspace(0.9677083, 0.5, 8);
  neg.pop_back();
  for (double p : neg)
    v.push_back(-inverseNormalCdf(p));
  v.push_back(0.0);
  std::sort(v.begin(), v.end());
  double mx = v.back();
  ASSERT_EQ(v.size(), 16u);
  Grid g = Grid::nf4();
  ASSERT_EQ(g.bits(), 4u);
  for (uint32_t c = 0; c < 16; ++c)
    EXPECT_NEAR(g.decode(c), v[c] / mx, 2e-7) << "code " << c;
}

TEST(NF4, LiteralTableFromNumericsMd) {
  Grid g = Grid::nf4();
  EXPECT_EQ(g.decode(0), -1.0);
  EXPECT_EQ(g.decode(1), -0.6961928009986877);
  EXPECT_EQ(g.decode(7), 0.0);
  EXPECT_EQ(g.decode(8), 0.07958029955625534);
  EXPECT_EQ(g.decode(14), 0.7229568362236023);
  EXPECT_EQ(g.decode(15), 1.0);
  EXPECT_EQ(g.name(), "nf4");
}

TEST(MiniFloat, E2M1ValueSet) {
  Grid g = Grid::miniFloat(FloatFormat::e2m1());
  std::vector<double> expected = {-6, -4, -3, -2, -1.5, -1, -0.5, 0,
                                  0.5, 1, 1.5, 2, 3, 4, 6};
  EXPECT_EQ(g.values(), expected);
  EXPECT_EQ(g.bits(), 4u);
  // Bit patterns: sign | exponent(2) | mantissa(1).
  EXPECT_EQ(g.decode(0b0001), 0.5);
  EXPECT_EQ(g.decode(0b0111), 6.0);
  EXPECT_EQ(g.decode(0b1011), -1.5);
}

TEST(MiniFloat, MaxNormAndEmaxPerOCP) {
  struct Case {
    const FloatFormat &f;
    double maxNorm;
    int emax;
  } cases[] = {{FloatFormat::e4m3fn(), 448, 8},
               {FloatFormat::e5m2(), 57344, 15},
               {FloatFormat::e3m2(), 28, 4},
               {FloatFormat::e2m3(), 7.5, 2},
               {FloatFormat::e2m1(), 6, 2}};
  for (const Case &c : cases) {
    EXPECT_EQ(c.f.maxFinite(), c.maxNorm) << c.f.name;
    EXPECT_EQ(int(std::floor(std::log2(c.f.maxFinite()))), c.emax) << c.f.name;
    Grid g = Grid::miniFloat(c.f);
    EXPECT_EQ(g.maxValue(), c.maxNorm) << c.f.name;
    EXPECT_EQ(g.minValue(), -c.maxNorm) << c.f.name;
  }
  EXPECT_EQ(FloatFormat::f16().maxFinite(), 65504.0);
  EXPECT_TRUE(std::isnan(FloatFormat::e4m3fn().decode(0x7F)));
  EXPECT_TRUE(std::isinf(FloatFormat::e5m2().decode(0x7C)));
}

TEST(MiniFloat, E2M1RoundsHalfToEvenAndSaturates) {
  Grid g = Grid::miniFloat(FloatFormat::e2m1());
  // Midpoints between neighbours go to the even mantissa.
  EXPECT_EQ(g.roundToGrid(0.25), 0.0);
  EXPECT_EQ(g.roundToGrid(0.75), 1.0);
  EXPECT_EQ(g.roundToGrid(1.25), 1.0);
  EXPECT_EQ(g.roundToGrid(1.75), 2.0);
  EXPECT_EQ(g.roundToGrid(2.5), 2.0);
  EXPECT_EQ(g.roundToGrid(3.5), 4.0);
  EXPECT_EQ(g.roundToGrid(5.0), 4.0);
  EXPECT_EQ(g.roundToGrid(-5.0), -4.0);
  EXPECT_EQ(g.roundToGrid(5.01), 6.0);
  // (6, 8) and beyond saturate to the largest value (OCP MX).
  EXPECT_EQ(g.roundToGrid(7.9), 6.0);
  EXPECT_EQ(g.roundToGrid(1e30), 6.0);
  EXPECT_EQ(g.roundToGrid(-INFINITY), -6.0);
}

TEST(MiniFloat, TableEncodeAgreesWithArithmeticRounding) {
  // Two independent implementations: nearest entry of the decoded code table
  // vs. exponent/quantum arithmetic.
  std::mt19937_64 rng(7);
  for (const FloatFormat *f :
       {&FloatFormat::e2m1(), &FloatFormat::e3m2(), &FloatFormat::e2m3(),
        &FloatFormat::e4m3fn(), &FloatFormat::e5m2()}) {
    Grid g = Grid::miniFloat(*f);
    std::uniform_real_distribution<double> u(-1.2 * f->maxFinite(),
                                             1.2 * f->maxFinite());
    std::uniform_real_distribution<double> small(-4 * f->minNormal(),
                                                 4 * f->minNormal());
    for (int i = 0; i < 20000; ++i) {
      double x = (i % 2) ? u(rng) : small(rng);
      EXPECT_EQ(g.roundToGrid(x), f->round(x)) << f->name << " x=" << x;
    }
    // Every exact midpoint between consecutive values.
    std::vector<double> v = g.values();
    for (size_t i = 0; i + 1 < v.size(); ++i) {
      double mid = 0.5 * (v[i] + v[i + 1]);
      EXPECT_EQ(g.roundToGrid(mid), f->round(mid)) << f->name << " " << mid;
    }
  }
}

TEST(FloatFormat, KnownRoundings) {
  // 1/3 in binary16 and bfloat16 (IEEE round to nearest even).
  EXPECT_EQ(FloatFormat::f16().round(1.0 / 3.0), 0.333251953125);
  EXPECT_EQ(FloatFormat::bf16().round(1.0 / 3.0), 0.333984375);
  EXPECT_EQ(FloatFormat::f32().round(1.0 / 3.0), double(1.0f / 3.0f));
  EXPECT_EQ(FloatFormat::e4m3fn().round(1000.0), 448.0);
  EXPECT_EQ(FloatFormat::e4m3fn().round(0.001953125), 0.001953125); // 2^-9
  EXPECT_EQ(E8M0::decode(127), 1.0);
  EXPECT_EQ(E8M0::decode(0), std::ldexp(1.0, -127));
  EXPECT_TRUE(std::isnan(E8M0::decode(255)));
}

TEST(IntGrid, RangesAndCodes) {
  Grid s4 = Grid::signedInt(4);
  EXPECT_EQ(s4.minValue(), -8);
  EXPECT_EQ(s4.maxValue(), 7);
  EXPECT_EQ(s4.encode(-1.0), 0xFu); // two's complement
  EXPECT_EQ(s4.decode(0x8), -8);
  Grid s4n = Grid::signedInt(4, /*narrowRange=*/true);
  EXPECT_EQ(s4n.minValue(), -7);
  EXPECT_EQ(s4n.roundToGrid(-100.0), -7);
  Grid u4 = Grid::unsignedInt(4);
  EXPECT_EQ(u4.minValue(), 0);
  EXPECT_EQ(u4.maxValue(), 15);
  EXPECT_EQ(u4.roundToGrid(-3.0), 0);
  for (unsigned b = 1; b <= 8; ++b) {
    EXPECT_EQ(Grid::signedInt(b).maxValue(), std::ldexp(1.0, b - 1) - 1);
    EXPECT_EQ(Grid::signedInt(b).minValue(), -std::ldexp(1.0, b - 1));
    EXPECT_EQ(Grid::unsignedInt(b).maxValue(), std::ldexp(1.0, b) - 1);
    EXPECT_EQ(Grid::signedInt(b).values().size(), size_t(1) << b);
  }
}

TEST(IntGrid, RoundHalfToEven) {
  Grid s8 = Grid::signedInt(8);
  EXPECT_EQ(s8.roundToGrid(2.5), 2);
  EXPECT_EQ(s8.roundToGrid(3.5), 4);
  EXPECT_EQ(s8.roundToGrid(-2.5), -2);
  EXPECT_EQ(s8.roundToGrid(-0.5), 0);
  EXPECT_EQ(s8.roundToGrid(127.4), 127);
  EXPECT_EQ(s8.roundToGrid(1e9), 127);
  EXPECT_EQ(s8.roundToGrid(-1e9), -128);
  EXPECT_EQ(s8.encode(NAN), 0u);
}

TEST(TernaryBinary, ValuesAndTies) {
  Grid t = Grid::ternary();
  EXPECT_EQ(t.values(), (std::vector<double>{-1, 0, 1}));
  EXPECT_EQ(t.roundToGrid(0.5), 0);
  EXPECT_EQ(t.roundToGrid(0.51), 1);
  EXPECT_EQ(t.roundToGrid(-3.0), -1);
  EXPECT_EQ(t.encode(-1.0), 0b11u);
  Grid b = Grid::binary();
  EXPECT_EQ(b.values(), (std::vector<double>{-1, 1}));
  EXPECT_EQ(b.roundToGrid(0.0), 1);
  EXPECT_EQ(b.roundToGrid(-1e-9), -1);
  EXPECT_EQ(b.bits(), 1u);
}

TEST(Codebook, NearestWithTiesToSmallerCode) {
  Grid g = Grid::codebook({2.0, 0.0}); // unsorted on purpose
  EXPECT_EQ(g.encode(1.0), 0u);       // tie: smaller code
  EXPECT_EQ(g.encode(0.9), 1u);
  EXPECT_EQ(g.encode(-5.0), 1u);
  EXPECT_EQ(g.encode(5.0), 0u);
  Grid nf4 = Grid::nf4();
  // Halfway between -1 and -0.696...: tie goes to code 0.
  EXPECT_EQ(nf4.encode(0.5 * (-1.0 + kNF4Values[1])), 0u);
}

TEST(Codebook, Validation) {
  EXPECT_EQ(Grid::checkCodebook({0, 1, 2}),
            "a codebook must have 2^b values with 1 <= b <= 8, got 3");
  EXPECT_EQ(Grid::checkCodebook({0, 1, 1, 2}),
            "codebook values must be distinct");
  EXPECT_EQ(Grid::checkCodebook({0, INFINITY}),
            "codebook values must be finite");
  EXPECT_EQ(Grid::checkCodebook({0, 1, 2, 3}), "");
}

} // namespace
