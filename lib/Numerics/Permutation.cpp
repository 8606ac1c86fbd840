//===- Permutation.cpp - Channel permutations and outlier heuristics ------===//

#include "qc/Numerics/Permutation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace mlir::qc::numerics {

std::string checkPermutation(const std::vector<int64_t> &perm) {
  int64_t n = int64_t(perm.size());
  std::vector<int64_t> seenAt(static_cast<size_t>(n), -1);
  for (int64_t j = 0; j < n; ++j) {
    int64_t v = perm[size_t(j)];
    std::ostringstream os;
    if (v < 0 || v >= n) {
      os << "entry " << j << " is " << v << ", outside [0, " << n << ")";
      return os.str();
    }
    if (seenAt[size_t(v)] >= 0) {
      int64_t missing = 0;
      while (missing < n &&
             std::find(perm.begin(), perm.end(), missing) != perm.end())
        ++missing;
      os << v << " appears at positions " << seenAt[size_t(v)] << " and " << j
         << " (" << missing << " is missing)";
      return os.str();
    }
    seenAt[size_t(v)] = j;
  }
  return "";
}

std::vector<int64_t> inversePermutation(const std::vector<int64_t> &perm) {
  std::vector<int64_t> inv(perm.size());
  for (size_t j = 0; j < perm.size(); ++j)
    inv[size_t(perm[j])] = int64_t(j);
  return inv;
}

bool isInvolution(const std::vector<int64_t> &perm) {
  for (size_t j = 0; j < perm.size(); ++j)
    if (perm[size_t(perm[j])] != int64_t(j))
      return false;
  return true;
}

void permuteRows(double *x, int64_t rows, const std::vector<int64_t> &perm,
                 bool transpose) {
  size_t n = perm.size();
  std::vector<double> row(n);
  for (int64_t r = 0; r < rows; ++r) {
    double *v = x + size_t(r) * n;
    for (size_t j = 0; j < n; ++j) {
      if (transpose)
        row[size_t(perm[j])] = v[j];
      else
        row[j] = v[size_t(perm[j])];
    }
    std::copy(row.begin(), row.end(), v);
  }
}

std::vector<double> columnStatistic(const double *w, int64_t rows,
                                    int64_t cols, ChannelMetric metric) {
  std::vector<double> stat(static_cast<size_t>(cols), 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      double v = w[size_t(r * cols + c)];
      double &s = stat[size_t(c)];
      s = metric == ChannelMetric::MaxAbs ? std::max(s, std::fabs(v))
                                          : s + v * v;
    }
  if (metric == ChannelMetric::L2)
    for (double &s : stat)
      s = std::sqrt(s);
  return stat;
}

const char *rearrangeMethodName(RearrangeMethod method) {
  switch (method) {
  case RearrangeMethod::Sort:
    return "sort";
  case RearrangeMethod::OutliersLast:
    return "outliers-last";
  case RearrangeMethod::Zigzag:
    return "zigzag";
  }
  return "?";
}

std::string RearrangeSpec::check(int64_t channels) const {
  std::ostringstream os;
  if (tail < 0 || tail >= channels) {
    os << "a tail of " << tail << " channel(s) needs 0 <= tail < " << channels
       << " (the channel count)";
    return os.str();
  }
  if (method == RearrangeMethod::OutliersLast && tail == 0)
    return "outliers-last needs a tail (the number of outlier channels to "
           "move to the end)";
  if (method == RearrangeMethod::Zigzag &&
      (blockSize <= 0 || (channels - tail) % blockSize != 0)) {
    os << "zigzag blocks of " << blockSize << " do not divide the "
       << channels - tail << " channel(s) outside the tail";
    return os.str();
  }
  return "";
}

std::vector<int64_t> rearrangeChannels(const std::vector<double> &statistic,
                                       const RearrangeSpec &spec) {
  int64_t n = int64_t(statistic.size());
  // Channels by increasing statistic, ties by index.
  std::vector<int64_t> ascending(static_cast<size_t>(n));
  std::iota(ascending.begin(), ascending.end(), 0);
  std::stable_sort(ascending.begin(), ascending.end(),
                   [&](int64_t a, int64_t b) {
                     return statistic[size_t(a)] < statistic[size_t(b)];
                   });
  if (spec.method == RearrangeMethod::Sort)
    return ascending;
  std::vector<int64_t> tail(ascending.end() - spec.tail, ascending.end());
  std::vector<bool> inTail(static_cast<size_t>(n), false);
  for (int64_t c : tail)
    inTail[size_t(c)] = true;
  std::vector<int64_t> perm;
  perm.reserve(size_t(n));
  if (spec.method == RearrangeMethod::OutliersLast) {
    for (int64_t c = 0; c < n; ++c)
      if (!inTail[size_t(c)])
        perm.push_back(c);
  } else {
    // Zigzag over the channels outside the tail, largest first.
    int64_t blocks = (n - spec.tail) / spec.blockSize;
    std::vector<std::vector<int64_t>> members(static_cast<size_t>(blocks));
    int64_t rank = 0;
    for (auto it = ascending.rbegin() + spec.tail; it != ascending.rend();
         ++it, ++rank) {
      int64_t turn = rank % (2 * blocks);
      int64_t b = turn < blocks ? turn : 2 * blocks - 1 - turn;
      members[size_t(b)].push_back(*it);
    }
    for (const std::vector<int64_t> &block : members)
      perm.insert(perm.end(), block.begin(), block.end());
  }
  perm.insert(perm.end(), tail.begin(), tail.end());
  return perm;
}

} // namespace mlir::qc::numerics
