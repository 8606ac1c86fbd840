//===- FuzzGGUF.cpp - GGUF inputs of the fuzz harness ---------------------===//

#include "FuzzHarness.h"

#include "GGUF.h"

bool mlir::qc::fuzz::runGGUFInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<::qc::import::GGUFFile> file =
      ::qc::import::readGGUF(bytes, "input");
  if (!file) {
    llvm::consumeError(file.takeError());
    return false;
  }
  for (const ::qc::import::GGUFTensor &t : file->tensors) {
    if (t.numElements() > (int64_t(1) << 20))
      continue;
    llvm::Expected<std::vector<float>> values =
        ::qc::import::dequantizeGGUF(t);
    if (!values)
      llvm::consumeError(values.takeError());
    (void)::qc::import::blockParts(t);
  }
  return true;
}
