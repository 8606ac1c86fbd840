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

namespace {

/// Whether h (k x k) has entries +-1 and H H^T = K I, in integers: exactly
/// for k <= 256, else H (H^T v) = K v for three pseudo-random integer
/// vectors v (a non-Hadamard +-1 matrix passes with probability ~0).
::testing::AssertionResult isHadamard(const std::vector<int> &h, int64_t k) {
  if (int64_t(h.size()) != k * k)
    return ::testing::AssertionFailure() << h.size() << " entries";
  for (int v : h)
    if (v != 1 && v != -1)
      return ::testing::AssertionFailure() << "entry " << v;
  if (k <= 256) {
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < k; ++j) {
        int64_t dot = 0;
        for (int64_t l = 0; l < k; ++l)
          dot += h[size_t(i * k + l)] * h[size_t(j * k + l)];
        if (dot != (i == j ? k : 0))
          return ::testing::AssertionFailure()
                 << "rows " << i << " and " << j << ": " << dot;
      }
    return ::testing::AssertionSuccess();
  }
  std::mt19937_64 rng(k);
  for (int trial = 0; trial < 3; ++trial) {
    std::vector<int64_t> v(static_cast<size_t>(k)), w(static_cast<size_t>(k), 0);
    for (int64_t &x : v)
      x = int64_t(rng() % 2001) - 1000;
    for (int64_t i = 0; i < k; ++i) // w = H^T v
      for (int64_t j = 0; j < k; ++j)
        w[size_t(j)] += h[size_t(i * k + j)] * v[size_t(i)];
    for (int64_t i = 0; i < k; ++i) {
      int64_t hw = 0;
      for (int64_t j = 0; j < k; ++j)
        hw += h[size_t(i * k + j)] * w[size_t(j)];
      if (hw != k * v[size_t(i)])
        return ::testing::AssertionFailure() << "H H^T v != K v at " << i;
    }
  }
  return ::testing::AssertionSuccess();
}

} // namespace

// Every base qc builds, of every order up to the maximum 1024, is a
// Hadamard matrix: +-1 entries and H H^T = K I.
TEST(Hadamard, EveryBaseIsHadamard) {
  int64_t count = 0;
  for (int64_t k = 4; k <= kMaxHadamardBaseOrder; k += 4)
    for (const HadamardBaseChoice &c : basesOfOrder(k)) {
      ASSERT_EQ(c.check(), "") << c.name();
      ASSERT_EQ(c.order(), k);
      EXPECT_TRUE(isHadamard(c.matrix(), k)) << c.name();
      ++count;
    }
  std::printf("[ measured ] %lld bases of order 4..1024 checked\n",
              (long long)count);
  // Beyond the maximum nothing is built.
  EXPECT_NE((HadamardBaseChoice{HadamardBase::Paley1, 1031}).check(), "");
}

