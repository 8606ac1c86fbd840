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

/// A block-quantized tensor qc holds exactly (GGUF's Q4_0, Q5_0, Q8_0):
/// `scale * code`, signed codes of `bits` bits, one f16 scale per block of
/// 32 along the last dimension.
struct SymmetricBlocks {
  unsigned bits = 0;
  std::vector<int8_t> codes;
  std::vector<uint16_t> scales;
};

struct WeightTensor {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  /// Row-major little-endian elements (numel * byteSize), inside the file
  /// (or a buffer the importer owns, for values it decoded).
  llvm::ArrayRef<char> data;
  /// When set, the tensor is these blocks (and `data` is unused).
  std::shared_ptr<SymmetricBlocks> blocks;

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
