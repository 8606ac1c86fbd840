//===- PermutationTest.cpp - Channel permutations and outlier heuristics --===//
//
// Small cases are worked out by hand; the quantization gains use a fake
// quantizer written here (round half to even, clamp, absmax per group), not
// the numerics library, and the thresholds of issue 14.
//
//===----------------------------------------------------------------------===//

#include "qc/Numerics/Permutation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

using namespace mlir::qc::numerics;

namespace {

TEST(Permutation, CheckSaysWhy) {
  EXPECT_EQ(checkPermutation({2, 0, 1}), "");
  EXPECT_EQ(checkPermutation({}), "");
  EXPECT_EQ(checkPermutation({0, 3, 1}), "entry 1 is 3, outside [0, 3)");
  EXPECT_EQ(checkPermutation({0, -1}), "entry 1 is -1, outside [0, 2)");
  EXPECT_EQ(checkPermutation({1, 0, 1}),
            "1 appears at positions 0 and 2 (2 is missing)");
}

TEST(Permutation, InverseAndInvolution) {
  std::vector<int64_t> p = {2, 0, 3, 1};
  EXPECT_EQ(inversePermutation(p), (std::vector<int64_t>{1, 3, 0, 2}));
  EXPECT_FALSE(isInvolution(p));
  EXPECT_TRUE(isInvolution({1, 0, 3, 2}));
  EXPECT_TRUE(isInvolution({0, 1, 2}));
}

TEST(Permutation, RowsAreGatheredAndScatteredAsByTheMatrix) {
  // y = x P with P[i][j] = (i == perm[j]), and y = x P^T, as dense products.
  std::vector<int64_t> perm = {3, 0, 4, 1, 2};
  std::vector<double> x = {1, 2, 3, 4, 5, -1, -2, -3, -4, -5};
  for (bool transpose : {false, true}) {
    std::vector<double> want(10, 0.0);
    for (int r = 0; r < 2; ++r)
      for (int j = 0; j < 5; ++j)
        for (int i = 0; i < 5; ++i) {
          bool one = transpose ? j == perm[size_t(i)] : i == perm[size_t(j)];
          want[size_t(r * 5 + j)] += one ? x[size_t(r * 5 + i)] : 0.0;
        }
    std::vector<double> y = x;
    permuteRows(y.data(), 2, perm, transpose);
    EXPECT_EQ(y, want) << "transpose " << transpose;
  }
  std::vector<double> y = x;
  permuteRows(y.data(), 2, perm, false);
  permuteRows(y.data(), 2, perm, true);
  EXPECT_EQ(y, x);
}

TEST(Permutation, ColumnStatistics) {
  // 2 x 3: columns (3, -4), (0, 0), (-1, 1).
  std::vector<double> w = {3, 0, -1, -4, 0, 1};
  EXPECT_EQ(columnStatistic(w.data(), 2, 3, ChannelMetric::MaxAbs),
            (std::vector<double>{4, 0, 1}));
  std::vector<double> l2 = columnStatistic(w.data(), 2, 3, ChannelMetric::L2);
  EXPECT_DOUBLE_EQ(l2[0], 5.0);
  EXPECT_DOUBLE_EQ(l2[1], 0.0);
  EXPECT_DOUBLE_EQ(l2[2], std::sqrt(2.0));
}

TEST(Permutation, MethodsByHand) {
  //                            channel: 0  1  2  3  4  5  6  7
  std::vector<double> stat = {5, 1, 4, 2, 3, 0, 7, 6};
  RearrangeSpec sort;
  EXPECT_EQ(rearrangeChannels(stat, sort),
            (std::vector<int64_t>{5, 1, 3, 4, 2, 0, 7, 6}));
  RearrangeSpec last{RearrangeMethod::OutliersLast, /*tail=*/2, 128};
  EXPECT_EQ(rearrangeChannels(stat, last),
            (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 7, 6}));
  // Zigzag, blocks of 2 over the 6 channels outside a tail of 2: by
  // decreasing statistic 0 (5), 2 (4), 4 (3), 3 (2), 1 (1), 5 (0) go to
  // blocks 0, 1, 2, 2, 1, 0.
  RearrangeSpec zigzag{RearrangeMethod::Zigzag, 2, 2};
  EXPECT_EQ(rearrangeChannels(stat, zigzag),
            (std::vector<int64_t>{0, 5, 2, 1, 4, 3, 7, 6}));
  // Ties keep the lower index first.
  EXPECT_EQ(rearrangeChannels({1, 1, 0, 1}, sort),
            (std::vector<int64_t>{2, 0, 1, 3}));
}

TEST(Permutation, SpecCheckSaysWhy) {
  EXPECT_EQ((RearrangeSpec{RearrangeMethod::Sort, 8, 128}.check(8)),
            "a tail of 8 channel(s) needs 0 <= tail < 8 (the channel count)");
  EXPECT_EQ((RearrangeSpec{RearrangeMethod::OutliersLast, 0, 128}.check(8)),
            "outliers-last needs a tail (the number of outlier channels to "
            "move to the end)");
  EXPECT_EQ((RearrangeSpec{RearrangeMethod::Zigzag, 2, 4}.check(8)),
            "zigzag blocks of 4 do not divide the 6 channel(s) outside the "
            "tail");
  EXPECT_EQ((RearrangeSpec{RearrangeMethod::Zigzag, 0, 4}.check(8)), "");
}

// --- quantization gains (issue 14's thresholds) -----------------------------

constexpr int64_t kRows = 64, kChannels = 4096, kGroup = 128;

