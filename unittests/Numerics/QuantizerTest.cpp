//===- QuantizerTest.cpp - Scales and granularities against NUMERICS.md ---===//

#include "qc/Numerics/Quantizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

using namespace mlir::qc::numerics;

namespace {

std::vector<float> normalData(int64_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<float> v(n);
  for (float &x : v)
    x = float(d(rng));
  return v;
}

double roundTripSqnr(const std::vector<float> &x,
                     const std::vector<int64_t> &shape,
                     const QuantScheme &scheme) {
  EXPECT_EQ(scheme.check(shape), "");
  QuantizedTensor q = quantize(x.data(), shape, scheme);
  double db = sqnrDb(x, dequantize(q, scheme));
  // Print the measurement so logs show how close to the table we are.
  std::printf("  %s: SQNR %.2f dB\n",
              ::testing::UnitTest::GetInstance()->current_test_info()->name(),
              db);
  return db;
}

QuantScheme blockScheme(Grid grid, const std::vector<int64_t> &shape,
                        int64_t block) {
  QuantScheme s;
  s.grid = std::move(grid);
  s.blockShape = perBlockAlong(shape, unsigned(shape.size() - 1), block);
  return s;
}

QuantScheme mxScheme(Grid grid, const std::vector<int64_t> &shape) {
  QuantScheme s = blockScheme(std::move(grid), shape, 32);
  s.method = ScaleMethod::MX;
  s.scaleFormat = ValueFormat::e8m0();
  return s;
}

QuantScheme nvfp4Scheme(const std::vector<int64_t> &shape) {
  QuantScheme s = blockScheme(Grid::miniFloat(FloatFormat::e2m1()), shape, 16);
  s.scaleFormat = ValueFormat::floating(FloatFormat::e4m3fn());
  s.outerBlockShape = perTensorBlocks(shape);
  s.outerScaleFormat = ValueFormat::f32();
  return s;
}

// 4M samples of N(0,1), as in NUMERICS.md.
class SqnrTable : public ::testing::Test {
protected:
  static void SetUpTestSuite() { data = new std::vector<float>(normalData(kN, 42)); }
  static void TearDownTestSuite() { delete data; }
  static constexpr int64_t kN = 4 * 1024 * 1024;
  static inline std::vector<float> *data = nullptr;
  std::vector<int64_t> shape{kN / 4096, 4096};
};

TEST_F(SqnrTable, MXINT8Block32) {
  EXPECT_NEAR(roundTripSqnr(*data, shape, mxScheme(Grid::signedInt(8), shape)),
              41.7, 0.3);
}
TEST_F(SqnrTable, NF4Block64AbsMax) {
  EXPECT_NEAR(roundTripSqnr(*data, shape, blockScheme(Grid::nf4(), shape, 64)),
              20.7, 0.3);
}
TEST_F(SqnrTable, NVFP4Block16) {
  EXPECT_NEAR(roundTripSqnr(*data, shape, nvfp4Scheme(shape)), 20.4, 0.3);
}
TEST_F(SqnrTable, INT4AbsMaxBlock32) {
  EXPECT_NEAR(
      roundTripSqnr(*data, shape, blockScheme(Grid::signedInt(4), shape, 32)),
      20.3, 0.3);
}
TEST_F(SqnrTable, MXFP4Block32) {
  double mxfp4 = roundTripSqnr(
      *data, shape, mxScheme(Grid::miniFloat(FloatFormat::e2m1()), shape));
  EXPECT_NEAR(mxfp4, 18.8, 0.3);
  EXPECT_GE(roundTripSqnr(*data, shape, nvfp4Scheme(shape)) - mxfp4, 1.0);
}
TEST_F(SqnrTable, PerRowINT4Row4096) {
  QuantScheme s;
  s.grid = Grid::signedInt(4);
  s.blockShape = perAxisBlocks(shape, 0); // one scale per row
  EXPECT_NEAR(roundTripSqnr(*data, shape, s), 16.1, 0.3);
}
TEST_F(SqnrTable, MSEClippingBeatsAbsMaxPerRow) {
  QuantScheme s;
  s.grid = Grid::signedInt(4);
  s.blockShape = perAxisBlocks(shape, 0);
  double absmax = roundTripSqnr(*data, shape, s);
  s.method = ScaleMethod::MSE;
  double mse = roundTripSqnr(*data, shape, s);
  // Optimal 4-bit uniform on N(0,1): MSE 0.01154 (19.4 dB); the clip search
  // over alpha in [0.5, 1] with 15 symmetric levels gets most of the way.
  EXPECT_GT(mse, absmax + 1.0);
  EXPECT_LT(mse, 10 * std::log10(1 / 0.01154));
}

TEST(UniformQuantizer, MidRiseSqnrIs6dBPerBit) {
  // U(-A, A), step 2A/2^b: levels (k + 1/2) * step, i.e. a signed b-bit grid
  // with float zero point -1/2. Closed form: SQNR = 20 log10(2^b).
  const double A = 3.0;
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(-A, A);
  std::vector<float> x(2'000'000);
  for (float &v : x)
    v = float(u(rng));
  for (unsigned b = 2; b <= 8; ++b) {
    QuantScheme s;
    s.grid = Grid::signedInt(b);
    s.blockShape = {int64_t(x.size())};
    QuantizedTensor q;
    q.shape = {int64_t(x.size())};
    q.scales = {float(2 * A / std::ldexp(1.0, b))};
    q.zeroPoints = {-0.5f};
    s.zeroPoint = ZeroPointKind::Float;
    for (float v : x)
      q.codes.push_back(uint8_t(s.grid.encode(v / q.scales[0] + q.zeroPoints[0])));
    std::vector<float> y = dequantize(q, s);
    double mse = 0;
    for (size_t i = 0; i < x.size(); ++i)
      mse += (double(x[i]) - y[i]) * (double(x[i]) - y[i]);
    mse /= double(x.size());
    double delta = 2 * A / std::ldexp(1.0, b);
    EXPECT_NEAR(mse / (delta * delta / 12), 1.0, 0.01) << "bits " << b;
    EXPECT_NEAR(sqnrDb(x, y), 6.0206 * b, 0.05) << "bits " << b;
  }
}

TEST(MinMax, AsymmetricIntegerMatchesAWQFormula) {
  // AWQ: s = (max - min)/(2^b - 1), z = round(-min/s),
  // q = clamp(round(w/s) + z, 0, 2^b - 1), w^ = (q - z) s.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-0.7, 2.2);
  std::vector<float> w(128);
  for (float &v : w)
    v = float(u(rng));
  w[5] = -0.7f; // pin min and max
  w[9] = 2.2f;
  QuantScheme s;
  s.grid = Grid::unsignedInt(4);
  s.blockShape = {128};
  s.method = ScaleMethod::MinMax;
  s.zeroPoint = ZeroPointKind::Int;
  QuantizedTensor q = quantize(w.data(), {128}, s);
  double scale = (2.2 - -0.7) / 15.0, z = std::nearbyint(0.7 / scale);
  EXPECT_NEAR(q.scales[0], scale, 1e-7);
  EXPECT_EQ(q.zeroPoints[0], z);
  std::vector<float> y = dequantize(q, s);
  for (int i = 0; i < 128; ++i) {
    double qa = std::clamp(std::nearbyint(w[i] / scale) + z, 0.0, 15.0);
    EXPECT_EQ(q.codes[i], uint8_t(qa)) << i;
    EXPECT_NEAR(y[i], (qa - z) * scale, 1e-6);
    EXPECT_LE(std::fabs(y[i] - w[i]), scale / 2 + 1e-6);
  }
}

TEST(MX, SharedExponentAndSaturation) {
  QuantScheme s = mxScheme(Grid::miniFloat(FloatFormat::e2m1()), {32});
  std::vector<float> x(32, 0.0f);
  x[0] = 5.0f; // floor(log2 5) - emax(E2M1)=2 -> e = 0, s = 1
  x[1] = 7.9f; // in (6, 8): clips to 6
  x[2] = -0.3f;
  QuantizedTensor q = quantize(x.data(), {32}, s);
  EXPECT_EQ(q.scales[0], 1.0f);
  std::vector<float> y = dequantize(q, s);
  EXPECT_EQ(y[0], 4.0f);
  EXPECT_EQ(y[1], 6.0f);
  EXPECT_EQ(y[2], -0.5f);
  // Block max 7.9 alone: floor(log2 7.9) = 2 -> still s = 1, 7.9 -> 6.
  // Block max 8: e = 3 - 2 = 1, s = 2, 8 -> 4 * 2.
  x[1] = 8.0f;
  q = quantize(x.data(), {32}, s);
  EXPECT_EQ(q.scales[0], 2.0f);
  EXPECT_EQ(dequantize(q, s)[1], 8.0f);
}

TEST(MX, ExponentClampAndZeroBlock) {
  QuantScheme s = mxScheme(Grid::signedInt(8), {64});
  std::vector<float> x(64, 0.0f);
  x[32] = 1.0f; // MXINT8: emax 6 -> s = 2^-6 = 1/64, 1.0 -> 64
  x[33] = 1.99f;
  QuantizedTensor q = quantize(x.data(), {64}, s);
  EXPECT_EQ(q.scales[0], float(std::ldexp(1.0, -127))); // empty block
  EXPECT_EQ(q.scales[1], 1.0f / 64);
  EXPECT_EQ(q.codes[32], 64u);
  EXPECT_EQ(dequantize(q, s)[33], 127.0f / 64); // saturates at 127/64
}

TEST(NVFP4, TwoLevelScales) {
  std::vector<float> x = normalData(1024, 9);
  std::vector<int64_t> shape{4, 256};
  QuantScheme s = nvfp4Scheme(shape);
  QuantizedTensor q = quantize(x.data(), shape, s);
  float amax = 0;
  for (float v : x)
    amax = std::max(amax, std::fabs(v));
  ASSERT_EQ(q.outerScales.size(), 1u);
  EXPECT_NEAR(q.outerScales[0], amax / (6.0 * 448.0), 1e-7 * amax);
  ASSERT_EQ(q.scales.size(), 64u);
  for (float sc : q.scales) {
    EXPECT_EQ(FloatFormat::e4m3fn().round(sc), sc); // stored as E4M3
    EXPECT_GT(sc, 0.0f);
    EXPECT_LE(sc, 448.0f);
  }
  // decode = e2m1 * e4m3 * f32.
  std::vector<float> y = dequantize(q, s);
  Grid e2m1 = Grid::miniFloat(FloatFormat::e2m1());
  for (int i = 0; i < 1024; ++i)
    EXPECT_EQ(y[i], float(q.scales[i / 16] * q.outerScales[0]) *
                        float(e2m1.decode(q.codes[i])));
}

TEST(Ternary, BitNetAbsMean) {
  std::vector<float> w = {0.5f, -1.5f, 0.1f, 2.0f};
  QuantScheme s;
  s.grid = Grid::ternary();
  s.blockShape = {4};
  s.method = ScaleMethod::AbsMean;
  QuantizedTensor q = quantize(w.data(), {4}, s);
  EXPECT_FLOAT_EQ(q.scales[0], (0.5f + 1.5f + 0.1f + 2.0f) / 4);
  // round(W / s) clamped to [-1, 1], s = 1.025
  std::vector<float> y = dequantize(q, s);
  EXPECT_FLOAT_EQ(y[0], 0.0f); // 0.49 -> 0
  EXPECT_FLOAT_EQ(y[1], -q.scales[0]);
  EXPECT_FLOAT_EQ(y[2], 0.0f);
  EXPECT_FLOAT_EQ(y[3], q.scales[0]);
  std::vector<float> zeros(4, 0.0f);
  EXPECT_EQ(quantize(zeros.data(), {4}, s).scales[0], 1e-5f); // clamp
}

TEST(Granularity, ScaleShapesAndBlockIndexing) {
  std::vector<int64_t> shape{4, 6};
  EXPECT_EQ(scaleShape(shape, perTensorBlocks(shape)), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(scaleShape(shape, perAxisBlocks(shape, 0)), (std::vector<int64_t>{4, 1}));
  EXPECT_EQ(scaleShape(shape, perAxisBlocks(shape, 1)), (std::vector<int64_t>{1, 6}));
  EXPECT_EQ(scaleShape(shape, perBlockAlong(shape, 1, 3)), (std::vector<int64_t>{4, 2}));
  // Each block's scale is the absmax of exactly its elements.
  std::vector<float> x(24);
  for (int i = 0; i < 24; ++i)
    x[i] = float(i + 1);
  QuantScheme s = blockScheme(Grid::signedInt(8), shape, 3);
  QuantizedTensor q = quantize(x.data(), shape, s);
  for (int r = 0; r < 4; ++r)
    for (int b = 0; b < 2; ++b)
      EXPECT_FLOAT_EQ(q.scales[r * 2 + b], float(r * 6 + b * 3 + 3) / 127.0f);
  // 2-D blocks: 2x3 tiles.
  s.blockShape = {2, 3};
  q = quantize(x.data(), shape, s);
  ASSERT_EQ(q.scales.size(), 4u);
  EXPECT_FLOAT_EQ(q.scales[3], 24.0f / 127.0f);
  EXPECT_FLOAT_EQ(q.scales[0], 9.0f / 127.0f);
}

TEST(Scheme, CheckMessages) {
  QuantScheme s;
  s.grid = Grid::signedInt(4);
  s.blockShape = {1, 48};
  EXPECT_EQ(s.check({8, 128}), "block 48 does not divide dimension 1 (size 128)");
  s.blockShape = {1, 32};
  EXPECT_EQ(s.check({8, 128}), "");
  s.method = ScaleMethod::MinMax;
  EXPECT_EQ(s.check({8, 128}), "method minmax needs a zero point");
  s.method = ScaleMethod::MX;
  EXPECT_EQ(s.check({8, 128}), "method mx and E8M0 scales go together");
  s.scaleFormat = ValueFormat::e8m0();
  EXPECT_EQ(s.check({8, 128}), "");
  s.outerBlockShape = std::vector<int64_t>{1, 16};
  s.method = ScaleMethod::AbsMax;
  s.scaleFormat = ValueFormat::floating(FloatFormat::e4m3fn());
  EXPECT_EQ(s.check({8, 128}),
            "outer block must be a multiple of the block along dimension 1");
}

} // namespace
