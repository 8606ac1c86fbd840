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


/// 3-bit codes stored as #qc.bit_planes<[2, 1]>: the N x K/4 bytes of the
/// 2-bit plane (bits 0-1), then the N x K/8 bytes of the 1-bit plane (bit
/// 2). The kernels phase-split a chunk of the 2-bit plane as they do 2-bit
/// codes (lane i of phase j of the chunk that starts at code k0 holds code
/// k0 + 4i + j) and take bit 2 from the 1-bit plane, where that code's bit
/// is bit 4 * (i % 2) + j of byte k0/8 + i/2: one load of lanes/2 bytes per
/// chunk, a byte shuffle that gives each lane its byte, and per phase a
/// mask, a compare and a select.
struct HighBitPlane {
  int64_t n = 0, k = 0;
  /// Bytes of the 2-bit plane per chunk (16 or 32).
  int lanes = 32;

  std::string vb() const { return "vector<" + str(lanes) + "xi8>"; }

  /// MLIR lines of the constants %hm<j> (each lane's bit of phase j),
  /// %hfour and %hzero.
  std::string constants(const std::string &indent) const {
    std::string t;
    for (int j = 0; j < 4; ++j) {
      std::string v;
      for (int i = 0; i < lanes; ++i)
        v += (i ? ", " : "") + str(int8_t(1 << (4 * (i % 2) + j)));
      t += indent + "%hm" + str(j) + " = arith.constant dense<[" + v +
           "]> : " + vb() + "\n";
    }
    return t + indent + "%hfour = arith.constant dense<4> : " + vb() + "\n" +
           indent + "%hzero = arith.constant dense<0> : " + vb() + "\n";
  }

  /// MLIR lines defining %hb<c>: where weight row %nr<c>'s high bits start.
  std::string rowBase(const std::string &indent, int c) const {
    std::string cs = str(c);
    return indent + "%hbk" + cs + " = arith.constant " + str(k / 8) +
           " : index\n" + indent + "%hb0k" + cs + " = arith.constant " +
           str(n * k / 4) + " : index\n" + indent + "%hbr" + cs +
           " = arith.muli %nr" + cs + ", %hbk" + cs + " : index\n" + indent +
           "%hb" + cs + " = arith.addi %hb0k" + cs + ", %hbr" + cs +
           " : index\n";
  }

  /// MLIR lines defining %he<c>: byte k0/8 + i/2 of row c's high plane in
  /// lane i, for the chunk at code %k0 (memref %w of `bytes` bytes).
  std::string load(const std::string &indent, int c,
                   const std::string &bytes) const {
    std::string cs = str(c), idx;
    for (int i = 0; i < lanes; ++i)
      idx += (i ? ", " : "") + str(i / 2);
    std::string half = "vector<" + str(lanes / 2) + "xi8>";
    return indent + "%hk8" + cs + " = arith.constant 8 : index\n" + indent +
           "%hq" + cs + " = arith.divui %k0, %hk8" + cs + " : index\n" +
           indent + "%ho" + cs + " = arith.addi %hb" + cs + ", %hq" + cs +
           " : index\n" + indent + "%hl" + cs + " = vector.load %w[%ho" + cs +
           "] : memref<" + bytes + "xi8>, " + half + "\n" + indent + "%he" +
           cs + " = vector.shuffle %hl" + cs + ", %hl" + cs + " [" + idx +
           "] : " + half + ", " + half + "\n";
  }

  /// MLIR lines defining `out` = `field` (phase j's 2-bit fields) plus 4
  /// where row c's bit 2 is set (`invert`: where it is clear, which makes
  /// a signed code's bit pattern its value plus 4).
  std::string merge(const std::string &indent, int c, int j,
                    const std::string &field, const std::string &out,
                    bool invert) const {
    std::string tag = out.substr(1);
    return indent + "%ht" + tag + " = arith.andi %he" + str(c) + ", %hm" +
           str(j) + " : " + vb() + "\n" + indent + "%hc" + tag +
           " = arith.cmpi " + (invert ? "eq" : "ne") + ", %ht" + tag +
           ", %hzero : " + vb() + "\n" + indent + "%hv" + tag +
           " = arith.select %hc" + tag + ", %hfour, %hzero : vector<" +
           str(lanes) + "xi1>, " + vb() + "\n" + indent + out +
           " = arith.ori " + field + ", %hv" + tag + " : " + vb() + "\n";
  }
};

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_KERNELTEXT_H