// GF(q) for prime powers: the smallest monic irreducible modulus.
// t^2 + 1 over GF(3) has no root (squares mod 3 are 0, 1); t^2 + 1 over
// GF(5) has the root 2, t^2 + 2 none (squares 0, 1, 4); over GF(3) the
// cubics t^3 + c1 t + c0 with c0 + 3 c1 < 7 all have a root, t^3 + 2t + 1
// none.
TEST(Hadamard, GaloisFieldModulus) {
  EXPECT_EQ(galoisFieldModulus(7), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(galoisFieldModulus(9), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(galoisFieldModulus(25), (std::vector<int64_t>{2, 0, 1}));
  EXPECT_EQ(galoisFieldModulus(27), (std::vector<int64_t>{1, 2, 0, 1}));
  EXPECT_TRUE(galoisFieldModulus(12).empty());
  EXPECT_TRUE(isPrimePower(343) && isPrimePower(2) && !isPrimePower(1) &&
              !isPrimePower(155));
}

// The Williamson sequences are symmetric, of length n, and make A, B, C, D
// with A^2 + B^2 + C^2 + D^2 = 4n I (each row sum squared adds to 4n).
TEST(Hadamard, WilliamsonSequences) {
  for (int64_t n : {23, 29, 39, 43}) {
    std::vector<std::string> rows = williamsonSequences(n);
    ASSERT_EQ(rows.size(), 4u) << n;
    int64_t squares = 0;
    for (const std::string &r : rows) {
      ASSERT_EQ(int64_t(r.size()), n);
      int64_t sum = 0;
      for (int64_t i = 0; i < n; ++i) {
        EXPECT_EQ(r[size_t(i)], r[size_t((n - i) % n)]) << n;
        sum += r[size_t(i)] == '+' ? 1 : -1;
      }
      squares += sum * sum;
    }
    EXPECT_EQ(squares, 4 * n);
    EXPECT_TRUE(isHadamard(HadamardBaseChoice{HadamardBase::Williamson, n}
                               .matrix(),
                           4 * n));
  }
  EXPECT_TRUE(williamsonSequences(35).empty());
}

// The bases QuaRot ships (orders 12 ... 172) and the model widths: each is
// covered, by the smallest base (worked out by hand: 172 = 4 * 43 with 171
// = 9 * 19 and 85 = 5 * 17 no prime powers; 148 = 2 * 74 with 73 prime).
TEST(Hadamard, SmallestBaseOfQuaRotOrdersAndModelWidths) {
  using B = HadamardBase;
  struct Case {
    int64_t size;
    HadamardBaseChoice base;
  };
  const Case cases[] = {
      {12, {B::Paley1, 11}},      {20, {B::Paley1, 19}},
      {28, {B::Paley2, 13}},      {36, {B::Paley2, 17}},
      {40, {B::Paley1, 19}},      {52, {B::Paley2, 25}},
      {60, {B::Paley1, 59}},      {108, {B::Paley1, 107}},
      {140, {B::Paley1, 139}},    {156, {B::Williamson, 39}},
      {172, {B::Williamson, 43}}, {2560, {B::Paley1, 19}},
      {3584, {B::Paley2, 13}},    {5120, {B::Paley1, 19}},
      {6912, {B::Paley1, 107}},   {8960, {B::Paley1, 139}},
      {11008, {B::Williamson, 43}}, {13824, {B::Paley1, 107}},
      {14336, {B::Paley2, 13}},   {18944, {B::Paley2, 73}},
      {28672, {B::Paley2, 13}},   {4096, {B::None, 0}},
  };
  for (const Case &c : cases) {
    std::optional<HadamardBaseChoice> got = smallestCoveringBase(c.size);
    ASSERT_TRUE(got.has_value()) << c.size;
    EXPECT_EQ(got->name(), c.base.name()) << c.size;
    EXPECT_EQ((HadamardSpec{c.size, got->base, got->q}).check(), "")
        << c.size;
  }
}

// Every multiple of 4 up to 184 has a base; 188 = 4 * 47 (no prime power
// at 187 = 11 * 17 or 93 = 3 * 31, and no Williamson matrices of order 47
// exist) is the first without.
TEST(Hadamard, CoverageOfMultiplesOfFour) {
  for (int64_t k = 4; k <= 184; k += 4)
    EXPECT_TRUE(smallestCoveringBase(k).has_value()) << k;
  EXPECT_FALSE(smallestCoveringBase(188).has_value());
  EXPECT_FALSE(smallestCoveringBase(6).has_value());
  EXPECT_FALSE(smallestCoveringBase(0).has_value());
  EXPECT_FALSE(smallestCoveringBase(kMaxHadamardSize + 4).has_value());
}

// Paley I of q = 11 by hand: the squares mod 11 are {1, 3, 4, 5, 9}, so
// chi(1..10) = + - + + + - - - + -; row 0 is all ones and row 1 is
// [-1, 1, chi(1), ..., chi(10)].
TEST(Hadamard, Paley12ByHand) {
  std::vector<int> h = HadamardBaseChoice{HadamardBase::Paley1, 11}.matrix();
  std::vector<int> row0(12, 1);
  std::vector<int> row1 = {-1, 1, 1, -1, 1, 1, 1, -1, -1, -1, 1, -1};
  EXPECT_EQ(std::vector<int>(h.begin(), h.begin() + 12), row0);
  EXPECT_EQ(std::vector<int>(h.begin() + 12, h.begin() + 24), row1);
}

// Paley II of q = 9 by hand: GF(9) = GF(3)[t]/(t^2 + 1), element x = d0 +
// 3 d1 is d0 + d1 t. The nonzero squares are 1 (1^2), 2 (t^2 = -1) and
// 1 + t... computed: (1 + t)^2 = 2t (= 6), (1 + 2t)^2 = t (= 3); so the
// squares are {1, 2, 3, 6} and chi(0..8) = 0 + + + - - + - -. Row 2 of
// C (x) [[1, 1], [1, -1]] + I (x) [[1, -1], [-1, -1]] starts with C[1][0]
// = 1 -> [1, 1], then C[1][1] = chi(0) = 0 plus I: [1, -1].
TEST(Hadamard, Paley2Of9ByHand) {
  std::vector<int> h = HadamardBaseChoice{HadamardBase::Paley2, 9}.matrix();
  const int64_t k = 20;
  // Row 2 (block row 1, a = 0): blocks j = 0..9 are C[1][j] * [1, 1] plus
  // [1, -1] at j = 1; C[1][j] = chi(x_{j-1} - x_0) = chi(j - 1).
  const int chi[9] = {0, 1, 1, 1, -1, -1, 1, -1, -1};
  std::vector<int> row2;
  row2.push_back(1); // C[1][0] = 1
  row2.push_back(1);
  for (int j = 1; j < 10; ++j) {
    int c = chi[j - 1];
    row2.push_back(c + (j == 1 ? 1 : 0));
    row2.push_back(c + (j == 1 ? -1 : 0));
  }
  EXPECT_EQ(std::vector<int>(h.begin() + 2 * k, h.begin() + 3 * k), row2);
}

// D (H_K (x) H_m) / sqrt(n), applied by rows (and transposed), equals the
// matrix written out from its definition, and is orthogonal.
TEST(Hadamard, KroneckerWithSignsEqualsDense) {
  for (auto [base, q, m] :
       {std::tuple{HadamardBase::Paley1, int64_t(11), int64_t(8)},
        std::tuple{HadamardBase::Paley2, int64_t(13), int64_t(4)},
        std::tuple{HadamardBase::Paley1, int64_t(19), int64_t(2)},
        std::tuple{HadamardBase::Paley2, int64_t(25), int64_t(2)},
        std::tuple{HadamardBase::Williamson, int64_t(23), int64_t(2)}}) {
    HadamardSpec spec{0, base, q};
    int64_t k = spec.baseOrder(), n = k * m;
    spec.size = n;
    spec.signs = randomSigns(7, n);
    ASSERT_EQ(spec.check(), "");
    std::vector<int> hk = spec.baseChoice().matrix();
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
  using B = HadamardBase;
  EXPECT_EQ((HadamardSpec{48}).check(),
            "size 48 is not a power of two, and no base is named; bases that "
            "cover 48: paley1 = 11 (48 = 12 * 4), paley2 = 5 (48 = 12 * 4), "
            "paley1 = 23 (48 = 24 * 2), paley1 = 47 (48 = 48 * 1)");
  EXPECT_EQ((HadamardSpec{40, B::Paley1, 11}).check(),
            "size 40 is not 12 times a power of two (paley1 = 11 has order "
            "12); bases that cover 40: paley1 = 19 (40 = 20 * 2), paley2 = 9 "
            "(40 = 20 * 2)");
  EXPECT_EQ((HadamardSpec{24, B::Paley1, 13}).check(),
            "a Paley I base needs a prime power q = 3 (mod 4), got q = 13; "
            "bases that cover 24: paley1 = 11 (24 = 12 * 2), paley2 = 5 (24 "
            "= 12 * 2), paley1 = 23 (24 = 24 * 1)");
  EXPECT_EQ((HadamardSpec{56, B::Paley2, 15}).check(),
            "a Paley II base needs a prime power q = 1 (mod 4), got q = 15; "
            "bases that cover 56: paley2 = 13 (56 = 28 * 2), paley1 = 27 (56 "
            "= 28 * 2)");
  EXPECT_EQ((HadamardSpec{4, B::None, 0, {1, -1}}).check(),
            "2 signs for size 4");
  // The cases: a huge Paley base is refused and the small one
  // named; 4100 = 4 * 1025 is covered by paley1 = 4099 only, above the
  // maximum, and the nearest sizes are 4096 and 4128 = 516 * 8 (paley2 =
  // 257; 4104 ... 4124 have odd parts 513, 1027, 257, 1029, 515, 1031,
  // which need bases above 1024).
  EXPECT_EQ((HadamardSpec{11008, B::Paley1, 5503}).check(),
            "paley1 = 5503 is a base of order 5504, more than 1024, the "
            "largest base order qc builds (its largest base is paley1 = 1019, "
            "order 1020); bases that cover 11008: "
            "williamson = 43 (11008 = 172 * 64), paley1 = 343 (11008 = 344 "
            "* 32)");
  EXPECT_EQ((HadamardSpec{4100}).check(),
            "size 4100 is not a power of two; no Hadamard base of order at "
            "most 1024 covers size 4100 = 1025 * 4; larger bases cover it: "
            "paley1 = 4099 (order 4100), more than 1024, the largest base "
            "order qc builds (its largest base is paley1 = 1019, order 1020); "
            "the nearest sizes that work are 4096 = 2^12 "
            "and 4128 = 516 * 8, paley2 = 257");
  EXPECT_EQ(explainUncoveredSize(188),
            "no Hadamard base of order at most 1024 covers size 188 = 47 * "
            "4; qc builds no base of order 47 * 2^j (it has Paley I and II "
            "for prime powers and Williamson for n = 23, 29, 39, 43); the "
            "nearest sizes that work are 184 = 92 * 2, williamson = 23 and "
            "192 = 12 * 16, paley1 = 11");
  EXPECT_EQ(explainUncoveredSize(6),
            "no Hadamard base of order at most 1024 covers size 6 = 3 * 2 "
            "(the order of a Hadamard matrix larger than 2 is a multiple of "
            "4, and 4 does not divide 6); qc builds no base of order 3 * 2^j "
            "(it has Paley I and II for prime powers and Williamson for n = "
            "23, 29, 39, 43); the nearest sizes that work are 4 = 2^2 and 8 "
            "= 2^3");
  EXPECT_EQ((HadamardSpec{188, B::Williamson, 47}).check(),
            "qc has no Williamson matrices of order 47 (it has n = 23, 29, "
            "39, 43); no Hadamard base of order at most 1024 covers size 188 "
            "= 47 * 4; qc builds no base of order 47 * 2^j (it has Paley I "
            "and II for prime powers and Williamson for n = 23, 29, 39, 43); "
            "the nearest sizes that work are 184 = 92 * 2, williamson = 23 "
            "and 192 = 12 * 16, paley1 = 11");
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
