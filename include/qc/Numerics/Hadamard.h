//===- Hadamard.h - Hadamard rotations and the fast transform ---*- C++ -*-===//
//
// The orthogonal transforms qc rotates tensors by. A Hadamard rotation of
// size n = K * m (m = 2^k) is
//
//   Q = D * (H_K (x) H_m) / sqrt(n)
//
// with H_m Sylvester's matrix (H_1 = [1], H_2j = [[H_j, H_j], [H_j, -H_j]]),
// H_K a named base matrix of order K (K = 1: [1]; otherwise a Paley or
// Williamson construction, below), (x) the Kronecker product and D =
// diag(d) a diagonal of signs (the identity without signs). Q is
// orthogonal; it is symmetric only when K = 1 and there are no signs.
//
// A tensor is rotated along an axis by multiplying its vectors along that
// axis as rows: y = x * Q (or x * Q^T).
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_HADAMARD_H
#define QC_NUMERICS_HADAMARD_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qc::numerics {

/// The construction of the base matrix H_K of a Hadamard rotation.
///
/// Paley bases take a prime power q = p^e and its field GF(q): element
/// number x (0 <= x < q) is the polynomial sum_i d_i t^i whose coefficients
/// are x's base-p digits (x = sum_i d_i p^i), taken modulo the monic
/// irreducible polynomial of degree e whose lower coefficients, read as
/// base-p digits the same way, form the smallest number (t itself for a
/// prime, so GF(p) is the integers modulo p; x^2 + 1 for q = 9, x^2 + 2 for
/// q = 25, x^3 + 2x + 1 for q = 27). chi is the quadratic character (0 at
/// 0, 1 on the nonzero squares, -1 elsewhere) and J the Jacobsthal matrix
/// J[i][j] = chi(x_j - x_i).
enum class HadamardBase {
  /// K = 1.
  None,
  /// Paley I, K = q + 1 for a prime power q = 3 (mod 4):
  /// H = I + [[0, 1^T], [-1, J]].
  Paley1,
  /// Paley II, K = 2(q + 1) for a prime power q = 1 (mod 4):
  /// H = C (x) [[1, 1], [1, -1]] + I (x) [[1, -1], [-1, -1]] with
  /// C = [[0, 1^T], [1, J]].
  Paley2,
  /// Williamson, K = 4n from four symmetric circulant n x n matrices
  /// A, B, C, D (X[i][j] = x[(j - i) mod n]) with A^2 + B^2 + C^2 + D^2 =
  /// 4n I, arranged as
  ///   [[ A,  B,  C,  D],
  ///    [-B,  A, -D,  C],
  ///    [-C,  D,  A, -B],
  ///    [-D, -C,  B,  A]].
  /// qc ships the sequences for n = 23, 29, 39 and 43 (williamsonSequences),
  /// the orders up to 184 that no Paley base reaches.
  Williamson,
};

/// The largest Hadamard rotation qc builds: 2^24 = 16777216 entries per
/// vector (its signs are materialized; model widths are below 2^16).
constexpr int64_t kMaxHadamardSize = int64_t(1) << 24;
/// The largest base order K qc builds. The base is a dense K x K step in
/// every lowering (K^2 / 8 vector FMAs per 8 columns in the CPU kernel,
/// a K x K f32 table of at most 4 MiB), so the rotation of a vector of n
/// costs n * K multiply-adds there against n * n for a dense matrix.
/// Model widths need K <= 172.
constexpr int64_t kMaxHadamardBaseOrder = 1024;

/// A base construction and its parameter: the prime power q of a Paley
/// base, the n of a Williamson base (0 for none).
struct HadamardBaseChoice {
  HadamardBase base = HadamardBase::None;
  int64_t q = 0;

  /// K: 1, q + 1, 2(q + 1) or 4n.
  int64_t order() const;
  /// As the attribute syntax writes it: "paley1 = 11", "williamson = 43"
  /// (empty for none).
  std::string name() const;
  /// Why this is not a base qc builds, or empty: q a prime power of the
  /// right residue, n one of the shipped Williamson orders, the order at
  /// most kMaxHadamardBaseOrder.
  std::string check() const;
  /// H_K row-major, entries +1/-1 (check() must be empty).
  std::vector<int> matrix() const;
};

struct HadamardSpec {
  int64_t size = 0;
  HadamardBase base = HadamardBase::None;
  /// The base's parameter (HadamardBaseChoice::q).
  int64_t q = 0;
  /// D's diagonal (+1 or -1 each), or empty for the identity.
  std::vector<int8_t> signs;

  HadamardBaseChoice baseChoice() const { return {base, q}; }
  /// K.
  int64_t baseOrder() const { return baseChoice().order(); }
  /// Why this spec is not a valid rotation, or empty: the size at most
  /// kMaxHadamardSize and K times a power of two, the base valid
  /// (HadamardBaseChoice::check), signs of the right length and +-1.
  std::string check() const;
};

/// Whether q is a prime.
bool isPrime(int64_t q);
/// Whether q = p^e for a prime p and e >= 1.
bool isPrimePower(int64_t q);

/// The modulus of qc's GF(q), q = p^e: the coefficients c_0, ..., c_e of
/// the monic irreducible polynomial sum_i c_i t^i (c_e = 1) described at
/// HadamardBase; empty when q is not a prime power.
std::vector<int64_t> galoisFieldModulus(int64_t q);

/// The first rows of the Williamson matrices A, B, C, D of order n as
/// '+'/'-' strings, or empty when qc does not ship them.
std::vector<std::string> williamsonSequences(int64_t n);

/// The bases of order exactly K that qc builds (any order, up to
/// kMaxHadamardBaseOrder or not), most preferred first: a Paley base over
/// a prime field before one over a prime power, Paley I before Paley II,
/// Paley before Williamson.
std::vector<HadamardBaseChoice> basesOfOrder(int64_t k);

/// The bases of order at most `maxOrder` that cover `size` (size = K * 2^j,
/// j >= 0), by order, most preferred first within an order. Empty for a
/// power of two, which needs no base.
std::vector<HadamardBaseChoice>
coveringBases(int64_t size, int64_t maxOrder = kMaxHadamardBaseOrder);

/// The base of `#qc.hadamard<size>` without a named base: none for a power
/// of two, else the first of coveringBases (the smallest order, so that the
/// dense step stays small). nullopt when no base of order at most
/// kMaxHadamardBaseOrder covers the size, or the size is not in
/// [1, kMaxHadamardSize].
std::optional<HadamardBaseChoice> smallestCoveringBase(int64_t size);

/// Why no Hadamard rotation of `size` can be chosen (smallestCoveringBase
/// is nullopt): the size's odd part, the bases that would cover it but are
/// larger than kMaxHadamardBaseOrder, and the nearest sizes below and above
/// that some base covers. The verifier and qc-insert-rotations both say
/// this.
std::string explainUncoveredSize(int64_t size);

/// "; <sizes's covering bases>" when some base covers `size`, for a
/// message about a base that does not; empty otherwise.
std::string suggestCoveringBases(int64_t size);

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
