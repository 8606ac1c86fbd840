//===- HadamardTest.cpp - Rotations against closed forms and NUMERICS.md --===//

#include "qc/Numerics/Hadamard.h"
#include "qc/Numerics/Quantizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace mlir::qc::numerics;

namespace {

/// Sylvester's H_n entry, closed form: (-1)^popcount(i & j).
int sylvester(int64_t i, int64_t j) {
  return __builtin_popcountll(uint64_t(i & j)) % 2 ? -1 : 1;
}

std::vector<double> randomRows(int64_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<double> v(static_cast<size_t>(count));
  for (double &x : v)
    x = d(rng);
  return v;
}

/// max |Q Q^T - I| of an n x n row-major matrix.
double orthogonalityError(const std::vector<double> &q, int64_t n) {
  double err = 0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double dot = 0;
      for (int64_t l = 0; l < n; ++l)
        dot += q[size_t(i * n + l)] * q[size_t(j * n + l)];
      err = std::max(err, std::fabs(dot - (i == j ? 1.0 : 0.0)));
    }
  return err;
}

} // namespace

// Normalized H_n (n = 2^k) is symmetric and orthogonal.
TEST(Hadamard, SylvesterIsSymmetricOrthogonal) {
  for (int64_t n : {1, 2, 4, 16, 128}) {
    HadamardSpec spec{n};
    ASSERT_EQ(spec.check(), "");
    std::vector<double> q = hadamardMatrix(spec);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) {
        EXPECT_EQ(q[size_t(i * n + j)], q[size_t(j * n + i)]);
        EXPECT_NEAR(q[size_t(i * n + j)], sylvester(i, j) / std::sqrt(double(n)),
                    1e-15);
      }
    EXPECT_LT(orthogonalityError(q, n), 1e-12) << n;
  }
}

// The fast transform equals x * H_n (the closed form) to 1e-12.
TEST(Hadamard, FastTransformEqualsMatrix) {
  const int64_t n = 1024;
  std::vector<double> x = randomRows(n, 1), y = x;
  fastWalshHadamard(y.data(), n);
  double err = 0;
  for (int64_t j = 0; j < n; ++j) {
    double ref = 0;
    for (int64_t i = 0; i < n; ++i)
      ref += x[size_t(i)] * sylvester(i, j);
    err = std::max(err, std::fabs(y[size_t(j)] - ref / 32.0));
  }
  EXPECT_LT(err, 1e-12);
}

// A spike M e_j maps to entries of magnitude M / sqrt(n): 50 e_j, n = 1024
// -> 1.5625 exactly.
TEST(Hadamard, SpikeSpreads) {
  const int64_t n = 1024;
  for (int64_t j : {0, 1, 517, 1023}) {
    std::vector<double> x(n, 0.0);
    x[size_t(j)] = 50.0;
    fastWalshHadamard(x.data(), n);
    for (double v : x)
      EXPECT_EQ(std::fabs(v), 1.5625);
  }
}

// Every Paley base is a Hadamard matrix: +-1 entries and H H^T = K I.
TEST(Hadamard, PaleyBasesAreHadamard) {
  std::vector<int64_t> orders;
  for (auto [base, q] : paleyBases(172)) {
    HadamardSpec spec{0, base, q};
    int64_t k = spec.baseOrder();
    orders.push_back(k);
    std::vector<int> h = paleyMatrix(base, q);
    ASSERT_EQ(int64_t(h.size()), k * k);
    for (int v : h)
      ASSERT_TRUE(v == 1 || v == -1);
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < k; ++j) {
        int64_t dot = 0;
        for (int64_t l = 0; l < k; ++l)
          dot += h[size_t(i * k + l)] * h[size_t(j * k + l)];
        ASSERT_EQ(dot, i == j ? k : 0) << "order " << k << " q " << q;
      }
  }
  // The orders LLM hidden sizes need (12, 20, 28; 40 = 20 * 2) are there.
  for (int64_t k : {12, 20, 28, 36, 44, 60})
    EXPECT_NE(std::find(orders.begin(), orders.end(), k), orders.end()) << k;
}

// Paley I of q = 11 by hand: the squares mod 11 are {1, 3, 4, 5, 9}, so
// chi(1..10) = + - + + + - - - + -; row 0 is all ones and row 1 is
// [-1, 1, chi(1), ..., chi(10)].
TEST(Hadamard, Paley12ByHand) {
  std::vector<int> h = paleyMatrix(HadamardBase::Paley1, 11);
  std::vector<int> row0(12, 1);
  std::vector<int> row1 = {-1, 1, 1, -1, 1, 1, 1, -1, -1, -1, 1, -1};
  EXPECT_EQ(std::vector<int>(h.begin(), h.begin() + 12), row0);
  EXPECT_EQ(std::vector<int>(h.begin() + 12, h.begin() + 24), row1);
}

