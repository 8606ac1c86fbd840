//===- Hadamard.cpp - Hadamard rotations and the fast transform -----------===//

#include "qc/Numerics/Hadamard.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>

using namespace mlir::qc::numerics;

//===----------------------------------------------------------------------===//
// Primes and finite fields
//===----------------------------------------------------------------------===//

bool mlir::qc::numerics::isPrime(int64_t q) {
  if (q < 2)
    return false;
  for (int64_t d = 2; d * d <= q; ++d)
    if (q % d == 0)
      return false;
  return true;
}

/// (p, e) with q = p^e, or (0, 0).
static std::pair<int64_t, int64_t> primePowerOf(int64_t q) {
  if (q < 2)
    return {0, 0};
  int64_t p = q;
  for (int64_t d = 2; d * d <= q; ++d)
    if (q % d == 0) {
      p = d;
      break;
    }
  int64_t e = 0;
  for (; q % p == 0; q /= p)
    ++e;
  return q == 1 ? std::pair{p, e} : std::pair<int64_t, int64_t>{0, 0};
}

bool mlir::qc::numerics::isPrimePower(int64_t q) {
  return primePowerOf(q).first != 0;
}

namespace {

/// Polynomials over GF(p), coefficients low to high.
using Poly = std::vector<int64_t>;

/// a mod m (m monic), over GF(p).
Poly polyMod(Poly a, const Poly &m, int64_t p) {
  const size_t dm = m.size() - 1;
  for (size_t i = a.size(); i-- > dm;) {
    int64_t c = a[i] % p;
    if (c == 0)
      continue;
    for (size_t j = 0; j <= dm; ++j)
      a[i - dm + j] = ((a[i - dm + j] - c * m[j]) % p + p) % p;
  }
  a.resize(std::min(a.size(), dm));
  return a;
}

/// The degree-`degree` polynomial whose coefficients are the base-p
/// digits of `number`, with a leading 1 (monic).
Poly monicFromDigits(int64_t number, int64_t degree, int64_t p) {
  Poly f(size_t(degree + 1), 0);
  for (int64_t i = 0; i < degree; ++i, number /= p)
    f[size_t(i)] = number % p;
  f[size_t(degree)] = 1;
  return f;
}

/// Whether the monic f of degree e has no monic factor of degree 1..e/2.
bool isIrreducible(const Poly &f, int64_t p) {
  const int64_t e = int64_t(f.size()) - 1;
  for (int64_t d = 1; 2 * d <= e; ++d) {
    int64_t count = 1;
    for (int64_t i = 0; i < d; ++i)
      count *= p;
    for (int64_t g = 0; g < count; ++g) {
      Poly r = polyMod(f, monicFromDigits(g, d, p), p);
      if (std::all_of(r.begin(), r.end(), [](int64_t c) { return c == 0; }))
        return false;
    }
  }
  return true;
}

/// GF(q) as HadamardBase describes it: elements 0..q-1 by base-p digits.
struct GaloisField {
  int64_t q = 0, p = 0, e = 0;
  Poly modulus;

  explicit GaloisField(int64_t q) : q(q) {
    std::tie(p, e) = primePowerOf(q);
    if (p == 0)
      return;
    int64_t count = q; // p^e candidates for the lower coefficients
    for (int64_t number = 0; number < count; ++number) {
      Poly f = monicFromDigits(number, e, p);
      if (isIrreducible(f, p)) {
        modulus = std::move(f);
        return;
      }
    }
  }

  Poly digits(int64_t x) const {
    Poly d(size_t(e), 0);
    for (int64_t i = 0; i < e; ++i, x /= p)
      d[size_t(i)] = x % p;
    return d;
  }
  int64_t number(const Poly &d) const {
    int64_t x = 0;
    for (size_t i = d.size(); i-- > 0;)
      x = x * p + d[i];
    return x;
  }
  /// x - y: digit by digit modulo p.
  int64_t sub(int64_t x, int64_t y) const {
    int64_t r = 0;
    for (int64_t i = 0, place = 1; i < e; ++i, place *= p, x /= p, y /= p)
      r += ((x % p - y % p) % p + p) % p * place;
    return r;
  }
  int64_t square(int64_t x) const {
    Poly a = digits(x), prod(size_t(2 * e - 1), 0);
    for (size_t i = 0; i < a.size(); ++i)
      for (size_t j = 0; j < a.size(); ++j)
        prod[i + j] = (prod[i + j] + a[i] * a[j]) % p;
    Poly r = polyMod(prod, modulus, p);
    r.resize(size_t(e), 0);
    return number(r);
  }
  /// chi[x]: 0 at 0, 1 on the nonzero squares, -1 elsewhere.
  std::vector<int> quadraticCharacter() const {
    std::vector<int> chi(size_t(q), -1);
    chi[0] = 0;
    for (int64_t x = 1; x < q; ++x)
      chi[size_t(square(x))] = 1;
    return chi;
  }
};

} // namespace

