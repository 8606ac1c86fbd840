//===- qc-fuzz.cpp - libFuzzer entry point --------------------------------===//
//
// Built with clang -fsanitize=fuzzer when QC_ENABLE_FUZZER is on; run it
// with scripts/fuzz.sh. A failed property aborts, which libFuzzer reports
// as a crash and saves the input.
//
//===----------------------------------------------------------------------===//

#include "FuzzHarness.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string failure = mlir::qc::fuzz::runOneInput(data, size).failure;
  if (!failure.empty()) {
    llvm::errs() << "qc-fuzz: " << failure << "\n";
    std::abort();
  }
  return 0;
}
