//===- GptqTest.cpp - GPTQ against a direct float64 output error ----------===//
//
// The reference is the definition: the output error ||X (W - Q)^T||^2 of the
// dequantized weight on the calibration inputs X themselves, computed in
// float64 from X (not from the Gram matrix GPTQ reads).

#include "qc/Numerics/Gptq.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

using namespace mlir::qc::numerics;

namespace {

struct Layer {
  int64_t n, k, tokens;
  std::vector<float> w;      // N x K
  std::vector<double> x;     // tokens x K
  std::vector<double> gram;  // K x K
};

/// Correlated inputs (x = z A with A random, a few channels 10x larger, as
/// LLM activations have) and a normal weight.
Layer makeLayer(int64_t n, int64_t k, int64_t tokens, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> nd(0.0, 1.0);
  Layer l{n, k, tokens, std::vector<float>(n * k), std::vector<double>(tokens * k),
          std::vector<double>(k * k, 0.0)};
  for (float &v : l.w)
    v = float(nd(rng));
  std::vector<double> a(k * k);
  for (double &v : a)
    v = nd(rng) / std::sqrt(double(k));
  for (int64_t i = 0; i < k; ++i)
    a[i * k + i] += 1.0;
  std::vector<double> z(k);
  for (int64_t t = 0; t < tokens; ++t) {
    for (double &v : z)
      v = nd(rng);
    for (int64_t j = 0; j < k; ++j) {
      double acc = 0.0;
      for (int64_t i = 0; i < k; ++i)
        acc += z[i] * a[i * k + j];
      l.x[t * k + j] = acc * (j % 17 == 3 ? 10.0 : 1.0);
    }
  }
  for (int64_t t = 0; t < tokens; ++t)
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < k; ++j)
        l.gram[i * k + j] += l.x[t * k + i] * l.x[t * k + j];
  return l;
}

/// ||X (W - Q)^T||^2 from X directly.
double outputError(const Layer &l, const std::vector<float> &q) {
  double total = 0.0;
  for (int64_t t = 0; t < l.tokens; ++t)
    for (int64_t r = 0; r < l.n; ++r) {
      double acc = 0.0;
      for (int64_t i = 0; i < l.k; ++i)
        acc += l.x[t * l.k + i] * (double(l.w[r * l.k + i]) - double(q[r * l.k + i]));
      total += acc * acc;
    }
  return total;
}

QuantScheme rowBlocks(Grid grid, int64_t n, int64_t g) {
  QuantScheme s;
  s.grid = std::move(grid);
  s.blockShape = {1, g};
  s.scaleFormat = ValueFormat::floating(FloatFormat::f16());
  (void)n;
  return s;
}

} // namespace

// The point of GPTQ: on correlated inputs its output error is well below
// round-to-nearest's with the same grid and block scales.
TEST(Gptq, LowersTheOutputErrorOfRoundToNearest) {
  Layer l = makeLayer(48, 128, 512, 7);
  struct Case {
    const char *name;
    QuantScheme scheme;
  };
  QuantScheme asym = rowBlocks(Grid::unsignedInt(4), 48, 32);
  asym.zeroPoint = ZeroPointKind::Int;
  asym.zeroPointFormat = ValueFormat::integer(8);
  asym.method = ScaleMethod::MinMax;
  QuantScheme mse = rowBlocks(Grid::signedInt(3), 48, 64);
  mse.method = ScaleMethod::MSE;
  QuantScheme perRow = rowBlocks(Grid::signedInt(4), 48, 128);
  Case cases[] = {{"int4 g32", rowBlocks(Grid::signedInt(4), 48, 32)},
                  {"nf4 g64", rowBlocks(Grid::nf4(), 48, 64)},
                  {"uint4 g32 zero points", asym},
                  {"int3 g64 mse", mse},
                  {"int4 per row", perRow}};
  for (const Case &c : cases) {
    ASSERT_EQ(checkGptq({l.n, l.k}, c.scheme), "") << c.name;
    std::vector<float> rtn = dequantize(quantize(l.w.data(), {l.n, l.k}, c.scheme), c.scheme);
    std::string error;
    QuantizedTensor g = quantizeGptq(l.w.data(), {l.n, l.k}, l.gram.data(), c.scheme, 0.01, error);
    ASSERT_EQ(error, "") << c.name;
    std::vector<float> gq = dequantize(g, c.scheme);
    double eR = outputError(l, rtn), eG = outputError(l, gq);
    std::printf("  %-22s output error RTN %.4g, GPTQ %.4g (%.2fx lower)\n", c.name, eR, eG,
                eR / eG);
    EXPECT_LT(eG, 0.7 * eR) << c.name;
    // The Gram form of the error is the same number.
    EXPECT_NEAR(gramWeightedError(l.w.data(), gq.data(), l.n, l.k, l.gram.data()), eG,
                1e-9 * eG) << c.name;
    // Every code is on the grid, every scale the f16 value the type stores.
    for (float s : g.scales)
      EXPECT_EQ(double(s), FloatFormat::f16().round(s)) << c.name;
  }
}

// With a diagonal Gram matrix U is diagonal, nothing is fed back, and GPTQ
// is round-to-nearest: the same codes and scales as quantize().
TEST(Gptq, IsRoundToNearestForADiagonalGram) {
  int64_t n = 16, k = 96;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> nd(0.0, 1.0);
  std::vector<float> w(n * k);
  for (float &v : w)
    v = float(nd(rng));
  std::vector<double> gram(k * k, 0.0);
  for (int64_t i = 0; i < k; ++i)
    gram[i * k + i] = i % 5 == 0 ? 0.0 : 1.0 + i; // some channels never seen
  QuantScheme s = rowBlocks(Grid::signedInt(4), n, 32);
  s.method = ScaleMethod::MSE;
  QuantizedTensor want = quantize(w.data(), {n, k}, s);
  std::string error;
  QuantizedTensor got = quantizeGptq(w.data(), {n, k}, gram.data(), s, 0.01, error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(got.codes, want.codes);
  EXPECT_EQ(got.scales, want.scales);
}

TEST(Gptq, SaysWhatItCannotTake) {
  QuantScheme s = rowBlocks(Grid::signedInt(4), 8, 32);
  EXPECT_NE(checkGptq({8, 32, 2}, s).find("2-D"), std::string::npos);
  QuantScheme two = s;
  two.outerBlockShape = std::vector<int64_t>{8, 32};
  EXPECT_NE(checkGptq({8, 32}, two).find("two-level"), std::string::npos);
  EXPECT_NE(checkGptq({8, 48}, s), ""); // 32 does not divide 48
  std::vector<float> w(8 * 32, 1.0f);
  std::vector<double> gram(32 * 32, 0.0);
  gram[5 * 32 + 5] = -1.0;
  std::string error;
  QuantizedTensor q = quantizeGptq(w.data(), {8, 32}, gram.data(), s, 0.01, error);
  EXPECT_TRUE(q.codes.empty());
  EXPECT_NE(error.find("negative"), std::string::npos);
  // Not positive definite off the diagonal: |H01| > sqrt(H00 H11).
  std::fill(gram.begin(), gram.end(), 0.0);
  for (int64_t i = 0; i < 32; ++i)
    gram[i * 32 + i] = 1.0;
  gram[1] = gram[32] = 5.0;
  error.clear();
  q = quantizeGptq(w.data(), {8, 32}, gram.data(), s, 0.01, error);
  EXPECT_NE(error.find("positive definite"), std::string::npos);
}