std::vector<int64_t> mlir::qc::numerics::galoisFieldModulus(int64_t q) {
  return GaloisField(q).modulus;
}

//===----------------------------------------------------------------------===//
// Williamson sequences
//===----------------------------------------------------------------------===//

namespace {

/// The first (n + 1) / 2 entries of the first rows of A, B, C, D; the rest
/// follow from symmetry (x[i] = x[n - i]). Published by M. Hall Jr.,
/// Combinatorial Theory, 2nd ed., Wiley 1983 (n = 23, first found by
/// Baumert, Golomb and Hall 1962; n = 29, 43), and S. London,
/// "Constructing new Turyn type sequences, T-sequences and Hadamard
/// matrices", PhD thesis, University of Illinois at Chicago 2013 (n = 39);
/// transcribed from the table of SageMath's
/// williamson_type_quadruples_smallcases, which cites both. HadamardTest
/// checks each quadruple (symmetry, and W W^T = 4n I).
struct WilliamsonHalves {
  int64_t n;
  std::array<const char *, 4> halves;
};
constexpr WilliamsonHalves kWilliamson[] = {
    {23, {"++---+---+-+", "+-++-++--+++", "+++---++-+-+", "+++-+++-+---"}},
    {29,
     {"+++---++--+-+--", "+-+---++--+-+++", "++++-++-+---+++",
      "++--+--+-+++-++"}},
    {39,
     {"+++--+-+-----+--++--", "+++--++-+---+-+--+--",
      "++++---+--++----+-+-", "+---++-+-+-----+++-+"}},
    {43,
     {"++---++++-+--+--++----", "+++-+-++--+-+-++++-+--",
      "++-++++++----+-+--++-+", "+---++--++++-+-+++-++-"}},
};

} // namespace

std::vector<std::string>
mlir::qc::numerics::williamsonSequences(int64_t n) {
  for (const WilliamsonHalves &w : kWilliamson) {
    if (w.n != n)
      continue;
    std::vector<std::string> out;
    for (const char *half : w.halves) {
      std::string row(size_t(n), '+');
      for (int64_t i = 0; i < n; ++i)
        row[size_t(i)] = half[size_t(std::min(i, n - i))];
      out.push_back(row);
    }
    return out;
  }
  return {};
}

//===----------------------------------------------------------------------===//
// Bases
//===----------------------------------------------------------------------===//

int64_t HadamardBaseChoice::order() const {
  switch (base) {
  case HadamardBase::None:
    return 1;
  case HadamardBase::Paley1:
    return q + 1;
  case HadamardBase::Paley2:
    return 2 * (q + 1);
  case HadamardBase::Williamson:
    return 4 * q;
  }
  return 1;
}

std::string HadamardBaseChoice::name() const {
  switch (base) {
  case HadamardBase::None:
    return "";
  case HadamardBase::Paley1:
    return "paley1 = " + std::to_string(q);
  case HadamardBase::Paley2:
    return "paley2 = " + std::to_string(q);
  case HadamardBase::Williamson:
    return "williamson = " + std::to_string(q);
  }
  return "";
}

/// The shipped Williamson orders, "23, 29, 39, 43".
static std::string williamsonOrders() {
  std::string out;
  for (const WilliamsonHalves &w : kWilliamson)
    out += (out.empty() ? "" : ", ") + std::to_string(w.n);
  return out;
}

static const std::vector<int64_t> &buildableOrders();

/// ", the largest base order qc builds (its largest base is paley1 =
/// 1019, order 1020)".
static std::string largestOrderNote() {
  int64_t k = buildableOrders().back();
  return ", the largest base order qc builds (its largest base is " +
         basesOfOrder(k).front().name() + ", order " + std::to_string(k) +
         ")";
}

