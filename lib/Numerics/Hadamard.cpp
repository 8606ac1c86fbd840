//===- Hadamard.cpp - Hadamard rotations and the fast transform -----------===//

#include "qc/Numerics/Hadamard.h"

#include <cmath>

using namespace mlir::qc::numerics;

bool mlir::qc::numerics::isPrime(int64_t q) {
  if (q < 2)
    return false;
  for (int64_t d = 2; d * d <= q; ++d)
    if (q % d == 0)
      return false;
  return true;
}

int64_t HadamardSpec::baseOrder() const {
  switch (base) {
  case HadamardBase::None:
    return 1;
  case HadamardBase::Paley1:
    return q + 1;
  case HadamardBase::Paley2:
    return 2 * (q + 1);
  }
  return 1;
}

static bool isPowerOfTwo(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

std::string HadamardSpec::check() const {
  // Bounds first: they keep the primality test and the base cheap.
  if (base != HadamardBase::None && q > 0 &&
      (q >= kMaxHadamardBaseOrder || baseOrder() > kMaxHadamardBaseOrder))
    return "a Paley base with q = " + std::to_string(q) +
           " has order more than " + std::to_string(kMaxHadamardBaseOrder) +
           ", the largest dense base qc builds";
  if (size > kMaxHadamardSize)
    return "size " + std::to_string(size) + " is more than 2^24 = " +
           std::to_string(kMaxHadamardSize) +
           ", the largest Hadamard rotation qc builds";
  if (base == HadamardBase::Paley1 && (!isPrime(q) || q % 4 != 3))
    return "a Paley I base needs a prime q = 3 (mod 4), got q = " +
           std::to_string(q);
  if (base == HadamardBase::Paley2 && (!isPrime(q) || q % 4 != 1))
    return "a Paley II base needs a prime q = 1 (mod 4), got q = " +
           std::to_string(q);
  int64_t k = baseOrder();
  if (size < 1 || size % k != 0 || !isPowerOfTwo(size / k))
    return "size " + std::to_string(size) + " is not " +
           (k == 1 ? std::string("a power of two")
                   : std::to_string(k) + " times a power of two");
  if (!signs.empty()) {
    if (int64_t(signs.size()) != size)
      return std::to_string(signs.size()) + " signs for size " +
             std::to_string(size);
    for (int8_t s : signs)
      if (s != 1 && s != -1)
        return "signs must be 1 or -1, got " + std::to_string(int(s));
  }
  return "";
}

/// The quadratic character modulo the odd prime q.
static std::vector<int> quadraticCharacter(int64_t q) {
  std::vector<int> chi(static_cast<size_t>(q), -1);
  chi[0] = 0;
  for (int64_t x = 1; x < q; ++x)
    chi[size_t(x * x % q)] = 1;
  return chi;
}

std::vector<int> mlir::qc::numerics::paleyMatrix(HadamardBase base, int64_t q) {
  std::vector<int> chi = quadraticCharacter(q);
  auto jacobsthal = [&](int64_t i, int64_t j) {
    return chi[size_t(((j - i) % q + q) % q)];
  };
  if (base == HadamardBase::Paley1) {
    // H = I + S, S = [[0, 1^T], [-1, J]].
    int64_t k = q + 1;
    std::vector<int> h(static_cast<size_t>(k * k));
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < k; ++j) {
        int s = i == 0 ? (j == 0 ? 0 : 1)
                       : (j == 0 ? -1 : jacobsthal(i - 1, j - 1));
        h[size_t(i * k + j)] = (i == j ? 1 : 0) + s;
      }
    return h;
  }
  // Paley II: H = C (x) [[1, 1], [1, -1]] + I (x) [[1, -1], [-1, -1]],
  // C = [[0, 1^T], [1, J]].
  int64_t c = q + 1, k = 2 * c;
  const int plus[2][2] = {{1, 1}, {1, -1}}, eye[2][2] = {{1, -1}, {-1, -1}};
  std::vector<int> h(static_cast<size_t>(k * k));
  for (int64_t i = 0; i < c; ++i)
    for (int64_t j = 0; j < c; ++j) {
      int cij = i == 0 ? (j == 0 ? 0 : 1)
                       : (j == 0 ? 1 : jacobsthal(i - 1, j - 1));
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
          h[size_t((2 * i + a) * k + 2 * j + b)] =
              cij * plus[a][b] + (i == j ? eye[a][b] : 0);
    }
  return h;
}

