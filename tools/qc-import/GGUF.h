//===- GGUF.h - Reader of llama.cpp's GGUF files ----------------*- C++ -*-===//
//
// GGUF v2 and v3 (header, metadata, tensor infos, alignment, data), every
// field checked against the file's size before it is used, and the block
// formats of ggml decoded as gguf-py decodes them (same float32 operations
// in the same order, so the values are bit-identical). See docs/Import.md.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_QCIMPORT_GGUF_H
#define QC_TOOLS_QCIMPORT_GGUF_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include "WeightFiles.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qc::import {

/// ggml's tensor types, by their numbers in the file.
enum class GGMLType : uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q8_1 = 9,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  Q8_K = 15,
  I8 = 24,
  I16 = 25,
  I32 = 26,
  I64 = 27,
  F64 = 28,
  BF16 = 30,
};

/// What a ggml type is: its name, elements and bytes per block, and
/// whether qc-import reads it.
struct GGMLTypeInfo {
  llvm::StringRef name;
  int64_t blockElements = 0, blockBytes = 0;
  bool readable = false;
};

/// The type numbered `type` (every type ggml has defined, readable or
/// not), or nothing for a number ggml never used.
std::optional<GGMLTypeInfo> ggmlTypeInfo(uint32_t type);

struct GGUFTensor {
  std::string name;
  uint32_t type = 0;
  /// In MLIR's (row-major) order: ggml's ne reversed, so a weight of
  /// ne = [K, N] is N x K.
  std::vector<int64_t> shape;
  /// The tensor's blocks, inside the file.
  llvm::ArrayRef<char> data;

  int64_t numElements() const;
  GGMLType ggmlType() const { return GGMLType(type); }
};

struct GGUFFile {
  uint32_t version = 0;
  uint64_t alignment = 32;
  /// Every key-value pair: numbers, booleans, strings and arrays of them.
  llvm::json::Object metadata;
  /// The keys whose values (or array elements) are float32 or float64 in
  /// the file (JSON does not keep 10000.0 apart from 10000).
  std::vector<std::string> floatKeys;
  std::vector<GGUFTensor> tensors;
};

/// Whether `bytes` starts with GGUF's magic.
bool isGGUF(llvm::StringRef bytes);

/// The file held in `bytes`. Errors name `path` and what is wrong: a bad
/// magic or version, a count, string or array longer than the file, an
/// unknown value or tensor type, dimensions that overflow, a tensor whose
/// data is misaligned or runs past the end of the file, a bad alignment.
llvm::Expected<GGUFFile> readGGUF(llvm::StringRef bytes, llvm::StringRef path);

/// The tensor's values as float32, computed as gguf-py's dequantize computes
/// them (bit-identical): F32, F16, BF16, F64 (rounded), Q4_0, Q4_1, Q5_0,
/// Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K.
llvm::Expected<std::vector<float>> dequantizeGGUF(const GGUFTensor &tensor);

/// The tensor as the parts of the !qc.qtensor that holds it exactly (see
/// BlockParts), for Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K
/// and Q6_K; nothing for other types. Dequantizing the parts by the
/// qtensor's semantics gives dequantizeGGUF's values bit for bit.
std::optional<BlockParts> blockParts(const GGUFTensor &tensor);

} // namespace qc::import

#endif // QC_TOOLS_QCIMPORT_GGUF_H
