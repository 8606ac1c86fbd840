//===- Permutation.h - Channel permutations and outlier heuristics -*- C++ -*-===//
//
// A permutation of n channels is a vector `perm` holding each of 0..n-1
// once. Applied to a vector x it gathers: y[j] = x[perm[j]], which is
// y = x * P with the permutation matrix P[i][j] = (i == perm[j]). Its
// transpose scatters (y[perm[j]] = x[j]), which is the gather by the
// inverse permutation, so P * P^T = I.
//
// The heuristics take one statistic per channel (how large the channel is:
// max |x| or the L2 norm of a weight column, or a calibration statistic of
// the activation) and return the permutation that rearranges the channels:
//
//   sort           ascending by the statistic (ties: lower index first), so
//                  each quantization group holds channels of similar size
//                  and the largest channels come last;
//   outliers-last  the `tail` largest channels move to the end (ascending),
//                  every other channel keeps its relative order (Atom);
//   zigzag         the channels outside the tail, by decreasing statistic,
//                  are dealt to blocks of `blockSize` in the order
//                  0, 1, ..., B-1, B-1, ..., 1, 0, 0, 1, ... so that every
//                  block gets one of each 2B consecutive ranks and the block
//                  maxima are balanced (DuQuant); the tail follows.
//
// With `tail` > 0, the last `tail` positions of every method's result hold
// the `tail` largest channels, in ascending order: the high-precision tail.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_PERMUTATION_H
#define QC_NUMERICS_PERMUTATION_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qc::numerics {

/// Empty if `perm` holds each of 0..size()-1 exactly once; otherwise says
/// what is wrong, naming the first offending position (an entry out of
/// range, or a value that appears twice, and the values that are missing).
std::string checkPermutation(const std::vector<int64_t> &perm);

/// inv[perm[j]] = j.
std::vector<int64_t> inversePermutation(const std::vector<int64_t> &perm);

/// Whether perm[perm[j]] == j for every j (then P = P^T).
bool isInvolution(const std::vector<int64_t> &perm);

/// In place: each of the `rows` rows of `x` (perm.size() values each)
/// becomes its gather by `perm` (row * P), or its scatter with `transpose`
/// (row * P^T).
void permuteRows(double *x, int64_t rows, const std::vector<int64_t> &perm,
                 bool transpose);

/// How large a channel is, from the values along it.
enum class ChannelMetric {
  MaxAbs, // max |x|
  L2,     // sqrt(sum x^2)
};

/// The statistic of each column of a rows x cols row-major matrix (for a
/// Linear layer's N x K weight: one value per input channel).
std::vector<double> columnStatistic(const double *w, int64_t rows,
                                    int64_t cols, ChannelMetric metric);

enum class RearrangeMethod { Sort, OutliersLast, Zigzag };

/// "sort", "outliers-last", "zigzag".
const char *rearrangeMethodName(RearrangeMethod method);

struct RearrangeSpec {
  RearrangeMethod method = RearrangeMethod::Sort;
  /// The number of channels that form the high-precision tail (0: none).
  int64_t tail = 0;
  /// Zigzag's block size (the quantization group along the channels).
  int64_t blockSize = 128;

  /// Empty if the spec can rearrange `channels` channels; else why not
  /// (a tail that is not smaller than the channel count, outliers-last
  /// without a tail, zigzag blocks that do not divide the channels
  /// outside the tail).
  std::string check(int64_t channels) const;
};

/// The permutation (a gather, as above) that rearranges channels whose
/// statistics are `statistic`. The spec must pass check(statistic.size());
/// statistics must be finite.
std::vector<int64_t> rearrangeChannels(const std::vector<double> &statistic,
                                       const RearrangeSpec &spec);

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_PERMUTATION_H