std::string HadamardBaseChoice::check() const {
  if (base == HadamardBase::None)
    return "";
  // The order first: it keeps the prime-power test cheap.
  if (q < 1)
    return name() + " is not a base: its parameter must be positive";
  if (q > kMaxHadamardSize || order() > kMaxHadamardBaseOrder)
    return name() + " is a base of order " +
           (q > kMaxHadamardSize ? "more than 2^24" : std::to_string(order())) +
           ", more than " + std::to_string(kMaxHadamardBaseOrder) +
           largestOrderNote();
  switch (base) {
  case HadamardBase::Paley1:
    if (!isPrimePower(q) || q % 4 != 3)
      return "a Paley I base needs a prime power q = 3 (mod 4), got q = " +
             std::to_string(q);
    return "";
  case HadamardBase::Paley2:
    if (!isPrimePower(q) || q % 4 != 1)
      return "a Paley II base needs a prime power q = 1 (mod 4), got q = " +
             std::to_string(q);
    return "";
  case HadamardBase::Williamson:
    if (williamsonSequences(q).empty())
      return "qc has no Williamson matrices of order " + std::to_string(q) +
             " (it has n = " + williamsonOrders() + ")";
    return "";
  case HadamardBase::None:
    break;
  }
  return "";
}

/// H = I + [[0, 1^T], [-1, J]] (Paley I) or C (x) [[1, 1], [1, -1]] +
/// I (x) [[1, -1], [-1, -1]] with C = [[0, 1^T], [1, J]] (Paley II).
static std::vector<int> paleyMatrix(HadamardBase base, int64_t q) {
  GaloisField field(q);
  std::vector<int> chi = field.quadraticCharacter();
  // J[i][j] = chi(x_j - x_i), from a q x q table of differences.
  std::vector<int> jac(size_t(q * q));
  for (int64_t i = 0; i < q; ++i)
    for (int64_t j = 0; j < q; ++j)
      jac[size_t(i * q + j)] = chi[size_t(field.sub(j, i))];
  // The (q + 1) x (q + 1) core: [[0, 1^T], [+-1, J]].
  const int firstColumn = base == HadamardBase::Paley1 ? -1 : 1;
  auto core = [&](int64_t i, int64_t j) {
    if (i == 0)
      return j == 0 ? 0 : 1;
    return j == 0 ? firstColumn : jac[size_t((i - 1) * q + j - 1)];
  };
  const int64_t c = q + 1;
  if (base == HadamardBase::Paley1) {
    std::vector<int> h(size_t(c * c));
    for (int64_t i = 0; i < c; ++i)
      for (int64_t j = 0; j < c; ++j)
        h[size_t(i * c + j)] = (i == j ? 1 : 0) + core(i, j);
    return h;
  }
  const int64_t k = 2 * c;
  const int plus[2][2] = {{1, 1}, {1, -1}}, eye[2][2] = {{1, -1}, {-1, -1}};
  std::vector<int> h(size_t(k * k));
  for (int64_t i = 0; i < c; ++i)
    for (int64_t j = 0; j < c; ++j)
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
          h[size_t((2 * i + a) * k + 2 * j + b)] =
              core(i, j) * plus[a][b] + (i == j ? eye[a][b] : 0);
  return h;
}

static std::vector<int> williamsonMatrix(int64_t n) {
  std::vector<std::string> rows = williamsonSequences(n);
  // Block (r, s) of the array is sign * X_index.
  static const int index[4][4] = {
      {0, 1, 2, 3}, {1, 0, 3, 2}, {2, 3, 0, 1}, {3, 2, 1, 0}};
  static const int sign[4][4] = {
      {1, 1, 1, 1}, {-1, 1, -1, 1}, {-1, 1, 1, -1}, {-1, -1, 1, 1}};
  const int64_t k = 4 * n;
  std::vector<int> h(size_t(k * k));
  for (int r = 0; r < 4; ++r)
    for (int s = 0; s < 4; ++s) {
      const std::string &x = rows[size_t(index[r][s])];
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j)
          h[size_t((r * n + i) * k + s * n + j)] =
              sign[r][s] * (x[size_t(((j - i) % n + n) % n)] == '+' ? 1 : -1);
    }
  return h;
}

