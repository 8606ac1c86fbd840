//===- WeightFiles.h - Readers of safetensors and .npy files ----*- C++ -*-===//
//
// The tensors of a safetensors file or a .npy array as views into the
// file's bytes, every header field checked (see docs/Import.md).
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_QCIMPORT_WEIGHTFILES_H
#define QC_TOOLS_QCIMPORT_WEIGHTFILES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace qc::import {

/// The element types qc-import reads, named as MLIR names them.
enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8 };

/// Bytes of one element.
unsigned byteSize(DType t);
/// "f32", "bf16", "ui8", ...
llvm::StringRef mlirName(DType t);

/// A block-quantized tensor as the parts of an exact !qc.qtensor (every
/// GGUF block format qc-import reads):
///
///   x = (s * o) * q - m * mo
///
/// with s and m per block of `block` elements along the last dimension and
/// o and mo per super-block of `superBlock`. Scales are f16 (their bits,
/// no outer level) or integers under an f16 outer scale; mins are absent,
/// f16 (Q4_1, Q5_1: the block minimum negated) or integers under an f16
/// outer factor (Q2_K, Q4_K, Q5_K's `dmin`).
struct BlockParts {
  enum class Kind { None, F16, Int };
  unsigned codeBits = 0;
  bool signedCodes = true;
  /// One code value per element, row-major.
  std::vector<int8_t> codes;
  int64_t block = 32, superBlock = 0;
  Kind scaleKind = Kind::F16;
  unsigned scaleBits = 0; // integer scales
  bool signedScales = false;
  /// Integer values, or f16 bits.
  std::vector<int32_t> scales;
  std::vector<uint16_t> outerScales; // f16 bits, per super-block
  Kind minKind = Kind::None;
  unsigned minBits = 0; // integer mins (unsigned)
  std::vector<int32_t> mins;         // integer values, or f16 bits
  std::vector<uint16_t> outerMins;   // f16 bits, per super-block
};

struct WeightTensor {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  /// Row-major little-endian elements (numel * byteSize), inside the file
  /// (or a buffer the importer owns, for values it decoded).
  llvm::ArrayRef<char> data;
  /// When set, the tensor is these blocks (and `data` is unused).
  std::shared_ptr<BlockParts> blocks;

  int64_t numElements() const;
};

/// The tensors of a safetensors file held in `bytes` (8-byte little-endian
/// header length, a JSON header of name -> {dtype, shape, data_offsets},
/// then the data), in header order. Errors name `path` and what is wrong.
llvm::Expected<std::vector<WeightTensor>> readSafetensors(llvm::StringRef bytes,
                                                          llvm::StringRef path);

/// The array of a .npy file (format versions 1-3, little-endian, C order),
/// named `name`.
llvm::Expected<WeightTensor> readNpy(llvm::StringRef bytes,
                                     llvm::StringRef path,
                                     llvm::StringRef name);

} // namespace qc::import

#endif // QC_TOOLS_QCIMPORT_WEIGHTFILES_H
