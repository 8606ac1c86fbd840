//===- qc-opt.cpp - qc optimizer driver -----------------------------------===//
//
// mlir-opt with the qc dialect, passes and pipelines added: one tool runs a
// whole pipeline from qc IR down to LLVM IR or a GPU binary.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "qc/InitAll.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"

/// LLVM's own command-line options (its back ends' tuning flags: about 1200
/// of them, registered by static initializers before main) move to
/// --help-hidden, so that --help lists qc-opt's: MLIR's driver options,
/// which MlirOptMain registers later, and the passes and pipelines.
static void hideLLVMBackendOptions() {
  static const llvm::StringSet<> keep = {
      "help",         "help-list",     "help-hidden", "help-list-hidden",
      "version",      "print-options", "print-all-options", "color"};
  for (auto &entry : llvm::cl::getRegisteredOptions())
    if (!keep.contains(entry.first) &&
        entry.second->getOptionHiddenFlag() == llvm::cl::NotHidden)
      entry.second->setHiddenFlag(llvm::cl::Hidden);
}

int main(int argc, char **argv) {
  hideLLVMBackendOptions();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary needs the GPU targets' LLVM IR translations.
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  mlir::registerAllPasses();
  mlir::qc::registerAllDialects(registry);
  mlir::qc::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "qc optimizer driver: the qc quantization dialect and passes on top of "
      "all upstream MLIR dialects and passes\n",
      registry));
}
