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

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_KERNELTEXT_H
