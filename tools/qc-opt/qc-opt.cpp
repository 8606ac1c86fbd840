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

int main(int argc, char **argv) {
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