/// Mean squared error of absmax fake quantization of each row's groups of
/// `group` consecutive channels in [begin, end) to signed `bits`-bit ints.
double groupError(const std::vector<double> &x, int64_t begin, int64_t end,
                  int64_t group, int bits) {
  double qmax = double((1 << (bits - 1)) - 1), err = 0;
  for (int64_t r = 0; r < kRows; ++r)
    for (int64_t g = begin; g < end; g += group) {
      const double *v = &x[size_t(r * kChannels + g)];
      double amax = 0;
      for (int64_t i = 0; i < group; ++i)
        amax = std::max(amax, std::fabs(v[i]));
      double s = amax / qmax;
      for (int64_t i = 0; i < group; ++i) {
        double q = s == 0 ? 0
                          : std::clamp(std::nearbyint(v[i] / s), -qmax - 1,
                                       qmax);
        err += (q * s - v[i]) * (q * s - v[i]);
      }
    }
  return err;
}

/// x with each row gathered by perm.
std::vector<double> gathered(std::vector<double> x,
                             const std::vector<int64_t> &perm) {
  permuteRows(x.data(), kRows, perm, false);
  return x;
}

/// kRows x kChannels row-major: column c is N(0, 1) times scale(c).
template <typename Scale>
std::vector<double> channelData(uint64_t seed, Scale scale) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> scales(static_cast<size_t>(kChannels));
  for (int64_t c = 0; c < kChannels; ++c)
    scales[size_t(c)] = scale(rng, c);
  std::vector<double> x(size_t(kRows * kChannels));
  for (int64_t r = 0; r < kRows; ++r)
    for (int64_t c = 0; c < kChannels; ++c)
      x[size_t(r * kChannels + c)] = normal(rng) * scales[size_t(c)];
  return x;
}

TEST(Permutation, SortingAndAnInt8TailLowerInt4GroupError) {
  // Log-uniform per-channel scales in [0.1, 10].
  std::vector<double> x = channelData(14, [](std::mt19937_64 &rng, int64_t) {
    std::uniform_real_distribution<double> u(std::log(0.1), std::log(10.0));
    return std::exp(u(rng));
  });
  std::vector<double> stat =
      columnStatistic(x.data(), kRows, kChannels, ChannelMetric::MaxAbs);
  double plain = groupError(x, 0, kChannels, kGroup, 4);
  RearrangeSpec sort{RearrangeMethod::Sort, 128, kGroup};
  std::vector<double> sorted = gathered(x, rearrangeChannels(stat, sort));
  double grouped = groupError(sorted, 0, kChannels, kGroup, 4);
  // Atom: the last 128 channels (the largest) in INT8.
  double tailed = groupError(sorted, 0, kChannels - 128, kGroup, 4) +
                  groupError(sorted, kChannels - 128, kChannels, 128, 8);
  EXPECT_GE(plain / grouped, 1.7);
  EXPECT_GE(grouped / tailed, 1.25);
  // The same tail kept by outliers-last (the rest in place) gains too.
  RearrangeSpec last{RearrangeMethod::OutliersLast, 128, kGroup};
  std::vector<double> moved = gathered(x, rearrangeChannels(stat, last));
  double lastTailed = groupError(moved, 0, kChannels - 128, kGroup, 4) +
                      groupError(moved, kChannels - 128, kChannels, 128, 8);
  EXPECT_LT(lastTailed, plain);
  RecordProperty("sort_gain", std::to_string(plain / grouped));
  RecordProperty("tail_gain", std::to_string(grouped / tailed));
}

TEST(Permutation, ZigzagBalancesBlockMaxima) {
  // 64 outlier channels (x100) among 4096, blocks of 128.
  std::mt19937_64 pick(7);
  std::set<int64_t> outliers;
  while (outliers.size() < 64)
    outliers.insert(int64_t(pick() % kChannels));
  std::vector<double> x =
      channelData(15, [&](std::mt19937_64 &, int64_t c) {
        return outliers.count(c) ? 100.0 : 1.0;
      });
  std::vector<double> stat =
      columnStatistic(x.data(), kRows, kChannels, ChannelMetric::MaxAbs);
  RearrangeSpec zigzag{RearrangeMethod::Zigzag, 0, kGroup};
  ASSERT_EQ(zigzag.check(kChannels), "");
  std::vector<int64_t> perm = rearrangeChannels(stat, zigzag);
  ASSERT_EQ(checkPermutation(perm), "");
  double largest = 0, smallest = INFINITY;
  int64_t mostOutliers = 0;
  for (int64_t b = 0; b < kChannels / kGroup; ++b) {
    double blockMax = 0;
    int64_t count = 0;
    for (int64_t i = b * kGroup; i < (b + 1) * kGroup; ++i) {
      blockMax = std::max(blockMax, stat[size_t(perm[size_t(i)])]);
      count += outliers.count(perm[size_t(i)]);
    }
    largest = std::max(largest, blockMax);
    smallest = std::min(smallest, blockMax);
    mostOutliers = std::max(mostOutliers, count);
  }
  EXPECT_LE(mostOutliers, 2);
  EXPECT_LE(largest / smallest, 2.5);
  RecordProperty("block_max_ratio", std::to_string(largest / smallest));
  // Without rearranging, some block holds more outliers and the maxima
  // spread further (the test data is not trivially balanced).
  int64_t plainMost = 0;
  for (int64_t b = 0; b < kChannels / kGroup; ++b) {
    int64_t count = 0;
    for (int64_t i = b * kGroup; i < (b + 1) * kGroup; ++i)
      count += outliers.count(i);
    plainMost = std::max(plainMost, count);
  }
  EXPECT_GT(plainMost, 2);
}

} // namespace