// D (H_K (x) H_m) / sqrt(n), applied by rows (and transposed), equals the
// matrix written out from its definition, and is orthogonal.
TEST(Hadamard, KroneckerWithSignsEqualsDense) {
  for (auto [base, q, m] :
       {std::tuple{HadamardBase::Paley1, int64_t(11), int64_t(8)},
        std::tuple{HadamardBase::Paley2, int64_t(13), int64_t(4)},
        std::tuple{HadamardBase::Paley1, int64_t(19), int64_t(2)}}) {
    HadamardSpec spec{0, base, q};
    int64_t k = spec.baseOrder(), n = k * m;
    spec.size = n;
    spec.signs = randomSigns(7, n);
    ASSERT_EQ(spec.check(), "");
    std::vector<int> hk = paleyMatrix(base, q);
    std::vector<double> dense(static_cast<size_t>(n * n));
    for (int64_t a = 0; a < k; ++a)
      for (int64_t b = 0; b < m; ++b)
        for (int64_t c = 0; c < k; ++c)
          for (int64_t d = 0; d < m; ++d)
            dense[size_t((a * m + b) * n + c * m + d)] =
                spec.signs[size_t(a * m + b)] * hk[size_t(a * k + c)] *
                sylvester(b, d) / std::sqrt(double(n));
    EXPECT_LT(orthogonalityError(dense, n), 1e-12);
    const int64_t rows = 3;
    std::vector<double> x = randomRows(rows * n, 2);
    for (bool transpose : {false, true}) {
      std::vector<double> y = x;
      applyHadamard(spec, y.data(), rows, transpose);
      double err = 0;
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < n; ++j) {
          double ref = 0;
          for (int64_t i = 0; i < n; ++i)
            ref += x[size_t(r * n + i)] *
                   (transpose ? dense[size_t(j * n + i)]
                              : dense[size_t(i * n + j)]);
          err = std::max(err, std::fabs(y[size_t(r * n + j)] - ref));
        }
      EXPECT_LT(err, 1e-12) << n << (transpose ? " transposed" : "");
    }
    // x Q Q^T = x.
    std::vector<double> y = x;
    applyHadamard(spec, y.data(), rows);
    applyHadamard(spec, y.data(), rows, /*transpose=*/true);
    for (size_t i = 0; i < x.size(); ++i)
      EXPECT_NEAR(y[i], x[i], 1e-12);
  }
}

TEST(Hadamard, CheckSaysWhy) {
  EXPECT_EQ((HadamardSpec{48}).check(), "size 48 is not a power of two");
  EXPECT_EQ((HadamardSpec{40, HadamardBase::Paley1, 11}).check(),
            "size 40 is not 12 times a power of two");
  EXPECT_EQ((HadamardSpec{24, HadamardBase::Paley1, 13}).check(),
            "a Paley I base needs a prime q = 3 (mod 4), got q = 13");
  EXPECT_EQ((HadamardSpec{56, HadamardBase::Paley2, 15}).check(),
            "a Paley II base needs a prime q = 1 (mod 4), got q = 15");
  EXPECT_EQ((HadamardSpec{4, HadamardBase::None, 0, {1, -1}}).check(),
            "2 signs for size 4");
}

namespace {

double kurtosis(const std::vector<double> &x) {
  double m = 0, m2 = 0, m4 = 0;
  for (double v : x)
    m += v;
  m /= double(x.size());
  for (double v : x) {
    double d = (v - m) * (v - m);
    m2 += d;
    m4 += d * d;
  }
  m2 /= double(x.size());
  m4 /= double(x.size());
  return m4 / (m2 * m2);
}

} // namespace

// Random-sign Hadamard of i.i.d. data with excess kurtosis g gives excess
// kurtosis g / n: Laplace rows of 256, kurtosis 6.0 -> 3 + 3/256 = 3.0117.
TEST(Hadamard, RandomSignsShrinkKurtosis) {
  const int64_t n = 256, rows = 8192;
  std::mt19937_64 rng(3);
  std::exponential_distribution<double> e(1.0);
  std::bernoulli_distribution coin;
  std::vector<double> x(static_cast<size_t>(n * rows));
  for (double &v : x)
    v = coin(rng) ? e(rng) : -e(rng);
  HadamardSpec spec{n, HadamardBase::None, 0, randomSigns(11, n)};
  double before = kurtosis(x);
  applyHadamard(spec, x.data(), rows);
  double after = kurtosis(x);
  std::printf("[ measured ] kurtosis %.3f -> %.4f\n", before, after);
  EXPECT_NEAR(before, 6.0, 0.2);
  EXPECT_NEAR(after, 3.0 + 3.0 / n, 0.03);
}

// Outliers: X 2048 x 4096 ~ N(0, 1) with 4 channels scaled x50, per-token
// INT4 absmax: rotating first cuts the MSE >= 10x, rotated SQNR >= 17 dB.
TEST(Hadamard, RotationTamesOutliersForInt4) {
  const int64_t rows = 2048, n = 4096;
  std::vector<double> xd = randomRows(rows * n, 5);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c : {7, 1000, 2222, 4000})
      xd[size_t(r * n + c)] *= 50.0;
  QuantScheme scheme;
  scheme.grid = Grid::signedInt(4);
  scheme.blockShape = {1, n};
  scheme.scaleFormat = ValueFormat::f32();
  auto mse = [&](const std::vector<double> &v, double *sqnr) {
    std::vector<float> f(v.begin(), v.end());
    std::vector<float> back =
        dequantize(quantize(f.data(), {rows, n}, scheme), scheme);
    double err = 0, sig = 0;
    for (size_t i = 0; i < f.size(); ++i) {
      err += (double(back[i]) - f[i]) * (double(back[i]) - f[i]);
      sig += double(f[i]) * f[i];
    }
    *sqnr = 10 * std::log10(sig / err);
    return err / double(f.size());
  };
  double plainDb, rotatedDb;
  double plain = mse(xd, &plainDb);
  applyHadamard(HadamardSpec{n}, xd.data(), rows);
  // (The rotation is orthogonal: the error in the rotated basis is the
  // error of the rotated-back tensor.)
  double rotated = mse(xd, &rotatedDb);
  std::printf("[ measured ] MSE plain / rotated = %.1f, rotated SQNR %.1f dB\n",
              plain / rotated, rotatedDb);
  EXPECT_GE(plain / rotated, 10.0);
  EXPECT_GE(rotatedDb, 17.0);
}