std::vector<int> HadamardBaseChoice::matrix() const {
  switch (base) {
  case HadamardBase::None:
    return {1};
  case HadamardBase::Paley1:
  case HadamardBase::Paley2:
    return paleyMatrix(base, q);
  case HadamardBase::Williamson:
    return williamsonMatrix(q);
  }
  return {1};
}

static bool isPowerOfTwo(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

std::vector<HadamardBaseChoice> mlir::qc::numerics::basesOfOrder(int64_t k) {
  std::vector<HadamardBaseChoice> out;
  if (k < 4 || k % 4 != 0)
    return out;
  HadamardBaseChoice candidates[] = {{HadamardBase::Paley1, k - 1},
                                     {HadamardBase::Paley2, k / 2 - 1},
                                     {HadamardBase::Williamson, k / 4}};
  for (const HadamardBaseChoice &c : candidates) {
    bool valid = c.base == HadamardBase::Williamson
                     ? !williamsonSequences(c.q).empty()
                     : isPrimePower(c.q) &&
                           c.q % 4 == (c.base == HadamardBase::Paley1 ? 3 : 1);
    if (valid)
      out.push_back(c);
  }
  // Prime fields before prime powers (stable: Paley I before II).
  std::stable_sort(out.begin(), out.end(),
                   [](const HadamardBaseChoice &a, const HadamardBaseChoice &b) {
                     auto rank = [](const HadamardBaseChoice &c) {
                       if (c.base == HadamardBase::Williamson)
                         return 2;
                       return isPrime(c.q) ? 0 : 1;
                     };
                     return rank(a) < rank(b);
                   });
  return out;
}

std::vector<HadamardBaseChoice>
mlir::qc::numerics::coveringBases(int64_t size, int64_t maxOrder) {
  std::vector<HadamardBaseChoice> out;
  if (size < 1 || isPowerOfTwo(size))
    return out;
  int64_t odd = size;
  while (odd % 2 == 0)
    odd /= 2;
  for (int64_t k = odd; k <= std::min(size, maxOrder); k *= 2)
    for (const HadamardBaseChoice &c : basesOfOrder(k))
      out.push_back(c);
  return out;
}

std::optional<HadamardBaseChoice>
mlir::qc::numerics::smallestCoveringBase(int64_t size) {
  if (size < 1 || size > kMaxHadamardSize)
    return std::nullopt;
  if (isPowerOfTwo(size))
    return HadamardBaseChoice{};
  std::vector<HadamardBaseChoice> bases = coveringBases(size);
  if (bases.empty())
    return std::nullopt;
  return bases.front();
}

/// The orders K <= kMaxHadamardBaseOrder that have a base, and 1.
static const std::vector<int64_t> &buildableOrders() {
  static const std::vector<int64_t> orders = [] {
    std::vector<int64_t> out = {1};
    for (int64_t k = 4; k <= kMaxHadamardBaseOrder; k += 4)
      if (!basesOfOrder(k).empty())
        out.push_back(k);
    return out;
  }();
  return orders;
}

/// "N = K * m with paley1 = q" for a covering base.
static std::string describeCover(int64_t size, const HadamardBaseChoice &c) {
  return c.name() + " (" + std::to_string(size) + " = " +
         std::to_string(c.order()) + " * " + std::to_string(size / c.order()) +
         ")";
}

/// "K * 2^j" of a size some base covers, with the base.
static std::string describeSize(int64_t size) {
  if (isPowerOfTwo(size))
    return std::to_string(size) + " = 2^" +
           std::to_string(__builtin_ctzll(uint64_t(size)));
  std::optional<HadamardBaseChoice> c = smallestCoveringBase(size);
  return c ? std::to_string(size) + " = " + std::to_string(c->order()) +
                 " * " + std::to_string(size / c->order()) + ", " + c->name()
           : std::to_string(size);
}

std::string mlir::qc::numerics::suggestCoveringBases(int64_t size) {
  if (size < 1 || size > kMaxHadamardSize)
    return "";
  if (isPowerOfTwo(size))
    return "; " + std::to_string(size) +
           " is a power of two, which needs no base";
  std::vector<HadamardBaseChoice> bases = coveringBases(size);
  if (bases.empty())
    return "";
  std::string out = "; bases that cover " + std::to_string(size) + ": ";
  for (size_t i = 0; i < bases.size(); ++i)
    out += (i ? ", " : "") + describeCover(size, bases[i]);
  return out;
}

std::string mlir::qc::numerics::explainUncoveredSize(int64_t size) {
  if (size < 1)
    return "size " + std::to_string(size) + " is not positive";
  if (size > kMaxHadamardSize)
    return "size " + std::to_string(size) + " is more than 2^24 = " +
           std::to_string(kMaxHadamardSize) +
           ", the largest Hadamard rotation qc builds";
  int64_t odd = size;
  while (odd % 2 == 0)
    odd /= 2;
  std::string out = "no Hadamard base of order at most " +
                    std::to_string(kMaxHadamardBaseOrder) + " covers size " +
                    std::to_string(size) + " = " + std::to_string(odd) +
                    " * " + std::to_string(size / odd);
  // A Hadamard matrix of order K > 2 has 4 | K, so an odd part o > 1 needs
  // a base of order o * 2^j with 4 | o * 2^j.
  if (size / odd < 4)
    out += " (the order of a Hadamard matrix larger than 2 is a multiple of "
           "4, and 4 does not divide " +
           std::to_string(size) + ")";
  std::vector<HadamardBaseChoice> larger = coveringBases(
      size, std::numeric_limits<int64_t>::max());
  if (!larger.empty()) {
    out += "; larger bases cover it: ";
    for (size_t i = 0; i < larger.size(); ++i)
      out += (i ? ", " : "") + larger[i].name() + " (order " +
             std::to_string(larger[i].order()) + ")";
    out += ", more than " + std::to_string(kMaxHadamardBaseOrder) +
           largestOrderNote();
  } else {
    out += "; qc builds no base of order " + std::to_string(odd) +
           " * 2^j (it has Paley I and II for prime powers and Williamson "
           "for n = " +
           williamsonOrders() + ")";
  }
  // The nearest sizes K * 2^j (K a buildable order) below and above.
  int64_t below = 0, above = 0;
  for (int64_t k : buildableOrders())
    for (int64_t s = k; s <= kMaxHadamardSize; s *= 2) {
      if (s < size)
        below = std::max(below, s);
      else if (s > size && (above == 0 || s < above))
        above = s;
    }
  out += "; the nearest sizes that work are ";
  if (below)
    out += describeSize(below);
  if (below && above)
    out += " and ";
  if (above)
    out += describeSize(above);
  return out;
}

std::string HadamardSpec::check() const {
  // Bounds first: they keep the base checks cheap.
  if (size > kMaxHadamardSize)
    return "size " + std::to_string(size) + " is more than 2^24 = " +
           std::to_string(kMaxHadamardSize) +
           ", the largest Hadamard rotation qc builds";
  HadamardBaseChoice choice = baseChoice();
  std::string why = choice.check();
  if (!why.empty()) {
    std::string suggestion = suggestCoveringBases(size);
    if (suggestion.empty() && size >= 1)
      suggestion = "; " + explainUncoveredSize(size);
    return why + suggestion;
  }
  if (size < 1)
    return "size " + std::to_string(size) + " is not positive";
  int64_t k = choice.order();
  if (size % k != 0 || !isPowerOfTwo(size / k)) {
    if (k == 1)
      return "size " + std::to_string(size) + " is not a power of two" +
             (smallestCoveringBase(size) ? ", and no base is named" +
                                               suggestCoveringBases(size)
                                         : "; " + explainUncoveredSize(size));
    std::string suggestion = suggestCoveringBases(size);
    if (suggestion.empty())
      suggestion = "; " + explainUncoveredSize(size);
    return "size " + std::to_string(size) + " is not " + std::to_string(k) +
           " times a power of two (" + choice.name() + " has order " +
           std::to_string(k) + ")" + suggestion;
  }
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

//===----------------------------------------------------------------------===//
// The transform
//===----------------------------------------------------------------------===//

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
    hk = spec.baseChoice().matrix();
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

std::vector<double>
mlir::qc::numerics::hadamardMatrix(const HadamardSpec &spec) {
  // Row i of Q is e_i * Q.
  int64_t n = spec.size;
  std::vector<double> q(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i)
    q[size_t(i * n + i)] = 1.0;
  applyHadamard(spec, q.data(), n);
  return q;
}
