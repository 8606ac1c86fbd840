//===- BitAllocation.h - Mixed precision under a budget ---------*- C++ -*-===//
//
// The multiple-choice knapsack of bit allocation, solved exactly: units
// (Linear layers' weights) each take exactly one of their candidates (a
// format), every candidate has a loss and one cost per constraint, and the
// sum of each cost must stay within its limit. The objective is the sum of
// the losses. Ties make units share one candidate index.
//
// The solver is a dynamic program over Pareto-optimal partial solutions:
// after unit i, it keeps every (cost vector, loss) of the units 0..i that no
// other partial solution beats in every cost and the loss (and that is
// within the limits). Any optimal solution's prefix is such a state or is
// matched by one with equal costs and loss, so the best final state is an
// optimum: the answer is exact for any costs, not only integers.
//
// With one cost the front is a staircase no larger than the number of
// distinct totals; with two it is found in O(n log n) per step. With
// real-valued costs under several limits it can grow without bound (a
// 224-layer model with 6 candidates, bits and a latency: millions of
// states). So the search is pruned, exactly, by branch and bound: Lagrange
// multipliers for the limits (a grid search, then subgradient steps) give
// a lower bound on every state's completions, and a feasible answer (the
// multipliers' choice, repaired and improved greedily, or a coarse run's)
// an upper bound. A front still beyond `maxStates` is merged on a grid:
// states whose costs share a cell keep only the least loss. Each step costs
// O(maxStates x candidates x log), so the time is linear in the units. The
// answer is always feasible; `Allocation::optimal` says whether it is
// exact, and `Allocation::lowerBound` (the dual bound) how far from the
// optimum it can be otherwise.
//
// Also here: the heavy-tail metric of AlphaQ (the Hill estimator of the
// power-law exponent of the eigenvalues of W^T W), with the eigenvalues from
// LAPACK.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_BITALLOCATION_H
#define QC_NUMERICS_BITALLOCATION_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qc::numerics {

struct AllocationCandidate {
  double loss = 0;
  /// One cost per constraint of the problem.
  std::vector<double> cost;
  /// False when the candidate cannot be used for this unit (a format that
  /// does not fit the tensor): it is never chosen.
  bool available = true;
};

struct AllocationUnit {
  std::string name;
  std::vector<AllocationCandidate> candidates;
};

struct AllocationConstraint {
  /// What the cost counts ("bits", "bytes", "latency"), for messages.
  std::string name;
  double limit = 0;
};

struct AllocationProblem {
  std::vector<AllocationUnit> units;
  std::vector<AllocationConstraint> constraints;
  /// Groups of unit indices that must take the same candidate index (their
  /// candidate lists must be equally long).
  std::vector<std::vector<size_t>> ties;
  /// Beyond this many Pareto states at one step, states merge on a grid
  /// (see above): the bound on the work per unit.
  size_t maxStates = size_t(1) << 15;
};

struct Allocation {
  /// The candidate index chosen for each unit.
  std::vector<size_t> choice;
  double objective = 0;
  /// Each constraint's total cost.
  std::vector<double> used;
  /// The largest Pareto front the dynamic program kept.
  size_t peakStates = 0;
  /// True: no assignment has a smaller objective (the dynamic program ran
  /// to the end over all Pareto-optimal partial solutions).
  bool optimal = false;
  /// Per constraint, 0 when exact; else the objective is at most the
  /// optimum under each limit reduced by this much (states were merged).
  std::vector<double> limitTightening;
  /// A proven lower bound on the optimum (the objective when exact; else
  /// the Lagrangian dual bound): the answer is within objective -
  /// lowerBound of the best assignment.
  double lowerBound = 0;
};

/// Solves `problem` exactly. On failure returns std::nullopt and sets
/// `error`: a tie whose units share no available candidate (naming them),
/// a unit with no available candidate, a limit below the smallest total
/// cost any assignment reaches (naming that smallest feasible limit; with
/// several constraints, also when each fits alone but not all together)
/// or mismatched candidate counts.
std::optional<Allocation> solveAllocation(const AllocationProblem &problem,
                                          std::string &error);

/// The Hill estimate of the power-law exponent alpha of the density of
/// `eigenvalues` (any order; the positive ones are used): with
/// lambda_1 >= lambda_2 >= ... and k = max(2, floor(tailFraction * n)),
///   alpha = 1 + k / sum_{i=1..k} ln(lambda_i / lambda_(k+1)).
/// A heavier tail gives a smaller alpha. std::nullopt with fewer than 3
/// positive eigenvalues or a degenerate tail (all equal).
std::optional<double> hillAlpha(std::vector<double> eigenvalues,
                                double tailFraction = 0.1);

/// The eigenvalues of W^T W (or of W W^T, which has the same nonzero ones,
/// when that is smaller) for a rows x cols row-major W, ascending, from
/// LAPACK's dsyevd. Empty on a LAPACK failure.
std::vector<double> gramEigenvalues(const double *w, int64_t rows,
                                    int64_t cols);

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_BITALLOCATION_H
