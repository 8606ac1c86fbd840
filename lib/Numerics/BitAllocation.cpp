//===- BitAllocation.cpp - Mixed precision under a budget -----------------===//

#include "qc/Numerics/BitAllocation.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <sstream>

// LAPACK and BLAS (OpenBLAS), Fortran interface.
extern "C" {
void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k,
            const double *alpha, const double *a, const int *lda,
            const double *beta, double *c, const int *ldc);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a,
             const int *lda, double *w, double *work, const int *lwork,
             int *iwork, const int *liwork, int *info);
}

namespace mlir::qc::numerics {

namespace {

/// Units merged by their ties: each group takes one candidate index.
struct Group {
  std::vector<size_t> members;
  std::vector<AllocationCandidate> candidates; // summed over the members
};

std::string joinNames(const AllocationProblem &p,
                      const std::vector<size_t> &units) {
  std::string s;
  for (size_t i = 0; i < units.size(); ++i)
    s += (i ? ", " : "") + ("'" + p.units[units[i]].name + "'");
  return s;
}

std::string number(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

} // namespace

std::optional<Allocation> solveAllocation(const AllocationProblem &problem,
                                          std::string &error) {
  const size_t numUnits = problem.units.size();
  const size_t numCosts = problem.constraints.size();
  for (const AllocationUnit &u : problem.units) {
    if (u.candidates.empty()) {
      error = "unit '" + u.name + "' has no candidates";
      return std::nullopt;
    }
    for (const AllocationCandidate &c : u.candidates)
      if (c.cost.size() != numCosts || !std::isfinite(c.loss)) {
        error = "unit '" + u.name + "' has a candidate with " +
                std::to_string(c.cost.size()) + " cost(s) for " +
                std::to_string(numCosts) +
                " constraint(s), or a non-finite loss";
        return std::nullopt;
      }
  }
  // Ties: union-find over the units.
  std::vector<size_t> parent(numUnits);
  std::iota(parent.begin(), parent.end(), 0);
  std::function<size_t(size_t)> find = [&](size_t i) {
    return parent[i] == i ? i : parent[i] = find(parent[i]);
  };
  for (const std::vector<size_t> &tie : problem.ties)
    for (size_t i : tie) {
      if (i >= numUnits) {
        error = "a tie names unit " + std::to_string(i) + " of " +
                std::to_string(numUnits);
        return std::nullopt;
      }
      parent[find(i)] = find(tie.front());
    }
  std::vector<Group> groups;
  std::vector<size_t> groupOf(numUnits, SIZE_MAX);
  for (size_t i = 0; i < numUnits; ++i) {
    size_t root = find(i);
    if (groupOf[root] == SIZE_MAX) {
      groupOf[root] = groups.size();
      groups.push_back({});
    }
    groups[groupOf[root]].members.push_back(i);
  }
  for (Group &g : groups) {
    size_t n = problem.units[g.members.front()].candidates.size();
    for (size_t m : g.members)
      if (problem.units[m].candidates.size() != n) {
        error = "the tied units " + joinNames(problem, g.members) +
                " have different numbers of candidates";
        return std::nullopt;
      }
    g.candidates.assign(n, AllocationCandidate{0, std::vector<double>(numCosts, 0), true});
    for (size_t m : g.members)
      for (size_t j = 0; j < n; ++j) {
        const AllocationCandidate &c = problem.units[m].candidates[j];
        AllocationCandidate &s = g.candidates[j];
        s.available = s.available && c.available;
        s.loss += c.loss;
        for (size_t k = 0; k < numCosts; ++k)
          s.cost[k] += c.cost[k];
      }
    if (std::none_of(g.candidates.begin(), g.candidates.end(),
                     [](const AllocationCandidate &c) { return c.available; })) {
      error = g.members.size() > 1
                  ? "the tied units " + joinNames(problem, g.members) +
                        " share no candidate that each of them can take"
                  : "unit '" + problem.units[g.members.front()].name +
                        "' has no candidate it can take";
      return std::nullopt;
    }
  }
  // The smallest total of each cost, every group at its cheapest
  // candidate for that cost, and the tolerance of comparisons with limits.
  std::vector<double> tolerance(numCosts);
  std::vector<std::vector<double>> minRemaining(
      groups.size() + 1, std::vector<double>(numCosts, 0.0));
  for (size_t g = groups.size(); g-- > 0;)
    for (size_t k = 0; k < numCosts; ++k) {
      double cheapest = std::numeric_limits<double>::infinity();
      for (const AllocationCandidate &c : groups[g].candidates)
        if (c.available)
          cheapest = std::min(cheapest, c.cost[k]);
      minRemaining[g][k] = minRemaining[g + 1][k] + cheapest;
    }
  for (size_t k = 0; k < numCosts; ++k) {
    const AllocationConstraint &c = problem.constraints[k];
    tolerance[k] = 1e-9 * std::max(1.0, std::fabs(c.limit));
    if (minRemaining[0][k] > c.limit + tolerance[k]) {
      error = "the " + c.name + " limit " + number(c.limit) +
              " is below the smallest feasible " + c.name + " " +
              number(minRemaining[0][k]) +
              " (every unit at its cheapest candidate)";
      return std::nullopt;
    }
  }
  // The dynamic program over Pareto-optimal partial assignments.
  struct State {
    std::vector<double> cost;
    double loss;
    size_t parent; // index into the previous step's states
    size_t choice;
  };
  std::vector<std::vector<State>> steps;
  steps.push_back({State{std::vector<double>(numCosts, 0.0), 0.0, 0, 0}});
  size_t peak = 1;
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<State> &prev = steps.back();
    std::vector<State> next;
    for (size_t s = 0; s < prev.size(); ++s)
      for (size_t j = 0; j < groups[g].candidates.size(); ++j) {
        const AllocationCandidate &c = groups[g].candidates[j];
        if (!c.available)
          continue;
        State n{prev[s].cost, prev[s].loss + c.loss, s, j};
        bool fits = true;
        for (size_t k = 0; k < numCosts && fits; ++k) {
          n.cost[k] += c.cost[k];
          // (What the remaining groups need at least must still fit.)
          fits = n.cost[k] + minRemaining[g + 1][k] <=
                 problem.constraints[k].limit + tolerance[k];
        }
        if (fits)
          next.push_back(std::move(n));
      }
    // Keep the states no other state beats in every cost and the loss.
    std::sort(next.begin(), next.end(), [](const State &a, const State &b) {
      return a.loss != b.loss ? a.loss < b.loss : a.cost < b.cost;
    });
    std::vector<State> front;
    if (numCosts == 1) {
      // By loss ascending, a state survives if it is cheaper than every
      // state kept before it.
      double cheapest = std::numeric_limits<double>::infinity();
      for (State &st : next)
        if (st.cost[0] < cheapest) {
          cheapest = st.cost[0];
          front.push_back(std::move(st));
        }
    } else {
      for (State &st : next) {
        bool dominated = false;
        for (const State &kept : front) {
          bool le = true;
          for (size_t k = 0; k < numCosts && le; ++k)
            le = kept.cost[k] <= st.cost[k];
          if (le) {
            dominated = true;
            break;
          }
        }
        if (!dominated)
          front.push_back(std::move(st));
      }
    }
    if (front.empty()) {
      std::string each;
      for (size_t k = 0; k < numCosts; ++k)
        each += (k ? ", " : "") + problem.constraints[k].name + " >= " +
                number(minRemaining[0][k]);
      error = "no assignment meets all " + std::to_string(numCosts) +
              " limits together, though each alone can be met (" + each + ")";
      return std::nullopt;
    }
    if (front.size() > problem.maxStates) {
      error = "the exact allocation needs more than " +
              std::to_string(problem.maxStates) +
              " Pareto states; reduce the candidates or tie units";
      return std::nullopt;
    }
    peak = std::max(peak, front.size());
    steps.push_back(std::move(front));
  }
  // The best final state (front sorted by loss) and its choices.
  Allocation result;
  result.choice.assign(numUnits, 0);
  const State &best = steps.back().front();
  result.objective = best.loss;
  result.used = best.cost;
  size_t index = 0;
  for (size_t g = groups.size(); g > 0; --g) {
    const State &st = g == groups.size() ? best : steps[g][index];
    for (size_t m : groups[g - 1].members)
      result.choice[m] = st.choice;
    index = st.parent;
  }
  result.peakStates = peak;
  result.optimal = true;
  return result;
}

std::optional<double> hillAlpha(std::vector<double> eigenvalues,
                                double tailFraction) {
  eigenvalues.erase(std::remove_if(eigenvalues.begin(), eigenvalues.end(),
                                   [](double v) { return !(v > 0); }),
                    eigenvalues.end());
  size_t n = eigenvalues.size();
  if (n < 3)
    return std::nullopt;
  std::sort(eigenvalues.begin(), eigenvalues.end(), std::greater<double>());
  size_t k = std::max<size_t>(2, size_t(tailFraction * double(n)));
  k = std::min(k, n - 1);
  double sum = 0;
  for (size_t i = 0; i < k; ++i)
    sum += std::log(eigenvalues[i] / eigenvalues[k]);
  if (!(sum > 0))
    return std::nullopt;
  return 1.0 + double(k) / sum;
}

std::vector<double> gramEigenvalues(const double *w, int64_t rows,
                                    int64_t cols) {
  // Row-major W is column-major W^T (cols x rows, leading dimension cols).
  bool wtw = cols <= rows;
  int n = int(wtw ? cols : rows), k = int(wtw ? rows : cols), lda = int(cols);
  std::vector<double> gram(size_t(n) * size_t(n), 0.0);
  const double one = 1.0, zero = 0.0;
  dsyrk_("U", wtw ? "N" : "T", &n, &k, &one, w, &lda, &zero, gram.data(), &n);
  std::vector<double> values(static_cast<size_t>(n));
  int lwork = -1, liwork = -1, info = 0, iworkSize = 0;
  double workSize = 0;
  dsyevd_("N", "U", &n, gram.data(), &n, values.data(), &workSize, &lwork,
          &iworkSize, &liwork, &info);
  if (info != 0)
    return {};
  lwork = int(workSize);
  liwork = iworkSize;
  std::vector<double> work(static_cast<size_t>(std::max(lwork, 1)));
  std::vector<int> iwork(static_cast<size_t>(std::max(liwork, 1)));
  dsyevd_("N", "U", &n, gram.data(), &n, values.data(), work.data(), &lwork,
          iwork.data(), &liwork, &info);
  if (info != 0)
    return {};
  return values;
}

} // namespace mlir::qc::numerics
