//===- Grid.h - Quantization grids: what one stored code means --*- C++ -*-===//
//
// A grid maps a b-bit code (b in 1..8) to a real value and back. Every grid
// qc supports is described by this one class: integers, OCP minifloats, NF4
// and other codebooks, ternary and binary.
//
// Encoding rounds to the nearest grid value and saturates at the ends:
//  - integer, minifloat and ternary grids: ties go to the even code, which is
//    IEEE round-half-to-even for both integers and floating point;
//  - codebook grids (NF4 included): ties go to the smallest code;
//  - binary {-1, +1}: x >= 0 encodes to +1 (code 1), x < 0 to -1 (code 0);
//  - NaN encodes to the code of 0 where the grid has one, else to code 0.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_GRID_H
#define QC_NUMERICS_GRID_H

#include "qc/Numerics/FloatFormat.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qc::numerics {

enum class GridKind { Int, MiniFloat, Codebook, Ternary, Binary };

/// The NF4 values of QLoRA, codes 0..15 in ascending order.
extern const std::array<double, 16> kNF4Values;

class Grid {
public:
  /// Two's complement integers of `bits` bits: [-2^(b-1), 2^(b-1) - 1], or
  /// [-2^(b-1) + 1, 2^(b-1) - 1] when `narrowRange`. Requires 1 <= bits <= 8
  /// and bits >= 2 when narrow.
  static Grid signedInt(unsigned bits, bool narrowRange = false);
  /// Unsigned integers [0, 2^b - 1]. Requires 1 <= bits <= 8.
  static Grid unsignedInt(unsigned bits);
  /// Minifloat with 1 + E + M <= 8 bits (E2M1, E3M2, E2M3, E4M3FN, E5M2).
  static Grid miniFloat(const FloatFormat &format);
  /// NF4 (QLoRA), the codebook kNF4Values.
  static Grid nf4();
  /// Arbitrary codebook; code i decodes to values[i]. Requires a size of 2^b
  /// (1 <= b <= 8) and finite, pairwise distinct values (see checkCodebook).
  static Grid codebook(std::vector<double> values);
  /// {-1, 0, +1} stored as 2-bit two's complement (0b11, 0b00, 0b01).
  static Grid ternary();
  /// {-1, +1} stored in one bit: code 0 is -1, code 1 is +1.
  static Grid binary();

  /// Returns an empty string if `values` is a valid codebook, else a message
  /// saying what is wrong.
  static std::string checkCodebook(const std::vector<double> &values);

  GridKind kind() const { return kind_; }
  unsigned bits() const { return bits_; }
  uint32_t numCodes() const { return 1u << bits_; }
  bool isSigned() const { return isSigned_; }
  bool isNarrowRange() const { return narrow_; }
  /// The minifloat format (kind() == MiniFloat only).
  const FloatFormat &floatFormat() const { return *format_; }

  /// Value of a code (low `bits()` bits are used). Codes that are not grid
  /// values (minifloat NaN/Inf patterns, the most negative integer of a
  /// narrow-range grid, ternary 0b10) decode as a two's complement integer /
  /// the IEEE special respectively, i.e. exactly what the hardware does.
  double decode(uint32_t code) const { return decodeTable_[code & (numCodes() - 1)]; }
  /// Nearest grid value's code (see the file comment for ties and saturation).
  uint32_t encode(double x) const;
  /// Nearest grid value (decode(encode(x))).
  double roundToGrid(double x) const { return decode(encode(x)); }

  double minValue() const { return sorted_.front().value; }
  double maxValue() const { return sorted_.back().value; }
  /// max(|minValue|, |maxValue|).
  double maxAbs() const;
  /// The largest positive grid value, the value symmetric absmax scaling maps
  /// max|x| to (7 for signed int4, 6 for E2M1, 1 for NF4).
  double maxPositive() const { return maxValue(); }
  /// All grid values in ascending order, each once (-0 is omitted).
  std::vector<double> values() const;

  /// The decision procedure encode() follows, as tables a code generator can
  /// emit. With n = numCodes(): `thresholds` has n - 1 ascending entries
  /// (midpoints of adjacent grid values in double, padded with +inf) and
  /// `tieUp[j]` says whether x == thresholds[j] goes to the upper value;
  /// `codes` (n entries, padded with the top code) maps a rank to its code.
  /// encode(x) = codes[#{j : x > t[j] or (x == t[j] and tieUp[j])}], found by
  /// a bits()-step binary search, and `nanCode` for NaN.
  struct EncodeTables {
    std::vector<double> thresholds;
    std::vector<bool> tieUp;
    std::vector<uint32_t> codes;
    uint32_t nanCode = 0;
  };
  const EncodeTables &encodeTables() const { return tables_; }

  /// A short name: "s4", "u8", "s4n" (narrow), "e2m1", "nf4", "codebook4",
  /// "ternary", "binary".
  std::string name() const;

private:
  struct Entry {
    double value;
    uint32_t code;
  };
  Grid(GridKind kind, unsigned bits) : kind_(kind), bits_(bits) {}
  void finalize(); // builds sorted_ from decodeTable_ and validity

  GridKind kind_;
  unsigned bits_;
  bool isSigned_ = true;
  bool narrow_ = false;
  const FloatFormat *format_ = nullptr;
  std::vector<double> decodeTable_;
  std::vector<bool> isValue_; // codes that encode may produce
  std::vector<Entry> sorted_; // valid values ascending; ties in value dropped
  EncodeTables tables_;
};

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_GRID_H
