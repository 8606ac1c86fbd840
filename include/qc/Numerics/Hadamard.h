//===- Hadamard.h - Hadamard rotations and the fast transform ---*- C++ -*-===//
//
// The orthogonal transforms qc rotates tensors by. A Hadamard rotation of
// size n = K * m (m = 2^k) is
//
//   Q = D * (H_K (x) H_m) / sqrt(n)
//
// with H_m Sylvester's matrix (H_1 = [1], H_2j = [[H_j, H_j], [H_j, -H_j]]),
// H_K a named base matrix of order K (K = 1: [1]; otherwise a Paley
// construction, below), (x) the Kronecker product and D = diag(d) a diagonal
// of signs (the identity without signs). Q is orthogonal; it is symmetric
// only when K = 1 and there are no signs.
//
// A tensor is rotated along an axis by multiplying its vectors along that
// axis as rows: y = x * Q (or x * Q^T).
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_HADAMARD_H
#define QC_NUMERICS_HADAMARD_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qc::numerics {

/// The base matrix H_K of a Hadamard rotation.
enum class HadamardBase {
  /// K = 1.
  None,
  /// Paley I, K = q + 1 for a prime q = 3 (mod 4): H = I + S with
  /// S = [[0, 1^T], [-1, J]].
  Paley1,
  /// Paley II, K = 2(q + 1) for a prime q = 1 (mod 4): H = C (x) [[1, 1],
  /// [1, -1]] + I (x) [[1, -1], [-1, -1]] with C = [[0, 1^T], [1, J]].
  Paley2,
};
// In both, J is the Jacobsthal matrix of q: J[i][j] = chi(j - i), chi the
// quadratic character modulo q (0 at 0, 1 on nonzero squares, -1 else).

/// The largest Hadamard rotation qc builds: 2^24 = 16777216 entries per
/// vector (its signs are materialized; model widths are below 2^16).
constexpr int64_t kMaxHadamardSize = int64_t(1) << 24;
/// The largest dense base K: its K x K entries are materialized (K = 8192
/// is 64 Mi entries).
constexpr int64_t kMaxHadamardBaseOrder = 8192;

struct HadamardSpec {
  int64_t size = 0;
  HadamardBase base = HadamardBase::None;
  /// The prime of a Paley base.
  int64_t q = 0;
  /// D's diagonal (+1 or -1 each), or empty for the identity.
  std::vector<int8_t> signs;

  /// K: 1, q + 1 or 2(q + 1).
  int64_t baseOrder() const;
  /// Why this spec is not a valid rotation, or empty: the size must be K
  /// times a power of two and at most kMaxHadamardSize, K at most
  /// kMaxHadamardBaseOrder, q a prime of the right residue, signs of the
  /// right length and +-1.
  std::string check() const;
};

/// Whether q is a prime.
bool isPrime(int64_t q);

/// H_K of `base` with prime q, row-major, entries +1/-1.
std::vector<int> paleyMatrix(HadamardBase base, int64_t q);

/// The Paley bases of order K <= maxOrder as (base, q), by order.
std::vector<std::pair<HadamardBase, int64_t>> paleyBases(int64_t maxOrder);

/// Sign i of the random-sign diagonal with this seed: bit 0 of
/// splitmix64(seed + i * 0x9E3779B97F4A7C15) (1 -> -1, 0 -> +1).
std::vector<int8_t> randomSigns(uint64_t seed, int64_t n);

/// In place: x (length n, a power of two) becomes x * H_n / sqrt(n), by the
/// O(n log n) butterfly.
void fastWalshHadamard(double *x, int64_t n);
void fastWalshHadamard(float *x, int64_t n);

/// In place: each of the `rows` rows of x (length spec.size) becomes
/// row * Q, or row * Q^T with `transpose`.
void applyHadamard(const HadamardSpec &spec, double *x, int64_t rows,
                   bool transpose = false);
void applyHadamard(const HadamardSpec &spec, float *x, int64_t rows,
                   bool transpose = false);

/// Q itself, row-major n x n (for tests and small sizes).
std::vector<double> hadamardMatrix(const HadamardSpec &spec);

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_HADAMARD_H