std::vector<std::pair<HadamardBase, int64_t>>
mlir::qc::numerics::paleyBases(int64_t maxOrder) {
  std::vector<std::pair<HadamardBase, int64_t>> out;
  for (int64_t k = 2; k <= maxOrder; ++k) {
    if (isPrime(k - 1) && (k - 1) % 4 == 3)
      out.push_back({HadamardBase::Paley1, k - 1});
    if (k % 2 == 0 && isPrime(k / 2 - 1) && (k / 2 - 1) % 4 == 1)
      out.push_back({HadamardBase::Paley2, k / 2 - 1});
  }
  return out;
}

std::vector<int8_t> mlir::qc::numerics::randomSigns(uint64_t seed, int64_t n) {
  std::vector<int8_t> signs(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    uint64_t z = seed + uint64_t(i) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    signs[size_t(i)] = (z & 1) ? -1 : 1;
  }
  return signs;
}

/// The unnormalized butterflies: x * H_n.
template <typename T> static void butterflies(T *x, int64_t n) {
  for (int64_t h = 1; h < n; h *= 2)
    for (int64_t i = 0; i < n; i += 2 * h)
      for (int64_t j = i; j < i + h; ++j) {
        T a = x[j], b = x[j + h];
        x[j] = a + b;
        x[j + h] = a - b;
      }
}

template <typename T> static void fwht(T *x, int64_t n) {
  butterflies(x, n);
  T scale = T(1.0 / std::sqrt(double(n)));
  for (int64_t i = 0; i < n; ++i)
    x[i] *= scale;
}

void mlir::qc::numerics::fastWalshHadamard(double *x, int64_t n) { fwht(x, n); }
void mlir::qc::numerics::fastWalshHadamard(float *x, int64_t n) { fwht(x, n); }

template <typename T>
static void apply(const HadamardSpec &spec, T *x, int64_t rows,
                  bool transpose) {
  const int64_t n = spec.size, k = spec.baseOrder(), m = n / k;
  std::vector<int> hk;
  if (k > 1)
    hk = paleyMatrix(spec.base, spec.q);
  const T scale = T(1.0 / std::sqrt(double(n)));
  std::vector<T> col(static_cast<size_t>(k));
  for (int64_t r = 0; r < rows; ++r) {
    T *row = x + r * n;
    // x * Q = ((x . d) Z-form) with Z = K x m: Y = H_K^T Z H_m; x * Q^T:
    // Y = H_K Z H_m, then . d.
    if (!transpose && !spec.signs.empty())
      for (int64_t i = 0; i < n; ++i)
        row[i] *= T(spec.signs[size_t(i)]);
    for (int64_t a = 0; a < k; ++a)
      butterflies(row + a * m, m);
    if (k > 1)
      for (int64_t b = 0; b < m; ++b) {
        for (int64_t c = 0; c < k; ++c) {
          T sum = 0;
          for (int64_t a = 0; a < k; ++a) {
            int h = transpose ? hk[size_t(c * k + a)] : hk[size_t(a * k + c)];
            sum += T(h) * row[a * m + b];
          }
          col[size_t(c)] = sum;
        }
        for (int64_t c = 0; c < k; ++c)
          row[c * m + b] = col[size_t(c)];
      }
    for (int64_t i = 0; i < n; ++i)
      row[i] *= scale;
    if (transpose && !spec.signs.empty())
      for (int64_t i = 0; i < n; ++i)
        row[i] *= T(spec.signs[size_t(i)]);
  }
}

void mlir::qc::numerics::applyHadamard(const HadamardSpec &spec, double *x,
                                 int64_t rows, bool transpose) {
  apply(spec, x, rows, transpose);
}

void mlir::qc::numerics::applyHadamard(const HadamardSpec &spec, float *x,
                                 int64_t rows, bool transpose) {
  apply(spec, x, rows, transpose);
}

std::vector<double> mlir::qc::numerics::hadamardMatrix(const HadamardSpec &spec) {
  // Row i of Q is e_i * Q.
  int64_t n = spec.size;
  std::vector<double> q(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i)
    q[size_t(i * n + i)] = 1.0;
  applyHadamard(spec, q.data(), n);
  return q;
}
