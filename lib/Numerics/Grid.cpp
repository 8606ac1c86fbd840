//===- Grid.cpp - Quantization grids --------------------------------------===//

#include "qc/Numerics/Grid.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <set>

using namespace mlir::qc::numerics;

const std::array<double, 16> mlir::qc::numerics::kNF4Values = {
    -1.0,
    -0.6961928009986877,
    -0.5250730514526367,
    -0.39491748809814453,
    -0.28444138169288635,
    -0.18477343022823334,
    -0.09105003625154495,
    0.0,
    0.07958029955625534,
    0.16093020141124725,
    0.24611230194568634,
    0.33791524171829224,
    0.44070982933044434,
    0.5626170039176941,
    0.7229568362236023,
    1.0};

static int64_t signExtend(uint32_t code, unsigned bits) {
  uint32_t signBit = 1u << (bits - 1);
  return int64_t(code ^ signBit) - int64_t(signBit);
}

Grid Grid::signedInt(unsigned bits, bool narrowRange) {
  assert(bits >= 1 && bits <= 8 && (!narrowRange || bits >= 2));
  Grid g(GridKind::Int, bits);
  g.narrow_ = narrowRange;
  for (uint32_t c = 0; c < g.numCodes(); ++c) {
    int64_t v = signExtend(c, bits);
    g.decodeTable_.push_back(double(v));
    g.isValue_.push_back(!(narrowRange && v == -(int64_t(1) << (bits - 1))));
  }
  g.finalize();
  return g;
}

Grid Grid::unsignedInt(unsigned bits) {
  assert(bits >= 1 && bits <= 8);
  Grid g(GridKind::Int, bits);
  g.isSigned_ = false;
  for (uint32_t c = 0; c < g.numCodes(); ++c) {
    g.decodeTable_.push_back(double(c));
    g.isValue_.push_back(true);
  }
  g.finalize();
  return g;
}

Grid Grid::miniFloat(const FloatFormat &format) {
  assert(format.totalBits() <= 8);
  Grid g(GridKind::MiniFloat, format.totalBits());
  g.format_ = &format;
  for (uint32_t c = 0; c < g.numCodes(); ++c) {
    double v = format.decode(c);
    g.decodeTable_.push_back(v);
    g.isValue_.push_back(std::isfinite(v));
  }
  g.finalize();
  return g;
}

std::string Grid::checkCodebook(const std::vector<double> &values) {
  size_t n = values.size();
  if (n < 2 || n > 256 || (n & (n - 1)) != 0)
    return "a codebook must have 2^b values with 1 <= b <= 8, got " +
           std::to_string(n);
  std::set<double> seen;
  for (double v : values) {
    if (!std::isfinite(v))
      return "codebook values must be finite";
    if (!seen.insert(v == 0.0 ? 0.0 : v).second)
      return "codebook values must be distinct";
  }
  return "";
}

Grid Grid::codebook(std::vector<double> values) {
  assert(checkCodebook(values).empty());
  unsigned bits = 0;
  while ((size_t(1) << bits) < values.size())
    ++bits;
  Grid g(GridKind::Codebook, bits);
  g.decodeTable_ = std::move(values);
  g.isValue_.assign(g.decodeTable_.size(), true);
  g.finalize();
  return g;
}

Grid Grid::nf4() {
  return codebook(std::vector<double>(kNF4Values.begin(), kNF4Values.end()));
}

Grid Grid::ternary() {
  Grid g(GridKind::Ternary, 2);
  g.narrow_ = true;
  g.decodeTable_ = {0.0, 1.0, -2.0, -1.0}; // 2-bit two's complement
  g.isValue_ = {true, true, false, true};
  g.finalize();
  return g;
}

Grid Grid::binary() {
  Grid g(GridKind::Binary, 1);
  g.decodeTable_ = {-1.0, 1.0};
  g.isValue_ = {true, true};
  g.finalize();
  return g;
}

void Grid::finalize() {
  sorted_.clear();
  for (uint32_t c = 0; c < numCodes(); ++c)
    if (isValue_[c])
      sorted_.push_back({decodeTable_[c], c});
  std::stable_sort(sorted_.begin(), sorted_.end(),
                   [](const Entry &a, const Entry &b) {
                     return a.value < b.value ||
                            (a.value == b.value && a.code < b.code);
                   });
  // Keep one code per value (+0 over -0: the smaller code).
  sorted_.erase(std::unique(sorted_.begin(), sorted_.end(),
                            [](const Entry &a, const Entry &b) {
                              return a.value == b.value;
                            }),
                sorted_.end());

  // Decision tables: the midpoint between adjacent values, with the tie rule
  // of the grid kind (see the header comment).
  size_t n = numCodes();
  tables_ = EncodeTables();
  for (size_t i = 0; i + 1 < sorted_.size(); ++i) {
    const Entry &lo = sorted_[i], &hi = sorted_[i + 1];
    tables_.thresholds.push_back((lo.value + hi.value) / 2);
    bool up;
    switch (kind_) {
    case GridKind::Binary:
      up = true; // x >= 0 -> +1
      break;
    case GridKind::Codebook:
      up = hi.code < lo.code;
      break;
    default: // even code: IEEE round-half-to-even for ints and minifloats
      up = (hi.code & 1) == 0;
      break;
    }
    tables_.tieUp.push_back(up);
  }
  tables_.thresholds.resize(n - 1, std::numeric_limits<double>::infinity());
  tables_.tieUp.resize(n - 1, false);
  for (const Entry &e : sorted_)
    tables_.codes.push_back(e.code);
  tables_.codes.resize(n, sorted_.back().code);
  tables_.nanCode = 0;
  for (const Entry &e : sorted_)
    if (e.value == 0.0)
      tables_.nanCode = e.code;
}

double Grid::maxAbs() const {
  return std::max(std::fabs(minValue()), std::fabs(maxValue()));
}

std::vector<double> Grid::values() const {
  std::vector<double> out;
  for (const Entry &e : sorted_)
    out.push_back(e.value);
  return out;
}

uint32_t Grid::encode(double x) const {
  const EncodeTables &t = tables_;
  if (std::isnan(x))
    return t.nanCode;
  uint32_t rank = 0;
  for (uint32_t step = numCodes() / 2; step >= 1; step /= 2) {
    uint32_t j = rank + step - 1;
    if (x > t.thresholds[j] || (x == t.thresholds[j] && t.tieUp[j]))
      rank += step;
  }
  return t.codes[rank];
}

std::string Grid::name() const {
  switch (kind_) {
  case GridKind::Int:
    return std::string(isSigned_ ? "s" : "u") + std::to_string(bits_) +
           (narrow_ ? "n" : "");
  case GridKind::MiniFloat:
    return format_->name;
  case GridKind::Codebook: {
    bool isNF4 = bits_ == 4 && std::equal(decodeTable_.begin(),
                                          decodeTable_.end(),
                                          kNF4Values.begin());
    return isNF4 ? "nf4" : "codebook" + std::to_string(bits_);
  }
  case GridKind::Ternary:
    return "ternary";
  case GridKind::Binary:
    return "binary";
  }
  return "?";
}
