//===- BitAllocation.cpp - Mixed precision under a budget -----------------===//

#include "qc/Numerics/BitAllocation.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
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
  // The dynamic program over Pareto-optimal partial assignments, with
  // states whose loss bound exceeds `incumbent` dropped (exact: `bound`
  // is a lower bound on every completion's loss) and, beyond `maxStates`
  // states, merged on a grid.
  struct State {
    std::vector<double> cost;
    double loss;
    size_t parent; // index into the previous step's states
    size_t choice;
  };
  auto runDP = [&](size_t maxStates, double incumbent,
                   const std::function<double(size_t, const State &)> &bound)
      -> std::optional<Allocation> {
  std::vector<std::vector<State>> steps;
  steps.push_back({State{std::vector<double>(numCosts, 0.0), 0.0, 0, 0}});
  // The merge grid (none until a front exceeds the state bound): it starts
  // at 1/1024 of each limit spread over the groups and doubles as needed.
  std::vector<double> cell(numCosts, 0.0), initialCell(numCosts),
      slack(numCosts, 0.0);
  for (size_t k = 0; k < numCosts; ++k) {
    double scale = problem.constraints[k].limit > 0
                       ? problem.constraints[k].limit
                       : std::max(1.0, minRemaining[0][k]);
    initialCell[k] = scale / (1024.0 * double(std::max<size_t>(1, groups.size())));
  }
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
        if (fits && bound && bound(g + 1, n) > incumbent)
          fits = false;
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
    } else if (numCosts == 2) {
      // By loss ascending, a state survives if no state kept before it
      // costs no more in both costs: the kept (cost0, cost1) minima form a
      // staircase (cost0 ascending, cost1 descending), and the step at or
      // left of cost0 has the smallest cost1 among costs0 <= cost0. One
      // O(log n) query and an amortized O(1) update per state, where the
      // general loop below compares every pair.
      std::map<double, double> stairs;
      for (State &st : next) {
        double c0 = st.cost[0], c1 = st.cost[1];
        auto at = stairs.upper_bound(c0);
        if (at != stairs.begin() && std::prev(at)->second <= c1)
          continue;
        // (c0, c1) is a new step; the steps right of it that it beats go.
        auto it = stairs.lower_bound(c0);
        while (it != stairs.end() && it->second >= c1)
          it = stairs.erase(it);
        stairs[c0] = c1;
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
    // Beyond the state bound, states whose costs fall in one cell of a grid
    // of widths `cell` merge into the one with the least loss (the front
    // is sorted by loss). The kept state costs less than a cell more than
    // any state it replaces, so the result is at most the optimum under
    // the limits tightened by the sum of the cell widths used (`slack`).
    if (front.size() > maxStates) {
      bool merged = false;
      while (front.size() > maxStates) {
        for (size_t k = 0; k < numCosts; ++k)
          cell[k] = cell[k] > 0 ? 2 * cell[k] : initialCell[k];
        std::map<std::vector<int64_t>, bool> seen;
        std::vector<State> kept;
        for (State &st : front) {
          std::vector<int64_t> key(numCosts);
          for (size_t k = 0; k < numCosts; ++k)
            key[k] = int64_t(std::floor(st.cost[k] / cell[k]));
          if (seen.emplace(std::move(key), true).second)
            kept.push_back(std::move(st));
        }
        front = std::move(kept);
        merged = true;
      }
      if (merged)
        for (size_t k = 0; k < numCosts; ++k)
          slack[k] += cell[k];
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
  result.limitTightening = slack;
  result.optimal = std::all_of(slack.begin(), slack.end(),
                               [](double v) { return v == 0; });
  result.lowerBound = result.optimal ? result.objective : 0.0;
  return result;
  };

  // 1. A feasible answer from a coarse run (fronts merged above 1024
  //    states): exact already when nothing merged.
  std::optional<Allocation> coarse =
      runDP(std::min<size_t>(problem.maxStates, 1024),
            std::numeric_limits<double>::infinity(), nullptr);
  if (!coarse || coarse->optimal)
    return coarse;
  // 2. Lagrange multipliers lambda >= 0 for the limits: for any of them,
  //    a state's completions lose at least
  //      loss + sum_{h >= g} min_j (loss_hj + lambda . cost_hj)
  //           - lambda . (limit - cost),
  //    weak duality over the remaining groups. The multipliers that make
  //    the bound of the empty state largest (a search on a log grid, per
  //    constraint in turn) prune best.
  // A group's candidate of least loss + lambda . cost (its Lagrangian
  // choice), and that value.
  auto lagrangianChoice = [&](const Group &g, const std::vector<double> &lambda,
                              double &value) {
    size_t best = 0;
    value = std::numeric_limits<double>::infinity();
    for (size_t j = 0; j < g.candidates.size(); ++j) {
      const AllocationCandidate &c = g.candidates[j];
      if (!c.available)
        continue;
      double v = c.loss;
      for (size_t k = 0; k < numCosts; ++k)
        v += lambda[k] * c.cost[k];
      if (v < value) {
        value = v;
        best = j;
      }
    }
    return best;
  };
  auto suffixSums = [&](const std::vector<double> &lambda) {
    std::vector<double> sums(groups.size() + 1, 0.0);
    for (size_t g = groups.size(); g-- > 0;) {
      double best;
      lagrangianChoice(groups[g], lambda, best);
      sums[g] = sums[g + 1] + best;
    }
    return sums;
  };
  auto dual = [&](const std::vector<double> &lambda) {
    double v = suffixSums(lambda)[0];
    for (size_t k = 0; k < numCosts; ++k)
      v -= lambda[k] * problem.constraints[k].limit;
    return v;
  };
  // The scale of lambda: loss per unit of cost between candidates.
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const Group &g : groups)
    for (const AllocationCandidate &a : g.candidates)
      for (const AllocationCandidate &b : g.candidates)
        for (size_t k = 0; k < numCosts; ++k) {
          double dc = a.cost[k] - b.cost[k], dl = b.loss - a.loss;
          if (a.available && b.available && dc > 0 && dl > 0) {
            lo = std::min(lo, dl / dc);
            hi = std::max(hi, dl / dc);
          }
        }
  std::vector<double> lambda(numCosts, 0.0);
  if (hi > 0) {
    double best = dual(lambda);
    for (int round = 0; round < 3; ++round)
      for (size_t k = 0; k < numCosts; ++k)
        for (int e = 0; e <= 48; ++e) {
          std::vector<double> trial = lambda;
          trial[k] = e == 0 ? 0.0
                            : lo / 10 * std::pow(100 * hi / lo, (e - 1) / 47.0);
          double v = dual(trial);
          if (v > best) {
            best = v;
            lambda = trial;
          }
        }
  }
  // Then subgradient ascent with Polyak steps toward the coarse answer's
  // loss: the gradient of the dual is the cost of each group's Lagrangian
  // choice, summed, minus the limit.
  {
    double best = dual(lambda);
    std::vector<double> point = lambda;
    for (int it = 0; it < 300; ++it) {
      std::vector<double> grad(numCosts, 0.0);
      for (const Group &g : groups) {
        double unused;
        const AllocationCandidate &arg =
            g.candidates[lagrangianChoice(g, point, unused)];
        for (size_t k = 0; k < numCosts; ++k)
          grad[k] += arg.cost[k];
      }
      double norm = 0;
      for (size_t k = 0; k < numCosts; ++k) {
        grad[k] -= problem.constraints[k].limit;
        norm += grad[k] * grad[k];
      }
      double value = dual(point);
      if (value > best) {
        best = value;
        lambda = point;
      }
      if (norm == 0 || coarse->objective <= value)
        break;
      double step = (coarse->objective - value) / norm;
      for (size_t k = 0; k < numCosts; ++k)
        point[k] = std::max(0.0, point[k] + step * grad[k]);
    }
  }
  double dualBound = dual(lambda);
  // A second feasible answer from the multipliers: each group's Lagrangian
  // choice, repaired (the move that removes the most relative excess per
  // unit of added loss, until every limit holds), then improved (moves
  // that lower the loss and keep the limits). Near the dual bound when the
  // bound is tight, it lets the bounded run prune almost everything.
  double incumbentLoss = coarse->objective;
  std::vector<size_t> pick(groups.size());
  {
    std::vector<double> used(numCosts, 0.0);
    double loss = 0;
    for (size_t g = 0; g < groups.size(); ++g) {
      double unused;
      pick[g] = lagrangianChoice(groups[g], lambda, unused);
      const AllocationCandidate &c = groups[g].candidates[pick[g]];
      loss += c.loss;
      for (size_t k = 0; k < numCosts; ++k)
        used[k] += c.cost[k];
    }
    auto excess = [&](const std::vector<double> &u) {
      double e = 0;
      for (size_t k = 0; k < numCosts; ++k) {
        double limit = problem.constraints[k].limit;
        e += std::max(0.0, u[k] - limit - tolerance[k]) /
             std::max(1e-300, std::fabs(limit));
      }
      return e;
    };
    for (size_t guard = 0; excess(used) > 0 && guard < 64 * groups.size();
         ++guard) {
      double bestRatio = std::numeric_limits<double>::infinity();
      size_t bg = 0, bj = 0;
      double before = excess(used);
      for (size_t g = 0; g < groups.size(); ++g)
        for (size_t j = 0; j < groups[g].candidates.size(); ++j) {
          const AllocationCandidate &c = groups[g].candidates[j];
          const AllocationCandidate &cur = groups[g].candidates[pick[g]];
          if (!c.available || j == pick[g])
            continue;
          std::vector<double> u = used;
          for (size_t k = 0; k < numCosts; ++k)
            u[k] += c.cost[k] - cur.cost[k];
          double gain = before - excess(u);
          if (gain <= 0)
            continue;
          double ratio = std::max(0.0, c.loss - cur.loss) / gain;
          if (ratio < bestRatio) {
            bestRatio = ratio;
            bg = g;
            bj = j;
          }
        }
      if (!std::isfinite(bestRatio))
        break;
      const AllocationCandidate &cur = groups[bg].candidates[pick[bg]];
      const AllocationCandidate &c = groups[bg].candidates[bj];
      loss += c.loss - cur.loss;
      for (size_t k = 0; k < numCosts; ++k)
        used[k] += c.cost[k] - cur.cost[k];
      pick[bg] = bj;
    }
    if (excess(used) == 0) {
      bool improved = true;
      for (size_t guard = 0; improved && guard < 64; ++guard) {
        improved = false;
        for (size_t g = 0; g < groups.size(); ++g)
          for (size_t j = 0; j < groups[g].candidates.size(); ++j) {
            const AllocationCandidate &c = groups[g].candidates[j];
            const AllocationCandidate &cur = groups[g].candidates[pick[g]];
            if (!c.available || c.loss >= cur.loss)
              continue;
            bool fits = true;
            for (size_t k = 0; k < numCosts && fits; ++k)
              fits = used[k] + c.cost[k] - cur.cost[k] <=
                     problem.constraints[k].limit + tolerance[k];
            if (!fits)
              continue;
            loss += c.loss - cur.loss;
            for (size_t k = 0; k < numCosts; ++k)
              used[k] += c.cost[k] - cur.cost[k];
            pick[g] = j;
            improved = true;
          }
      }
      incumbentLoss = std::min(incumbentLoss, loss);
    }
  }
  std::vector<double> sums = suffixSums(lambda);
  auto lowerBound = [&](size_t g, const State &st) {
    double v = st.loss + sums[g];
    for (size_t k = 0; k < numCosts; ++k)
      v -= lambda[k] * (problem.constraints[k].limit - st.cost[k]);
    return v;
  };
  // 3. The exact run, pruned by the coarse answer's loss (an optimum is
  //    never pruned: its bound is at most its loss, at most the incumbent).
  double incumbent =
      incumbentLoss + 1e-9 * std::max(1.0, std::fabs(incumbentLoss));
  std::optional<Allocation> fine =
      runDP(problem.maxStates, incumbent, lowerBound);
  // The greedy answer, when it is the best of the three.
  std::optional<Allocation> greedy;
  if (incumbentLoss < coarse->objective &&
      (!fine || incumbentLoss < fine->objective)) {
    greedy.emplace();
    greedy->choice.assign(numUnits, 0);
    greedy->used.assign(numCosts, 0.0);
    for (size_t g = 0; g < groups.size(); ++g) {
      const AllocationCandidate &c = groups[g].candidates[pick[g]];
      greedy->objective += c.loss;
      for (size_t k = 0; k < numCosts; ++k)
        greedy->used[k] += c.cost[k];
      for (size_t m : groups[g].members)
        greedy->choice[m] = pick[g];
    }
    greedy->limitTightening =
        fine ? fine->limitTightening : coarse->limitTightening;
  }
  Allocation &answer = greedy ? *greedy
                       : (!fine || fine->objective > coarse->objective)
                           ? *coarse
                           : *fine;
  answer.peakStates = std::max(fine ? fine->peakStates : size_t(0),
                               coarse->peakStates);
  // Weak duality: no assignment within the limits loses less.
  answer.lowerBound = std::min(dualBound, answer.objective);
  if (answer.optimal)
    answer.lowerBound = answer.objective;
  return answer;
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
