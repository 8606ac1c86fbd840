//===- KernelText.h - helpers for writing kernels as MLIR text --*- C++ -*-===//
//
// Private to QCToCPU: the kernel generators build MLIR source text, which
// the passes parse. No MLIR headers.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_KERNELTEXT_H
#define QC_LIB_CONVERSION_QCTOCPU_KERNELTEXT_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlir::qc::cpu {

inline std::string str(int64_t v) { return std::to_string(v); }

/// The weight side every kernel is specialized for: N x K packed B-bit codes
/// (lsb first) in 1 x `weightGroup` blocks.
struct WeightSpec {
  /// The kernel function's name.
  std::string name;
  int64_t n = 0, k = 0;
  int bits = 4;
  int64_t weightGroup = 0;
  /// f32, f16 or bf16.
  std::string scaleType;
  /// The zero points' type, or empty without.
  std::string zeroPointType;
  /// Whether the packed bytes are in the kernel's #qc.tiled layout.
  bool tiledWeights = false;
};

/// `text` with every occurrence of each key replaced by its value, keys in
/// order (a key that is a prefix of another must come after it).
inline std::string
substitute(std::string text,
           const std::vector<std::pair<std::string, std::string>> &values) {
  for (auto &[key, value] : values)
    for (size_t pos = 0; (pos = text.find(key, pos)) != std::string::npos;) {
      text.replace(pos, key.size(), value);
      pos += value.size();
    }
  return text;
}

/// A kernel's view of the weight's packed bytes: rows of `rowBytes` bytes,
/// row-major, or in `#qc.tiled<rows = tileRows, chunk_bytes = chunkBytes>`
/// order (tileRows > 1).
struct WeightAddressing {
  int64_t rowBytes = 0, tileRows = 1, chunkBytes = 0;

  bool tiled() const { return tileRows > 1; }

  /// MLIR lines defining %rb<c>: where weight row %nr<c>'s chunk 0 starts.
  std::string rowBase(const std::string &indent, int c) const {
    std::string cs = str(c), nr = "%nr" + cs, t;
    auto line = [&](const std::string &name, const std::string &rhs) {
      t += indent + name + cs + " = " + rhs + " : index\n";
    };
    if (!tiled()) {
      line("%rbk", "arith.constant " + str(rowBytes));
      line("%rb", "arith.muli " + nr + ", %rbk" + cs);
      return t;
    }
    line("%tR", "arith.constant " + str(tileRows));
    line("%tKB", "arith.constant " + str(tileRows * rowBytes));
    line("%tCB", "arith.constant " + str(chunkBytes));
    line("%tq", "arith.divui " + nr + ", %tR" + cs);
    line("%tr", "arith.remui " + nr + ", %tR" + cs);
    line("%tb", "arith.muli %tq" + cs + ", %tKB" + cs);
    line("%ti", "arith.muli %tr" + cs + ", %tCB" + cs);
    line("%rb", "arith.addi %tb" + cs + ", %ti" + cs);
    return t;
  }

  /// MLIR lines defining %boffw: the distance from a row's chunk 0 to the
  /// chunk holding row byte %boff (a multiple of the chunk size).
  std::string chunkOffset(const std::string &indent) const {
    return indent + "%boffk = arith.constant " + str(tileRows) +
           " : index\n" + indent +
           "%boffw = arith.muli %boff, %boffk : index\n";
  }
};

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_KERNELTEXT_H
